"""Writes between civil servants: connection requests, endorsements and mentorships."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from graph_db.audit import Change
from graph_db.records import (
    ConnectionEdge,
    ConnectionOutcome,
    Endorsement,
    Mentorship,
    MentorshipStatus,
)


class SocialWrites(Protocol):
    """Writes between people, each one transaction: connecting, endorsing and mentoring."""

    # ---- connections ----
    async def request_connection(
        self, *, from_id: str, to_id: str, message: str | None, at: datetime, change: Change
    ) -> ConnectionOutcome:
        """Ask to connect. If `to_id` had already asked `from_id`, connect them instead (CONNECTED).

        Repeating a request changes nothing (REQUESTED). Raises `NotFound` (either person),
        `InvalidInput` (`from_id == to_id`), `Conflict` (already connected).
        """
        ...

    async def accept_connection(
        self, *, person_id: str, requester_id: str, at: datetime, change: Change
    ) -> ConnectionEdge:
        """Accept `requester_id`'s request to `person_id`. Raises `NotFound` (no such request)."""
        ...

    async def decline_connection(
        self, *, person_id: str, requester_id: str, change: Change
    ) -> None:
        """Delete `requester_id`'s request to `person_id`. Raises `NotFound`."""
        ...

    async def withdraw_connection_request(
        self, *, person_id: str, to_id: str, change: Change
    ) -> None:
        """Delete `person_id`'s own request to `to_id`. Raises `NotFound`."""
        ...

    async def remove_connection(self, *, person_id: str, other_id: str, change: Change) -> None:
        """Delete the connection between the two. Raises `NotFound` (not connected)."""
        ...

    # ---- endorsements ----
    async def endorse(self, endorsement: Endorsement, *, change: Change) -> Endorsement:
        """Endorse a person for an area they hold; repeating it returns the first endorsement.

        Raises `InvalidInput` (self-endorsement), `NotFound` (person, or the area is not held).
        """
        ...

    async def withdraw_endorsement(
        self, *, endorser_id: str, endorsee_id: str, expertise_id: str, change: Change
    ) -> None:
        """Delete an endorsement. Raises `NotFound`."""
        ...

    # ---- mentorships ----
    async def request_mentorship(self, mentorship: Mentorship, *, change: Change) -> Mentorship:
        """Create a REQUESTED mentorship; if an open one (REQUESTED/ACTIVE) exists for the same mentor,
        mentee and area, return it instead. Raises `InvalidInput` (self), `NotFound`."""
        ...

    async def set_mentorship_status(
        self,
        mentorship_id: str,
        *,
        expected: Sequence[MentorshipStatus],
        status: MentorshipStatus,
        at: datetime,
        change: Change,
    ) -> Mentorship:
        """Move a mentorship to `status` if it is in one of `expected` (ACTIVE sets `since`, COMPLETED
        and CANCELLED of an active one set `until`). Raises `NotFound`, `Conflict` (wrong state)."""
        ...

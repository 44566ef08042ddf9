"""Notifications: what a member is told about a change that concerns them (their inbox).

A notification is written by the store core in the same transaction as the change that causes it
(`graph_db.core.notify`), so it exists exactly when the change committed.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import field_validator

from graph_db.records.base import Frozen, as_utc


class NotificationKind(StrEnum):
    """What happened, from the recipient's side. The recipient is whoever should act or be told."""

    CONNECTION_REQUESTED = "CONNECTION_REQUESTED"
    """Someone asked the recipient to connect (recipient: the addressee)."""
    CONNECTION_ACCEPTED = "CONNECTION_ACCEPTED"
    """The recipient's request was accepted, or crossed with the actor's (recipient: requester)."""
    ENDORSED = "ENDORSED"
    """Someone endorsed the recipient for an area (recipient: the endorsee)."""
    MENTORSHIP_REQUESTED = "MENTORSHIP_REQUESTED"
    """A mentee asked the recipient to mentor them (recipient: the mentor)."""
    MENTORSHIP_ACCEPTED = "MENTORSHIP_ACCEPTED"
    """The mentor accepted (recipient: the mentee)."""
    MENTORSHIP_DECLINED = "MENTORSHIP_DECLINED"
    """The mentor declined (recipient: the mentee)."""
    MENTORSHIP_CANCELLED = "MENTORSHIP_CANCELLED"
    """One party cancelled (recipient: the other party)."""
    MENTORSHIP_COMPLETED = "MENTORSHIP_COMPLETED"
    """One party completed it (recipient: the other party)."""
    PROFILE_VERIFIED = "PROFILE_VERIFIED"
    """An admin verified the recipient's profile (recipient: the person)."""
    OFFER_RECEIVED = "OFFER_RECEIVED"
    """Someone offered to help with the recipient's expertise request (recipient: the author)."""
    OFFER_ACCEPTED = "OFFER_ACCEPTED"
    """The author accepted the recipient's offer of help (recipient: the helper)."""
    MATCHING_REQUESTS = "MATCHING_REQUESTS"
    """The daily digest of new expertise requests that fit the recipient's expertise (subjects:
    the requests; at most one a day per member, later requests of the day join it)."""
    INTRODUCTION_REQUESTED = "INTRODUCTION_REQUESTED"
    """A connection asked the recipient to introduce them to another (recipient: the introducer)."""
    INTRODUCTION_FORWARDED = "INTRODUCTION_FORWARDED"
    """The introducer forwarded an introduction (recipients: the requester and whom they asked to
    meet, who now has the requester's connection request)."""
    INTRODUCTION_DECLINED = "INTRODUCTION_DECLINED"
    """The introducer declined (recipient: the requester)."""
    EXPERT_STATUS_CHANGED = "EXPERT_STATUS_CHANGED"
    """An admin granted or revoked the recipient's expert status (recipient: the person)."""


class Notification(Frozen):
    """One notification in a member's inbox.

    Attributes:
        id: ULID (sorts by creation time to the millisecond).
        recipient_id: the civil servant told.
        kind: what happened.
        actor_id: who did it (never the recipient); None for a person-less admin token.
        subject_ids: what it is about, as `"<Type>:<id>"` (e.g. `"Mentorship:01J…"`,
            `"Expertise:talent-management"`).
        created_at: when the change was accepted (aware UTC).
        read_at: when the recipient marked it read; None while unread.
    """

    id: str
    recipient_id: str
    kind: NotificationKind
    actor_id: str | None = None
    subject_ids: tuple[str, ...] = ()
    created_at: datetime
    read_at: datetime | None = None

    @field_validator("created_at", "read_at")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return None if value is None else as_utc(value)

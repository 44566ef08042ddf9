"""The viewer's relationship to other people (person cards) and introductions through a mutual
connection."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import field_validator

from graph_db.records.base import Frozen, as_utc
from graph_db.records.fields import Message

MAX_RELATIONSHIP_DISTANCE = 3
"""Distances beyond this are not computed (`ViewerRelationship.distance` is None)."""


class ViewerRelationship(Frozen):
    """How one person stands to the viewer, for a person card ("Connect", "Pending", "Message").

    Attributes:
        person_id: the other person.
        connected: the two are connected (CONNECTED_TO either way).
        request_sent: the viewer asked the person to connect and the request is pending.
        request_received: the person asked the viewer and the request is pending.
        distance: hops between them over connections, 1 to `MAX_RELATIONSHIP_DISTANCE`; None if
            farther or unconnected.
        mutual_ids: ids of the people connected to both, sorted.
    """

    person_id: str
    connected: bool = False
    request_sent: bool = False
    request_received: bool = False
    distance: int | None = None
    mutual_ids: tuple[str, ...] = ()


class IntroductionStatus(StrEnum):
    """Where an introduction stands: asked of the introducer, then forwarded or declined by them."""

    REQUESTED = "REQUESTED"
    FORWARDED = "FORWARDED"
    DECLINED = "DECLINED"


class Introduction(Frozen):
    """A request to `via_id` (connected to both) to introduce `requester_id` to `to_id`.

    Attributes:
        id: ULID.
        requester_id: who asked.
        via_id: the mutual connection asked to introduce them (the only one who answers).
        to_id: whom the requester wants to meet.
        message: the requester's note to the introducer.
        status: REQUESTED until the introducer forwards or declines it.
        requested_at: when it was asked (aware UTC).
        decided_at: when it was forwarded or declined.
    """

    id: str
    requester_id: str
    via_id: str
    to_id: str
    message: Message | None = None
    status: IntroductionStatus = IntroductionStatus.REQUESTED
    requested_at: datetime
    decided_at: datetime | None = None

    @field_validator("requested_at", "decided_at")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return None if value is None else as_utc(value)


class ExpertStatusChange(Frozen):
    """An admin's grant or revocation of a civil servant's expert status, with the reason.

    Attributes:
        id: ULID.
        person_id: whose status changed.
        is_expert: the status from then on.
        reason: why (shown to the person and to admins).
        actor_id: the admin; None for a person-less admin token.
        at: when (aware UTC).
    """

    id: str
    person_id: str
    is_expert: bool
    reason: Message
    actor_id: str | None = None
    at: datetime

    @field_validator("at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return as_utc(value)

    @field_validator("reason")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("give a reason")
        return value

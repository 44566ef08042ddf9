"""Connections, connection requests, endorsements and mentorships between civil servants."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import StringConstraints, field_validator

from graph_db.records.base import Frozen, as_utc
from graph_db.records.fields import MULTI_LINE, Message


class ConnectionEdge(Frozen):
    """An undirected `CONNECTED_TO` relationship seen from one person: the other one and `since`."""

    person_id: str
    since: datetime


class Connection(Frozen):
    """A `CONNECTED_TO` relationship as stored (once per pair), for bulk loads."""

    person_a: str
    person_b: str
    since: datetime


class ConnectionRequest(Frozen):
    """A pending `CONNECTION_REQUEST {at, message}` from `from_id` to `to_id`."""

    from_id: str
    to_id: str
    at: datetime
    message: Message | None = None

    @field_validator("at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return as_utc(value)


class ConnectionOutcome(StrEnum):
    """What `request_connection` did: a new request, or a connection (the other side had asked)."""

    REQUESTED = "REQUESTED"
    CONNECTED = "CONNECTED"


class Endorsement(Frozen):
    """`(endorser)-[:ENDORSED {expertiseId, at}]->(endorsee)`: once per endorser, endorsee and area."""

    endorser_id: str
    endorsee_id: str
    expertise_id: str
    at: datetime

    @field_validator("at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return as_utc(value)


class MentorshipStatus(StrEnum):
    """Lifecycle: REQUESTED → ACTIVE → COMPLETED; REQUESTED → DECLINED; REQUESTED/ACTIVE → CANCELLED."""

    REQUESTED = "REQUESTED"
    ACTIVE = "ACTIVE"
    COMPLETED = "COMPLETED"
    DECLINED = "DECLINED"
    CANCELLED = "CANCELLED"


OPEN_MENTORSHIP = (MentorshipStatus.REQUESTED, MentorshipStatus.ACTIVE)


class Mentorship(Frozen):
    """`(mentor)-[:MENTORS {id, expertiseId, goal, status, requestedAt, since, until}]->(mentee)`."""

    id: str
    mentor_id: str
    mentee_id: str
    expertise_id: str
    goal: Annotated[str, StringConstraints(max_length=2000), MULTI_LINE] | None = None
    status: MentorshipStatus
    requested_at: datetime
    since: datetime | None = None
    until: datetime | None = None

    @field_validator("requested_at", "since", "until")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return as_utc(value) if value else None

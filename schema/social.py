"""GraphQL types of networking: mentorships, connection requests, endorsements."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, ClassVar

import strawberry
from strawberry import relay

from graph_db import records
from resolvers import policy
from schema.expertise import Expertise
from schema.info import Info
from schema.node import LoadedNode

if TYPE_CHECKING:
    from schema.civil_servant import CivilServant

CivilServantRef = Annotated["CivilServant", strawberry.lazy("schema.civil_servant")]

# The domain enums themselves, marked as GraphQL enums in place (see schema.enums).
MentorshipStatus = records.MentorshipStatus
ConnectionOutcome = records.ConnectionOutcome
NetworkRelationship = records.NetworkRelationship
strawberry.enum(MentorshipStatus, description=MentorshipStatus.__doc__)
strawberry.enum(ConnectionOutcome, description=ConnectionOutcome.__doc__)
strawberry.enum(NetworkRelationship, description=NetworkRelationship.__doc__)


async def person(info: Info, person_id: str) -> CivilServant:
    """A person who must exist (a relationship end). Someone else's profile needs a verified
    member (an unverified caller sees only their own), as for `civilServant(id)`."""
    from schema.civil_servant import CivilServant

    await policy.require_self_or_member(info.context, person_id)
    found = await CivilServant.load(info, person_id)
    assert found is not None, person_id
    return found


@strawberry.type(
    description="A mentorship (mentor → mentee) in an expertise area, with its lifecycle."
)
class Mentorship(LoadedNode):
    loader: ClassVar[str] = "mentorships"
    id: relay.NodeID[str]
    status: MentorshipStatus
    goal: str | None
    requested_at: datetime
    since: datetime | None = strawberry.field(description="When it became active.")
    until: datetime | None = strawberry.field(description="When an active mentorship ended.")
    mentor_id: strawberry.Private[str]
    mentee_id: strawberry.Private[str]
    expertise_id: strawberry.Private[str]

    @classmethod
    def from_domain(cls, record: records.Mentorship) -> Mentorship:
        return cls(
            id=record.id,
            status=record.status,
            goal=record.goal,
            requested_at=record.requested_at,
            since=record.since,
            until=record.until,
            mentor_id=record.mentor_id,
            mentee_id=record.mentee_id,
            expertise_id=record.expertise_id,
        )

    @strawberry.field
    async def mentor(self, info: Info) -> CivilServantRef:
        return await person(info, self.mentor_id)

    @strawberry.field
    async def mentee(self, info: Info) -> CivilServantRef:
        return await person(info, self.mentee_id)

    @strawberry.field
    async def expertise(self, info: Info) -> Expertise | None:
        return await Expertise.load(info, self.expertise_id)


@strawberry.type(description="A pending request to connect.")
class ConnectionRequest:
    at: datetime
    message: str | None
    from_id: strawberry.Private[str]
    to_id: strawberry.Private[str]

    @classmethod
    def from_domain(cls, record: records.ConnectionRequest) -> ConnectionRequest:
        return cls(at=record.at, message=record.message, from_id=record.from_id, to_id=record.to_id)

    @strawberry.field(
        name="from",
        description="Who asked; null (with FORBIDDEN) for a caller who may not see people yet.",
    )
    async def from_(self, info: Info) -> CivilServantRef | None:
        return await person(info, self.from_id)

    @strawberry.field(
        description="Who was asked; null (with FORBIDDEN) for a caller who may not see people yet."
    )
    async def to(self, info: Info) -> CivilServantRef | None:
        return await person(info, self.to_id)


@strawberry.type(description="Endorsements a person received for one expertise area.")
class EndorsementSummary:
    expertise: Expertise
    count: int
    endorser_ids: strawberry.Private[list[str]]

    @strawberry.field(description="Who endorsed, newest first.")
    async def endorsers(self, info: Info) -> list[CivilServantRef]:
        from schema.civil_servant import CivilServant

        return await CivilServant.load_many(info, self.endorser_ids)


@strawberry.type(description="One endorsement.")
class Endorsement:
    at: datetime
    endorser_id: strawberry.Private[str]
    endorsee_id: strawberry.Private[str]
    expertise_id: strawberry.Private[str]

    @classmethod
    def from_domain(cls, record: records.Endorsement) -> Endorsement:
        return cls(
            at=record.at,
            endorser_id=record.endorser_id,
            endorsee_id=record.endorsee_id,
            expertise_id=record.expertise_id,
        )

    @strawberry.field
    async def endorser(self, info: Info) -> CivilServantRef:
        return await person(info, self.endorser_id)

    @strawberry.field
    async def endorsee(self, info: Info) -> CivilServantRef:
        return await person(info, self.endorsee_id)

    @strawberry.field
    async def expertise(self, info: Info) -> Expertise | None:
        return await Expertise.load(info, self.expertise_id)

"""GraphQL `Event` (ACCSM workshops, meetings, programmes)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, ClassVar

import strawberry
from strawberry import relay

from graph_db import records
from resolvers import policy
from schema.country import Country
from schema.enums import EventKind
from schema.info import Info
from schema.institution import Institution
from schema.node import LoadedNode

if TYPE_CHECKING:
    from schema.civil_servant import CivilServant

CivilServantRef = Annotated["CivilServant", strawberry.lazy("schema.civil_servant")]


@strawberry.type(description="A person's participation in an event.")
class Participant:
    role: str | None
    civil_servant: CivilServantRef


@strawberry.type(description="An ACCSM workshop, meeting or programme.")
class Event(LoadedNode):
    loader: ClassVar[str] = "events"
    id: relay.NodeID[str]
    title: str
    kind: EventKind
    start_date: date
    end_date: date | None
    place: str | None
    country_code: str | None
    description: str | None

    @classmethod
    def from_domain(cls, record: records.Event) -> Event:
        return cls(
            id=record.id,
            title=record.title,
            kind=record.kind,
            start_date=record.start_date,
            end_date=record.end_date,
            place=record.place,
            country_code=record.country_code,
            description=record.description,
        )

    @strawberry.field
    async def country(self, info: Info) -> Country | None:
        return await Country.load(info, self.country_code)

    @strawberry.field(description="Institutions that organised the event.")
    async def organizers(self, info: Info) -> list[Institution]:
        return await Institution.load_many(
            info, await info.context.loaders.organizers.load(str(self.id))
        )

    @strawberry.field(description="People who took part, by id.")
    async def participants(self, info: Info) -> list[Participant] | None:
        from schema.civil_servant import CivilServant

        await policy.require_member(info.context)
        rows = await info.context.loaders.participants.load(str(self.id))
        people = await CivilServant.load_map(info, [r.person_id for r in rows])
        return [
            Participant(role=r.role, civil_servant=people[r.person_id])
            for r in rows
            if r.person_id in people
        ]

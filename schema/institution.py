"""GraphQL `Institution`: its members, and its place in the hierarchy (parent and units)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, ClassVar

import strawberry
from strawberry import relay

from graph_db import records
from resolvers import catalogue, lists
from resolvers.pagination import PageArgs
from schema.country import Country
from schema.enums import InstitutionKind
from schema.info import Info
from schema.node import LoadedNode
from schema.pagination import Connection, Edge, build_connection

if TYPE_CHECKING:
    from schema.civil_servant import CivilServant

CivilServantRef = Annotated["CivilServant", strawberry.lazy("schema.civil_servant")]


@strawberry.type(description="A person who works or worked at an institution.")
class MemberEdge:
    cursor: str
    position: str | None
    since_year: int | None
    until_year: int | None = strawberry.field(
        description="Null while the person still works there."
    )
    node: CivilServantRef


@strawberry.type(description="People who work or worked at an institution.")
class MemberConnection(Connection[MemberEdge]):
    pass


@strawberry.type(
    description="A ministry, agency, academy, university, company or international body."
)
class Institution(LoadedNode):
    loader: ClassVar[str] = "institutions"
    id: relay.NodeID[str]
    name: str
    acronym: str | None
    kind: InstitutionKind
    country_code: str | None

    @classmethod
    def from_domain(cls, record: records.Institution) -> Institution:
        return cls(
            id=record.id,
            name=record.name,
            acronym=record.acronym,
            kind=record.kind,
            country_code=record.country_code,
        )

    @strawberry.field
    async def country(self, info: Info) -> Country | None:
        return await Country.load(info, self.country_code)

    @strawberry.field(description="The institution this one is part of; null for none.")
    async def parent(self, info: Info) -> Institution | None:
        return await Institution.load(info, await info.context.loaders.parents.load(str(self.id)))

    @strawberry.field(
        description="Institutions directly part of this one (its units), by name then id."
    )
    async def units(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> InstitutionConnection:
        listing = await catalogue.units_of(
            info.context, str(self.id), PageArgs(first, after, last, before)
        )
        return build_connection(
            InstitutionConnection,
            listing,
            lambda r, c: Edge(cursor=c, node=Institution.from_domain(r)),
        )

    @strawberry.field(description="People who work or worked here, by id.")
    async def members(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> MemberConnection | None:
        from schema.civil_servant import CivilServant

        listing = await lists.members_of(
            info.context, str(self.id), PageArgs(first, after, last, before)
        )
        people = await CivilServant.load_map(info, [e.person_id for e in listing.page.items])
        return build_connection(
            MemberConnection,
            listing,
            lambda e, cursor: MemberEdge(
                cursor=cursor,
                position=e.position,
                since_year=e.since_year,
                until_year=e.until_year,
                node=people[e.person_id],
            ),
        )


@strawberry.type(description="A page of institutions.")
class InstitutionConnection(Connection[Edge[Institution]]):
    pass

"""GraphQL `Expertise` (an expertise area in the taxonomy) and its experts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, ClassVar

import strawberry
from strawberry import relay

from graph_db import records
from resolvers import lists
from resolvers.pagination import PageArgs
from schema.info import Info
from schema.node import LoadedNode
from schema.pagination import Connection, build_connection

if TYPE_CHECKING:
    from schema.civil_servant import CivilServant

CivilServantRef = Annotated["CivilServant", strawberry.lazy("schema.civil_servant")]


@strawberry.type(description="A person holding an expertise area, with their level.")
class ExpertEdge:
    cursor: str
    level: int = strawberry.field(description="Self-assessed level, 1 (interest) to 5 (authority).")
    years: int | None = strawberry.field(description="Years of experience in the area.")
    node: CivilServantRef


@strawberry.type(description="People holding an expertise area, by level (highest first).")
class ExpertConnection(Connection[ExpertEdge]):
    pass


@strawberry.type(description="An expertise area; areas form a taxonomy through broader / narrower.")
class Expertise(LoadedNode):
    loader: ClassVar[str] = "expertise"
    id: relay.NodeID[str]
    slug: str = strawberry.field(description="Stable slug id of the area.")
    name: str
    description: str | None

    @classmethod
    def from_domain(cls, record: records.Expertise) -> Expertise:
        return cls(id=record.id, slug=record.id, name=record.name, description=record.description)

    @strawberry.field(description="Directly broader areas.")
    async def broader(self, info: Info) -> list[Expertise]:
        return await Expertise.load_many(info, await info.context.loaders.broader.load(self.slug))

    @strawberry.field(description="Directly narrower areas.")
    async def narrower(self, info: Info) -> list[Expertise]:
        return await Expertise.load_many(info, await info.context.loaders.narrower.load(self.slug))

    @strawberry.field(description="People who hold exactly this area, by level then id.")
    async def experts(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> ExpertConnection | None:
        from schema.civil_servant import CivilServant

        listing = await lists.experts_in(
            info.context, self.slug, PageArgs(first, after, last, before)
        )
        people = await CivilServant.load_map(info, [c.person_id for c in listing.page.items])
        return build_connection(
            ExpertConnection,
            listing,
            lambda c, cursor: ExpertEdge(
                cursor=cursor, level=c.level, years=c.years, node=people[c.person_id]
            ),
        )

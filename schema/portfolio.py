"""GraphQL `PortfolioItem`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, ClassVar

import strawberry
from strawberry import relay

from graph_db import records
from resolvers import policy
from schema.enums import PortfolioKind
from schema.expertise import Expertise
from schema.info import Info
from schema.node import LoadedNode

if TYPE_CHECKING:
    from schema.civil_servant import CivilServant

CivilServantRef = Annotated["CivilServant", strawberry.lazy("schema.civil_servant")]


@strawberry.type(description="A publication, project, policy, training or talk on a profile.")
class PortfolioItem(LoadedNode):
    loader: ClassVar[str] = "portfolio_items"
    id: relay.NodeID[str]
    kind: PortfolioKind
    title: str
    year: int | None
    url: str | None
    summary: str | None
    author_id: strawberry.Private[str]

    @classmethod
    def from_domain(cls, record: records.PortfolioItem) -> PortfolioItem:
        return cls(
            id=record.id,
            kind=record.kind,
            title=record.title,
            year=record.year,
            url=record.url,
            summary=record.summary,
            author_id=record.author_id,
        )

    @strawberry.field
    async def author(self, info: Info) -> CivilServantRef | None:
        from schema.civil_servant import CivilServant

        await policy.require_member(info.context)
        return await CivilServant.load(info, self.author_id)

    @strawberry.field(
        description="Other civil servants who made it with the author, by id (null with "
        "FORBIDDEN for callers who may not see people)."
    )
    async def co_authors(self, info: Info) -> list[CivilServantRef] | None:
        from schema.civil_servant import CivilServant

        await policy.require_member(info.context)
        ids = await info.context.loaders.coauthors.load(str(self.id))
        return await CivilServant.load_many(info, ids)

    @strawberry.field(description="Expertise areas the item is about.")
    async def about(self, info: Info) -> list[Expertise]:
        return await Expertise.load_many(info, await info.context.loaders.about.load(str(self.id)))

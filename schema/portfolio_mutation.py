"""Mutations that edit portfolio items (thin: the rules are in `resolvers/portfolio.py`)."""

from __future__ import annotations

import strawberry
from strawberry import relay

from resolvers import portfolio
from schema.enums import PortfolioKind
from schema.ids import decode_id, decode_ids
from schema.info import Info
from schema.inputs import input_data
from schema.portfolio import PortfolioItem


@strawberry.input(description="Only the fields given change; null clears an optional one.")
class UpdatePortfolioItemInput:
    id: relay.GlobalID = strawberry.field(description="The portfolio item.")
    kind: PortfolioKind | None = strawberry.field(
        default=strawberry.UNSET, description="What kind of work."
    )
    title: str | None = strawberry.field(default=strawberry.UNSET, description="Its title.")
    year: int | None = strawberry.field(
        default=strawberry.UNSET, description="Year of publication or completion (1900–2100)."
    )
    url: str | None = strawberry.field(default=strawberry.UNSET, description="Where to see it.")
    summary: str | None = strawberry.field(default=strawberry.UNSET, description="A short summary.")
    about: list[relay.GlobalID] | None = strawberry.field(
        default=strawberry.UNSET, description="Expertise areas; replaces the current ones."
    )
    co_authors: list[relay.GlobalID] | None = strawberry.field(
        default=strawberry.UNSET,
        description="Other civil servants who made it; replaces the current ones ([] for none).",
    )


@strawberry.type
class PortfolioItemPayload:
    portfolio_item: PortfolioItem = strawberry.field(description="The item as it is now.")


@strawberry.type
class RemovePortfolioItemPayload:
    removed_id: strawberry.ID = strawberry.field(description="The id of the item removed.")


@strawberry.type
class PortfolioMutation:
    @strawberry.mutation(
        description="Change a portfolio item (its author or an admin): fields, areas, co-authors. "
        "Co-authors see it on their own profile."
    )
    async def update_portfolio_item(
        self, info: Info, input: UpdatePortfolioItemInput
    ) -> PortfolioItemPayload | None:
        data = input_data(input, exclude=("id", "about", "co_authors"))
        record = await portfolio.update_portfolio_item(
            info.context,
            decode_id(input.id, "PortfolioItem"),
            data,
            about=decode_ids(input.about, "Expertise"),
            coauthors=decode_ids(input.co_authors, "CivilServant"),
        )
        return PortfolioItemPayload(portfolio_item=PortfolioItem.from_domain(record))

    @strawberry.mutation(description="Remove a portfolio item (its author or an admin).")
    async def remove_portfolio_item(
        self, info: Info, id: relay.GlobalID
    ) -> RemovePortfolioItemPayload | None:
        await portfolio.remove_portfolio_item(info.context, decode_id(id, "PortfolioItem"))
        return RemovePortfolioItemPayload(removed_id=strawberry.ID(str(id)))

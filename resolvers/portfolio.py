"""Portfolio editing: the author (or an admin) changes or removes an item and names its
co-authors, who then see it on their own profile."""

from __future__ import annotations

from typing import Any

from graph_db.errors import NotFound
from graph_db.records import PortfolioItem
from resolvers.context import Context
from resolvers.errors import BadUserInput
from resolvers.policy import require_self_or_admin
from resolvers.validation import validated


async def _own_item(ctx: Context, item_id: str) -> PortfolioItem:
    found = await ctx.loaders.portfolio_items.load(item_id)
    if found is None:
        raise NotFound("no such portfolio item")
    require_self_or_admin(ctx, found.author_id)
    return found


def _forget(ctx: Context, item: PortfolioItem, coauthors: list[str] | None) -> None:
    """Drop the request's cached item, its author's and co-authors' portfolios after a write."""
    for loader in (ctx.loaders.portfolio_items, ctx.loaders.about, ctx.loaders.coauthors):
        loader.clear(item.id)
    ctx.loaders.portfolio.clear(item.author_id)
    for person in coauthors or []:
        ctx.loaders.coauthored.clear(person)


async def update_portfolio_item(
    ctx: Context,
    item_id: str,
    data: dict[str, Any],
    *,
    about: list[str] | None,
    coauthors: list[str] | None,
) -> PortfolioItem:
    """Change the fields in `data` (snake_case; None clears an optional one); replace the areas
    and the co-authors when given.

    Raises:
        NotFound: no such item, an unknown area or co-author. Forbidden: not the author or an
        admin (co-authors do not edit). BadUserInput: a bad field, or the author as co-author.
    """
    current = await _own_item(ctx, item_id)
    if coauthors is not None and current.author_id in coauthors:
        raise BadUserInput(
            "the author cannot also be a co-author",
            {"fields": [{"field": "coAuthors", "message": "must not include the author"}]},
        )
    updated = validated(PortfolioItem, current.model_dump() | data)
    before = await ctx.loaders.coauthors.load(item_id)
    found = await ctx.store.update_portfolio_item(
        updated, about=about, coauthors=coauthors, change=ctx.change
    )
    _forget(ctx, found, [*before, *(coauthors or [])])
    return found


async def remove_portfolio_item(ctx: Context, item_id: str) -> None:
    """Delete an item (the author or an admin). Raises NotFound, Forbidden."""
    current = await _own_item(ctx, item_id)
    before = await ctx.loaders.coauthors.load(item_id)
    await ctx.store.remove_portfolio_item(item_id, author_id=current.author_id, change=ctx.change)
    _forget(ctx, current, before)

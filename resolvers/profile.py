"""Profile mutations: register and update civil servants, their expertise, portfolio, events."""

from __future__ import annotations

from typing import Any

from graph_db.records import (
    CivilServant,
    CivilServantCreate,
    CivilServantUpdate,
    ExpertiseClaim,
    Participation,
    PortfolioItem,
    new_id,
    utc_now,
)
from resolvers.context import Context
from resolvers.validation import validated


async def register_civil_servant(ctx: Context, data: dict[str, Any]) -> CivilServant:
    """Create a civil servant (unverified) from registration fields (snake_case keys).

    Raises:
        BadUserInput: a field is invalid. Conflict: the email is already registered.
    """
    command = validated(CivilServantCreate, data)
    return await ctx.store.create_civil_servant(command.to_record(id=new_id(), joined_at=utc_now()))


async def update_civil_servant(ctx: Context, person_id: str, data: dict[str, Any]) -> CivilServant:
    """Apply a partial profile update; keys absent from `data` stay as they are.

    Raises:
        BadUserInput: a field is invalid (e.g. an empty given name). NotFound, Conflict.
    """
    return await ctx.store.update_civil_servant(person_id, validated(CivilServantUpdate, data))


async def delete_civil_servant(ctx: Context, person_id: str) -> None:
    """Delete a civil servant, their relationships and portfolio. Raises NotFound."""
    await ctx.store.delete_civil_servant(person_id)


async def set_expertise(ctx: Context, data: dict[str, Any]) -> ExpertiseClaim:
    """Add or change a person's expertise (level 1–5, optional years).

    Raises:
        BadUserInput: level outside 1–5. NotFound: unknown person or expertise area.
    """
    return await ctx.store.set_expertise(validated(ExpertiseClaim, data))


async def remove_expertise(ctx: Context, person_id: str, expertise_id: str) -> None:
    """Remove a person's expertise. Raises NotFound if they do not hold it."""
    await ctx.store.remove_expertise(person_id, expertise_id)


async def add_portfolio_item(ctx: Context, data: dict[str, Any], about: list[str]) -> PortfolioItem:
    """Add a portfolio item authored by `data["author_id"]`, about the given expertise areas."""
    item = validated(PortfolioItem, {"id": new_id(), **data})
    return await ctx.store.add_portfolio_item(item, about=about)


async def record_participation(ctx: Context, data: dict[str, Any]) -> Participation:
    """Record (or update the role of) a person's participation in an event."""
    return await ctx.store.record_participation(validated(Participation, data))

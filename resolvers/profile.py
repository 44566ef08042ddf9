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
from resolvers.policy import require_admin, require_self_or_admin
from resolvers.validation import require_known_country, validated
from resolvers.viewer import Unauthenticated


async def register_civil_servant(ctx: Context, data: dict[str, Any]) -> CivilServant:
    """Create a civil servant (unverified) from registration fields (snake_case keys).

    A signed-in caller registers themselves: the new profile's id is their token's `sub`. An admin
    registers someone else under a new ULID.

    Raises:
        Unauthenticated: anonymous. BadUserInput: a field is invalid. Conflict: the profile or the
        email already exists.
    """
    command = validated(CivilServantCreate, data)
    await require_known_country(ctx, command.country_code)
    if ctx.viewer.is_admin:
        person_id = new_id()
    elif ctx.viewer.person_id is not None:
        person_id = ctx.viewer.person_id
    else:
        raise Unauthenticated("sign in to register")
    ctx.change.note_subject("CivilServant", person_id)
    return await ctx.store.create_civil_servant(
        command.to_record(id=person_id, joined_at=utc_now()), change=ctx.change
    )


async def update_civil_servant(ctx: Context, person_id: str, data: dict[str, Any]) -> CivilServant:
    """Apply a partial profile update; keys absent from `data` stay as they are.

    Raises:
        BadUserInput: a field is invalid (e.g. an empty given name). NotFound, Conflict.
    """
    require_self_or_admin(ctx, person_id)
    update = validated(CivilServantUpdate, data)
    await require_known_country(ctx, update.country_code)
    return await ctx.store.update_civil_servant(person_id, update, change=ctx.change)


async def verify_civil_servant(ctx: Context, person_id: str, verified: bool) -> CivilServant:
    """Admins: mark a civil servant verified (or not). Raises Forbidden, NotFound."""
    require_admin(ctx)
    if not verified:
        ctx.members.forget(person_id)
    return await ctx.store.update_civil_servant(
        person_id, CivilServantUpdate(verified=verified), change=ctx.change
    )


async def delete_civil_servant(ctx: Context, person_id: str) -> None:
    """Delete a civil servant, their relationships and portfolio (themselves or an admin). Raises NotFound."""
    require_self_or_admin(ctx, person_id)
    ctx.members.forget(person_id)
    await ctx.store.delete_civil_servant(person_id, change=ctx.change)


async def set_expertise(ctx: Context, data: dict[str, Any]) -> ExpertiseClaim:
    """Add or change a person's expertise (level 1–5, optional years).

    Raises:
        BadUserInput: level outside 1–5. NotFound: unknown person or expertise area.
    """
    require_self_or_admin(ctx, str(data.get("person_id")))
    return await ctx.store.set_expertise(validated(ExpertiseClaim, data), change=ctx.change)


async def remove_expertise(ctx: Context, person_id: str, expertise_id: str) -> None:
    """Remove a person's expertise. Raises NotFound if they do not hold it."""
    require_self_or_admin(ctx, person_id)
    await ctx.store.remove_expertise(person_id, expertise_id, change=ctx.change)


async def add_portfolio_item(ctx: Context, data: dict[str, Any], about: list[str]) -> PortfolioItem:
    """Add a portfolio item authored by `data["author_id"]`, about the given expertise areas."""
    require_self_or_admin(ctx, str(data.get("author_id")))
    item = validated(PortfolioItem, {"id": new_id(), **data})
    ctx.change.note_subject("PortfolioItem", item.id)
    return await ctx.store.add_portfolio_item(item, about=about, change=ctx.change)


async def record_participation(ctx: Context, data: dict[str, Any]) -> Participation:
    """Record (or update the role of) a person's participation in an event."""
    require_self_or_admin(ctx, str(data.get("person_id")))
    return await ctx.store.record_participation(validated(Participation, data), change=ctx.change)

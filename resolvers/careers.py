"""Editing employments and education: only the person or an admin (README, "Access policy").

Updates change only the fields given; the result is checked whole (years not in the future, an
employment's end not before its start) and any bad field is a `BadUserInput` naming it.
"""

from __future__ import annotations

from typing import Any

from graph_db.errors import NotFound
from graph_db.records import (
    CareerKey,
    Employment,
    EmploymentChange,
    Study,
    StudyChange,
    this_year,
)
from resolvers.context import Context
from resolvers.policy import require_self_or_admin
from resolvers.validation import validated


async def employment(ctx: Context, key: CareerKey) -> Employment:
    """The person's employment named `key`. Raises NotFound."""
    jobs = await ctx.loaders.employments.load(key.person_id)
    for job in jobs:
        if (job.institution_id, job.since_year) == (key.institution_id, key.year):
            return job
    raise NotFound("no such employment")


async def study(ctx: Context, key: CareerKey) -> Study:
    """The person's education entry named `key`. Raises NotFound."""
    for study in await ctx.loaders.studies.load(key.person_id):
        if (study.institution_id, study.year) == (key.institution_id, key.year):
            return study
    raise NotFound("no such education entry")


def _forget(ctx: Context, person_id: str) -> None:
    """Drop the request's cached employments and studies of `person_id` after a write."""
    ctx.loaders.employments.clear(person_id)
    ctx.loaders.studies.clear(person_id)


async def add_employment(ctx: Context, data: dict[str, Any]) -> Employment:
    """Add an employment (`person_id`, `institution_id`, `position`, `since_year`, `until_year`).

    Raises:
        Unauthenticated, Forbidden: not the person or an admin. BadUserInput: a bad field.
        NotFound: unknown person or institution. Conflict: the same institution and start year.
    """
    require_self_or_admin(ctx, str(data.get("person_id")))
    command = validated(EmploymentChange, data)
    ctx.change.note_subject("Employment", command.key.encode())
    found = await ctx.store.add_employment(command, change=ctx.change)
    _forget(ctx, found.person_id)
    return found


async def update_employment(ctx: Context, key: CareerKey, data: dict[str, Any]) -> Employment:
    """Change the fields of `data` (snake_case; `until_year` None reopens it) of one employment.

    Raises:
        As `add_employment`; NotFound: no such employment.
    """
    require_self_or_admin(ctx, key.person_id)
    current = await employment(ctx, key)
    command = validated(EmploymentChange, current.model_dump() | data)
    found = await ctx.store.replace_employment(key, command, change=ctx.change)
    _forget(ctx, key.person_id)
    return found


async def end_employment(ctx: Context, key: CareerKey, until_year: int | None) -> Employment:
    """Set the end year of an employment (this year when None): it is no longer current."""
    return await update_employment(
        ctx, key, {"until_year": this_year() if until_year is None else until_year}
    )


async def remove_employment(ctx: Context, key: CareerKey) -> None:
    """Delete one employment. Raises Forbidden, NotFound."""
    require_self_or_admin(ctx, key.person_id)
    await ctx.store.remove_employment(key, change=ctx.change)
    _forget(ctx, key.person_id)


async def add_study(ctx: Context, data: dict[str, Any]) -> Study:
    """Add an education entry (`person_id`, `institution_id`, `degree`, `year`).

    Raises:
        As `add_employment`.
    """
    require_self_or_admin(ctx, str(data.get("person_id")))
    command = validated(StudyChange, data)
    ctx.change.note_subject("Education", command.key.encode())
    found = await ctx.store.add_study(command, change=ctx.change)
    _forget(ctx, found.person_id)
    return found


async def update_study(ctx: Context, key: CareerKey, data: dict[str, Any]) -> Study:
    """Change the fields of `data` of one education entry. Raises as `update_employment`."""
    require_self_or_admin(ctx, key.person_id)
    current = await study(ctx, key)
    command = validated(StudyChange, current.model_dump() | data)
    found = await ctx.store.replace_study(key, command, change=ctx.change)
    _forget(ctx, key.person_id)
    return found


async def remove_study(ctx: Context, key: CareerKey) -> None:
    """Delete one education entry. Raises Forbidden, NotFound."""
    require_self_or_admin(ctx, key.person_id)
    await ctx.store.remove_study(key, change=ctx.change)
    _forget(ctx, key.person_id)

"""Reference-data mutations: institutions, expertise areas, events, created, corrected and merged
(admins only), and the institution hierarchy.

The reference data marks entries it is unsure of (`check: true` in `accsm.yaml`); admins correct
them with the update mutations, or merge a duplicate into the entry that stays. The rules of a
merge (what moves, how duplicates fold) are the store's (`graph_db.core.catalogue`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from graph_db.errors import InvalidInput, NotFound
from graph_db.paging import Page
from graph_db.records import Event, Expertise, Institution, MergeOutcome, ReferenceKind, new_id
from resolvers.context import Context
from resolvers.errors import BadUserInput
from resolvers.lists import Listing
from resolvers.pagination import PageArgs, cursors, page_request
from resolvers.policy import require_admin
from resolvers.validation import require_known_country, validated

T = TypeVar("T")


def slugify(name: str) -> str:
    """ASCII slug of a name for expertise ids: `"Talent management"` → `"talent-management"`."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[:100] or new_id().lower()


def _refuse(field: str, message: str) -> BadUserInput:
    return BadUserInput(message, {"fields": [{"field": field, "message": message}]})


@contextmanager
def _refused_as(field: str) -> Iterator[None]:
    """The store's `InvalidInput` (a cycle, a hierarchy too deep) as BAD_USER_INPUT on `field`."""
    try:
        yield
    except InvalidInput as exc:
        raise _refuse(field, str(exc)) from exc


async def _stored(load: Callable[[str], Awaitable[T | None]], node_id: str, what: str) -> T:
    """The record `load` finds for `node_id`. Raises NotFound("no such <what>")."""
    found = await load(node_id)
    if found is None:
        raise NotFound(f"no such {what}")
    return found


def _check_dates(event: Event) -> None:
    if event.end_date is not None and event.end_date < event.start_date:
        raise _refuse("endDate", "must not be before startDate")


async def create_institution(
    ctx: Context, data: dict[str, Any], part_of: str | None
) -> Institution:
    """Admins: create an institution with a new ULID id. Raises BadUserInput, NotFound (`part_of`)."""
    require_admin(ctx)
    institution = validated(Institution, {"id": new_id(), **data})
    await require_known_country(ctx, institution.country_code)
    ctx.change.note_subject("Institution", institution.id)
    with _refused_as("partOf"):
        return await ctx.store.create_institution(institution, part_of=part_of, change=ctx.change)


async def create_expertise(ctx: Context, data: dict[str, Any], broader: str | None) -> Expertise:
    """Admins: create an expertise area; its id is the slug of its name (BAD_USER_INPUT for a blank name).

    Raises:
        Conflict: an area with that slug exists. NotFound: unknown `broader` area.
    """
    require_admin(ctx)
    area = validated(Expertise, {"id": slugify(str(data.get("name", ""))), **data})
    ctx.change.note_subject("Expertise", area.id)
    with _refused_as("broader"):
        return await ctx.store.create_expertise(area, broader=broader, change=ctx.change)


async def create_event(ctx: Context, data: dict[str, Any], organizers: list[str]) -> Event:
    """Admins: create an event with a new ULID id, organised by the given institutions.

    Raises:
        BadUserInput: a bad field, an end before the start. NotFound: an unknown organizer.
    """
    require_admin(ctx)
    event = validated(Event, {"id": new_id(), **data})
    _check_dates(event)
    await require_known_country(ctx, event.country_code)
    ctx.change.note_subject("Event", event.id)
    return await ctx.store.create_event(event, organizers=organizers, change=ctx.change)


# ---- corrections ----
async def update_institution(
    ctx: Context, institution_id: str, data: dict[str, Any], *, part_of: list[str] | None
) -> Institution:
    """Admins: change the fields in `data` (snake_case; None clears an optional one) and, when
    `part_of` is given, the parent (`[]`: none, `[id]`: that one).

    Raises:
        NotFound: an unknown institution or parent. BadUserInput: a bad field; a parent that is
        the institution itself or one of its units, or a hierarchy deeper than 10 levels
        (`extensions.fields`: parent).
    """
    require_admin(ctx)
    current = await _stored(ctx.loaders.institutions.load, institution_id, "institution")
    if part_of is not None and institution_id in part_of:
        raise _refuse("parent", "an institution cannot be part of itself")
    updated = validated(Institution, current.model_dump() | data)
    await require_known_country(ctx, updated.country_code)
    with _refused_as("parent"):
        record = await ctx.store.update_institution(updated, part_of=part_of, change=ctx.change)
    ctx.loaders.institutions.clear(institution_id)
    ctx.loaders.parents.clear(institution_id)
    return record


async def update_expertise(
    ctx: Context, expertise_id: str, data: dict[str, Any], *, broader: list[str] | None
) -> Expertise:
    """Admins: change an area's name or description (its id stays), and its broader areas when
    `broader` is given (replacing them).

    Raises:
        NotFound: an unknown area. BadUserInput: a bad field; a broader area that is the area or
        a narrower one of it, or a taxonomy deeper than 10 levels (`extensions.fields`: broader).
    """
    require_admin(ctx)
    current = await _stored(ctx.loaders.expertise.load, expertise_id, "expertise area")
    if broader is not None and expertise_id in broader:
        raise _refuse("broader", "an area cannot be broader than itself")
    updated = validated(Expertise, current.model_dump() | data)
    with _refused_as("broader"):
        record = await ctx.store.update_expertise(updated, broader=broader, change=ctx.change)
    for loader in (ctx.loaders.expertise, ctx.loaders.broader, ctx.loaders.narrower):
        loader.clear(expertise_id)
    return record


async def update_event(
    ctx: Context, event_id: str, data: dict[str, Any], *, organizers: list[str] | None
) -> Event:
    """Admins: change an event's fields, and its organizers when given (replacing them).

    Raises:
        NotFound: an unknown event or organizer. BadUserInput: a bad field, an end before the
        start, an unknown country.
    """
    require_admin(ctx)
    current = await _stored(ctx.loaders.events.load, event_id, "event")
    updated = validated(Event, current.model_dump() | data)
    _check_dates(updated)
    await require_known_country(ctx, updated.country_code)
    record = await ctx.store.update_event(updated, organizers=organizers, change=ctx.change)
    ctx.loaders.events.clear(event_id)
    ctx.loaders.organizers.clear(event_id)
    return record


async def merge(ctx: Context, kind: ReferenceKind, source_id: str, target_id: str) -> MergeOutcome:
    """Admins: merge the `kind` record `source_id` into `target_id` (see
    `graph_db.port.catalogue.CatalogueStore.merge_reference` for what moves and folds).

    Raises:
        BadUserInput: the same record twice (`extensions.fields`: target), or a merge that would
            make a hierarchy cyclic or too deep (source).
        NotFound: an unknown source or target.
    """
    require_admin(ctx)
    if source_id == target_id:
        raise _refuse("target", "cannot merge a record into itself")
    with _refused_as("source"):
        outcome = await ctx.store.merge_reference(
            kind, source_id=source_id, target_id=target_id, change=ctx.change
        )
    ctx.loaders.clear_all()
    return outcome


# ---- the hierarchy ----
async def units_of(ctx: Context, institution_id: str, args: PageArgs) -> Listing[Institution]:
    """Institutions directly part of this one, by name then id (public, like all reference data)."""
    ordering = "units"
    request = page_request(ordering, args, ctx.page_sizes, key_type=str)
    page: Page[Institution] = await ctx.loaders.units.load((institution_id, request))
    return Listing(
        page, cursors(ordering, page), lambda: ctx.loaders.unit_counts.load(institution_id)
    )

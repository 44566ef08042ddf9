"""Reference-data mutations: institutions, expertise areas, events."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from graph_db.records import Event, Expertise, Institution, new_id
from resolvers.context import Context
from resolvers.policy import require_admin
from resolvers.validation import require_known_country, validated


def slugify(name: str) -> str:
    """ASCII slug of a name for expertise ids: `"Talent management"` → `"talent-management"`."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[:100] or new_id().lower()


async def create_institution(
    ctx: Context, data: dict[str, Any], part_of: str | None
) -> Institution:
    """Admins: create an institution with a new ULID id. Raises BadUserInput, NotFound (`part_of`)."""
    require_admin(ctx)
    institution = validated(Institution, {"id": new_id(), **data})
    await require_known_country(ctx, institution.country_code)
    ctx.change.note_subject("Institution", institution.id)
    return await ctx.store.create_institution(institution, part_of=part_of, change=ctx.change)


async def create_expertise(ctx: Context, data: dict[str, Any], broader: str | None) -> Expertise:
    """Admins: create an expertise area; its id is the slug of its name (BAD_USER_INPUT for a blank name).

    Raises:
        Conflict: an area with that slug exists. NotFound: unknown `broader` area.
    """
    require_admin(ctx)
    area = validated(Expertise, {"id": slugify(str(data.get("name", ""))), **data})
    ctx.change.note_subject("Expertise", area.id)
    return await ctx.store.create_expertise(area, broader=broader, change=ctx.change)


async def create_event(ctx: Context, data: dict[str, Any], organizers: list[str]) -> Event:
    """Admins: create an event with a new ULID id, organised by the given institutions."""
    require_admin(ctx)
    event = validated(Event, {"id": new_id(), **data})
    await require_known_country(ctx, event.country_code)
    ctx.change.note_subject("Event", event.id)
    return await ctx.store.create_event(event, organizers=organizers, change=ctx.change)

"""Top-level lists (civil servants, reference data) and paginated relationship fields."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Generic, TypeVar

from graph_db.paging import Page, PersonOrderField, SortDirection
from graph_db.port import Reference
from graph_db.records import (
    CivilServant,
    ConnectionEdge,
    Employment,
    ExpertiseClaim,
    PersonFilter,
    ReferenceFilter,
    ReferenceKind,
)
from resolvers.context import Context
from resolvers.pagination import PageArgs, cursors, page_request
from resolvers.policy import require_member

T = TypeVar("T")


@dataclass(frozen=True)
class Listing(Generic[T]):
    """A page ready for a Relay connection: rows, their cursors, and a lazy total count.

    `count` runs a store query only when awaited, i.e. only when `totalCount` is selected.
    """

    page: Page[T]
    cursors: list[str]
    count: Callable[[], Awaitable[int]]


async def list_people(
    ctx: Context,
    *,
    filter: PersonFilter,
    order: PersonOrderField,
    direction: SortDirection,
    args: PageArgs,
) -> Listing[CivilServant]:
    """A page of civil servants (verified members only); primes the people loader with the rows."""
    await require_member(ctx)
    ordering = f"people:{order.value}:{direction.value}"
    key_type = datetime if order is PersonOrderField.JOINED_AT else str
    request = page_request(ordering, args, ctx.page_sizes, key_type=key_type)
    page = await ctx.store.list_people(
        filter=filter, order=order, direction=direction, page=request
    )
    ctx.loaders.prime_people(page.items)
    return Listing(page, cursors(ordering, page), lambda: ctx.store.count_people(filter=filter))


async def list_reference(
    ctx: Context, *, kind: ReferenceKind, filter: ReferenceFilter, args: PageArgs
) -> Listing[Reference]:
    """A page of countries, institutions, expertise areas or events."""
    ordering = f"reference:{kind.value}"
    key_type = date if kind is ReferenceKind.EVENT else str
    request = page_request(ordering, args, ctx.page_sizes, key_type=key_type)
    page = await ctx.store.list_reference(kind=kind, filter=filter, page=request)
    return Listing(
        page, cursors(ordering, page), lambda: ctx.store.count_reference(kind=kind, filter=filter)
    )


async def connections_of(ctx: Context, person_id: str, args: PageArgs) -> Listing[ConnectionEdge]:
    """A person's connections, newest first (LDBC IS3 order), batched across people."""
    await require_member(ctx)
    ordering = "connections"
    request = page_request(ordering, args, ctx.page_sizes, key_type=datetime)
    page: Page[ConnectionEdge] = await ctx.loaders.connections.load((person_id, request))
    return Listing(
        page, cursors(ordering, page), lambda: ctx.loaders.connection_counts.load(person_id)
    )


async def members_of(ctx: Context, institution_id: str, args: PageArgs) -> Listing[Employment]:
    """People who work or worked at an institution, by person id."""
    await require_member(ctx)
    ordering = "members"
    request = page_request(ordering, args, ctx.page_sizes, key_type=str)
    page: Page[Employment] = await ctx.loaders.members.load((institution_id, request))
    return Listing(
        page, cursors(ordering, page), lambda: ctx.loaders.member_counts.load(institution_id)
    )


async def experts_in(ctx: Context, expertise_id: str, args: PageArgs) -> Listing[ExpertiseClaim]:
    """People who hold exactly this area, by level descending then id."""
    await require_member(ctx)
    ordering = "experts"
    request = page_request(ordering, args, ctx.page_sizes, key_type=int)
    page: Page[ExpertiseClaim] = await ctx.loaders.experts.load((expertise_id, request))
    return Listing(
        page, cursors(ordering, page), lambda: ctx.loaders.expert_counts.load(expertise_id)
    )

"""Top-level lists (civil servants, reference data) and paginated relationship fields."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Generic, TypeVar

from graph_db.paging import Page, PageRequest, PersonOrderField, SortDirection
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
from resolvers.errors import ApiError
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
    request = _connections_request(ctx, args)
    page: Page[ConnectionEdge] = await ctx.loaders.connections.load((person_id, request))
    return Listing(
        page, cursors(CONNECTIONS, page), lambda: ctx.loaders.connection_counts.load(person_id)
    )


CONNECTIONS = "connections"
"""The ordering bound into connection cursors (since descending, then id)."""


def _connections_request(ctx: Context, args: PageArgs) -> PageRequest:
    return page_request(CONNECTIONS, args, ctx.page_sizes, key_type=datetime)


async def prefetch_neighbourhood(ctx: Context, person_id: str, args: PageArgs) -> None:
    """Read a profile and the first page of its connections (`args`, as `connections_of` takes
    them) with each one's employments, expertise, institutions and countries in one store call
    (`GraphStore.neighbourhood`: one round trip on Neo4j), and seed the request's loaders with it.

    A look-ahead: the fields then resolve from the loaders, with their own access checks. When
    the caller may not list connections or `args` are invalid it reads nothing: the
    `connections` field then raises the error itself.
    """
    try:
        await require_member(ctx)
        request = _connections_request(ctx, args)
    except ApiError:
        return
    ctx.loaders.prime_neighbourhood(await ctx.store.neighbourhood(person_id, page=request), request)


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

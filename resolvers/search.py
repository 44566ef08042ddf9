"""Ranked search over people and institutions (README, "Search"): a page of hits by relevance,
and the number of hits by country and expertise area.

A page costs one store round trip; `totalCount` and `facets` share a second one, made only when
either is selected (and once when both are).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from graph_db.records import (
    MAX_QUERY_CHARS,
    SearchFacets,
    SearchFilter,
    SearchHit,
    SearchQuery,
    SearchViewer,
)
from resolvers.context import Context
from resolvers.errors import BadUserInput
from resolvers.lists import Listing
from resolvers.pagination import PageArgs, cursors, page_request
from resolvers.policy import require_member
from resolvers.validation import validated

T = TypeVar("T")


class Once(Generic[T]):
    """An awaitable made on first use and shared after: every caller awaits the same task."""

    def __init__(self, make: Callable[[], Awaitable[T]]) -> None:
        self._make = make
        self._task: asyncio.Future[T] | None = None

    def __call__(self) -> Awaitable[T]:
        if self._task is None:
            self._task = asyncio.ensure_future(self._make())
        return self._task


@dataclass(frozen=True)
class SearchListing:
    """A page of hits ready for a connection (`listing.count` is the facets' total), and the facet
    counts (one store read when first awaited, shared by `totalCount` and `facets`)."""

    listing: Listing[SearchHit]
    facets: Once[SearchFacets]


def search_query(text: str) -> SearchQuery:
    """Validate what the user typed.

    Raises:
        BadUserInput: no word in it, more than `MAX_QUERY_WORDS` words, or longer than
            `MAX_QUERY_CHARS` characters (then with `extensions.limit` = "query" and `max`).
    """
    if len(text) > MAX_QUERY_CHARS:
        message = f"at most {MAX_QUERY_CHARS} characters"
        raise BadUserInput(
            f"invalid input: query: {message}",
            {
                "fields": [{"field": "query", "message": message}],
                "limit": "query",
                "max": MAX_QUERY_CHARS,
            },
        )
    return validated(SearchQuery, {"text": text}, names={"text": "query"})


def _ordering(query: SearchQuery, filter: SearchFilter) -> str:
    """The cursor's ordering name: a cursor of one query and filter is refused under another."""
    key = json.dumps([query.tokens, filter.model_dump(mode="json")], sort_keys=True)
    return "search:" + hashlib.sha256(key.encode()).hexdigest()[:16]


async def search(ctx: Context, *, text: str, filter: SearchFilter, args: PageArgs) -> SearchListing:
    """A page of hits for `text` (verified members only; forward pages: `first`, `after`).

    Hits are people and institutions holding every word, by score descending, then id. A NETWORK
    profile outside the caller's network matches on its names only (README, "Access policy").
    The people and institutions loaders are primed with the hits.

    Raises:
        Unauthenticated, Forbidden: as `require_member`.
        BadUserInput: see `search_query`; bad cursor or page size (`page_request`).
    """
    await require_member(ctx)
    query = search_query(text)
    ordering = _ordering(query, filter)
    request = page_request(ordering, args, ctx.page_sizes, key_type=float)
    viewer = SearchViewer(person_id=ctx.viewer.person_id, sees_all=ctx.viewer.is_admin)
    page = await ctx.store.search(query=query, filter=filter, viewer=viewer, page=request)
    ctx.loaders.prime_people([h.person for h in page.items if h.person])
    for hit in page.items:
        if hit.institution:
            ctx.loaders.institutions.prime(hit.institution.id, hit.institution)
    facets = Once(lambda: ctx.store.search_facets(query=query, filter=filter, viewer=viewer))

    async def count() -> int:
        return (await facets()).total

    return SearchListing(Listing(page, cursors(ordering, page), count), facets)

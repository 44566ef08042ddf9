"""Relay cursor connections: generic `Connection` / edge types and a builder from a `Listing`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

import strawberry
from strawberry import relay

from resolvers.lists import Listing

EdgeT = TypeVar("EdgeT")
NodeT = TypeVar("NodeT")


@strawberry.type(description="An edge in a connection: a node and its cursor.")
class Edge(Generic[NodeT]):
    cursor: str = strawberry.field(description="Opaque keyset cursor of this edge.")
    node: NodeT


@strawberry.type(description="A page of a list (Relay cursor connection).")
class Connection(Generic[EdgeT]):
    edges: list[EdgeT]
    page_info: relay.PageInfo
    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="Number of items in the whole list; computed only when selected.")
    async def total_count(self) -> int:
        return await self.count()


def page_info(listing: Listing[Any]) -> relay.PageInfo:
    """Relay `PageInfo` of a listing."""
    return relay.PageInfo(
        has_next_page=listing.page.has_next,
        has_previous_page=listing.page.has_previous,
        start_cursor=listing.cursors[0] if listing.cursors else None,
        end_cursor=listing.cursors[-1] if listing.cursors else None,
    )


C = TypeVar("C")


def build_connection(
    cls: Callable[..., C], listing: Listing[Any], edge: Callable[[Any, str], Any]
) -> C:
    """Build connection type `cls` from a listing; `edge(item, cursor)` makes each edge."""
    edges = [
        edge(item, cursor) for item, cursor in zip(listing.page.items, listing.cursors, strict=True)
    ]
    return cls(edges=edges, page_info=page_info(listing), count=listing.count)

"""Keyset pagination shared by both adapters: page requests, page results, sort orders.

A page walks an ordered list by its sort key plus `id` as tie-breaker (DESIGN.md: "keyset cursors
on the sort key plus id"), so inserts and deletes between requests never shift a page. Adapters
fetch `limit + 1` rows past the key and hand them to `finish_page`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Generic, TypeVar

T = TypeVar("T")

SortValue = str | int | float | datetime | date | None
"""A sort-key value as kept in a cursor: names are str, timestamps datetime."""


class SortDirection(StrEnum):
    """Ascending or descending order of the sort key (the `id` tie-breaker follows it)."""

    ASC = "ASC"
    DESC = "DESC"


class PersonOrderField(StrEnum):
    """Sort keys for lists of civil servants. NAME sorts by family name, else the single name."""

    NAME = "NAME"
    JOINED_AT = "JOINED_AT"


class NameOrderField(StrEnum):
    """Sort key for reference lists (institutions, expertise, events, countries): folded name."""

    NAME = "NAME"


@dataclass(frozen=True, slots=True)
class PageRequest:
    """One page of a keyset walk.

    Attributes:
        limit: rows wanted (1..cap, enforced by the caller).
        after: exclusive start key `(sort value, id)` in walk order, or None for the first page.
        backward: walk in reverse order (Relay `last`/`before`); rows still come back in list order.
    """

    limit: int
    after: tuple[SortValue, str] | None = None
    backward: bool = False


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """A page of items in list order, with the key of each (for cursors) and neighbour flags."""

    items: list[T]
    keys: list[tuple[SortValue, str]]
    has_next: bool
    has_previous: bool
    extra: dict[str, object] = field(default_factory=dict)


def natural_id(id_: str) -> tuple[int, str]:
    """A sort key that orders ids naturally: numeric LDBC ids by value (shorter first), ULIDs as
    they are (all 26 characters). The last key of LDBC's orders (IC1: distance, last name, id)."""
    return (len(id_), id_)


def network_search_key(
    distance: int, family_name: str | None, given_name: str, id_: str
) -> tuple[int, str, tuple[int, str]]:
    """The order of a network search's people (LDBC IC1): distance (hops), last name (the single
    name where there is none), then `natural_id`."""
    return (distance, family_name or given_name, natural_id(id_))


def walk_descending(direction: SortDirection, request: PageRequest) -> bool:
    """True when the query must order rows descending to produce this page (direction xor backward)."""
    return (direction is SortDirection.DESC) != request.backward


def finish_page(rows: list[tuple[T, tuple[SortValue, str]]], request: PageRequest) -> Page[T]:
    """Turn up to `limit + 1` rows fetched in walk order into a `Page` in list order.

    Args:
        rows: `(item, key)` pairs in walk order (reversed for backward pages), at most limit + 1.
        request: the page request the rows were fetched for.

    Returns:
        The page. `has_next`/`has_previous` follow Relay's cursor-connection rules: the flag in
        the walk direction is exact (an extra row was found), the other one is True when the walk
        started from a cursor.
    """
    more = len(rows) > request.limit
    rows = rows[: request.limit]
    if request.backward:
        rows.reverse()
    items = [r[0] for r in rows]
    keys = [r[1] for r in rows]
    started_inside = request.after is not None
    if request.backward:
        return Page(items, keys, has_next=started_inside, has_previous=more)
    return Page(items, keys, has_next=more, has_previous=started_inside)

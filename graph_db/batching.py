"""Helpers both adapters use to align batched query rows to the keys they were asked for."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from graph_db.paging import Page, PageRequest, SortValue, finish_page

T = TypeVar("T")
Row = Sequence[Any]


def group_rows(keys: Sequence[str], rows: Iterable[Row], make: Callable[[Row], T]) -> list[list[T]]:
    """Group rows whose first column is a key into one list per key, aligned to `keys`.

    Rows keep their query order within a key; keys with no rows get `[]`.
    """
    grouped: dict[str, list[T]] = defaultdict(list)
    for row in rows:
        grouped[row[0]].append(make(row))
    return [grouped.get(k, []) for k in keys]


def align(keys: Sequence[str], found: dict[str, T]) -> list[T | None]:
    """`[found.get(k) for k in keys]`: the DataLoader contract (None where missing)."""
    return [found.get(k) for k in keys]


def page_rows(
    keys: Sequence[str],
    rows: Iterable[Row],
    request: PageRequest,
    make: Callable[[Row], T],
    key_of: Callable[[Row], tuple[SortValue, str]],
) -> list[Page[T]]:
    """Per-key keyset pages from rows grouped by their first column, in walk order.

    Args:
        keys: the batch keys, e.g. person ids.
        rows: rows `(key, ...)` already filtered past the cursor and sorted by key, then walk order.
        request: the page request shared by every key.
        make: builds an item from a row.
        key_of: the row's `(sort value, id)` for its cursor.

    Returns:
        One `Page` per key, aligned to `keys`.
    """
    grouped: dict[str, list[tuple[T, tuple[SortValue, str]]]] = defaultdict(list)
    for row in rows:
        bucket = grouped[row[0]]
        if len(bucket) <= request.limit:
            bucket.append((make(row), key_of(row)))
    return [finish_page(grouped.get(k, []), request) for k in keys]

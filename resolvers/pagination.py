"""Relay `first/after/last/before` arguments → a `PageRequest`, with the page-size cap."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graph_db.paging import Page, PageRequest
from resolvers.cursors import decode_cursor, encode_cursor
from resolvers.errors import BadUserInput, LimitExceeded


@dataclass(frozen=True, slots=True)
class PageSizes:
    """Page sizes of every connection, from settings (`EXPECS_DEFAULT_PAGE_SIZE`, which the query
    cost limit counts as well, and `EXPECS_MAX_PAGE_SIZE`; DESIGN.md: "`first` is capped").

    Attributes:
        default: rows when neither `first` nor `last` is given.
        max: the largest `first` / `last`.
    """

    default: int
    max: int


@dataclass(frozen=True, slots=True)
class PageArgs:
    """Relay connection arguments as the client sent them."""

    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None


def page_request(
    ordering: str, args: PageArgs, sizes: PageSizes, *, key_type: type | None = None
) -> PageRequest:
    """Validate connection arguments and build the keyset page request.

    Args:
        ordering: the list and its sort order, bound into cursors (e.g. `"people:NAME:ASC"`).
        args: the client's arguments; with neither size, the first `sizes.default` rows.
        sizes: the default page size and the cap on `first` / `last` (settings, via the context).
        key_type: the type of the sort key (cursors with another type are refused).

    Returns:
        The page request (rows, keyset cursor, direction).

    Raises:
        BadUserInput: negative sizes, `first` with `last`, `after` with `before`, bad cursors.
        LimitExceeded: `first` or `last` above `sizes.max`.
    """
    max_size = sizes.max
    if args.first is not None and args.last is not None:
        raise BadUserInput("use either first or last, not both")
    if args.after is not None and args.before is not None:
        raise BadUserInput("use either after or before, not both")
    for name, size in (("first", args.first), ("last", args.last)):
        if size is not None and size < 0:
            raise BadUserInput(f"{name} must not be negative")
        if size is not None and size > max_size:
            raise LimitExceeded(
                f"{name} must be at most {max_size}", {"limit": name, "max": max_size}
            )
    backward = args.last is not None or args.before is not None
    limit = args.last if backward and args.last is not None else args.first
    cursor = args.before if backward else args.after
    return PageRequest(
        limit=sizes.default if limit is None else limit,
        after=decode_cursor(ordering, cursor, key_type) if cursor else None,
        backward=backward,
    )


def cursors(ordering: str, page: Page[Any]) -> list[str]:
    """Cursors of the page's rows, in list order."""
    return [encode_cursor(ordering, key) for key in page.keys]

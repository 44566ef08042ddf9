"""Page arguments, the page-size cap, and how fetched rows become a Relay page."""

from __future__ import annotations

import pytest

from graph_db.paging import PageRequest, SortDirection, finish_page, walk_descending
from resolvers.cursors import encode_cursor
from resolvers.errors import BadUserInput, LimitExceeded
from resolvers.pagination import PageArgs, PageSizes, page_request

SIZES = PageSizes(default=7, max=30)


def rows(n: int) -> list[tuple[str, tuple[str, str]]]:
    return [(f"item{i}", (f"k{i}", str(i))) for i in range(n)]


def test_forward_page_with_extra_row_has_next() -> None:
    page = finish_page(rows(4), PageRequest(limit=3))
    assert page.items == ["item0", "item1", "item2"]
    assert (page.has_next, page.has_previous) == (True, False)


def test_forward_page_from_cursor_has_previous() -> None:
    page = finish_page(rows(2), PageRequest(limit=3, after=("k", "x")))
    assert (page.has_next, page.has_previous) == (False, True)


def test_backward_page_is_returned_in_list_order() -> None:
    # Rows arrive in walk order (reversed); the page lists them in list order.
    page = finish_page(
        [*reversed(rows(3)), ("extra", ("k", "9"))], PageRequest(limit=3, backward=True)
    )
    assert page.items == ["item0", "item1", "item2"]
    assert page.keys[0] == ("k0", "0")
    assert (page.has_next, page.has_previous) == (False, True)


@pytest.mark.parametrize(
    ("direction", "backward", "descending"),
    [
        (SortDirection.ASC, False, False),
        (SortDirection.ASC, True, True),
        (SortDirection.DESC, False, True),
        (SortDirection.DESC, True, False),
    ],
)
def test_walk_direction(direction: SortDirection, backward: bool, descending: bool) -> None:
    assert walk_descending(direction, PageRequest(limit=1, backward=backward)) is descending


def test_defaults_and_cap() -> None:
    assert page_request("o", PageArgs(), SIZES).limit == SIZES.default
    assert page_request("o", PageArgs(before=encode_cursor("o", ("k", "1"))), SIZES).limit == 7
    assert page_request("o", PageArgs(first=SIZES.max), SIZES).limit == SIZES.max
    assert page_request("o", PageArgs(last=SIZES.max), SIZES).limit == SIZES.max
    with pytest.raises(LimitExceeded):
        page_request("o", PageArgs(first=SIZES.max + 1), SIZES)
    with pytest.raises(LimitExceeded):
        page_request("o", PageArgs(last=SIZES.max + 1), SIZES)


@pytest.mark.parametrize(
    "args",
    [
        PageArgs(first=-1),
        PageArgs(first=1, last=1),
        PageArgs(after="a", before="b"),
        PageArgs(first=2, after="zzz"),
    ],
)
def test_bad_arguments(args: PageArgs) -> None:
    with pytest.raises(BadUserInput):
        page_request("o", args, SIZES)


def test_before_cursor_walks_backward() -> None:
    request = page_request("o", PageArgs(last=5, before=encode_cursor("o", ("k", "1"))), SIZES)
    assert request == PageRequest(limit=5, after=("k", "1"), backward=True)

"""Portfolio editing and co-authors (the author adds items through `PeopleStore`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from graph_db.audit import Change
from graph_db.records import PortfolioItem


class PortfolioStore(Protocol):
    """Co-authors of portfolio items, and the author's edits."""

    async def coauthors_of(self, item_ids: Sequence[str]) -> list[list[str]]:
        """Each item's co-authors' ids, sorted (the author is not among them)."""
        ...

    async def coauthored_by(self, person_ids: Sequence[str]) -> list[list[PortfolioItem]]:
        """Items each person co-authored (with their author), newest year first, then id."""
        ...

    async def update_portfolio_item(
        self,
        item: PortfolioItem,
        *,
        about: Sequence[str] | None,
        coauthors: Sequence[str] | None,
        change: Change,
    ) -> PortfolioItem:
        """Rewrite an item's fields; replace its areas (`about`) and co-authors when not None.

        Raises:
            InvalidInput: the author is among the co-authors.
            NotFound: no such item by `item.author_id`, an unknown co-author or area.
        """
        ...

    async def remove_portfolio_item(self, item_id: str, *, author_id: str, change: Change) -> None:
        """Delete an item of `author_id` with its links. Raises `NotFound`."""
        ...

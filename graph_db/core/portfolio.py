"""Portfolio editing and co-authors, written once for both stores (`graph_db.port.portfolio`).

A portfolio item has one author (AUTHORED, who edits it) and any number of co-authors
(CO_AUTHORED, other civil servants), who see it on their own profile; the ASCC indicators count
an item authored and co-authored from several countries as collaborative.
"""

from __future__ import annotations

from collections.abc import Sequence

from graph_db import properties as P
from graph_db.audit import Change
from graph_db.batching import group_rows
from graph_db.core import cypher as C
from graph_db.core.base import StoreBase, Transaction, require, require_people
from graph_db.errors import InvalidInput, NotFound
from graph_db.records import PortfolioItem


class Portfolio(StoreBase):
    """Reads and writes of `graph_db.port.portfolio.PortfolioStore`."""

    async def coauthors_of(self, item_ids: Sequence[str]) -> list[list[str]]:
        rows = await self._read(C.COAUTHORS_OF, {"ids": list(item_ids)})
        return group_rows(item_ids, rows, lambda r: r[1])

    async def coauthored_by(self, person_ids: Sequence[str]) -> list[list[PortfolioItem]]:
        rows = await self._read(C.COAUTHORED_BY, {"ids": list(person_ids)})
        grouped = group_rows(person_ids, rows, lambda r: P.portfolio_from_props(r[1], r[2]))
        return [sorted(g, key=lambda p: (-(p.year or 0), p.id)) for g in grouped]

    async def update_portfolio_item(
        self,
        item: PortfolioItem,
        *,
        about: Sequence[str] | None,
        coauthors: Sequence[str] | None,
        change: Change,
    ) -> PortfolioItem:
        if coauthors is not None and item.author_id in coauthors:
            raise InvalidInput("the author cannot also be a co-author")

        async def work(tx: Transaction) -> PortfolioItem:
            await require_people(tx, [item.author_id, *(coauthors or [])])
            stored = await tx.run(C.PORTFOLIO_AUTHORS, {"ids": [item.id]})
            if not stored or stored[0][1] != item.author_id:
                raise NotFound("no such portfolio item")
            if about is not None:
                await require(tx, "Expertise", about, "expertise area")
            await tx.run(C.UPDATE_PORTFOLIO_ITEM, P.portfolio_props(item))
            if about is not None:
                await tx.run(C.UNLINK_ABOUT, {"id": item.id})
                if about:
                    await tx.run(C.LINK_ABOUT, {"id": item.id, "about": sorted(set(about))})
            if coauthors is not None:
                await tx.run(C.UNLINK_COAUTHORS, {"id": item.id})
                if coauthors:
                    params = {"id": item.id, "coAuthors": sorted(set(coauthors))}
                    await tx.run(C.LINK_COAUTHORS, params)
            return item

        return await self._write(work, change=change)

    async def remove_portfolio_item(self, item_id: str, *, author_id: str, change: Change) -> None:
        async def work(tx: Transaction) -> None:
            await require_people(tx, [author_id])
            stored = await tx.run(C.PORTFOLIO_AUTHORS, {"ids": [item_id]})
            if not stored or stored[0][1] != author_id:
                raise NotFound("no such portfolio item")
            await tx.run(C.DELETE_PORTFOLIO_ITEM, {"id": item_id})

        await self._write(work, change=change)

"""Store reads that are the same on both adapters, given each one's queries and property reader.

Both Cypher dialects keep their own `queries.py` (STYLE.md: no shared query strings); what is shared
here is the Python around them: parameters, row mapping and alignment to the batch keys. An
adapter mixes this in and sets `_queries` (its queries module) and `_props` (node → property dict).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

from graph_db import properties as P
from graph_db.batching import align, group_rows, page_rows
from graph_db.paging import Page, PageRequest, finish_page
from graph_db.records import (
    CivilServant,
    Country,
    Employment,
    Event,
    Expertise,
    ExpertiseClaim,
    Institution,
    Participation,
    PortfolioItem,
    ReferenceFilter,
    ReferenceKind,
    fold,
)

Rows = list[list[Any]]


def employment_order(e: Employment) -> tuple[bool, int, str]:
    """Current employments first, then newest `since` first, then institution id."""
    return (e.until_year is not None, -(e.since_year or 0), e.institution_id)


class SharedReads:
    """Batch reads by id, reference lists, relationship lists and counts (see the port)."""

    _queries: ModuleType
    _props: Callable[[Any], dict[str, Any]]

    if TYPE_CHECKING:

        async def _read(self, query: str, params: dict[str, Any] | None = None) -> Rows: ...
        def _after(self, page: PageRequest) -> dict[str, Any]: ...

    async def _get(self, label: str, ids: Sequence[str]) -> list[Any]:
        rows = await self._read(self._queries.GET_BY_IDS[label], {"ids": list(ids)})
        make = P.FROM_PROPS[label]
        return align(ids, {r[0]["id"]: make(self._props(r[0])) for r in rows})

    async def get_people(self, ids: Sequence[str]) -> list[CivilServant | None]:
        return await self._get("CivilServant", ids)

    async def get_countries(self, ids: Sequence[str]) -> list[Country | None]:
        return await self._get("Country", ids)

    async def get_institutions(self, ids: Sequence[str]) -> list[Institution | None]:
        return await self._get("Institution", ids)

    async def get_expertise(self, ids: Sequence[str]) -> list[Expertise | None]:
        return await self._get("Expertise", ids)

    async def get_events(self, ids: Sequence[str]) -> list[Event | None]:
        return await self._get("Event", ids)

    async def get_portfolio_items(self, ids: Sequence[str]) -> list[PortfolioItem | None]:
        rows = await self._read(self._queries.GET_BY_IDS["PortfolioItem"], {"ids": list(ids)})
        authors = dict(await self._read(self._queries.PORTFOLIO_AUTHORS, {"ids": list(ids)}))
        found = {
            r[0]["id"]: P.portfolio_from_props(self._props(r[0]), authors[r[0]["id"]]) for r in rows
        }
        return align(ids, found)

    @staticmethod
    def _reference_filter(kind: ReferenceKind, f: ReferenceFilter) -> dict[str, Any]:
        params: dict[str, Any] = {"text": fold(f.name_contains) if f.name_contains else None}
        if kind in (ReferenceKind.INSTITUTION, ReferenceKind.EVENT):
            params["country"] = f.country_code
        if kind is ReferenceKind.EXPERTISE:
            params["topLevel"] = f.top_level
        return params

    async def list_reference(
        self, *, kind: ReferenceKind, filter: ReferenceFilter, page: PageRequest
    ) -> Page[Country | Institution | Expertise | Event]:
        query = self._queries.LIST_REFERENCE[(kind, page.backward)]
        rows = await self._read(query, self._reference_filter(kind, filter) | self._after(page))
        make = P.FROM_PROPS[kind.value]
        return finish_page([(make(self._props(r[0])), (r[1], r[0]["id"])) for r in rows], page)

    async def count_reference(self, *, kind: ReferenceKind, filter: ReferenceFilter) -> int:
        rows = await self._read(
            self._queries.COUNT_REFERENCE[kind], self._reference_filter(kind, filter)
        )
        return int(rows[0][0])

    async def employments_of(self, person_ids: Sequence[str]) -> list[list[Employment]]:
        rows = await self._read(self._queries.EMPLOYMENTS_OF, {"ids": list(person_ids)})
        grouped = group_rows(
            person_ids,
            rows,
            lambda r: Employment(
                person_id=r[0], institution_id=r[1], position=r[2], since_year=r[3], until_year=r[4]
            ),
        )
        return [sorted(g, key=employment_order) for g in grouped]

    async def portfolio_of(self, person_ids: Sequence[str]) -> list[list[PortfolioItem]]:
        rows = await self._read(self._queries.PORTFOLIO_OF, {"ids": list(person_ids)})
        grouped = group_rows(
            person_ids, rows, lambda r: P.portfolio_from_props(self._props(r[1]), r[0])
        )
        return [sorted(g, key=lambda p: (-(p.year or 0), p.id)) for g in grouped]

    async def about_of(self, item_ids: Sequence[str]) -> list[list[str]]:
        return group_rows(
            item_ids,
            await self._read(self._queries.ABOUT_OF, {"ids": list(item_ids)}),
            lambda r: r[1],
        )

    async def participations_of(self, person_ids: Sequence[str]) -> list[list[Participation]]:
        rows = await self._read(self._queries.PARTICIPATIONS_OF, {"ids": list(person_ids)})
        return group_rows(
            person_ids, rows, lambda r: Participation(person_id=r[0], event_id=r[1], role=r[2])
        )

    async def participants_of(self, event_ids: Sequence[str]) -> list[list[Participation]]:
        rows = await self._read(self._queries.PARTICIPANTS_OF, {"ids": list(event_ids)})
        return group_rows(
            event_ids, rows, lambda r: Participation(person_id=r[1], event_id=r[0], role=r[2])
        )

    async def organizers_of(self, event_ids: Sequence[str]) -> list[list[str]]:
        return group_rows(
            event_ids,
            await self._read(self._queries.ORGANIZERS_OF, {"ids": list(event_ids)}),
            lambda r: r[1],
        )

    async def _counts(self, query: str, ids: Sequence[str]) -> list[int]:
        counts = {r[0]: int(r[1]) for r in await self._read(query, {"ids": list(ids)})}
        return [counts.get(k, 0) for k in ids]

    async def connection_counts(self, person_ids: Sequence[str]) -> list[int]:
        return await self._counts(self._queries.CONNECTION_COUNTS, person_ids)

    async def member_counts(self, institution_ids: Sequence[str]) -> list[int]:
        return await self._counts(self._queries.MEMBER_COUNTS, institution_ids)

    async def expert_counts(self, expertise_ids: Sequence[str]) -> list[int]:
        return await self._counts(self._queries.EXPERT_COUNTS, expertise_ids)

    async def members_of(
        self, institution_ids: Sequence[str], *, page: PageRequest
    ) -> list[Page[Employment]]:
        rows = await self._read(
            self._queries.MEMBERS_OF[page.backward],
            {"ids": list(institution_ids)} | self._after(page),
        )
        return page_rows(
            institution_ids,
            rows,
            page,
            lambda r: Employment(
                person_id=r[1], institution_id=r[0], position=r[2], since_year=r[3], until_year=r[4]
            ),
            lambda r: (r[1], r[1]),
        )

    async def experts_in(
        self, expertise_ids: Sequence[str], *, page: PageRequest
    ) -> list[Page[ExpertiseClaim]]:
        rows = await self._read(
            self._queries.EXPERTS_IN[page.backward],
            {"ids": list(expertise_ids)} | self._after(page),
        )
        return page_rows(
            expertise_ids,
            rows,
            page,
            lambda r: ExpertiseClaim(person_id=r[1], expertise_id=r[0], level=r[2], years=r[3]),
            lambda r: (r[2], r[1]),
        )

    async def datasets(self) -> list[str]:
        return [r[0] for r in await self._read(self._queries.DATASETS)]

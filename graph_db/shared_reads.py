"""Store reads that are the same on both adapters, given each one's queries and property reader.

Both Cypher dialects keep their own `queries.py` (STYLE.md: no shared query strings); what is shared
here is the Python around them: parameters, row mapping and alignment to the batch keys. An
adapter mixes this in and sets `_queries` (its queries module) and `_props` (node → property dict).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

from graph_db import audit
from graph_db import properties as P
from graph_db.batching import align, group_rows, page_rows
from graph_db.errors import NotFound
from graph_db.paging import Page, PageRequest, finish_page
from graph_db.records import (
    CivilServant,
    ConnectionRequest,
    Country,
    EgoEdge,
    Employment,
    Endorsement,
    Event,
    Expertise,
    ExpertiseClaim,
    Institution,
    Mentorship,
    NetworkFilter,
    NetworkRelationship,
    Participation,
    PortfolioItem,
    RankedPerson,
    ReferenceFilter,
    ReferenceKind,
    Study,
    as_utc,
    fold,
)

Rows = list[list[Any]]


def employment_order(e: Employment) -> tuple[bool, int, str]:
    """Current employments first, then newest `since` first, then institution id."""
    return (e.until_year is not None, -(e.since_year or 0), e.institution_id)


def mentorship_from_row(r: Sequence[Any]) -> Mentorship:
    """A `Mentorship` from `id, mentor, mentee, expertiseId, goal, status, requestedAt, since, until`."""
    return Mentorship(
        id=r[0],
        mentor_id=r[1],
        mentee_id=r[2],
        expertise_id=r[3],
        goal=r[4],
        status=r[5],
        requested_at=r[6],
        since=r[7],
        until=r[8],
    )


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

    async def audit_trail(
        self, *, actor_id: str | None, action: str | None, page: PageRequest
    ) -> Page[audit.AuditEntry]:
        rows = await self._read(
            audit.LIST[page.backward], {"actor": actor_id, "action": action} | self._after(page)
        )
        return finish_page(
            [(audit.entry_from_props(self._props(r[0])), (as_utc(r[1]), r[0]["id"])) for r in rows],
            page,
        )

    async def count_audit(self, *, actor_id: str | None, action: str | None) -> int:
        rows = await self._read(audit.COUNT, {"actor": actor_id, "action": action})
        return int(rows[0][0])

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

    async def expertise_of(self, person_ids: Sequence[str]) -> list[list[ExpertiseClaim]]:
        rows = await self._read(self._queries.EXPERTISE_OF, {"ids": list(person_ids)})
        return group_rows(
            person_ids,
            rows,
            lambda r: ExpertiseClaim(person_id=r[0], expertise_id=r[1], level=r[2], years=r[3]),
        )

    async def studies_of(self, person_ids: Sequence[str]) -> list[list[Study]]:
        rows = await self._read(self._queries.STUDIES_OF, {"ids": list(person_ids)})
        grouped = group_rows(
            person_ids,
            rows,
            lambda r: Study(person_id=r[0], institution_id=r[1], year=r[2], degree=r[3]),
        )
        return [sorted(g, key=lambda s: (-(s.year or 0), s.institution_id)) for g in grouped]

    async def broader_of(self, expertise_ids: Sequence[str]) -> list[list[str]]:
        return group_rows(
            expertise_ids,
            await self._read(self._queries.BROADER_OF, {"ids": list(expertise_ids)}),
            lambda r: r[1],
        )

    async def narrower_of(self, expertise_ids: Sequence[str]) -> list[list[str]]:
        return group_rows(
            expertise_ids,
            await self._read(self._queries.NARROWER_OF, {"ids": list(expertise_ids)}),
            lambda r: r[1],
        )

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


class SharedNetworkReads:
    """Networking reads that are the same on both adapters (see the port's networking section).

    An adapter sets `_network_queries` (the module holding its networking Cypher).
    """

    _network_queries: ModuleType

    if TYPE_CHECKING:

        async def _read(self, query: str, params: dict[str, Any] | None = None) -> Rows: ...

    async def connection_requests(
        self, person_ids: Sequence[str], *, incoming: bool
    ) -> list[list[ConnectionRequest]]:
        rows = await self._read(
            self._network_queries.REQUESTS_TO if incoming else self._network_queries.REQUESTS_FROM,
            {"ids": list(person_ids)},
        )
        return group_rows(
            person_ids,
            rows,
            lambda r: ConnectionRequest(from_id=r[1], to_id=r[2], at=r[3], message=r[4]),
        )

    async def endorsements_of(self, person_ids: Sequence[str]) -> list[list[Endorsement]]:
        rows = await self._read(self._network_queries.ENDORSEMENTS_OF, {"ids": list(person_ids)})
        return group_rows(
            person_ids,
            rows,
            lambda r: Endorsement(endorser_id=r[1], endorsee_id=r[0], expertise_id=r[2], at=r[3]),
        )

    async def get_mentorships(self, mentorship_ids: Sequence[str]) -> list[Mentorship | None]:
        rows = await self._read(
            self._network_queries.MENTORSHIPS_BY_IDS, {"ids": list(mentorship_ids)}
        )
        return align(mentorship_ids, {r[0]: mentorship_from_row(r) for r in rows})

    async def mentorships_of(
        self, person_ids: Sequence[str], *, as_mentor: bool
    ) -> list[list[Mentorship]]:
        query = (
            self._network_queries.MENTORSHIPS_AS_MENTOR
            if as_mentor
            else self._network_queries.MENTORSHIPS_AS_MENTEE
        )
        rows = await self._read(query, {"ids": list(person_ids)})
        return group_rows(person_ids, rows, lambda r: mentorship_from_row(r[1:]))

    async def edges_among(
        self, person_ids: Sequence[str], *, rels: frozenset[NetworkRelationship], limit: int
    ) -> list[EgoEdge]:
        edges: list[EgoEdge] = []
        for rel in sorted(rels):
            rows = await self._read(
                self._network_queries.EDGES_AMONG[rel.value],
                {"ids": list(person_ids), "limit": limit},
            )
            edges += [EgoEdge(source=r[0], target=r[1], kind=rel) for r in rows]
        return edges

    async def filter_people(self, person_ids: Sequence[str], *, filter: NetworkFilter) -> set[str]:
        params: dict[str, Any] = {
            "givenName": filter.given_name,
            "country": filter.country_code,
            "institution": filter.institution_id,
        }
        if filter.expertise_id:
            params["areas"] = await self.area_and_narrower(filter.expertise_id)
        if filter.works_in_country:
            params["worksIn"] = filter.works_in_country
            params["worksBefore"] = (
                filter.works_since_before if filter.works_since_before is not None else 10_000
            )
        params = {k: v for k, v in params.items() if v is not None}
        query = self._network_queries.filter_people(
            frozenset(k for k in params if k != "worksBefore")
        )
        return {r[0] for r in await self._read(query, params | {"ids": list(person_ids)})}

    async def mentor_candidates(
        self, person_id: str, *, area_ids: Sequence[str], limit: int
    ) -> list[RankedPerson]:
        own = await self._read(
            self._network_queries.LEVEL_IN, {"id": person_id, "areas": list(area_ids)}
        )
        min_level = int(own[0][0]) if own and own[0][0] is not None else 0
        rows = await self._read(
            self._network_queries.MENTOR_CANDIDATES,
            {"id": person_id, "areas": list(area_ids), "minLevel": min_level, "limit": limit},
        )
        return [
            RankedPerson(person_id=r[0], distance=0, level=int(r[1]), endorsements=int(r[2]))
            for r in rows
        ]

    async def area_and_narrower(self, expertise_id: str) -> list[str]:
        rows = await self._read(self._network_queries.AREA_AND_NARROWER, {"id": expertise_id})
        if not rows:
            raise NotFound(f"unknown expertise area: {expertise_id}")
        return [rows[0][0], *sorted(x for x in rows[0][1] if x)]

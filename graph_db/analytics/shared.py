"""Analytics reads that are the same on both adapters: the common openCypher of
`graph_db.analytics.cypher`, plus the dialect's month bucketing.

Part of the store core (`graph_db.core.StoreCore`); the month bucketing comes from the adapter's
`Dialect`. See the port's analytics section for the contract. Writing a run's scores differs per store
(`COPY` from a DataFrame on LadybugDB, chunked `UNWIND` on Neo4j) and lives in each adapter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from graph_db.analytics import cypher as C
from graph_db.analytics.records import (
    AnalyticsRun,
    CoverageCount,
    EventCount,
    ExpertCount,
    GrowthKind,
    ItemCount,
    MentorCount,
    MonthCount,
    PairCount,
    PairKind,
    PeopleCount,
    PersonScore,
    Projection,
    Scope,
    ScoreMetric,
)
from graph_db.batching import align
from graph_db.core.base import StoreBase
from graph_db.records import as_utc


def _scope_params(scope: Scope) -> dict[str, Any]:
    params: dict[str, Any] = {
        "countries": list(scope.countries) if scope.countries is not None else None,
        "rangeStart": scope.start,
        "rangeEnd": scope.end,
    }
    return {k: v for k, v in params.items() if v is not None}


def score_from_row(r: Sequence[Any]) -> PersonScore:
    """A `PersonScore` from `id, degree, pagerank, betweenness, community`."""
    return PersonScore(
        person_id=r[0],
        degree=int(r[1]),
        pagerank=float(r[2]),
        betweenness=float(r[3]),
        community=int(r[4]),
    )


def run_from_row(r: Sequence[Any]) -> AnalyticsRun:
    """An `AnalyticsRun` from the `RUN_COLUMNS` of either dialect."""
    return AnalyticsRun(
        id=r[0],
        started_at=as_utc(r[1]),
        duration_s=float(r[2]),
        parameters=r[3],
        nodes=int(r[4]),
        edges=int(r[5]),
        communities=int(r[6]),
        modularity=float(r[7]),
        community_sizes=tuple(int(x) for x in r[8] or ()),
    )


class AnalyticsReads(StoreBase):
    """Aggregate reads, the algorithms' projection and reads of stored runs (see the port)."""

    async def analytics_people(self, scope: Scope) -> list[PeopleCount]:
        params = _scope_params(scope)
        rows = await self._read(C.people(frozenset(params)), params)
        return [
            PeopleCount(country=r[0], verified=bool(r[1]), expert=bool(r[2]), count=int(r[3]))
            for r in rows
        ]

    async def analytics_pairs(
        self, kind: PairKind, scope: Scope, *, established: bool = False
    ) -> list[PairCount]:
        params = _scope_params(scope)
        active = frozenset(params) | ({"established"} if established else frozenset())
        rows = await self._read(C.pairs(kind, active), params)
        return [
            PairCount(country_a=r[0], country_b=r[1], status=r[2] or "", count=int(r[3]))
            for r in rows
        ]

    async def analytics_growth(self, kind: GrowthKind, scope: Scope) -> list[MonthCount]:
        params = _scope_params(scope)
        rows = await self._read(
            C.growth(kind, frozenset(params), self.dialect.MONTH_BUCKET), params
        )
        found = [MonthCount(year=int(r[0]), month=int(r[1]), count=int(r[2])) for r in rows]
        return sorted(found, key=lambda m: (m.year, m.month))

    async def analytics_events(self, *, start: date, end: date) -> list[EventCount]:
        rows = await self._read(C.EVENTS, {"startDate": start, "endDate": end})
        return [
            EventCount(
                event_id=r[0],
                event_country=r[1],
                start_date=r[2],
                participant_country=r[3],
                participants=int(r[4]),
            )
            for r in rows
        ]

    async def analytics_coverage(
        self, areas: Mapping[str, Sequence[str]], *, min_level: int
    ) -> list[CoverageCount]:
        groups = [{"area": area, "ids": list(ids)} for area, ids in areas.items()]
        rows = await self._read(C.COVERAGE, {"groups": groups, "minLevel": min_level})
        return [
            CoverageCount(area_id=r[0], country=r[1], level=int(r[2]), count=int(r[3]))
            for r in rows
        ]

    async def analytics_items(self, *, start_year: int, end_year: int) -> list[ItemCount]:
        rows = await self._read(C.ITEMS, {"startYear": start_year, "endYear": end_year})
        return [ItemCount(country=r[0], items=int(r[1]), collaborative=int(r[2])) for r in rows]

    async def analytics_experts(
        self, *, countries: Sequence[str] | None, end: datetime
    ) -> list[ExpertCount]:
        per_country = await self._read(C.EXPERT_AREAS, {"rangeEnd": end})
        total = await self._read(
            C.EXPERT_AREAS_TOTAL,
            {"rangeEnd": end, "countries": list(countries or []), "anyCountry": countries is None},
        )
        wanted = set(countries) if countries is not None else None
        found = [
            ExpertCount(country=r[0], experts=int(r[1]), areas=int(r[2]))
            for r in per_country
            if wanted is None or r[0] in wanted
        ]
        return [ExpertCount(country=None, experts=int(total[0][0]), areas=int(total[0][1])), *found]

    async def top_mentors(
        self, *, countries: Sequence[str] | None, limit: int
    ) -> list[MentorCount]:
        rows = await self._read(
            C.TOP_MENTORS,
            {"countries": list(countries or []), "anyCountry": countries is None, "limit": limit},
        )
        return [MentorCount(person_id=r[0], mentees=int(r[1])) for r in rows]

    async def connection_projection(self) -> Projection:
        people = await self._read(C.PROJECTION_PEOPLE)
        ids = [r[0] for r in people]
        index = {id_: i for i, id_ in enumerate(ids)}
        edges = await self._read(C.PROJECTION_EDGES)
        return Projection(
            person_ids=tuple(ids),
            countries=tuple(r[1] for r in people),
            edges=tuple(sorted((index[a], index[b]) for a, b in edges)),
        )

    async def analytics_runs(self, *, limit: int) -> list[AnalyticsRun]:
        rows = await self._read(C.LATEST_RUNS, {"limit": limit})
        return [run_from_row(r) for r in rows]

    async def top_scores(
        self, run_id: str, metric: ScoreMetric, *, limit: int
    ) -> list[PersonScore]:
        rows = await self._read(C.TOP_SCORES[metric], {"run": run_id, "limit": limit})
        return [score_from_row(r) for r in rows]

    async def scores_of(self, run_id: str, person_ids: Sequence[str]) -> list[PersonScore | None]:
        rows = await self._read(C.SCORES_OF, {"run": run_id, "ids": list(person_ids)})
        return align(person_ids, {r[0]: score_from_row(r) for r in rows})

    async def community_members(
        self, run_id: str, community: int, *, limit: int
    ) -> list[PersonScore]:
        rows = await self._read(
            C.COMMUNITY_MEMBERS,
            {"run": run_id, "community": community, "limit": limit},
        )
        return [score_from_row(r) for r in rows]


def run_params(run: AnalyticsRun) -> dict[str, Any]:
    """Parameters of `CREATE_RUN` (either dialect) for `run`."""
    return {
        "id": run.id,
        "startedAt": run.started_at,
        "durationS": run.duration_s,
        "parameters": run.parameters,
        "nodes": run.nodes,
        "edges": run.edges,
        "communities": run.communities,
        "modularity": run.modularity,
        "communitySizes": list(run.community_sizes),
    }

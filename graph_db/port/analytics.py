"""Relationship analytics: grouped counts for dashboards, and stored analytics runs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Protocol

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


class AnalyticsStore(Protocol):
    """Relationship analytics (see `graph_db/analytics/`): aggregate reads return small grouped
    counts, never a row per person; runs (PageRank, communities, …) are computed offline from
    `connection_projection` and stored with their per-person scores."""

    # ---- aggregates (grouped counts) ----
    async def analytics_people(self, scope: Scope) -> list[PeopleCount]:
        """Civil servants by (country, verified, isExpert); `scope` dates apply to `joinedAt`."""
        ...

    async def analytics_pairs(
        self, kind: PairKind, scope: Scope, *, established: bool = False
    ) -> list[PairCount]:
        """Relationships of `kind` by (country of a, country of b, status), a → b as stored; with
        `established`, mentorships only ACTIVE or COMPLETED. Dates: see `PairKind`."""
        ...

    async def analytics_growth(self, kind: GrowthKind, scope: Scope) -> list[MonthCount]:
        """New things of `kind` (people, connections, established mentorships, expertise requests
        posted or fulfilled, cross-border collaborations: see `GrowthKind`) per UTC calendar month
        in `scope`, sorted; months with none are left out."""
        ...

    async def analytics_events(self, *, start: date, end: date) -> list[EventCount]:
        """Events starting in `[start, end)` with their participants per country."""
        ...

    async def analytics_coverage(
        self, areas: Mapping[str, Sequence[str]], *, min_level: int
    ) -> list[CoverageCount]:
        """For each `area → [area and narrower ids]`: people holding any of them at `min_level` or
        above, by (country, best level)."""
        ...

    async def analytics_items(self, *, start_year: int, end_year: int) -> list[ItemCount]:
        """Portfolio items of years `start_year..end_year` (inclusive) per author country."""
        ...

    async def analytics_experts(
        self, *, countries: Sequence[str] | None, end: datetime
    ) -> list[ExpertCount]:
        """Experts who joined before `end` and the distinct areas they hold: first the total over
        `countries` (None = all), then one row per country."""
        ...

    async def top_mentors(
        self, *, countries: Sequence[str] | None, limit: int
    ) -> list[MentorCount]:
        """Mentors by direct mentees over established mentorships, most first, then id."""
        ...

    # ---- stored runs ----
    async def connection_projection(self) -> Projection:
        """Every civil servant (sorted by id) and every `CONNECTED_TO` as stored."""
        ...

    async def save_analytics_run(
        self, run: AnalyticsRun, scores: Sequence[PersonScore], *, keep: int
    ) -> None:
        """Store a run and its per-person scores; delete all but the newest `keep` runs. A run is
        visible to `analytics_runs` only once completely written."""
        ...

    async def analytics_runs(self, *, limit: int) -> list[AnalyticsRun]:
        """Stored runs, newest first."""
        ...

    async def top_scores(
        self, run_id: str, metric: ScoreMetric, *, limit: int
    ) -> list[PersonScore]:
        """A run's people by `metric` descending, then id."""
        ...

    async def scores_of(self, run_id: str, person_ids: Sequence[str]) -> list[PersonScore | None]:
        """Each person's scores in a run, aligned to the ids."""
        ...

    async def community_members(
        self, run_id: str, community: int, *, limit: int
    ) -> list[PersonScore]:
        """Members of one community of a run, by PageRank descending, then id."""
        ...

"""Relationship-analytics dashboards: overview, country matrix, expertise coverage, growth, mentorship
impact, and the latest stored analytics run (graph algorithms). For verified members (policy.py).

Every figure is computed here from the store's grouped counts (`GraphStore.analytics_*`), so the
rules below are the one place where they are defined:

- A person belongs to their `countryCode`. A relationship belongs to a country when either end
  does (a domestic one counts once). It is **cross-border** when both ends have a country and the
  countries differ; people without a country are never cross-border.
- Connections are undirected (stored once per pair). Mentorships count by status; "established"
  means ACTIVE or COMPLETED, and cross-border shares of mentorships are over established ones.
- Periods are half-open, `[from, until)`, in UTC days; at most `MAX_PERIOD_DAYS` long.
- Shares are `cross-border / all` and null when there is nothing to divide.

Errors: BAD_USER_INPUT (malformed country code, empty or reversed period), NOT_FOUND (unknown
country, expertise area or person), LIMIT_EXCEEDED (period, list or `first` over a cap).
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import overload

from graph_db.analytics.records import (
    AnalyticsRun,
    CoverageCount,
    GrowthKind,
    PairCount,
    PairKind,
    PersonScore,
    Scope,
    ScoreMetric,
)
from graph_db.errors import NotFound
from graph_db.paging import PageRequest
from graph_db.records import Country, CountryGroup, ReferenceFilter, ReferenceKind
from resolvers.context import Context
from resolvers.errors import BadUserInput, LimitExceeded
from resolvers.network import MAX_GENERATIONS, LineageDirection, bounded, mentorship_lineage
from resolvers.policy import require_member

MAX_PERIOD_DAYS = 3_653
"""Longest period a live query covers: ten years (growth charts and the ASCC Blueprint's horizon,
2016–2025)."""
MAX_COUNTRIES = 50
MAX_AREAS = 100
"""Areas one coverage query rolls up (the area's direct narrower areas are listed up to this)."""
MAX_TOP = 100
MAX_TOP_MENTORS = 20
ESTABLISHED = ("ACTIVE", "COMPLETED")
MENTORSHIP_STATUSES = ("REQUESTED", "ACTIVE", "COMPLETED", "DECLINED", "CANCELLED")
LEVELS = 5
_COUNTRY_CODE = re.compile(r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")
_DATE_FLOOR, _DATE_CEILING = date(1900, 1, 1), date(2200, 1, 1)


# ---- input ----
@dataclass(frozen=True)
class Period:
    """`[start, until)` in UTC days."""

    start: date
    until: date

    @property
    def start_at(self) -> datetime:
        return datetime(self.start.year, self.start.month, self.start.day, tzinfo=UTC)

    @property
    def until_at(self) -> datetime:
        return datetime(self.until.year, self.until.month, self.until.day, tzinfo=UTC)


def period(start: date | None, until: date | None, *, required: bool = False) -> Period | None:
    """Validate a period.

    Raises:
        BadUserInput: one end without the other, `until` not after `start` (empty or reversed),
            or no period when `required`. LimitExceeded: longer than `MAX_PERIOD_DAYS`.
    """
    if start is None and until is None:
        if required:
            raise BadUserInput("give the period: from and until", {"fields": ["from", "until"]})
        return None
    if start is None or until is None:
        raise BadUserInput("give both ends of the period: from and until")
    if until == start:
        raise BadUserInput("the period is empty: until must be after from (until is exclusive)")
    if until < start:
        raise BadUserInput("the period is reversed: until is before from")
    if (until - start).days > MAX_PERIOD_DAYS:
        raise LimitExceeded(
            f"the period may be at most {MAX_PERIOD_DAYS} days",
            {"limit": "periodDays", "max": MAX_PERIOD_DAYS},
        )
    return Period(start, until)


@overload
async def countries(ctx: Context, codes: Sequence[str]) -> tuple[str, ...]: ...
@overload
async def countries(ctx: Context, codes: Sequence[str] | None) -> tuple[str, ...] | None: ...
async def countries(ctx: Context, codes: Sequence[str] | None) -> tuple[str, ...] | None:
    """Validated, existing country codes (deduplicated, sorted); None stays None (all countries).

    Raises:
        BadUserInput: malformed or empty list. LimitExceeded: over `MAX_COUNTRIES`.
        NotFound: a code that is no country of the graph.
    """
    if codes is None:
        return None
    wanted = sorted(set(codes))
    if not wanted:
        raise BadUserInput("countries must not be empty (leave it out for all countries)")
    if len(wanted) > MAX_COUNTRIES:
        raise LimitExceeded(
            f"at most {MAX_COUNTRIES} countries", {"limit": "countries", "max": MAX_COUNTRIES}
        )
    for code in wanted:
        if not _COUNTRY_CODE.match(code):
            raise BadUserInput(f"not an ISO 3166 country code: {code[:20]!r}")
    found = await ctx.loaders.countries.load_many(wanted)
    for code, country in zip(wanted, found, strict=True):
        if country is None:
            raise NotFound(f"unknown country: {code}")
    return tuple(wanted)


async def member_states(ctx: Context) -> tuple[str, ...]:
    """Codes of the ASEAN member states held in the graph (reference data), sorted."""
    page = await ctx.store.list_reference(
        kind=ReferenceKind.COUNTRY, filter=ReferenceFilter(), page=PageRequest(limit=1_000)
    )
    return tuple(
        sorted(
            c.id
            for c in page.items
            if isinstance(c, Country) and c.group is CountryGroup.ASEAN_MEMBER
        )
    )


def scope_of(codes: tuple[str, ...] | None, when: Period | None) -> Scope:
    """The store's `Scope` for validated countries (None = all) and period (None = any time)."""
    return Scope(
        countries=codes,
        start=when.start_at if when else None,
        end=when.until_at if when else None,
    )


def share(part: int, whole: int) -> float | None:
    """`part / whole`, or None when `whole` is 0."""
    return part / whole if whole else None


def cross_border(p: PairCount) -> bool:
    """Both ends have a country and they differ."""
    return p.country_a is not None and p.country_b is not None and p.country_a != p.country_b


def pair_countries(p: PairCount) -> set[str]:
    """The countries a relationship belongs to (one for a domestic one)."""
    return {c for c in (p.country_a, p.country_b) if c is not None}


# ---- overview ----
@dataclass
class CountryFigures:
    """One country's figures (country None: the whole scope, each relationship once)."""

    country: str | None
    people: int = 0
    verified: int = 0
    experts: int = 0
    connections: int = 0
    cross_border_connections: int = 0
    mentorships_by_status: Counter[str] = field(default_factory=Counter)
    cross_border_mentorships: int = 0
    endorsements: int = 0
    cross_border_endorsements: int = 0
    events_held: int = 0
    participants: int = 0

    @property
    def established_mentorships(self) -> int:
        return sum(self.mentorships_by_status[s] for s in ESTABLISHED)

    @property
    def cross_border_connection_share(self) -> float | None:
        return share(self.cross_border_connections, self.connections)

    @property
    def cross_border_mentorship_share(self) -> float | None:
        return share(self.cross_border_mentorships, self.established_mentorships)


@dataclass
class Overview:
    """Totals over the scope and one row per country (most people first, then code)."""

    total: CountryFigures
    by_country: list[CountryFigures]


async def network_overview(ctx: Context, codes: Sequence[str] | None) -> Overview:
    """People (verified, experts), connections, mentorships by status, endorsements, events held
    and participants, in all and per country, with the cross-border shares (module rules)."""
    await require_member(ctx)
    scope = scope_of(await countries(ctx, codes), None)
    people, connections, mentorships, endorsements, events = await asyncio.gather(
        ctx.store.analytics_people(scope),
        ctx.store.analytics_pairs(PairKind.CONNECTIONS, scope),
        ctx.store.analytics_pairs(PairKind.MENTORSHIPS, scope),
        ctx.store.analytics_pairs(PairKind.ENDORSEMENTS, scope),
        ctx.store.analytics_events(start=_DATE_FLOOR, end=_DATE_CEILING),
    )
    wanted = set(scope.countries) if scope.countries is not None else None
    total = CountryFigures(country=None)
    rows: dict[str, CountryFigures] = {}

    def row(code: str | None) -> CountryFigures | None:
        if code is None or (wanted is not None and code not in wanted):
            return None
        found = rows.get(code)
        if found is None:
            found = rows[code] = CountryFigures(country=code)
        return found

    for group in people:
        for target in (total, row(group.country)):
            if target is not None:
                target.people += group.count
                target.verified += group.count if group.verified else 0
                target.experts += group.count if group.expert else 0
    for p in connections:
        for target in (total, *filter(None, map(row, pair_countries(p)))):
            target.connections += p.count
            target.cross_border_connections += p.count if cross_border(p) else 0
    for p in mentorships:
        for target in (total, *filter(None, map(row, pair_countries(p)))):
            target.mentorships_by_status[p.status] += p.count
            if p.status in ESTABLISHED and cross_border(p):
                target.cross_border_mentorships += p.count
    for p in endorsements:
        for target in (total, *filter(None, map(row, pair_countries(p)))):
            target.endorsements += p.count
            target.cross_border_endorsements += p.count if cross_border(p) else 0
    seen_events: set[str] = set()
    for e in events:
        involved = wanted is None or e.event_country in wanted or e.participant_country in wanted
        if involved and e.event_id not in seen_events:
            seen_events.add(e.event_id)
            held = row(e.event_country)
            if held is not None:
                held.events_held += 1
        if e.participant_country is not None and (
            wanted is None or e.participant_country in wanted
        ):
            total.participants += e.participants
            target = row(e.participant_country)
            if target is not None:
                target.participants += e.participants
    total.events_held = len(seen_events)
    ordered = sorted(rows.values(), key=lambda r: (-r.people, r.country or ""))
    return Overview(total=total, by_country=ordered)


# ---- country matrix ----
@dataclass
class MatrixRow:
    """Relationships from people of `country` to people of each of `to` (parallel lists, by code).

    Connections are undirected: (A, B) and (B, A) both hold the A–B connections. Mentorships
    (established, mentor's country → mentee's) and endorsements (endorser's → endorsee's) are
    directed. A row per country keeps the payload small for a heat map (a cell per object would
    cost a GraphQL object per cell: 3,743 of them on LDBC SF0.1).
    """

    country: str
    to: list[str] = field(default_factory=list)
    connections: list[int] = field(default_factory=list)
    mentorships: list[int] = field(default_factory=list)
    endorsements: list[int] = field(default_factory=list)


async def country_matrix(
    ctx: Context, codes: Sequence[str] | None, start: date | None, until: date | None
) -> list[MatrixRow]:
    """The non-empty cells of the country-by-country matrix, a row per country (by code, cells by
    code). With countries, only relationships with an end in one of them; with a period, only
    those dated in it (see `PairKind` for which date)."""
    await require_member(ctx)
    scope = scope_of(await countries(ctx, codes), period(start, until))
    connections, mentorships, endorsements = await asyncio.gather(
        ctx.store.analytics_pairs(PairKind.CONNECTIONS, scope),
        ctx.store.analytics_pairs(PairKind.MENTORSHIPS, scope, established=True),
        ctx.store.analytics_pairs(PairKind.ENDORSEMENTS, scope),
    )
    cells: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for p in connections:
        if p.country_a and p.country_b:
            cells[(p.country_a, p.country_b)][0] += p.count
            if p.country_a != p.country_b:
                cells[(p.country_b, p.country_a)][0] += p.count
    for column, pairs in ((1, mentorships), (2, endorsements)):
        for p in pairs:
            if p.country_a and p.country_b:
                cells[(p.country_a, p.country_b)][column] += p.count
    rows: dict[str, MatrixRow] = {}
    for (a, b), (c, m, e) in sorted(cells.items()):
        row = rows.get(a) or rows.setdefault(a, MatrixRow(country=a))
        row.to.append(b)
        row.connections.append(c)
        row.mentorships.append(m)
        row.endorsements.append(e)
    return list(rows.values())


# ---- expertise coverage ----
@dataclass(frozen=True)
class CountryCoverage:
    """People of one country holding an area (or a narrower one), by their best level 1..5."""

    country: str
    people: int
    by_level: list[int]


@dataclass(frozen=True)
class AreaCoverage:
    """An area rolled up over its narrower areas: who holds it where, and which countries lack it."""

    area_id: str
    people: int
    by_country: list[CountryCoverage]
    lacking: list[str]


async def expertise_coverage(
    ctx: Context, area_id: str | None, codes: Sequence[str] | None, min_level: int
) -> list[AreaCoverage]:
    """Coverage of `area_id` and each of its directly narrower areas (without an area: the top-level
    areas), each rolled up over the taxonomy below it. `lacking` lists the countries in scope (the
    given ones, else the ASEAN member states) with nobody at `min_level` or above."""
    await require_member(ctx)
    bounded("minLevel", min_level, LEVELS)
    scope_codes = await countries(ctx, codes)
    if area_id is not None:
        if await ctx.loaders.expertise.load(area_id) is None:
            raise NotFound(f"unknown expertise area: {area_id}")
        areas = [area_id, *(await ctx.store.narrower_of([area_id]))[0]]
    else:
        page = await ctx.store.list_reference(
            kind=ReferenceKind.EXPERTISE,
            filter=ReferenceFilter(top_level=True),
            page=PageRequest(limit=MAX_AREAS),
        )
        areas = [a.id for a in page.items]
    areas = areas[:MAX_AREAS]
    subtrees = await asyncio.gather(*(ctx.store.area_and_narrower(a) for a in areas))
    rows = await ctx.store.analytics_coverage(
        dict(zip(areas, subtrees, strict=True)), min_level=min_level
    )
    expected = scope_codes if scope_codes is not None else await member_states(ctx)
    return [_coverage(a, rows, scope_codes, expected) for a in areas]


def _coverage(
    area: str,
    rows: Iterable[CoverageCount],
    scope_codes: tuple[str, ...] | None,
    expected: tuple[str, ...],
) -> AreaCoverage:
    levels: dict[str, list[int]] = defaultdict(lambda: [0] * LEVELS)
    for r in rows:
        if r.area_id != area or r.country is None:
            continue
        if scope_codes is None or r.country in scope_codes:
            levels[r.country][r.level - 1] += r.count
    by_country = sorted(
        (CountryCoverage(country=c, people=sum(v), by_level=v) for c, v in levels.items()),
        key=lambda c: (-c.people, c.country),
    )
    return AreaCoverage(
        area_id=area,
        people=sum(c.people for c in by_country),
        by_country=by_country,
        lacking=[c for c in expected if c not in levels],
    )


# ---- growth ----
class Interval(StrEnum):
    """Width of a growth bucket (UTC calendar)."""

    MONTH = "MONTH"
    QUARTER = "QUARTER"
    YEAR = "YEAR"


@dataclass
class GrowthPoint:
    """New people, connections and established mentorships (by `since`) in one bucket, and the
    expertise exchange: requests posted and fulfilled (author's country) and cross-border
    collaborations started (see `GrowthKind`)."""

    label: str
    start: date
    people: int = 0
    connections: int = 0
    mentorships: int = 0
    expertise_requests: int = 0
    fulfilled_requests: int = 0
    cross_border_collaborations: int = 0


def bucket(year: int, month: int, interval: Interval) -> tuple[str, date]:
    """Label and first day of the bucket holding (year, month): `2019-03`, `2019-Q1`, `2019`."""
    if interval is Interval.MONTH:
        return f"{year}-{month:02d}", date(year, month, 1)
    if interval is Interval.QUARTER:
        q = (month - 1) // 3
        return f"{year}-Q{q + 1}", date(year, 3 * q + 1, 1)
    return str(year), date(year, 1, 1)


async def network_growth(
    ctx: Context,
    codes: Sequence[str] | None,
    start: date | None,
    until: date | None,
    interval: Interval,
) -> list[GrowthPoint]:
    """One point per bucket from the one holding `from` to the one holding the day before `until`
    (empty buckets included, counted only inside the period)."""
    await require_member(ctx)
    when = period(start, until, required=True)
    assert when is not None
    scope = scope_of(await countries(ctx, codes), when)
    kinds = list(GrowthKind)
    series = await asyncio.gather(*(ctx.store.analytics_growth(kind, scope) for kind in kinds))
    points: dict[str, GrowthPoint] = {}
    day = when.start
    last = when.until - timedelta(days=1)
    while day <= last:
        label, first = bucket(day.year, day.month, interval)
        points.setdefault(label, GrowthPoint(label=label, start=first))
        day = date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)
    for kind, months in zip(kinds, series, strict=True):
        attr = kind.value.lower()  # GrowthPoint has one field per GrowthKind
        for m in months:
            point = points[bucket(m.year, m.month, interval)[0]]
            setattr(point, attr, getattr(point, attr) + m.count)
    return list(points.values())


# ---- mentorship impact ----
@dataclass(frozen=True)
class MentorImpact:
    """ "Experts creating experts": a mentor's mentees per generation (1 = direct) over established
    mentorships, each person once, and the total reach (their sum)."""

    mentor_id: str
    per_generation: list[int]
    reach: int
    truncated: bool


async def mentor_impact(ctx: Context, mentor_id: str, max_generations: int) -> MentorImpact:
    """One mentor's impact (see `MentorImpact`); the lineage rules are `network.mentorship_lineage`."""
    lineage = await mentorship_lineage(
        ctx, mentor_id, direction=LineageDirection.DESCENDANTS, max_generations=max_generations
    )
    sizes = [len(g) for g in lineage.generations]
    return MentorImpact(mentor_id, sizes, sum(sizes), lineage.truncated)


async def top_mentor_impact(
    ctx: Context, codes: Sequence[str] | None, first: int, max_generations: int
) -> list[MentorImpact]:
    """The `first` mentors with most direct mentees (then id), with their impact."""
    await require_member(ctx)
    bounded("first", first, MAX_TOP_MENTORS)
    bounded("maxGenerations", max_generations, MAX_GENERATIONS)
    mentors = await ctx.store.top_mentors(countries=await countries(ctx, codes), limit=first)
    return list(
        await asyncio.gather(*(mentor_impact(ctx, m.person_id, max_generations) for m in mentors))
    )


# ---- stored analytics runs ----
async def latest_run(ctx: Context) -> AnalyticsRun | None:
    """The newest stored analytics run (`expecs analytics run`), or None before the first."""
    await require_member(ctx)
    runs = await ctx.store.analytics_runs(limit=1)
    return runs[0] if runs else None


async def top_scores(
    ctx: Context, run: AnalyticsRun, metric: ScoreMetric, first: int
) -> list[PersonScore]:
    """The run's `first` people by `metric` (ties by id)."""
    bounded("first", first, MAX_TOP)
    return await ctx.store.top_scores(run.id, metric, limit=first)


async def score_of(ctx: Context, run: AnalyticsRun, person_id: str) -> PersonScore | None:
    """A person's scores in the run (None for someone who joined after it)."""
    return (await ctx.store.scores_of(run.id, [person_id]))[0]


async def community_members(
    ctx: Context, run: AnalyticsRun, community: int, first: int
) -> list[PersonScore]:
    """Members of a community of the run, by PageRank. Raises NotFound for no such community."""
    bounded("first", first, MAX_TOP)
    if not 0 <= community < run.communities:
        raise NotFound(f"no community {community} in this run (0..{run.communities - 1})")
    return await ctx.store.community_members(run.id, community, limit=first)

"""The ASCC Blueprint 2025 indicator report, per ASEAN member state and period (GraphQL and CSV).

ACCSM evidences three ASCC key performance indicators with this data (`shared/reference/accsm.md`):
engagement (forums and partnerships promoting ASEAN initiatives), institutional capacity, and
ASEAN-wide collaborative activities. For a period `[from, until)` and a country C:

- cross-border connections / mentorships formed: `CONNECTED_TO` with `since` in the period,
  established (ACTIVE/COMPLETED) `MENTORS` requested in the period, with one end in C and the other
  in another country (rules of `resolvers.analytics`);
- events held: events starting in the period held in C; events attended: those with at least one
  participant from C; participants: participations of people from C in them;
- collaborative events: events of the period involving C (held there or attended from there) with
  participants from more than one country;
- portfolio items: items with an author from C whose `year` falls in the period's years (items carry
  only a year); collaborative items: those whose author and co-authors (`CO_AUTHORED`,
  `updatePortfolioItem`) come from more than one country;
- experts / expertise areas: civil servants flagged as experts from C who joined before `until`, and
  the distinct areas they hold;
- expertise requests posted / fulfilled: requests whose author is from C created in the period /
  closed as FULFILLED in the period; cross-border collaborations: accepted offers (collaborations
  started in the period) where the requester is from C and the helper from another country, or
  the reverse (issue #16).

The total row (country null) counts each relationship and event once over the countries of the
report; portfolio items are summed over the rows (a co-authored item of two of them counts twice). Without a country the report covers every ASEAN member state in the reference data.
"""

from __future__ import annotations

import asyncio
import csv
import io
from collections import defaultdict
from dataclasses import asdict, dataclass, fields
from datetime import date, timedelta

from graph_db.analytics.records import EventCount, PairCount, PairKind
from graph_db.records.exchange import ExchangeCount
from resolvers import analytics as A
from resolvers.context import Context
from resolvers.policy import require_member


@dataclass
class IndicatorRow:
    """One country's indicators for the period (country None: all countries of the report)."""

    country: str | None
    cross_border_connections: int = 0
    cross_border_mentorships: int = 0
    events_held: int = 0
    events_attended: int = 0
    participants: int = 0
    collaborative_events: int = 0
    portfolio_items: int = 0
    collaborative_portfolio_items: int = 0
    experts: int = 0
    expertise_areas: int = 0
    expertise_requests_posted: int = 0
    expertise_requests_fulfilled: int = 0
    cross_border_collaborations: int = 0


@dataclass(frozen=True)
class IndicatorReport:
    """The report: its period, the total row, then one row per country (by code)."""

    start: date
    until: date
    total: IndicatorRow
    by_country: list[IndicatorRow]


async def ascc_indicators(
    ctx: Context, country: str | None, start: date | None, until: date | None
) -> IndicatorReport:
    """The indicator report for `country` (None: every ASEAN member state) and `[start, until)`.

    Raises:
        Unauthenticated / Forbidden (not a verified member); BadUserInput, NotFound,
        LimitExceeded as `analytics.period` and `analytics.countries`.
    """
    await require_member(ctx)
    when = A.period(start, until, required=True)
    assert when is not None
    codes = await A.countries(ctx, [country]) if country is not None else await A.member_states(ctx)
    scope = A.scope_of(codes, when)
    last_year = (when.until - timedelta(days=1)).year
    connections, mentorships, events, items, experts, exchange = await asyncio.gather(
        ctx.store.analytics_pairs(PairKind.CONNECTIONS, scope),
        ctx.store.analytics_pairs(PairKind.MENTORSHIPS, scope, established=True),
        ctx.store.analytics_events(start=when.start, end=when.until),
        ctx.store.analytics_items(start_year=when.start.year, end_year=last_year),
        ctx.store.analytics_experts(countries=codes, end=when.until_at),
        ctx.store.exchange_activity(start=when.start_at, end=when.until_at),
    )
    wanted = set(codes)
    rows = {c: IndicatorRow(country=c) for c in codes}
    total = IndicatorRow(country=None)
    _cross_border(connections, wanted, rows, total, "cross_border_connections")
    _cross_border(mentorships, wanted, rows, total, "cross_border_mentorships")
    _events(events, wanted, rows, total)
    for i in items:
        if i.country in wanted:
            rows[i.country].portfolio_items += i.items
            rows[i.country].collaborative_portfolio_items += i.collaborative
    # The store counts items per author country, so a co-authored item of two report countries
    # counts in both rows and twice in the total (documented in the module docstring).
    total.portfolio_items = sum(r.portfolio_items for r in rows.values())
    total.collaborative_portfolio_items = sum(
        r.collaborative_portfolio_items for r in rows.values()
    )
    for e in experts:
        target = total if e.country is None else rows.get(e.country)
        if target is not None:
            target.experts, target.expertise_areas = e.experts, e.areas
    _exchange(exchange, wanted, rows, total)
    return IndicatorReport(when.start, when.until, total, [rows[c] for c in codes])


def _exchange(
    counts: list[ExchangeCount],
    wanted: set[str],
    rows: dict[str, IndicatorRow],
    total: IndicatorRow,
) -> None:
    for c in counts:
        if c.measure == "collaborations":
            pair = PairCount(country_a=c.country, country_b=c.other_country, count=c.count)
            _cross_border([pair], wanted, rows, total, "cross_border_collaborations")
            continue
        if c.country not in wanted:
            continue
        attr = f"expertise_requests_{c.measure}"
        setattr(rows[c.country], attr, getattr(rows[c.country], attr) + c.count)
        setattr(total, attr, getattr(total, attr) + c.count)


def _cross_border(
    pairs: list[PairCount],
    wanted: set[str],
    rows: dict[str, IndicatorRow],
    total: IndicatorRow,
    attr: str,
) -> None:
    for p in pairs:
        if not A.cross_border(p):
            continue
        involved = A.pair_countries(p) & wanted
        if involved:
            setattr(total, attr, getattr(total, attr) + p.count)
        for c in involved:
            setattr(rows[c], attr, getattr(rows[c], attr) + p.count)


def _events(
    events: list[EventCount], wanted: set[str], rows: dict[str, IndicatorRow], total: IndicatorRow
) -> None:
    held: dict[str, str | None] = {}
    attended: dict[str, dict[str, int]] = defaultdict(dict)
    for e in events:
        held[e.event_id] = e.event_country
        if e.participant_country is not None:
            attended[e.event_id][e.participant_country] = e.participants
    for event_id, country in held.items():
        by_country = attended.get(event_id, {})
        involved = wanted & ({country} | set(by_country))
        if not involved:
            continue
        collaborative = len(by_country) > 1
        total.events_held += country in wanted
        total.events_attended += bool(set(by_country) & wanted)
        total.collaborative_events += collaborative
        if country is not None and country in wanted:
            rows[country].events_held += 1
        for c in involved:
            rows[c].collaborative_events += collaborative
        for c, n in by_country.items():
            if c in wanted:
                rows[c].events_attended += 1
                rows[c].participants += n
                total.participants += n


CSV_COLUMNS = ["country", "from", "until", *[f.name for f in fields(IndicatorRow)][1:]]


def report_csv(report: IndicatorReport) -> str:
    """The report as CSV (RFC 4180, comma, header row): the total row (country `ALL`) first, then
    one row per country; `from` inclusive, `until` exclusive, ISO dates."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in [report.total, *report.by_country]:
        values = asdict(row)
        country = values.pop("country") or "ALL"
        writer.writerow(
            [country, report.start.isoformat(), report.until.isoformat(), *values.values()]
        )
    return out.getvalue()

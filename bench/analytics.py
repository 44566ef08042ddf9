"""Analytics on LDBC SF0.1: live dashboard queries through GraphQL vs the same store calls made
directly (median ratio, one run), and an analytics run's duration and peak memory.

The live queries (overview, country matrix, ASCC indicators) must stay cheap enough for a page
view; the target ratio, as for the network queries, is GraphQL ÷ store < 1.5. The analytics run is
offline work (`expecs analytics run`): its duration (read + compute, then store) and the process's
peak resident memory while it ran are reported. A 100,000-person generated graph is not part of the
repository, so only SF0.1 is measured.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from rich.console import Console

from bench.harness import compare, graphql_client, ratio_table
from graph_api.auth import issue_token
from graph_api.settings import AuthSettings
from graph_db.analytics.algorithms import RunSettings, run_analytics
from graph_db.analytics.records import PairKind, Scope
from graph_db.paging import PageRequest
from graph_db.port import GraphStore
from graph_db.records import ReferenceFilter, ReferenceKind

MEMBER = "933"
START, UNTIL = date(2010, 1, 1), date(2013, 1, 1)
"""The LDBC sample's connections are dated 2010–2012."""


def cases(store: GraphStore) -> list[tuple[str, str, Callable[[], Awaitable[Any]]]]:
    """(name, GraphQL query, the store calls its resolver makes)."""
    everything = Scope()
    period = Scope(
        countries=None,
        start=datetime(2010, 1, 1, tzinfo=UTC),
        end=datetime(2013, 1, 1, tzinfo=UTC),
    )

    async def overview() -> Any:
        return (
            await store.get_people([MEMBER]),
            await store.analytics_people(everything),
            await store.analytics_pairs(PairKind.CONNECTIONS, everything),
            await store.analytics_pairs(PairKind.MENTORSHIPS, everything),
            await store.analytics_pairs(PairKind.ENDORSEMENTS, everything),
            await store.analytics_events(start=date(1900, 1, 1), end=date(2200, 1, 1)),
        )

    async def matrix() -> Any:
        return (
            await store.get_people([MEMBER]),
            await store.analytics_pairs(PairKind.CONNECTIONS, period),
            await store.analytics_pairs(PairKind.MENTORSHIPS, period, established=True),
            await store.analytics_pairs(PairKind.ENDORSEMENTS, period),
        )

    async def indicators() -> Any:
        page = await store.list_reference(
            kind=ReferenceKind.COUNTRY, filter=ReferenceFilter(), page=PageRequest(limit=1_000)
        )
        members = tuple(sorted(c.id for c in page.items if c.group.value == "ASEAN_MEMBER"))  # type: ignore[union-attr]
        scope = Scope(countries=members, start=period.start, end=period.end)
        return (
            await store.get_people([MEMBER]),
            await store.analytics_pairs(PairKind.CONNECTIONS, scope),
            await store.analytics_pairs(PairKind.MENTORSHIPS, scope, established=True),
            await store.analytics_events(start=START, end=UNTIL),
            await store.analytics_items(start_year=2010, end_year=2012),
            await store.analytics_experts(countries=members, end=period.end),  # type: ignore[arg-type]
        )

    return [
        (
            "network overview (all countries)",
            "{ networkOverview { total { people connections crossBorderConnectionShare }"
            " byCountry { countryCode people connections crossBorderConnections } } }",
            overview,
        ),
        (
            "country matrix 2010–2012",
            '{ countryMatrix(from: "2010-01-01", until: "2013-01-01") { fromCountry toCountries'
            " connections mentorships endorsements } }",
            matrix,
        ),
        (
            "ASCC indicators, ASEAN 2010–2012",
            '{ asccIndicators(from: "2010-01-01", until: "2013-01-01") { total { crossBorderConnections'
            " eventsHeld experts } byCountry { countryCode crossBorderConnections eventsAttended } } }",
            indicators,
        ),
    ]


def _reset_peak_rss() -> bool:
    """Reset this process's peak RSS (Linux: `echo 5 > /proc/self/clear_refs`); False elsewhere."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _vm(field: str) -> float | None:
    """A `/proc/self/status` memory figure in MiB (VmRSS, VmHWM), None where there is none."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


async def run(store: GraphStore, kind: str, repeat: int, console: Console) -> list[dict[str, Any]]:
    """Measure the live queries and one analytics run on one store; print and return the rows."""
    table = ratio_table(f"Analytics on LDBC SF0.1 — {kind} store (ms, median of {repeat})")
    rows: list[dict[str, Any]] = []
    token = issue_token(AuthSettings(), MEMBER, ["member"])
    async with graphql_client(store, token) as post:
        for name, query, direct in cases(store):
            ratio = await compare(table, name, post, query, direct, repeat)
            rows.append({"store": kind, "query": name, "ratio": ratio})
    console.print(table)

    before = _vm("VmRSS")
    exact_peak = _reset_peak_rss()
    started = time.perf_counter()
    result = await run_analytics(store, RunSettings())
    total = time.perf_counter() - started
    peak = _vm("VmHWM") if exact_peak else result.peak_rss_mib
    r = result.run
    console.print(
        f"[{kind}] analytics run: {r.nodes:,} people, {r.edges:,} connections; "
        f"read + compute {r.duration_s:.2f} s, with storing {total:.2f} s; "
        f"peak RSS during the run {peak:.0f} MiB"
        + (f" (RSS before {before:.0f} MiB)" if before is not None else "")
        + ("" if exact_peak else " (process peak since start)")
        + f"; {r.communities} communities, modularity {r.modularity:.4f}"
    )
    rows.append(
        {"store": kind, "analytics_run_s": r.duration_s, "with_store_s": total, "peak_mib": peak}
    )
    return rows

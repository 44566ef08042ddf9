"""BENCHMARKS.md and the latency-vs-size chart, from one run's results (`bench/__main__.py`)."""

from __future__ import annotations

import os
import platform
import subprocess
from importlib.metadata import version
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

RATIO_TARGETS = {"a": 1.2, "b": 1.2, "c": 1.5, "d": 1.2, "e": 1.2, "f": 1.2}
"""GraphQL ÷ direct store call, median, per query (issue #11, item 5); (g)–(i) have none."""
LATENCY_TARGETS_MS = {"c": 100.0, "d": 50.0, "e": 50.0, "h": 50.0, "i": 50.0}
"""Median GraphQL latency on the generated graphs of 100,000 and 1,000,000 people, embedded store
(issue #11, item 2)."""
GROWTH_KEYS = ("c", "d", "e", "h", "i")


def md(headers: list[str], rows: list[list[str]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def _show(console: Console, title: str, headers: list[str], rows: list[list[str]]) -> None:
    table = Table(title=title)
    for h in headers:
        table.add_column(h)
    for r in rows:
        table.add_row(*r)
    console.print(table)


def _machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    libs = ", ".join(
        f"{p} {version(p)}"
        for p in ("strawberry-graphql", "starlette", "uvicorn", "neo4j", "ladybug", "pydantic")
    )
    return (
        f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()} ({libs}); Neo4j 5.26 Community (local, heap 2g, "
        f"page cache 1g); Node.js {node or 'n/a'}"
    )


def mix_table(results: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    headers = [
        "data set",
        "store",
        "query",
        "GraphQL median / p95 ms",
        "store median / p95 ms",
        "ratio median",
        "ratio p95",
        "ratio target met?",
    ]
    rows = []
    for r in results["mix"]:
        limit = RATIO_TARGETS.get(r["key"])
        target = (
            "(no target)"
            if limit is None
            else (f"yes (≤ {limit})" if r["median_ratio"] <= limit else f"no (> {limit})")
        )
        rows.append(
            [
                r["dataset"],
                r["store"],
                f"({r['key']}) {r['query']}",
                f"{r['graphql_median_ms']:.1f} / {r['graphql_p95_ms']:.1f}",
                f"{r['store_median_ms']:.1f} / {r['store_p95_ms']:.1f}",
                f"{r['median_ratio']:.2f}",
                f"{r['p95_ratio']:.2f}",
                target,
            ]
        )
    return headers, rows


def _rate(r: dict[str, Any]) -> str:
    """`rps (p95 ms)`, or `0 (every request > window)` when no request started in the window
    finished before it closed."""
    if not r.get("requests"):
        return "0 (every request > window)"
    errors = f", {r['errors']} errors" if r.get("errors") else ""
    return f"{r['rps']:.1f} ({r['p95_ms']:.0f}){errors}"


def targets(results: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    """Which of (a)–(f) met their GraphQL ÷ store target (`RATIO_TARGETS`, median), per data set
    and store."""
    rows = []
    for dataset, store in sorted({(r["dataset"], r["store"]) for r in results["mix"]}):
        reads = [
            r
            for r in results["mix"]
            if (r["dataset"], r["store"]) == (dataset, store) and r["key"] in RATIO_TARGETS
        ]
        met = [r["key"] for r in reads if r["median_ratio"] <= RATIO_TARGETS[r["key"]]]
        missed = [
            f"{r['key']} {r['median_ratio']:.2f}"
            + (f" (least {r['least_ratio']:.2f})" if "least_ratio" in r else "")
            for r in reads
            if r["median_ratio"] > RATIO_TARGETS[r["key"]]
        ]
        fixed = next((r["fixed_ms"] for r in reads if "fixed_ms" in r), None)
        rows.append(
            [
                dataset,
                store,
                "—" if fixed is None else f"{fixed:.1f}",
                f"{len(met)}/{len(reads)}: {', '.join(met) or '—'}",
                ", ".join(missed) or "—",
            ]
        )
    headers = ["data set", "store", "fixed cost ms", "median ratio met"]
    return [*headers, "missed: ratio (least possible with the fixed cost)"], rows


def latency_targets(mix: list[dict[str, Any]]) -> tuple[list[str], list[list[str]]]:
    """Median GraphQL ms of (c)–(e), (h), (i) on the embedded store against `LATENCY_TARGETS_MS`,
    for every generated graph in `mix` (rows of `inprocess.measure_mix`)."""
    rows = []
    for r in mix:
        limit = LATENCY_TARGETS_MS.get(r["key"])
        if limit is None or r["store"] != "embedded" or not r["dataset"].startswith("generated"):
            continue
        rows.append(
            [
                f"{int(r['dataset'].split('-')[1]):,}",
                f"({r['key']}) {r['query']}",
                f"{r['graphql_median_ms']:.1f}",
                f"≤ {limit:.0f}",
                "yes" if r["graphql_median_ms"] <= limit else "no",
            ]
        )
    return ["people", "query", "GraphQL median ms", "target ms", "met?"], rows


def throughput_tables(results: dict[str, Any]) -> list[tuple[str, list[str], list[list[str]]]]:
    """Requests/s per server and query under `clients` clients; 1 client beside it where measured
    (16 ≥ 1 is the no-collapse target); ours ÷ `@neo4j/graphql` on the same Neo4j."""
    clients = results["clients"]
    runs = results["throughput"]
    if not runs:
        return []
    servers = sorted({r["server"] for r in runs}, key=lambda s: ("neo4j-graphql" in s, s))
    keys = sorted({(r["key"], r["query"]) for r in runs})
    by = {(r["server"], r["key"], r.get("clients", clients)): r for r in runs}
    headers = ["query"] + [f"{s} req/s (p95 ms)" for s in servers]
    rows = []
    for key, label in keys:
        row = [f"({key}) {label}"]
        for s in servers:
            r = by.get((s, key, clients))
            row.append(_rate(r) if r else "—")
        rows.append(row)
    out = [(f"Throughput under {clients} concurrent clients", headers, rows)]
    pairs = [
        (s, key, label, one, many)
        for s in servers
        for key, label in keys
        if (one := by.get((s, key, 1))) and (many := by.get((s, key, clients)))
    ]
    if pairs and clients != 1:
        out.append(
            (
                f"No collapse under load: {clients} clients vs 1 client",
                [
                    "server",
                    "query",
                    "1 client req/s (p95 ms)",
                    f"{clients} clients req/s (p95 ms)",
                    f"{clients} ÷ 1",
                    f"{clients} ≥ 1?",
                ],
                [
                    [
                        s,
                        f"({key}) {label}",
                        _rate(one),
                        _rate(many),
                        f"{many['rps'] / one['rps']:.2f}" if one["rps"] else "—",
                        "yes" if many["rps"] >= one["rps"] else "no",
                    ]
                    for s, key, label, one, many in pairs
                ],
            )
        )
    ours, theirs = "ours on neo4j", "@neo4j/graphql"
    if any(s == theirs for s in servers):
        cmp_rows = []
        for key, label in keys:
            a, b = by.get((ours, key, clients)), by.get((theirs, key, clients))
            if a and b and b["rps"]:
                cmp_rows.append(
                    [
                        f"({key}) {label}",
                        _rate(a),
                        _rate(b),
                        f"{a['rps'] / b['rps']:.2f}",
                        "yes" if a["rps"] >= b["rps"] else "no",
                    ]
                )
        out.append(
            (
                "Ours ÷ @neo4j/graphql throughput, same Neo4j, same data",
                [
                    "query",
                    "ours req/s (p95 ms)",
                    "@neo4j/graphql req/s (p95 ms)",
                    "ratio",
                    "≥ 1.0?",
                ],
                cmp_rows,
            )
        )
    return out


def growth_table(results: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    small, big = f"generated-{results['small']}", f"generated-{results['people']}"
    by = {(r["dataset"], r["store"], r["key"]): r for r in results["mix"]}
    headers = [
        "store",
        "query",
        f"{results['small']:,} people ms",
        f"{results['people']:,} people ms",
        "growth (×)",
        "store-call growth (×)",
    ]
    rows = []
    for store in sorted({r["store"] for r in results["mix"]}):
        for key in GROWTH_KEYS:
            a, b = by.get((small, store, key)), by.get((big, store, key))
            if a and b:
                rows.append(
                    [
                        store,
                        f"({key}) {a['query']}",
                        f"{a['graphql_median_ms']:.1f}",
                        f"{b['graphql_median_ms']:.1f}",
                        f"{b['graphql_median_ms'] / a['graphql_median_ms']:.2f}",
                        f"{b['store_median_ms'] / a['store_median_ms']:.2f}",
                    ]
                )
    return headers, rows


def chart(results: dict[str, Any], path: Path) -> None:
    """Median GraphQL latency of (c), (d), (e) against graph size, one line per store and query."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = sorted({results["small"], results["people"]})
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for store in sorted({r["store"] for r in results["mix"]}):
        for key in GROWTH_KEYS:
            points = [
                (n, r["graphql_median_ms"])
                for n in sizes
                for r in results["mix"]
                if r["dataset"] == f"generated-{n}" and r["store"] == store and r["key"] == key
            ]
            if points:
                label = next(r["query"] for r in results["mix"] if r["key"] == key)
                ax.plot(
                    *zip(*points, strict=True),
                    marker="o",
                    linestyle="-" if store == "embedded" else "--",
                    label=f"{store}: ({key}) {label}",
                )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("civil servants in the generated graph (≈10 connections each)")
    ax.set_ylabel("median latency through GraphQL (ms)")
    ax.set_title("Latency vs graph size (one run)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write(results: dict[str, Any], out: Path, console: Console) -> None:
    """Print the tables and write `out` (Markdown) plus `<out stem>-latency.png` beside it."""
    image = out.with_name("bench-latency-vs-size.png")
    chart(results, image)
    sections: list[tuple[str, list[str], list[list[str]]]] = []
    load_rows = [
        [
            r["dataset"],
            r["store"],
            r.get("method", "bulk_load"),
            f"{r.get('people', 0):,}",
            f"{r.get('connections', 0):,}",
            f"{r.get('mentorships', 0):,}",
            f"{r['seconds']:.1f}",
        ]
        for r in results["loads"]
    ]
    sections.append(
        (
            "Bulk load times",
            ["data set", "store", "load", "people", "connections", "mentorships", "load s"],
            load_rows,
        )
    )
    sections.append(
        ("(a)–(i): GraphQL over HTTP (in process) vs direct store calls", *mix_table(results))
    )
    sections.append(
        (
            "Target: GraphQL ÷ store ≤ 1.2 for (a), (b), (d), (e), (f) and ≤ 1.5 for (c)",
            *targets(results),
        )
    )
    sections.append(
        (
            "Target: embedded network queries, median ms through GraphQL",
            *latency_targets(results["mix"]),
        )
    )
    rt_rows = [
        [
            r["store"],
            f"({r['key']}) {r['request']}",
            str(r["list_size"]),
            str(r["round_trips"]),
            ", ".join(f"{k}×{v}" for k, v in sorted(r["calls"].items())),
        ]
        for r in results["round_trips"]
    ]
    sections.append(
        (
            "Store round trips per GraphQL request (LDBC SF0.1)",
            ["store", "request", "list size", "statements (round trips)", "port calls"],
            rt_rows,
        )
    )
    sections += throughput_tables(results)
    sections.append(("Growth from the small to the large generated graph", *growth_table(results)))
    for title, headers, rows in sections:
        _show(console, title, headers, rows)
    body = [
        "# Benchmarks",
        "",
        "Generated by `make bench` (`python -m bench run`); do not edit by hand. Every comparison is a "
        "ratio of figures measured in the same run; absolute times vary with what else the shared "
        "machine is doing.",
        "",
        f"- Machine: {_machine()}",
        f"- Data: LDBC SNB SF0.1 and graphs generated by `bench/generate.py` (seeded Holme–Kim "
        f"power-law clustered network, m=10, p=0.3) of {results['small']:,} and "
        f"{results['people']:,} civil servants; whole run {results['seconds'] / 60:.1f} min.",
        "- In-process timings: the GraphQL request goes through the whole ASGI app (auth, limits, "
        "Strawberry, loaders, JSON) over httpx's ASGI transport, interleaved with the direct store "
        "calls for the same answer. The fixed cost is the median of `{ __typename }` through the "
        "same client and token (what every request pays before any field reads the store); a "
        "ratio target below (store + fixed cost) ÷ store cannot be met by any resolver work.",
        "- Load tests: a separate process (`bench/loadtest.py`, asyncio + httpx) keeps "
        f"{results['clients']} requests in flight against a uvicorn server (`expecs serve`) or the "
        "`@neo4j/graphql` server (`bench/neo4j_graphql/`) on the same machine, for a 2 s warm-up "
        "and a 10 s window; only requests started in the window count. On Neo4j both servers "
        "are up together and take turns on each query, first in turn (ours first on (a), theirs "
        "on (b), …): Neo4j warms up through a run, so servers measured one after the other "
        "would see different databases. Our server keeps its store "
        "time limit of 10 s, so a request queued longer fails; `0 (every request > window)` means "
        "no request started in the window finished before it closed. Our requests carry a member's "
        "bearer token (verified on every request); `@neo4j/graphql` runs without authentication. "
        "In (a) `@neo4j/graphql` does not return each connection's `since` (it formats DateTime "
        "with APOC, which Community lacks). In (g) each request sets a new bio, for both servers "
        "(`mix.VARIED`): the same bio again would be a write that changes nothing, and our server "
        "also records each mutation in the audit trail.",
        "",
    ]
    for title, headers, rows in sections:
        body += [f"## {title}", "", md(headers, rows), ""]
    body += [
        "## Latency vs graph size",
        "",
        "Each generated graph is asked about its own middle member (joined half-way) and its newest "
        "member, so (c)–(e) start from a different neighbourhood at each size; a hub-heavy graph "
        "makes the two-hop neighbourhood, not the graph size, what (c) and (e) pay for.",
        "",
        f"![latency vs size]({image.name})",
        "",
    ]
    from bench import cputime, huge
    from bench.soak import kept_section

    if soak := kept_section(out):  # written by `make soak`, kept across `make bench`
        body += [soak, ""]
    if cpu := kept_section(out, cputime.MARKERS):  # written by `make bench-cpu`
        body += [cpu, ""]
    if large := huge.kept(out):  # written by `make bench-huge`, kept across `make bench`
        body += [large, ""]
    out.write_text("\n".join(body))
    console.print(f"wrote {out} and {image}")

"""`python -m bench run [--people N] [--small N] [--store embedded|neo4j|both]` and
`python -m bench analytics [--store …] [--repeat N]` (both run by `make bench`).

Loads LDBC SF0.1 and two generated graphs (`--small` and `--people` civil servants) into each store,
measures the query mix in process (GraphQL vs direct store calls), store round trips per request,
and, on the largest graph, throughput under 16 concurrent clients from a separate process against
our server on each store and against `@neo4j/graphql` on the same Neo4j. Writes BENCHMARKS.md and
the latency-vs-size chart. Every figure that compares is a ratio measured within this one run.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from bench import analytics, huge, inprocess, report
from bench.generate import generate
from bench.harness import LDBC_DIR, loaded_store
from bench.mix import LDBC_SUBJECTS, Subjects
from bench.mix import requests as mix_requests

app = typer.Typer(help="A-EXPECS benchmarks: ratios measured within one run.", no_args_is_help=True)
ROOT = Path(__file__).resolve().parents[1]


@app.callback()
def main() -> None:
    """Pick a benchmark."""


generated_subjects = huge.subjects


@app.command("run")
def run(
    people: Annotated[
        int, typer.Option(envvar="BENCH_PEOPLE", help="civil servants in the large graph")
    ] = 100_000,
    small: Annotated[
        int, typer.Option(envvar="BENCH_SMALL", help="civil servants in the small graph")
    ] = 10_000,
    store: Annotated[str, typer.Option(help="embedded, neo4j or both")] = "both",
    repeat: Annotated[int, typer.Option(min=5, envvar="BENCH_REPEAT")] = 20,
    load_seconds: Annotated[
        float, typer.Option(envvar="BENCH_LOAD_SECONDS", help="seconds per load-test run")
    ] = 10.0,
    clients: Annotated[int, typer.Option(help="concurrent clients in the load test")] = 16,
    load_test: Annotated[bool, typer.Option(help="run the 16-client load tests")] = True,
    out: Annotated[Path, typer.Option(help="report file")] = ROOT / "BENCHMARKS.md",
) -> None:
    """Everything: in-process ratios, round trips, load tests, @neo4j/graphql, report and chart."""
    console = Console()
    kinds = ["embedded", "neo4j"] if store == "both" else [store]
    results: dict[str, Any] = {
        "people": people,
        "small": small,
        "clients": clients,
        "mix": [],
        "round_trips": [],
        "loads": [],
        "throughput": [],
    }

    async def one(kind: str, dataset: str, batch: Any, subjects: Subjects, largest: bool) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            # Generated graphs hold every record they refer to: on Neo4j, imported offline.
            method = (
                "import" if kind == "neo4j" and dataset.startswith("generated") else "bulk_load"
            )
            async with loaded_store(kind, Path(tmp), batch, dataset, method=method) as loaded:
                results["loads"].append(
                    {
                        "store": kind,
                        "dataset": dataset,
                        "method": method,
                        "seconds": loaded.load_s,
                        **loaded.counts,
                    }
                )
                results["mix"] += await inprocess.measure_mix(
                    loaded.store, kind, dataset, subjects, repeat
                )
                if dataset.startswith("ldbc"):
                    results["round_trips"] += await inprocess.round_trips(
                        loaded.store, kind, subjects
                    )
                if largest and load_test:
                    from bench import loadtest

                    await loaded.store.close()  # the server process opens the data itself
                    results["throughput"] += await asyncio.to_thread(
                        loadtest.run_all, loaded, subjects, clients, load_seconds, console
                    )

    started = time.perf_counter()
    from graph_db.importers.ldbc import DATASET_NAME, read_ldbc

    datasets: list[tuple[str, Any, Subjects, bool]] = [
        (DATASET_NAME, lambda: read_ldbc(LDBC_DIR), LDBC_SUBJECTS, False)
    ]
    for size in sorted({small, people}):
        datasets.append(
            (
                f"generated-{size}",
                lambda n=size: generate(n),
                generated_subjects(size),
                size == people,
            )
        )
    for dataset, make, subjects, largest in datasets:
        t = time.perf_counter()
        batch = make()
        results.setdefault("generation", {})[dataset] = time.perf_counter() - t
        console.print(f"{dataset}: {batch.counts()} made in {time.perf_counter() - t:.1f} s")
        for kind in kinds:
            asyncio.run(one(kind, dataset, batch, subjects, largest))
            results["seconds"] = time.perf_counter() - started
            save(results, out)  # a failure later keeps what was measured
        del batch
    report.write(results, out, console)


def save(results: dict[str, Any], out: Path) -> None:
    """Write the raw results beside the report (`BENCHMARKS.json`), for `python -m bench report`."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(results, indent=1, default=str))


@app.command("soak")
def soak(
    people: Annotated[
        int, typer.Option(envvar="SOAK_PEOPLE", help="civil servants in the generated graph")
    ] = 10_000,
    seconds: Annotated[float, typer.Option(envvar="SOAK_SECONDS", help="length per store")] = 600,
    clients: Annotated[int, typer.Option(envvar="SOAK_CLIENTS")] = 16,
    window: Annotated[float, typer.Option(help="seconds per reported window")] = 60,
    store: Annotated[str, typer.Option(help="embedded, neo4j or both")] = "both",
    out: Annotated[Path, typer.Option(help="report file")] = ROOT / "BENCHMARKS.md",
) -> None:
    """The query mix under `clients` clients for `seconds` on each store: 5xx, p95, memory."""
    from bench import loadtest
    from bench import soak as soaking

    console = Console()
    batch = generate(people)
    subjects = generated_subjects(people)
    results: list[dict[str, Any]] = []

    async def load(kind: str, tmp: Path) -> None:
        async with loaded_store(kind, tmp, batch, f"generated-{people}") as loaded:
            await loaded.store.close()  # the server process opens the data itself
            with loadtest.ours(loaded) as server:
                spec = {
                    "url": server.url,
                    "pid": server.pid,
                    "headers": {
                        "authorization": f"Bearer {inprocess.member_token(subjects.person)}"
                    },
                    "requests": mix_requests(subjects),
                    "clients": clients,
                    "seconds": seconds,
                    "window": window,
                }
                row = await asyncio.to_thread(soaking.drive, spec)
            results.append({"store": kind, "people": people, **row})
            console.print(
                f"{kind}: {row['requests']:,} requests, {row['server_errors']} 5xx,"
                f" {row['graphql_errors']} GraphQL errors, RSS {row['rss_start_mib']:.0f} →"
                f" {row['rss_end_mib']:.0f} MiB ({row['rss_growth_pct']:+.1f} %)"
            )

    for kind in ["embedded", "neo4j"] if store == "both" else [store]:
        with tempfile.TemporaryDirectory() as tmp:
            asyncio.run(load(kind, Path(tmp)))
    out.parent.mkdir(parents=True, exist_ok=True)
    raw = out.with_name("BENCHMARKS-soak.json")
    # A run of one store keeps the other store's last results.
    kept = json.loads(raw.read_text()) if raw.exists() else []
    ran = {r["store"] for r in results}
    results = [r for r in kept if r["store"] not in ran] + results
    raw.write_text(json.dumps(results, indent=1))
    soaking.write_section(out, soaking.section(results))
    console.print(f"wrote the soak section of {out}")


@app.command("cpu")
def cpu(
    people: Annotated[
        int, typer.Option(envvar="BENCH_PEOPLE", help="civil servants in the generated graph")
    ] = 100_000,
    seconds: Annotated[float, typer.Option(help="seconds per query and server")] = 10.0,
    clients: Annotated[int, typer.Option(help="concurrent clients")] = 16,
    out: Annotated[Path, typer.Option(help="report file")] = ROOT / "BENCHMARKS.md",
) -> None:
    """CPU ms per request by process (API, Neo4j, load driver) for the mix on Neo4j, ours and
    `@neo4j/graphql` (`bench/cputime.py`); writes its BENCHMARKS.md section."""
    from bench import cputime, loadtest
    from bench.mix import their_requests
    from bench.soak import write_section

    console = Console()
    batch = generate(people)
    subjects = generated_subjects(people)
    headers = {"authorization": f"Bearer {inprocess.member_token(subjects.person)}"}
    results: dict[str, Any] = {"people": people, "clients": clients}

    async def measure(tmp: Path) -> None:
        async with loaded_store("neo4j", tmp, batch, f"generated-{people}") as loaded:
            await loaded.store.close()  # the servers open the data themselves
            entries: list[cputime.Entry] = [
                ("ours", loadtest.ours, mix_requests(subjects), headers),
                ("floor", loadtest.ours, cputime.FLOOR, headers),
                ("theirs", loadtest.neo4j_graphql, their_requests(subjects), {}),
                ("theirs_floor", loadtest.neo4j_graphql, cputime.FLOOR[:1], {}),
            ]
            measured = await cputime.measure(loaded, entries, clients=clients, seconds=seconds)
            results.update(measured)
            for key, rows in measured.items():
                for r in rows:
                    console.print(
                        f"{key} ({r['key']}): {r['rps']:.1f} req/s, CPU ms/request API"
                        f" {r['api_ms']:.1f}, Neo4j {r['neo4j_ms']:.1f}, driver"
                        f" {r['driver_ms']:.1f}, {r['errors']} errors"
                    )

    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(measure(Path(tmp)))
    out.with_name("BENCHMARKS-cpu.json").write_text(json.dumps(results, indent=1))
    write_section(out, cputime.section(results), cputime.MARKERS)
    console.print(f"wrote the CPU section of {out}")


@app.command("load")
def load(
    people: Annotated[
        int, typer.Option(envvar="BENCH_HUGE", help="civil servants in the generated graph")
    ] = 100_000,
    store: Annotated[str, typer.Option(help="embedded, neo4j or both")] = "both",
    measure: Annotated[
        bool, typer.Option(help="measure the query mix too, and write its BENCHMARKS.md section")
    ] = False,
    repeat: Annotated[int, typer.Option(min=5, envvar="BENCH_REPEAT")] = 20,
    neo4j_limit: Annotated[
        float, typer.Option(help="seconds after which a Neo4j load is stopped")
    ] = 600,
    neo4j_method: Annotated[
        str, typer.Option(help="Neo4j load: import (offline, neo4j-admin) or bulk_load (online)")
    ] = "import",
    out: Annotated[Path, typer.Option(help="report file")] = ROOT / "BENCHMARKS.md",
) -> None:
    """Generate a graph and time its bulk load into each store (`--measure`: `make bench-huge`)."""
    console = Console()
    kinds = ["embedded", "neo4j"] if store == "both" else [store]
    results = huge.run(
        people,
        kinds,
        measure=measure,
        repeat=repeat,
        neo4j_limit_s=neo4j_limit,
        neo4j_method=neo4j_method,
        console=console,
    )
    if measure:
        out.with_name("BENCHMARKS-huge.json").write_text(json.dumps(results, indent=1))
        huge.write(results, out)
        console.print(f"wrote the {people:,}-people section of {out}")


@app.command("report")
def rerender(
    out: Annotated[Path, typer.Option(help="report file")] = ROOT / "BENCHMARKS.md",
) -> None:
    """Write the report and chart again from the raw results of the last run (`BENCHMARKS.json`)."""
    report.write(json.loads(out.with_suffix(".json").read_text()), out, Console())


@app.command("analytics")
def analytics_bench(
    store: Annotated[str, typer.Option(help="embedded, neo4j or both")] = "both",
    repeat: Annotated[int, typer.Option(min=5)] = 30,
) -> None:
    """Analytics on LDBC SF0.1: live dashboard queries (GraphQL vs store) and an analytics run."""
    from graph_db.importers.ldbc import DATASET_NAME, read_ldbc

    console = Console()
    batch = read_ldbc(LDBC_DIR)

    async def main() -> None:
        for kind in ["embedded", "neo4j"] if store == "both" else [store]:
            with tempfile.TemporaryDirectory() as tmp:
                async with loaded_store(kind, Path(tmp), batch, DATASET_NAME) as loaded:
                    await analytics.run(loaded.store, kind, repeat, console)

    asyncio.run(main())


if __name__ == "__main__":
    app()

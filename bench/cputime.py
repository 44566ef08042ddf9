"""Where the time goes under load: CPU milliseconds per request, by process.

`make bench-cpu` (`python -m bench cpu`) loads the generated graph into Neo4j, then drives each
query of the mix (a)–(g) with 16 clients from a separate process, against our server and against
`@neo4j/graphql` on the same database, one at a time, the servers taking turns on each query. For each it reads the CPU time (user +
system, `/proc/<pid>/stat`) that the API server, the Neo4j JVM and the load driver spent during
the window, and divides by the requests completed. On a machine whose cores all three share,
throughput is bounded by the sum: a query whose three figures add up to twice theirs cannot
serve more than half their requests per second, whatever the concurrency.

Two floor rows measure what any request costs before the mix's work: `{ __typename }` (HTTP,
authentication, parsing, validation, execution, JSON) and `{ viewer { id } }` (plus one store
read). The result goes into BENCHMARKS.md between `<!-- cpu -->` markers (kept when `make bench`
rewrites the file) and into BENCHMARKS-cpu.json.
"""

from __future__ import annotations

import asyncio
import os
import resource
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, ExitStack
from pathlib import Path
from typing import Any, Final

from bench import loadtest
from bench.harness import Loaded
from bench.loadtest import Request, Server

MARKERS = ("<!-- cpu -->", "<!-- /cpu -->")
TICKS = os.sysconf("SC_CLK_TCK")
FLOOR: list[Request] = [
    ("typename", "{ __typename }", "{__typename}", {}),
    ("viewer", "{ viewer { id } }", "{viewer{id}}", {}),
]
"""Requests that measure a request's fixed cost (our server only; the second reads the store)."""


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds process `pid` has used so far (Linux `/proc/<pid>/stat`)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def _children_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


Entry = tuple[
    str, Callable[[Loaded], AbstractContextManager[Server]], list[Request], dict[str, str]
]
"""What to measure: a result key, the server that answers (`loadtest.ours` or
`loadtest.neo4j_graphql`), its requests, and the headers they carry."""


WARM_UP_S: Final = 2.0
"""Seconds each request of each entry runs unmeasured before the windows (`measure`)."""


async def measure(
    loaded: Loaded, entries: list[Entry], *, clients: int, seconds: float
) -> dict[str, list[dict[str, Any]]]:
    """Drive each entry's requests with `clients` clients for `seconds` against its server on
    `loaded` (Neo4j): by entry key, rows `{key, label, rps, api_ms, neo4j_ms, driver_ms,
    errors}`, CPU ms per completed request by process (the driver is the load generator, a child
    process).

    The servers are up together and the entries take turns: the i-th request of each entry, in
    the entries' order on even i and the reverse on odd i. Neo4j keeps warming up (its JIT)
    through a run, so servers measured one after the other would see different databases.
    Before any window, every request of every entry runs for `WARM_UP_S` unmeasured (as `make
    bench`'s 1-client runs do there): else the first server on a write meets a freshly loaded
    Neo4j's first writes (9.7 ms of its CPU an edit, against 2.5 ms warm)."""
    assert loaded.neo4j is not None
    results: dict[str, list[dict[str, Any]]] = {key: [] for key, *_ in entries}
    with ExitStack() as stack:
        servers: dict[Any, Server] = {}
        for _, start, _, _ in entries:
            if start not in servers:
                servers[start] = stack.enter_context(start(loaded))
        for _, start, requests, headers in entries:
            for request in requests:
                await asyncio.to_thread(
                    loadtest.drive, servers[start].url, request, headers, clients, WARM_UP_S
                )
        for i in range(max(len(requests) for _, _, requests, _ in entries)):
            for key, start, requests, headers in entries if i % 2 == 0 else entries[::-1]:
                if i < len(requests):
                    server = servers[start]
                    results[key].append(
                        await _window(loaded, server, requests[i], headers, clients, seconds)
                    )
    return results


async def _window(
    loaded: Loaded,
    server: Server,
    request: Request,
    headers: dict[str, str],
    clients: int,
    seconds: float,
) -> dict[str, Any]:
    assert loaded.neo4j is not None
    before = (cpu_seconds(server.pid), cpu_seconds(loaded.neo4j.pid), _children_seconds())
    began = time.perf_counter()
    row = await asyncio.to_thread(loadtest.drive, server.url, request, headers, clients, seconds)
    elapsed = time.perf_counter() - began
    after = (cpu_seconds(server.pid), cpu_seconds(loaded.neo4j.pid), _children_seconds())
    done = max(row["rps"] * elapsed, 1.0)
    api, neo, driver = (1000 * (a - b) / done for a, b in zip(after, before, strict=True))
    return {
        "key": request[0],
        "label": request[1],
        "rps": row["rps"],
        "api_ms": api,
        "neo4j_ms": neo,
        "driver_ms": driver,
        "errors": row["errors"],
    }


def section(results: dict[str, Any]) -> str:
    """The BENCHMARKS.md section for `results` ({people, clients, ours: rows, theirs: rows,
    floor: rows, theirs_floor: rows})."""
    theirs = {r["key"]: r for r in results["theirs"]}

    def total(r: dict[str, Any]) -> float:
        return float(r["api_ms"] + r["neo4j_ms"] + r["driver_ms"])

    lines = [
        MARKERS[0],
        "## Where the time goes: CPU per request by process (Neo4j)",
        "",
        f"Generated by `make bench-cpu` (`python -m bench cpu`): {results['people']:,} generated"
        f" people on Neo4j, {results['clients']} clients, CPU ms per completed request (user +"
        " system) of the API server, the Neo4j JVM and the load driver, read from `/proc` over"
        " each window. All three share the machine's cores, so the sum bounds throughput:"
        " ours ÷ theirs throughput is about theirs ÷ ours in the last column.",
        "",
        "| query | ours req/s | ours API / Neo4j / driver ms | theirs req/s |"
        " theirs API / Neo4j / driver ms | total ours ÷ theirs |",
        "|---|---|---|---|---|---|",
    ]
    for r in results["ours"]:
        t = theirs.get(r["key"])
        split = f"{r['api_ms']:.1f} / {r['neo4j_ms']:.1f} / {r['driver_ms']:.1f}"
        if t is None:
            lines.append(f"| ({r['key']}) {r['label']} | {r['rps']:.1f} | {split} | – | – | – |")
            continue
        their_split = f"{t['api_ms']:.1f} / {t['neo4j_ms']:.1f} / {t['driver_ms']:.1f}"
        lines.append(
            f"| ({r['key']}) {r['label']} | {r['rps']:.1f} | {split} | {t['rps']:.1f} |"
            f" {their_split} | {total(r) / total(t):.2f} |"
        )
    lines += [
        "",
        "Fixed cost of a request (no mix work):",
        "",
        "| server | request | req/s | API / Neo4j / driver ms |",
        "|---|---|---|---|",
    ]
    for server, key in (("ours", "floor"), ("@neo4j/graphql", "theirs_floor")):
        for r in results[key]:
            lines.append(
                f"| {server} | `{r['label']}` | {r['rps']:.1f} |"
                f" {r['api_ms']:.2f} / {r['neo4j_ms']:.2f} / {r['driver_ms']:.2f} |"
            )
    return "\n".join([*lines, MARKERS[1]])

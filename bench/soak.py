"""Soak test: the benchmark's query mix under concurrent clients for minutes, on each store.

`python -m bench soak` (`make soak`) loads a generated graph into a fresh store, starts our server
(`expecs serve`'s app under uvicorn, one process) on it and, from a separate load-generator
process, keeps `clients` requests in flight for `seconds`, each client cycling through the mix
(a)–(g). Every `window` seconds it records the requests finished, HTTP 5xx answers, GraphQL
errors, the p95 latency (ms) and the server's resident memory (MiB, `/proc/<pid>/status`). The
result goes into BENCHMARKS.md between `<!-- soak -->` markers (kept when `make bench` rewrites
the rest) and into BENCHMARKS-soak.json. Goal (issue #17): no errors, memory growth < 10 %.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from bench.harness import run_module, summarise

ROOT = Path(__file__).resolve().parents[1]
WARMUP_S = 10.0
MARKERS = ("<!-- soak -->", "<!-- /soak -->")


def rss_mib(pid: int) -> float:
    """Resident memory of process `pid` in MiB (Linux `/proc`)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def drive(spec: dict[str, Any]) -> dict[str, Any]:
    """Run the soak driver in a new process (so the server and the driver do not share a GIL)."""
    return run_module("bench.soak", spec)


async def _soak(spec: dict[str, Any]) -> dict[str, Any]:
    """The driver: `spec` has url, headers, requests [(key, label, query, variables)], clients,
    seconds, window (s) and the server's pid."""
    mix = spec["requests"]
    pid = spec["pid"]
    window_s = spec["window"]
    windows: list[dict[str, Any]] = []
    current: dict[str, Any] = {"latencies": [], "server_errors": 0, "graphql_errors": 0}
    first_error: str | None = None
    limits = httpx.Limits(
        max_connections=spec["clients"], max_keepalive_connections=spec["clients"]
    )
    async with httpx.AsyncClient(limits=limits, headers=spec["headers"], timeout=60) as client:
        started = time.perf_counter()
        warm_until = started + WARMUP_S
        stop_at = warm_until + spec["seconds"]
        rss_start: float | None = None

        async def worker(offset: int) -> None:
            nonlocal first_error
            turn = offset
            while (began := time.perf_counter()) < stop_at:
                _, _, query, variables = mix[turn % len(mix)]
                turn += 1
                try:
                    answer = await client.post(
                        spec["url"], json={"query": query, "variables": variables}
                    )
                    status, payload = answer.status_code, answer.json()
                except (httpx.HTTPError, ValueError) as exc:
                    status, payload = 599, {"errors": [repr(exc)]}
                if began < warm_until:
                    continue
                current["latencies"].append((time.perf_counter() - began) * 1000)
                if status >= 500:
                    current["server_errors"] += 1
                if payload.get("errors"):
                    current["graphql_errors"] += 1
                    first_error = first_error or json.dumps(payload["errors"])[:300]

        async def sampler() -> None:
            nonlocal rss_start, current
            await asyncio.sleep(max(0.0, warm_until - time.perf_counter()))
            rss_start = rss_mib(pid)
            while time.perf_counter() < stop_at:
                await asyncio.sleep(window_s)
                done, current = current, {"latencies": [], "server_errors": 0, "graphql_errors": 0}
                timing = summarise(done["latencies"] or [0.0])
                windows.append(
                    {
                        "t_s": round(time.perf_counter() - warm_until),
                        "requests": len(done["latencies"]),
                        "server_errors": done["server_errors"],
                        "graphql_errors": done["graphql_errors"],
                        "p95_ms": timing.p95_ms,
                        "rss_mib": rss_mib(pid),
                    }
                )

        await asyncio.gather(sampler(), *(worker(i) for i in range(spec["clients"])))
    assert rss_start is not None
    rss_end = rss_mib(pid)
    return {
        "clients": spec["clients"],
        "seconds": spec["seconds"],
        "requests": sum(w["requests"] for w in windows),
        "server_errors": sum(w["server_errors"] for w in windows),
        "graphql_errors": sum(w["graphql_errors"] for w in windows),
        "first_error": first_error,
        "rss_start_mib": rss_start,
        "rss_end_mib": rss_end,
        "rss_growth_pct": 100 * (rss_end - rss_start) / rss_start,
        "windows": windows,
    }


def section(results: list[dict[str, Any]]) -> str:
    """The Markdown section (between `MARKERS`) for the soak results of each store."""
    lines = [
        MARKERS[0],
        "## Soak: the mix for minutes",
        "",
        "Generated by `make soak` (`python -m bench soak`): each store loaded with the generated "
        "graph below, our server (one uvicorn process), a separate load-generator process keeping "
        "the clients' requests in flight, each client cycling through (a)–(g) (so (g) writes all "
        "along). Goal: no errors, server memory growth < 10 % from the end of the warm-up to the end.",
        "",
        "| store | people | clients | minutes | requests | 5xx | GraphQL errors | RSS start MiB | RSS end MiB | growth | p95 ms by window |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        p95s = " ".join(f"{w['p95_ms']:.0f}" for w in r["windows"])
        lines.append(
            f"| {r['store']} | {r['people']:,} | {r['clients']} | {r['seconds'] / 60:.0f} "
            f"| {r['requests']:,} | {r['server_errors']} | {r['graphql_errors']} "
            f"| {r['rss_start_mib']:.0f} | {r['rss_end_mib']:.0f} | {r['rss_growth_pct']:+.1f} % "
            f"| {p95s} |"
        )
    errors = [
        f"- {r['store']}: first error {r['first_error']}" for r in results if r["first_error"]
    ]
    return "\n".join([*lines, "", *errors, MARKERS[1]])


def write_section(out: Path, text: str, markers: tuple[str, str] = MARKERS) -> None:
    """Put `text` (a section between `markers`) into `out`, replacing an earlier one or
    appending."""
    body = out.read_text() if out.exists() else ""
    start, end = body.find(markers[0]), body.find(markers[1])
    if start >= 0 and end > start:
        body = body[:start] + text + body[end + len(markers[1]) :]
    else:
        body = body.rstrip("\n") + "\n\n" + text + "\n"
    out.write_text(body)


def kept_section(out: Path, markers: tuple[str, str] = MARKERS) -> str | None:
    """The section of `out` between `markers` (the soak's by default), if it has one (so
    `make bench` keeps it)."""
    body = out.read_text() if out.exists() else ""
    start, end = body.find(markers[0]), body.find(markers[1])
    return body[start : end + len(markers[1])] if start >= 0 and end > start else None


if __name__ == "__main__":
    print(json.dumps(asyncio.run(_soak(json.loads(sys.argv[1])))))

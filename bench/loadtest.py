"""Throughput and p95 under concurrent clients, from a separate load-generator process.

`run_all` starts the servers (ours: uvicorn with the app factory on the loaded store; on Neo4j
also `@neo4j/graphql` on the same database), then for each query of the mix, the servers taking
turns (and turns being first), runs `python -m bench.loadtest` in a new process: an asyncio + httpx driver that keeps `clients`
requests in flight for a warm-up and then `seconds`, and prints requests/s, median and p95 (ms)
and errors as JSON. Servers and driver share the machine's cores, alike for every server.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import httpx
from rich.console import Console

from bench.harness import Loaded, run_module, summarise
from bench.inprocess import member_token
from bench.mix import VARIED, Subjects, requests, their_requests

ROOT = Path(__file__).resolve().parents[1]
NEO4J_GRAPHQL_DIR = Path(__file__).with_name("neo4j_graphql")
WARMUP_S = 2.0
Request = tuple[str, str, str, dict[str, Any]]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server(NamedTuple):
    """A server started for a benchmark: its /graphql URL and its process id."""

    url: str
    pid: int


@contextlib.contextmanager
def _server(
    cmd: list[str], env: dict[str, str], cwd: Path, probe: dict[str, Any]
) -> Iterator[Server]:
    """Start `cmd` (with `{port}` filled in, and PORT in its environment) and yield it once
    `probe` (a GraphQL body) answers 200 at its /graphql URL; terminate it on exit."""
    port = _free_port()
    proc = subprocess.Popen(
        [c.replace("{port}", str(port)) for c in cmd],
        env={**os.environ, **env, "PORT": str(port)},
        cwd=cwd,
        stdout=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/graphql"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"{cmd[0]} exited with {proc.returncode}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.post(url, json=probe).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not answer in 120 s")
            time.sleep(0.3)
        yield Server(url, proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def ours(loaded: Loaded) -> contextlib.AbstractContextManager[Server]:
    """Our API on the loaded data: uvicorn (uvloop, httptools), one worker, no access log."""
    env = {
        **loaded.server_env(),
        "EXPECS_ENVIRONMENT": "test",  # no per-caller rate limit: 16 clients share one token
        "EXPECS_LOG_LEVEL": "warning",
    }
    cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "graph_api.app:create_app",
        "--host",
        "127.0.0.1",
        "--port",
        "{port}",
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    return _server(cmd, env, ROOT, {"query": "{ countries(first: 1) { totalCount } }"})


def neo4j_graphql(loaded: Loaded) -> contextlib.AbstractContextManager[Server]:
    """`@neo4j/graphql` on Apollo Server (bench/neo4j_graphql), on the same Neo4j."""
    if not (NEO4J_GRAPHQL_DIR / "node_modules").exists():
        npm = shutil.which("npm") or "npm"
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=NEO4J_GRAPHQL_DIR, check=True)
    env = {
        "NEO4J_URI": loaded.neo4j.uri,
        "NEO4J_USER": loaded.neo4j.user,
        "NEO4J_PASSWORD": loaded.neo4j.password,
    }
    node = shutil.which("node") or "node"
    return _server([node, "index.mjs"], env, NEO4J_GRAPHQL_DIR, {"query": "{ __typename }"})


def drive(
    url: str, request: Request, headers: dict[str, str], clients: int, seconds: float
) -> dict[str, Any]:
    """Run the driver in a new process against `url` and return its JSON report; the variable
    `mix.VARIED` names for `request`'s key gets a new value in each request."""
    key, label, query, variables = request
    spec = {
        "url": url,
        "query": query,
        "variables": variables,
        "varied": VARIED.get(key),
        "headers": headers,
        "clients": clients,
        "seconds": seconds,
    }
    return {"key": key, "query": label, **run_module("bench.loadtest", spec)}


def run_all(
    loaded: Loaded, s: Subjects, clients: int, seconds: float, console: Console
) -> list[dict[str, Any]]:
    """Every query of the mix against our server on `loaded`, and on Neo4j against `@neo4j/graphql`,
    with 1 client and with `clients` clients (under load, requests/s should not fall below what one
    client gets).

    Returns:
        One row per server, query and client count: `{"server", "clients", "key", "query",
        "requests", "errors", "first_error", "rps", "median_ms", "p95_ms", "response_bytes"}`.
    """
    runs: list[dict[str, Any]] = []
    servers: list[tuple[str, Any, list[Request], dict[str, str]]] = [
        (
            f"ours on {loaded.kind}",
            ours,
            requests(s),
            {"authorization": f"Bearer {member_token(s.person)}"},
        ),
    ]
    if loaded.kind == "neo4j":
        servers.append(("@neo4j/graphql", neo4j_graphql, their_requests(s), {}))
    with contextlib.ExitStack() as stack:
        up = [
            (name, stack.enter_context(start(loaded)), {r[0]: r for r in mix}, headers)
            for name, start, mix, headers in servers
        ]
        for i, key in enumerate(r[0] for r in servers[0][2]):
            # Servers take turns on each query, in turn first: Neo4j keeps warming up (its JIT)
            # through a run, so servers measured one after the other see different databases.
            turn = up if i % 2 == 0 else up[::-1]
            for n in sorted({1, clients}):
                for name, server, mix, headers in turn:
                    row = {
                        "server": name,
                        "clients": n,
                        **drive(server.url, mix[key], headers, n, seconds),
                    }
                    console.print(
                        f"{name} ({row['key']}), {n} clients: {row['rps']:.0f} req/s,"
                        f" p95 {row['p95_ms']:.0f} ms, {row['errors']} errors"
                        f" {row.get('first_error') or ''}"
                    )
                    runs.append(row)
    return runs


async def _load(spec: dict[str, Any]) -> dict[str, Any]:
    varied = spec.get("varied")
    sent = itertools.count()

    def body() -> dict[str, Any]:
        variables = dict(spec["variables"])
        if varied:
            variables[varied] = f"{variables[varied]} #{next(sent)}"
        return {"query": spec["query"], "variables": variables}

    latencies: list[float] = []
    errors = 0
    first_error: str | None = None
    sizes: list[int] = []
    last_done = 0.0
    limits = httpx.Limits(
        max_connections=spec["clients"], max_keepalive_connections=spec["clients"]
    )
    async with httpx.AsyncClient(limits=limits, headers=spec["headers"], timeout=60) as client:
        warm_until = time.perf_counter() + WARMUP_S
        stop_at = warm_until + spec["seconds"]

        async def worker() -> None:
            nonlocal errors, first_error, last_done
            while (started := time.perf_counter()) < stop_at:
                answer = await client.post(spec["url"], json=body())
                last_done = time.perf_counter()
                elapsed = (last_done - started) * 1000
                if started < warm_until:
                    continue
                payload = answer.json() if answer.status_code == 200 else {"errors": [answer.text]}
                if payload.get("errors"):
                    errors += 1
                    first_error = first_error or json.dumps(payload["errors"])[:300]
                latencies.append(elapsed)
                sizes.append(len(answer.content))

        await asyncio.gather(*(worker() for _ in range(spec["clients"])))
    timing = summarise(latencies or [0.0])
    return {
        "requests": len(latencies),
        "errors": errors,
        "first_error": first_error,
        # Requests started in the window, over the time until the last of them finished.
        "rps": len(latencies) / max(spec["seconds"], last_done - warm_until),
        "median_ms": timing.median_ms,
        "p95_ms": timing.p95_ms,
        "response_bytes": int(sum(sizes) / len(sizes)) if sizes else 0,
    }


if __name__ == "__main__":
    print(json.dumps(asyncio.run(_load(json.loads(sys.argv[1])))))

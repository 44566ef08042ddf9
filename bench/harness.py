"""Shared benchmark plumbing: stores loaded with LDBC SF0.1, an in-process GraphQL client, timing."""

from __future__ import annotations

import contextlib
import statistics
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from asgi_lifespan import LifespanManager
from rich.table import Table

from graph_api.app import create_app
from graph_api.settings import Settings
from graph_db.importers.ldbc import DATASET_NAME, read_ldbc
from graph_db.port import GraphStore
from graph_db.reference import load_reference

LDBC_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "ldbc-snb" / "sf0.1"


@dataclass
class Timing:
    """Median and p95 of repeated runs, in ms."""

    median_ms: float
    p95_ms: float


async def timed(work: Callable[[], Awaitable[Any]], repeat: int, warmup: int = 3) -> Timing:
    """Run `work` `warmup` times untimed, then `repeat` times timed (wall clock, ms)."""
    for _ in range(warmup):
        await work()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        await work()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return Timing(
        statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.95))]
    )


@contextlib.asynccontextmanager
async def ldbc_store(kind: str, workdir: Path) -> AsyncIterator[GraphStore]:
    """A store of `kind` ("embedded" or "neo4j") with reference data and LDBC SF0.1 loaded."""
    batch = read_ldbc(LDBC_DIR)
    server = None
    if kind == "embedded":
        from graph_db.embedded import EmbeddedStore

        store: GraphStore = await EmbeddedStore.open(workdir / "bench.lbdb")
    else:
        from graph_api.local_neo4j import start_local_neo4j
        from graph_db.neo4j import Neo4jStore

        server = start_local_neo4j(enable_http=False, timeout_s=240)
        store = await Neo4jStore.open(server.uri, server.user, server.password)
    try:
        started = time.perf_counter()
        await store.upsert_batch(load_reference())
        await store.bulk_load(batch, dataset=DATASET_NAME)
        print(f"[{kind}] LDBC SF0.1 loaded in {time.perf_counter() - started:.2f} s")
        yield store
    finally:
        await store.close()
        if server is not None:
            server.stop()


@contextlib.asynccontextmanager
async def graphql_client(
    store: GraphStore, token: str | None = None
) -> AsyncIterator[Callable[..., Awaitable[Any]]]:
    """A function `post(query, variables)` that runs a request through the whole app (ASGI, in process)."""
    app = create_app(Settings(environment="test"), store=store)
    headers = {"authorization": f"Bearer {token}"} if token else {}
    async with LifespanManager(app) as manager:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app), base_url="http://b"
        ) as client:

            async def post(query: str, variables: dict[str, Any] | None = None) -> Any:
                body = (
                    await client.post(
                        "/graphql",
                        json={"query": query, "variables": variables or {}},
                        headers=headers,
                    )
                ).json()
                if "errors" in body:
                    raise RuntimeError(body["errors"])
                return body["data"]

            yield post


def ratio_table(title: str) -> Table:
    """A rich table for GraphQL-vs-store timings: query, GraphQL median and p95, store median, ratio."""
    table = Table(title=title)
    for column in ("query", "GraphQL median", "GraphQL p95", "store median", "ratio"):
        table.add_column(column, justify="right" if column != "query" else "left")
    return table


async def compare(
    table: Table,
    name: str,
    post: Callable[..., Awaitable[Any]],
    query: str,
    direct: Callable[[], Awaitable[Any]],
    repeat: int,
) -> float:
    """Time a GraphQL request and the equivalent direct store calls, add a row to a `ratio_table`,
    and return the ratio of the medians (GraphQL ÷ store)."""
    api = await timed(lambda: post(query), repeat)
    raw = await timed(direct, repeat)
    ratio = api.median_ms / raw.median_ms
    table.add_row(
        name, f"{api.median_ms:.1f}", f"{api.p95_ms:.1f}", f"{raw.median_ms:.1f}", f"{ratio:.2f}"
    )
    return ratio

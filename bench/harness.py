"""Shared benchmark plumbing: stores loaded with a data set, an in-process GraphQL client, timing,
and a store wrapper that counts round trips."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from asgi_lifespan import LifespanManager
from rich.table import Table

from graph_api.app import create_app
from graph_api.settings import Settings
from graph_db.port import GraphStore
from graph_db.records import ColumnarBatch, GraphBatch
from graph_db.reference import load_reference

LDBC_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "ldbc-snb" / "sf0.1"


@dataclass
class Timing:
    """Median and p95 of repeated runs, in ms."""

    median_ms: float
    p95_ms: float


def run_module(module: str, spec: dict[str, Any]) -> dict[str, Any]:
    """Run `python -m <module> '<spec as JSON>'` (a load driver in its own process, so it shares
    no GIL with the server) and return the JSON it prints."""
    done = subprocess.run(
        [sys.executable, "-m", module, json.dumps(spec)],
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(done.stdout))


def summarise(samples_ms: list[float]) -> Timing:
    """Median and p95 (nearest rank) of samples in ms."""
    samples = sorted(samples_ms)
    return Timing(
        statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.95))]
    )


async def timed(work: Callable[[], Awaitable[Any]], repeat: int, warmup: int = 3) -> Timing:
    """Run `work` `warmup` times untimed, then `repeat` times timed (wall clock, ms)."""
    for _ in range(warmup):
        await work()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        await work()
        samples.append((time.perf_counter() - started) * 1000)
    return summarise(samples)


async def paired(
    first: Callable[[], Awaitable[Any]],
    second: Callable[[], Awaitable[Any]],
    repeat: int,
    warmup: int = 3,
) -> tuple[Timing, Timing]:
    """Time two pieces of work interleaved (A, B, A, B, …) so that machine noise hits both alike."""
    for _ in range(warmup):
        await first()
        await second()
    a, b = [], []
    for _ in range(repeat):
        for work, samples in ((first, a), (second, b)):
            started = time.perf_counter()
            await work()
            samples.append((time.perf_counter() - started) * 1000)
    return summarise(a), summarise(b)


@dataclass
class Loaded:
    """A store of `kind` with a data set loaded; what a server in another process needs to reach it.

    Attributes:
        load_s: wall-clock seconds of the load (reference data not included): `bulk_load` into
            a running store, or for `method` "import" the whole offline import (files written,
            `neo4j-admin database import full`, the server's start, indexes populated).
        method: "bulk_load" or "import".
        path: the embedded database file (embedded only).
        neo4j: the local Neo4j server handle (Neo4j only).
    """

    kind: str
    store: GraphStore
    load_s: float
    counts: dict[str, int]
    path: Path | None = None
    neo4j: Any = None
    method: str = "bulk_load"

    def server_env(self) -> dict[str, str]:
        """`EXPECS_*` variables that point `expecs serve` at this data."""
        if self.kind == "embedded":
            return {"EXPECS_STORE": "embedded", "EXPECS_EMBEDDED__PATH": str(self.path)}
        return {
            "EXPECS_STORE": "neo4j",
            "EXPECS_NEO4J__URI": self.neo4j.uri,
            "EXPECS_NEO4J__USER": self.neo4j.user,
            "EXPECS_NEO4J__PASSWORD": self.neo4j.password,
        }


NEO4J_SERVER = {"timeout_s": 240, "heap_max": "2g", "pagecache": "1g"}
"""How the benchmarks start Neo4j (`devtools.local_neo4j.start_local_neo4j`)."""


@contextlib.asynccontextmanager
async def loaded_store(
    kind: str,
    workdir: Path,
    batch: GraphBatch | ColumnarBatch,
    dataset: str,
    limit_s: float | None = None,
    *,
    method: str = "bulk_load",
) -> AsyncIterator[Loaded]:
    """A fresh store of `kind` ("embedded" or "neo4j", its own new server) with reference data and
    `batch` loaded as `dataset`; closed (server stopped) on exit.

    Args:
        method: "bulk_load" (`GraphStore.bulk_load` into the running store) or, on Neo4j only,
            "import": `graph_db.neo4j.admin_import` files imported into the server's empty
            database before its first start (`batch` must hold every record its relationships
            refer to, as generated graphs do); reference data is merged after it.

    Raises:
        TimeoutError: the load took longer than `limit_s` seconds (a `bulk_load` is stopped
            then; an import is checked once done).
        ValueError: `method` is not one of the two, or "import" on the embedded store.
    """
    if method not in ("bulk_load", "import") or (method == "import" and kind != "neo4j"):
        raise ValueError(f"no {method!r} load for the {kind} store")
    server = None
    path = None
    started = time.perf_counter()
    if kind == "embedded":
        from graph_db.embedded import EmbeddedStore

        path = workdir / f"{dataset}.lbdb"
        store: GraphStore = await EmbeddedStore.open(path)
    elif method == "import":
        server, store = await _imported_neo4j(workdir / "import", batch, dataset)
    else:
        from devtools.local_neo4j import start_local_neo4j
        from graph_db.neo4j import Neo4jStore

        server = start_local_neo4j(**NEO4J_SERVER)  # type: ignore[arg-type]
        store = await Neo4jStore.open(server.uri, server.user, server.password)
    try:
        if method == "import":
            load_s = time.perf_counter() - started
            if limit_s is not None and load_s > limit_s:
                raise TimeoutError(f"the import took {load_s:.0f} s")
            counts = batch.counts()
            await store.upsert_batch(load_reference())
        else:
            await store.upsert_batch(load_reference())
            started = time.perf_counter()
            counts = await asyncio.wait_for(store.bulk_load(batch, dataset=dataset), limit_s)
            load_s = time.perf_counter() - started
        print(f"[{kind}] {dataset} loaded ({method}) in {load_s:.2f} s")
        yield Loaded(kind, store, load_s, counts, path, server, method)
    finally:
        await store.close()
        if server is not None:
            server.stop()


async def _imported_neo4j(
    directory: Path, batch: GraphBatch | ColumnarBatch, dataset: str
) -> tuple[Any, GraphStore]:
    """A new local Neo4j whose database was imported from `batch` before it started, opened."""
    from devtools.local_neo4j import start_local_neo4j
    from graph_db.core.bulk import BulkLoad
    from graph_db.neo4j import Neo4jStore
    from graph_db.neo4j.admin_import import write_import_files

    t = time.perf_counter()
    files = write_import_files(BulkLoad.of(batch, dataset), directory)
    print(f"[neo4j] import files written in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    server = await asyncio.to_thread(
        start_local_neo4j,
        import_arguments=files.arguments(),
        **NEO4J_SERVER,  # type: ignore[arg-type]
    )
    print(f"[neo4j] imported and started in {time.perf_counter() - t:.1f} s")
    shutil.rmtree(directory, ignore_errors=True)
    try:
        t = time.perf_counter()
        store = await Neo4jStore.open(server.uri, server.user, server.password, imported=True)
        print(f"[neo4j] migrated (indexes populated) in {time.perf_counter() - t:.1f} s")
    except BaseException:
        server.stop()
        raise
    return server, store


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


class StatementCounter:
    """Counts the statements a store runs while `counting()`: each `_read` (one query) and each
    `_transact` (one write transaction) of the core store, i.e. its round trips on Neo4j, even
    where one port method reads several times."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.reads = 0
        self.writes = 0

    @contextlib.contextmanager
    def counting(self) -> Iterator[StatementCounter]:
        store: Any = self.store
        read, transact = store._read, store._transact

        async def counted_read(*args: Any, **kwargs: Any) -> Any:
            self.reads += 1
            return await read(*args, **kwargs)

        async def counted_transact(*args: Any, **kwargs: Any) -> Any:
            self.writes += 1
            return await transact(*args, **kwargs)

        store._read, store._transact = counted_read, counted_transact
        try:
            yield self
        finally:
            del store._read, store._transact


@dataclass
class CountingStore:
    """Wraps a store and counts calls to its async methods (one call = one store round trip:
    every adapter method runs one query, or one transaction of a few)."""

    store: GraphStore
    calls: Counter[str] = field(default_factory=Counter)

    def __getattr__(self, name: str) -> Any:
        target = getattr(self.store, name)
        if not inspect.iscoroutinefunction(target) or name.startswith("_"):
            return target  # attributes and plain methods (e.g. listener registration) as they are

        async def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls[name] += 1
            return await target(*args, **kwargs)

        return counted

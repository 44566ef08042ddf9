"""`GraphStore` on LadybugDB: one `Database` per process, concurrent reads, one writer at a time.

Connection handling only; every rule is in `graph_db.core`. LadybugDB allows a single write
transaction at a time (DESIGN.md, measured: concurrent MERGEs fail with "Only one write
transaction at a time is allowed"), so every write transaction runs on one dedicated connection,
on one writer thread, under an `asyncio.Lock`, between BEGIN and COMMIT. Reads go through an
`AsyncConnection` pool of `max_concurrent_reads` connections.
"""

from __future__ import annotations

import asyncio
import ctypes
import logging
import sys
import threading
from collections.abc import Callable, Coroutine, Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, ClassVar, LiteralString, TypeVar

import ladybug
import pandas as pd
from filelock import FileLock, Timeout

from graph_db.analytics import cypher as AC
from graph_db.analytics.records import AnalyticsRun, PersonScore
from graph_db.analytics.shared import run_params
from graph_db.core import cypher as C
from graph_db.core.base import Dialect, Rows, Transaction, Work
from graph_db.core.bulk import BulkLoad
from graph_db.core.search import index_documents
from graph_db.core.store import StoreCore
from graph_db.embedded import dialect as D
from graph_db.embedded.migrations import MIGRATION_TABLE, MIGRATIONS
from graph_db.errors import Conflict, InvalidInput, StoreError, StoreUnavailable
from graph_db.records import utc_now

log = logging.getLogger(__name__)
T = TypeVar("T")

_OPEN_PATHS: set[Path] = set()
"""Database paths opened by this process: a second `Database` on one path raised no error when
measured, so the adapter refuses it itself."""


_AS_IS = frozenset({str, int, float, bool, type(None)})
"""Types read as they are: checked inline before calling `_plain`, since rows and lists hold tens
of thousands of them (a call per value cost 30 ms on a depth-2 ego network's 50k keys)."""


def _binding_leaks_temporals() -> bool:
    """Whether this `ladybug` build returns DATE and TIMESTAMP values with one reference too many.

    LadybugDB 0.22's Python binding wraps the new reference from `PyDate_FromDate` /
    `PyDateTime_FromDateAndTime` in `py::cast<py::object>(…)`, which borrows it
    (tools/python_api/src_cpp/py_query_result.cpp), so every date or timestamp read is never freed:
    measured, one object per value, 107,400 objects (4 MiB) in 1,400 requests of the benchmark
    mix, and +17.8 % server memory in a 10-minute soak. Checked on a scratch in-memory database
    rather than assumed, so a fixed binding turns the compensation in `_plain` off by itself.
    """
    db = ladybug.Database(":memory:")
    try:
        connection = ladybug.Connection(db)
        result = connection.execute("RETURN date('2020-01-02')")
        assert not isinstance(result, list)  # one statement, one result
        row = result.get_next()
        assert isinstance(row, list)
        value = row[0]
        del row, result
        # Owners now: `value` and getrefcount's argument; a third is the binding's leak.
        leaked = sys.getrefcount(value) > 2
        connection.close()
    finally:
        db.close()
    if leaked:
        _release(value)
    return leaked


def _release(value: object) -> None:
    """Drop the reference the binding leaked on `value` (see `_binding_leaks_temporals`)."""
    ctypes.pythonapi.Py_DecRef(ctypes.py_object(value))


_LEAKS_TEMPORALS = _binding_leaks_temporals()


def _plain(value: Any) -> Any:
    """A value read from LadybugDB as the core expects it: naive TIMESTAMPs as aware UTC, nodes as
    property maps without LadybugDB's internal `_ID` / `_LABEL` keys, containers converted.

    Only for values fresh from the binding (each is read once): a DATE or TIMESTAMP gets the
    reference the binding leaked dropped here (`_binding_leaks_temporals`)."""
    kind = type(value)
    if kind is datetime or kind is date:
        if _LEAKS_TEMPORALS:
            _release(value)
        if kind is datetime and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value
    if kind is dict:
        return {
            k: v if type(v) in _AS_IS else _plain(v)
            for k, v in value.items()
            if not k.startswith("_")
        }
    if kind is list:
        return [v if type(v) in _AS_IS else _plain(v) for v in value]
    return value


def _rows(result: ladybug.QueryResult | list[ladybug.QueryResult]) -> Rows:
    assert not isinstance(result, list)  # one statement, one result
    return [[v if type(v) in _AS_IS else _plain(v) for v in row] for row in result.get_all()]


def _translate(exc: Exception) -> StoreError:
    text = str(exc)
    if "duplicated primary key" in text:
        return Conflict("a record with this id already exists")
    if "Unable to find primary key" in text:
        return InvalidInput("a relationship refers to a record that does not exist")
    if "interrupted" in text.lower() or "timeout" in text.lower():
        return StoreUnavailable("the query was stopped by the store's time limit")
    log.exception("LadybugDB error", exc_info=exc)
    return StoreUnavailable("the embedded store failed")


class _Tx:
    """A write transaction on the writer connection (see `graph_db.core.base.Transaction`)."""

    def __init__(self, store: EmbeddedStore, cancelled: threading.Event) -> None:
        self._store = store
        self._cancelled = cancelled

    async def run(self, query: LiteralString, params: Mapping[str, Any] | None = None) -> Rows:
        # On the writer thread already (`EmbeddedStore._transact`): the statement runs here.
        if self._cancelled.is_set():
            raise asyncio.CancelledError
        try:
            return _rows(self._store._writer.execute(query, dict(params or {})))
        except RuntimeError as exc:
            raise _translate(exc) from exc

    async def lock_people(self, ids: Sequence[str]) -> set[str]:
        return await self.lock_nodes("CivilServant", ids)

    async def lock_nodes(self, label: str, ids: Sequence[str]) -> set[str]:
        # The single writer serialises every write transaction: looking the nodes up is enough.
        return {r[0] for r in await self.run(C.EXISTING_IDS[label], {"ids": list(ids)})}

    async def lock_person(self, person_id: str) -> dict[str, Any] | None:
        found = await self.run(C.GET_BY_IDS["CivilServant"], {"ids": [person_id]})
        return found[0][0] if found else None

    async def lock_mentorship(self, mentorship_id: str) -> None:
        return None


class EmbeddedStore(StoreCore):
    """The LadybugDB adapter. Open with `await EmbeddedStore.open(path)`; close with `close()`.

    Args:
        path: database file path (LadybugDB keeps one file plus a WAL beside it).
        max_concurrent_reads: size of the read connection pool (queries that run at once).
        threads_per_query: threads one read may use (0 = LadybugDB's default, every core).
        query_timeout_ms: per-query time limit in ms (0 = none); over it a query is interrupted
            and `StoreUnavailable` is raised.
        buffer_pool_mb: LadybugDB's page cache in MiB (0 = its default, 80 % of the machine's
            memory).
        checkpoint_every: write transactions between checkpoints (0 = LadybugDB's automatic
            checkpoints only). What a transaction changes stays in memory until a checkpoint,
            and LadybugDB's own trigger (WAL size) did not fire for small updates when measured:
            a 10-minute soak grew the server from 446 to 1,253 MiB (0.44 MiB per profile
            update); checkpointing every 500 updates held it flat at 70–90 ms per checkpoint on
            10k people.

    Raises:
        StoreUnavailable: the path is already open in this process or locked by another one.
    """

    dialect: ClassVar[Dialect] = D
    migrations = MIGRATIONS
    migration_bootstrap = MIGRATION_TABLE

    def __init__(
        self,
        path: Path,
        *,
        max_concurrent_reads: int = 4,
        threads_per_query: int = 0,
        query_timeout_ms: int = 0,
        buffer_pool_mb: int = 0,
        checkpoint_every: int = 200,
    ) -> None:
        self.path = path.resolve()
        if self.path in _OPEN_PATHS:
            raise StoreUnavailable(f"{self.path} is already open in this process")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file_lock = FileLock(str(self.path) + ".lock")
        try:
            self._file_lock.acquire(timeout=0)
        except Timeout as exc:
            raise StoreUnavailable(f"{self.path} is in use by another process") from exc
        _OPEN_PATHS.add(self.path)
        self._db = ladybug.Database(str(self.path), buffer_pool_size=buffer_pool_mb * 2**20)
        self._reader = ladybug.AsyncConnection(
            self._db,
            max_concurrent_queries=max_concurrent_reads,
            max_threads_per_query=threads_per_query,
        )
        self._writer = ladybug.Connection(self._db)
        if query_timeout_ms:
            self._reader.set_query_timeout(query_timeout_ms)
            self._writer.set_query_timeout(query_timeout_ms)
        # The writer thread runs an event loop of its own, on which each write transaction runs
        # whole (`_transact`): one hand-over per transaction where each statement, BEGIN and
        # COMMIT was one (a profile update at 100k: 8.4 -> 6.5 ms alone; under load each
        # hand-over waited its turn on the busy server loop while the write lock was held).
        self._writer_loop = asyncio.new_event_loop()
        self._writer_thread = threading.Thread(
            target=self._writer_loop.run_forever, name="ladybug-writer", daemon=True
        )
        self._writer_thread.start()
        self._write_lock = asyncio.Lock()  # taken on the writer loop only
        self._checkpoint_every = checkpoint_every
        self._writes_since_checkpoint = 0
        self._closed = False

    @classmethod
    async def open(cls, path: Path, **options: Any) -> EmbeddedStore:
        """Open the database at `path` and apply pending migrations."""
        store = cls(path, **options)
        await store.migrate()
        return store

    async def close(self) -> None:
        """Close the connections and the database, release the file lock. Safe to call twice."""
        if self._closed:
            return
        self._closed = True  # no new writes; those already handed over finish first
        await self._on_writer_loop(self._drained())
        self._writer_loop.call_soon_threadsafe(self._writer_loop.stop)
        self._writer_thread.join()
        self._writer_loop.close()
        self._reader.close()
        self._writer.close()
        self._db.close()
        _OPEN_PATHS.discard(self.path)
        self._file_lock.release()

    # ---- the core's plumbing ----
    async def _read(
        self, query: LiteralString, params: Mapping[str, Any] | None = None, *, plain: bool = False
    ) -> Rows:
        # `plain` is no saving here: the embedded statements that could use it are Neo4j's only.
        try:
            return _rows(await self._reader.execute(query, dict(params or {})))
        except RuntimeError as exc:
            raise _translate(exc) from exc

    async def _on_writer(self, work: Callable[[threading.Event], Coroutine[Any, Any, T]]) -> T:
        """Run the coroutine `work(cancelled)` on the writer loop and wait for it. If the caller is
        cancelled, `cancelled` is set: the writer sees it at its next statement (or before
        COMMIT) and rolls back, as it did when each statement was a hand-over of its own."""
        if self._closed:
            raise StoreUnavailable(f"{self.path} is closed")
        cancelled = threading.Event()
        try:
            return await self._on_writer_loop(work(cancelled))
        except asyncio.CancelledError:
            cancelled.set()
            raise
        except RuntimeError as exc:
            raise _translate(exc) from exc

    async def _on_writer_loop(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return await asyncio.wrap_future(
            asyncio.run_coroutine_threadsafe(coroutine, self._writer_loop)
        )

    async def _drained(self) -> None:
        """Returns on the writer loop once every transaction handed over before it has ended (the
        write lock is first come, first served)."""
        async with self._write_lock:
            return

    async def _transact(self, work: Work[T]) -> T:
        async def transaction(cancelled: threading.Event) -> T:
            async with self._write_lock:
                self._writer.execute("BEGIN TRANSACTION")
                try:
                    value = await work(_Tx(self, cancelled))
                    if cancelled.is_set():
                        raise asyncio.CancelledError
                except BaseException:
                    self._rollback()
                    raise
                self._writer.execute("COMMIT")
                self._writes_since_checkpoint += 1
                if (
                    self._checkpoint_every
                    and self._writes_since_checkpoint >= self._checkpoint_every
                ):
                    self._checkpoint()
                return value

        return await self._on_writer(transaction)

    def _checkpoint(self) -> None:
        """Checkpoint (on the writer loop, under the write lock): frees the memory committed
        changes hold. A failure is logged, not raised: the transaction before it has committed."""
        self._writes_since_checkpoint = 0
        try:
            self._writer.execute("CHECKPOINT")
        except RuntimeError:
            log.warning("LadybugDB checkpoint failed; retried after the next writes")

    def _rollback(self) -> None:
        try:
            self._writer.execute("ROLLBACK")
        except RuntimeError as exc:
            # A failed statement already rolled the whole transaction back.
            if "No active transaction" not in str(exc):
                raise

    # ---- what differs ----
    async def _schema(self, statement: LiteralString) -> None:
        await self._write_statement(statement, {})

    async def _bulk_write(self, load: BulkLoad) -> None:
        # One transaction; `COPY … FROM` a pyarrow Table is LadybugDB's fast path (DESIGN.md: 20k
        # nodes + 100k edges in ~0.2 s, where UNWIND … CREATE took ~3 ms per edge), and it reads
        # the Arrow columns without a copy into Python objects. COPY maps columns by position:
        # the tables' columns are in table column order (`graph_db.core.bulk`).
        async def work(tx: Transaction) -> None:
            if load.countries:
                await tx.run(C.MERGE_NEW_COUNTRIES, {"rows": load.countries})
            for table, frame in (load.nodes | load.edges).items():
                # Table names come from `graph_db.core.bulk`.
                await tx.run(f"COPY {table} FROM $frame", {"frame": frame})
            for label, documents in load.search_documents().items():
                await index_documents(tx, D, label, documents.created, new=True)
                await index_documents(tx, D, label, documents.changed)
            await tx.run(C.RECORD_DATASET, {"id": load.dataset, "at": utc_now()})

        await self._write(work, change=None)

    async def save_analytics_run(
        self, run: AnalyticsRun, scores: Sequence[PersonScore], *, keep: int
    ) -> None:
        frame = pd.DataFrame(
            [
                [run.id, s.person_id, s.degree, s.pagerank, s.betweenness, s.community]
                for s in scores
            ],
            columns=["from", "to", "degree", "pagerank", "betweenness", "community"],
        )

        async def work(tx: Transaction) -> None:
            await tx.run(D.CREATE_RUN, run_params(run))
            if len(frame):
                await tx.run("COPY SCORED FROM $frame", {"frame": frame})
            for old in (await tx.run(AC.LATEST_RUNS, {"limit": 10_000}))[keep:]:
                await tx.run(AC.DELETE_RUN, {"id": old[0]})

        await self._write(work, change=None)

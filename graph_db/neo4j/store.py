"""`GraphStore` on Neo4j 5.26: one `AsyncDriver` per process, a session per unit of work.

Connection handling only; every rule is in `graph_db.core`. Every read and write opens its own
session and runs one managed transaction (`execute_read` / `execute_write`, retried by the driver
on transient errors such as deadlocks), consuming results inside the transaction function. Driver
errors are translated at this boundary (`_translated`); domain errors raised inside a transaction
function roll it back and propagate unchanged. Values are converted at the boundary too
(`graph_db.neo4j.mapping`).
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
import uuid
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from contextlib import AbstractContextManager, asynccontextmanager, nullcontext
from typing import Any, ClassVar, LiteralString, TypeVar

import neo4j
import pyarrow as pa
import pyarrow.compute as pc
from neo4j import AsyncDriver, AsyncGraphDatabase, AsyncManagedTransaction, Bookmarks
from neo4j import exceptions as nx

from graph_db.analytics import cypher as AC
from graph_db.analytics.records import AnalyticsRun, PersonScore
from graph_db.analytics.shared import run_params
from graph_db.causal import current_scope
from graph_db.core import cypher as C
from graph_db.core import search_cypher as S
from graph_db.core.base import Dialect, Rows, Transaction, Work
from graph_db.core.bulk import BulkLoad, row_chunks
from graph_db.core.search import index_documents
from graph_db.core.store import StoreCore
from graph_db.errors import Conflict, InvalidInput, StoreError, StoreUnavailable
from graph_db.neo4j import dialect as D
from graph_db.neo4j.mapping import AS_IS, native, param
from graph_db.neo4j.migrations import AWAIT_INDEXES, MIGRATION_CONSTRAINT, MIGRATIONS
from graph_db.records import utc_now

log = logging.getLogger(__name__)
T = TypeVar("T")

BULK_CHUNK_ROWS = 5_000
"""Rows per write transaction in bulk loads and analytics runs (DESIGN.md: "chunks of a few
thousand rows")."""
BULK_SESSIONS = 2
"""Bulk-load transactions in flight at once, each in its own session. Measured on 2 cores with
100k people + 1M connections (`python -m bench load`): 1 session 72 s, 2 sessions 50 s, 3
sessions 57 s; chunks of 5,000 rows beat 20,000 (Neo4j's time is in the index updates and
relationship chains of each transaction, not in Bolt). Parallel relationship chunks can
deadlock on a shared hub; the managed transaction retries them."""
READ_RETRY_FIRST_DELAY_S = 0.05
READ_RETRY_MAX_DELAY_S = 1.0
"""Backoff between attempts of a read (`Neo4jStore._read`): doubling from 50 ms to 1 s."""

MIGRATION_LEASE_S = 60
"""How long the migration lock is held without renewal (its holder renews it every third of
that): a process that dies while migrating blocks the others for at most this long."""
SCHEMA_ATTEMPTS = 10
"""Tries of a schema statement that meets a transient error (see `_schema`)."""
MIGRATION_WAIT_S = 900.0
"""How long a starting process waits for another's migrations before it gives up."""

_UNAVAILABLE = (
    nx.ServiceUnavailable,
    nx.SessionExpired,
    nx.TransientError,
    nx.DatabaseUnavailable,
    nx.IncompleteCommit,
    nx.ConnectionAcquisitionTimeoutError,
    nx.AuthError,
    OSError,
)


def _translate(exc: Exception) -> StoreError:
    if isinstance(exc, nx.ConstraintError):
        return Conflict("a record with this id or email already exists")
    if isinstance(exc, _UNAVAILABLE):
        return StoreUnavailable(f"Neo4j is unavailable: {type(exc).__name__}")
    if isinstance(exc, nx.Neo4jError) and "InvalidBookmark" in (exc.code or ""):
        # A causal bookmark this database cannot read (one from before a restore, say): the
        # client should drop it (`graph_db.causal`).
        return InvalidInput("a bookmark this database does not know; send the request without it")
    if isinstance(exc, nx.Neo4jError) and "TransactionTimedOut" in (exc.code or ""):
        return StoreUnavailable("the query was stopped by the store's time limit")
    log.exception("Neo4j error", exc_info=exc)
    return StoreUnavailable("the Neo4j store failed")


@asynccontextmanager
async def _translated() -> AsyncIterator[None]:
    """Let domain errors through; turn every driver (and socket) error into a domain error."""
    try:
        yield
    except StoreError:
        raise
    except (nx.Neo4jError, nx.DriverError, OSError) as exc:
        raise _translate(exc) from exc


def _micros(table: pa.Table) -> tuple[pa.Table, tuple[str, ...]]:
    """`table` with its timestamp columns as integer microseconds since 1970, and their names
    (`graph_db.neo4j.dialect.create_nodes` says why)."""
    names = tuple(f.name for f in table.schema if pa.types.is_timestamp(f.type))
    for name in names:
        i = table.schema.get_field_index(name)
        micros = table.column(i).cast(pa.timestamp("us", tz="UTC")).cast(pa.int64())
        table = table.set_column(i, name, micros)
    return table, names


def _column_chunks(table: pa.Table, size: int) -> Iterator[dict[str, list[Any]]]:
    """`table` (no timestamp columns: see `_micros`) as parameter maps of at most `size` rows,
    one list per column (`graph_db.neo4j.dialect.create_edges`)."""
    for start in range(0, table.num_rows, size):
        part = table.slice(start, size)
        yield {name: part.column(name).to_pylist() for name in part.column_names}


def _params(params: Mapping[str, Any] | None) -> dict[str, Any]:
    """Parameters as the driver should send them (`mapping.param`)."""
    return {k: param(v) for k, v in (params or {}).items()}


def _rows(values: list[list[Any]]) -> Rows:
    """Result values as plain Python (`mapping.native`)."""
    return [[v if type(v) in AS_IS else native(v) for v in row] for row in values]


def pipelined_begin(session: neo4j.AsyncSession) -> AbstractContextManager[Any]:
    """While entered, `session`'s transactions send BEGIN with their first statement instead of
    waiting for BEGIN's answer first: one round trip fewer per write transaction, as the
    driver's own `execute_query` does (it enters the same private flag, `_pipelined_begin`,
    neo4j 6.4). A driver without the flag gets the plain begin (`tests/contract/
    test_neo4j_specific.py` checks, from the driver's Bolt log, that the pinned one pipelines)."""
    flag = getattr(session, "_pipelined_begin", None)
    return flag if isinstance(flag, AbstractContextManager) else nullcontext()


def _chunks(rows: list[T], size: int = BULK_CHUNK_ROWS) -> Iterable[list[T]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


class _Tx:
    """One managed transaction (see `graph_db.core.base.Transaction`)."""

    def __init__(self, tx: AsyncManagedTransaction) -> None:
        self._tx = tx

    async def run(self, query: LiteralString, params: Mapping[str, Any] | None = None) -> Rows:
        # Statements come from code (allow-listed parts only); values travel as parameters.
        result = await self._tx.run(query, _params(params))
        return _rows(await result.values())

    async def lock_people(self, ids: Sequence[str]) -> set[str]:
        return await self.lock_nodes("CivilServant", ids)

    async def lock_nodes(self, label: str, ids: Sequence[str]) -> set[str]:
        # One statement per node, so the lock order is the sorted order whatever the planner
        # does: transactions that lock overlapping pairs never wait on each other in a cycle.
        lock = D.LOCK_NODE[label]
        return {n for n in sorted(set(ids)) if await self.run(lock, {"id": n})}

    async def lock_mentorship(self, mentorship_id: str) -> None:
        await self.run(D.LOCK_MENTORSHIP, {"id": mentorship_id})

    async def lock_person(self, person_id: str) -> dict[str, Any] | None:
        found = await self.run(D.LOCK_AND_READ_PERSON, {"id": person_id})
        return found[0][0] if found else None


class Neo4jStore(StoreCore):
    """The Neo4j adapter. Open with `await Neo4jStore.open(uri, user, password)`; close with `close()`.

    Args:
        driver: the process's `AsyncDriver` (the store closes it in `close()`).
        database: database name, e.g. "neo4j".
        query_timeout_s: server-side time limit per transaction in seconds (None = the server's
            default); over it the transaction is stopped and `StoreUnavailable` is raised.
    """

    dialect: ClassVar[Dialect] = D
    migrations = MIGRATIONS
    migration_bootstrap = MIGRATION_CONSTRAINT

    def __init__(
        self,
        driver: AsyncDriver,
        *,
        database: str = "neo4j",
        query_timeout_s: float | None = None,
        max_retry_time_s: float = 5.0,
    ) -> None:
        self._driver = driver
        self._database = database
        self._timeout = query_timeout_s
        self._max_retry_time_s = max_retry_time_s
        self._closed = False

    @classmethod
    async def open(
        cls,
        uri: str,
        user: str,
        password: str,
        database: str = "neo4j",
        *,
        connection_timeout_s: float = 30.0,
        query_timeout_s: float | None = None,
        max_connection_pool_size: int = 100,
        max_retry_time_s: float = 5.0,
        imported: bool = False,
    ) -> Neo4jStore:
        """Create the driver, check that the server answers, and apply pending migrations.

        Args:
            uri: Bolt or Neo4j URI, e.g. `bolt://127.0.0.1:7687`.
            user: user name.
            password: password.
            database: database name.
            connection_timeout_s: time limit to open one connection, in seconds.
            query_timeout_s: server-side time limit per transaction, in seconds (None = none).
            max_connection_pool_size: connections kept per server.
            max_retry_time_s: how long a managed transaction is retried on transient errors
                (deadlocks, a lost connection) before `StoreUnavailable`, in seconds. The driver's
                default, 30 s, would hold a request that long while the server is down.
            imported: the database was filled by an offline import since it was created
                (`graph_db.neo4j.admin_import`): its migrations run their schema statements only
                (`migrate(schema_only=True)`, which waits for the indexes to be populated).

        Raises:
            StoreUnavailable: the server cannot be reached or refuses the credentials.
        """
        async with _translated():
            driver = AsyncGraphDatabase.driver(
                uri,
                auth=(user, password),
                connection_timeout=connection_timeout_s,
                max_connection_pool_size=max_connection_pool_size,
                max_transaction_retry_time=max_retry_time_s,
                # Expected here, so not worth a warning: INFORMATION notes ("index already
                # exists", the "cartesian product" of two id lookups) and UNRECOGNIZED labels
                # or types (a fresh database has no PortfolioItem yet; labels come from code).
                notifications_min_severity=neo4j.NotificationMinimumSeverity.WARNING,
                notifications_disabled_classifications=[
                    neo4j.NotificationDisabledClassification.UNRECOGNIZED
                ],
            )
        store = cls(
            driver,
            database=database,
            query_timeout_s=query_timeout_s,
            max_retry_time_s=max_retry_time_s,
        )
        try:
            async with _translated():
                await driver.verify_connectivity()
            await store.migrate(schema_only=imported)
        except BaseException:
            await store.close()
            raise
        return store

    async def close(self) -> None:
        """Close the driver and its connections. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        async with _translated():
            await self._driver.close()

    # ---- the core's plumbing ----
    def _unit(
        self, work: Callable[[AsyncManagedTransaction], Awaitable[T]]
    ) -> Callable[[AsyncManagedTransaction], Awaitable[T]]:
        return neo4j.unit_of_work(timeout=self._timeout)(work) if self._timeout else work

    async def _read(
        self, query: LiteralString, params: Mapping[str, Any] | None = None, *, plain: bool = False
    ) -> Rows:
        """One read statement as an auto-commit transaction: RUN and PULL, where a managed
        transaction adds BEGIN and COMMIT (0.75 ms more of Neo4j's CPU and 0.5 ms of the
        driver's per statement, `bench/cputime.py`). Retried as the driver retries a managed
        transaction (errors it calls retryable, with backoff, for `max_retry_time_s`), which a
        read allows: it changes nothing."""
        # READ access: a cluster routes it to a follower (or read replica), which waits for the
        # request's bookmarks first.
        values_read = await self._alone(
            query, params, neo4j.READ_ACCESS, (nx.Neo4jError, nx.DriverError)
        )
        return values_read if plain else _rows(values_read)

    AUTOCOMMIT = True

    async def _autocommit(self, query: LiteralString, params: Mapping[str, Any]) -> Rows:
        # Retried only on errors Neo4j raises before committing (transient ones: a deadlock, a
        # lock wait stopped): after a lost connection the commit may have happened.
        return _rows(await self._alone(query, params, neo4j.WRITE_ACCESS, (nx.Neo4jError,)))

    async def _alone(
        self,
        query: LiteralString,
        params: Mapping[str, Any] | None,
        access_mode: str,
        retry_on: tuple[type[Exception], ...],
    ) -> list[list[Any]]:
        """Run `query` as an auto-commit transaction in a session with the request's bookmarks
        (a write's own are added to them); retry `retry_on` errors the driver calls retryable,
        with backoff, for `max_retry_time_s`. Driver errors are translated."""
        statement = neo4j.Query(query, timeout=self._timeout) if self._timeout else query
        values = _params(params)
        scope = current_scope()
        started_with = scope.bookmarks if scope else frozenset()
        bookmarks = Bookmarks.from_raw_values(started_with) if scope else None
        deadline: float | None = None  # as the driver's: the clock starts at the first failure
        delay = READ_RETRY_FIRST_DELAY_S
        async with _translated():
            while True:
                try:
                    async with self._driver.session(
                        database=self._database,
                        default_access_mode=access_mode,
                        bookmarks=bookmarks,
                    ) as session:
                        result = await session.run(statement, values)
                        rows = await result.values()
                        if scope is not None and access_mode == neo4j.WRITE_ACCESS:
                            scope.advance(started_with, (await session.last_bookmarks()).raw_values)
                        return rows
                except retry_on as exc:
                    assert isinstance(exc, nx.Neo4jError | nx.DriverError)
                    if deadline is None:
                        deadline = time.monotonic() + self._max_retry_time_s
                    if not exc.is_retryable() or time.monotonic() + delay > deadline:
                        raise
                await asyncio.sleep(delay)
                delay = min(2 * delay, READ_RETRY_MAX_DELAY_S)

    async def _transact(self, work: Work[T]) -> T:
        async def run(tx: AsyncManagedTransaction) -> T:
            return await work(_Tx(tx))

        scope = current_scope()
        started_with = scope.bookmarks if scope else frozenset()
        async with (
            _translated(),
            self._driver.session(
                database=self._database,
                bookmarks=Bookmarks.from_raw_values(started_with) if scope else None,
            ) as session,
        ):
            with pipelined_begin(session):
                value = await session.execute_write(self._unit(run))
            if scope is not None:
                scope.advance(started_with, (await session.last_bookmarks()).raw_values)
            return value

    # ---- what differs ----
    @asynccontextmanager
    async def _migration_lock(self) -> AsyncIterator[None]:
        """The store-wide migration lock: a lease on one node (`dialect.TAKE_MIGRATION_LOCK`),
        renewed while held, released at the end; waits (polling every 0.5 s) while another
        process holds it.

        Raises:
            StoreUnavailable: another process held it for more than `MIGRATION_WAIT_S`.
        """
        owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        params = {"id": D.MIGRATION_LOCK_ID, "owner": owner, "lease": MIGRATION_LEASE_S}
        deadline = time.monotonic() + MIGRATION_WAIT_S
        while True:
            [(free, holder)] = await self._write_statement(D.TAKE_MIGRATION_LOCK, params)
            if free:
                break
            if time.monotonic() > deadline:
                raise StoreUnavailable(f"migrations are held up by another process ({holder})")
            log.info("waiting for the migrations of %s", holder)
            await asyncio.sleep(0.5)

        async def renew() -> None:
            while True:
                await asyncio.sleep(MIGRATION_LEASE_S / 3)
                if not await self._write_statement(D.RENEW_MIGRATION_LOCK, params):
                    log.warning("the migration lock expired while migrating")

        renewing = asyncio.ensure_future(renew())
        try:
            yield
        finally:
            renewing.cancel()
            await self._write_statement(D.RELEASE_MIGRATION_LOCK, params)

    async def _schema(self, statement: LiteralString) -> None:
        await self._schema_together([statement])

    async def _schema_together(self, statements: Sequence[LiteralString]) -> None:
        """One statement as an auto-commit transaction (which `CALL … IN TRANSACTIONS` needs),
        several in one explicit transaction: a new database's 44 constraints and indexes took
        1.6 s so against 3.6 s one by one, and their indexes then populate together."""
        # Neo4j allows no schema and data writes in one transaction, and the driver does not
        # retry an auto-commit statement. Processes starting together run the bootstrap
        # constraint at once, and Neo4j fails all but one of concurrent schema statements with a
        # transient error even under IF NOT EXISTS; each is idempotent, so it is retried.
        for attempt in range(SCHEMA_ATTEMPTS):
            try:
                async with self._driver.session(database=self._database) as session:
                    if len(statements) == 1:
                        await (await session.run(statements[0])).consume()
                        return
                    async with await session.begin_transaction() as tx:
                        for statement in statements:
                            await (await tx.run(statement)).consume()
                        await tx.commit()
                return
            except nx.TransientError as exc:
                if attempt == SCHEMA_ATTEMPTS - 1:
                    raise _translate(exc) from exc
                log.info("schema statement retried after %s", exc.code)
                await asyncio.sleep(0.1 * (attempt + 1))
            except (nx.Neo4jError, nx.DriverError, OSError) as exc:
                raise _translate(exc) from exc

    async def _migration_done(self) -> None:
        await self._schema(AWAIT_INDEXES)

    async def _bulk_write(self, load: BulkLoad) -> None:
        """Chunks of `BULK_CHUNK_ROWS` rows, one transaction each, `BULK_SESSIONS` at a time;
        then the dataset is marked.

        Unlike the embedded store this is not one transaction. Everything that can be checked
        beforehand is (an id already taken → `Conflict`, a relationship to an unknown record →
        `InvalidInput`), so those failures write nothing. If a chunk fails later (server lost),
        the chunks before it stay and no `(:Dataset)` node is written: the import shows as not
        loaded, and its records must be deleted before it is run again.

        The people it creates get their search text (`searchExpertise`) with their nodes, from
        the claims of the load (`_with_expertise_text`), not by re-indexing them afterwards. A
        claim added through the API to one of them while the load is still running is
        therefore left out of that person's text until they are next re-indexed (any change
        to them, or `rebuild_search_index`); bulk loads are imports into a quiet store.
        """
        await self._check_bulk(load)
        if load.countries:
            await self._write_statement(C.MERGE_NEW_COUNTRIES, {"rows": load.countries})
        documents = load.search_documents()["CivilServant"]
        for label, table in load.nodes.items():
            if label == "CivilServant":
                table = await self._with_expertise_text(load, table)
            table, timestamps = _micros(table)
            rows = ({"rows": chunk} for chunk in row_chunks(table, BULK_CHUNK_ROWS))
            await self._write_chunks(D.create_nodes(label, timestamps), rows, rel=None)
            log.info("bulk load %s: %s nodes written", load.dataset, label)
        for rel, table in load.edges.items():
            table, timestamps = _micros(table)
            query = D.create_edges(rel, tuple(table.column_names[2:]), timestamps)
            await self._write_chunks(query, _column_chunks(table, BULK_CHUNK_ROWS), rel=rel)
            log.info("bulk load %s: %s relationships written", load.dataset, rel)
        # People created here got their search text with their node; those that existed
        # before and gained claims are re-indexed (re-indexing 100k new people took 25 s).
        await self._index_chunks("CivilServant", documents.changed)
        await self._write_statement(C.RECORD_DATASET, {"id": load.dataset, "at": utc_now()})

    async def _with_expertise_text(self, load: BulkLoad, people: pa.Table) -> pa.Table:
        """`people` with the `searchExpertise` column `index_documents` would set afterwards
        (`BulkLoad.expertise_texts`; areas are nodes of the same load, or reference data already
        in the store)."""
        names = load.area_names()
        claims = load.edges.get("HAS_EXPERTISE")
        # Every area the load's claims name (a person's own list is `expertise_texts`' work).
        wanted = [] if claims is None else pc.unique(claims.column("to")).to_pylist()
        missing = sorted(a for a in wanted if a not in names)
        for chunk in _chunks(missing):
            names |= dict(await self._read(S.EXPERTISE_NAMES, {"ids": chunk}))
        return people.append_column("searchExpertise", load.expertise_texts(names))

    async def _index_chunks(self, label: str, ids: list[str]) -> None:
        """Bring the search documents `ids` up to date, `BULK_CHUNK_ROWS` per transaction (the
        full-text index follows the nodes; what it needs copied is `index_documents`' part)."""
        for chunk in _chunks(ids):

            async def work(tx: Transaction, chunk: list[str] = chunk) -> None:
                await index_documents(tx, D, label, chunk)

            await self._write(work, change=None)

    async def _write_chunks(
        self, query: LiteralString, chunks: Iterator[dict[str, list[Any]]], rel: str | None
    ) -> None:
        """Run `query` on each of `chunks` (parameter maps of equal-length lists: `{"rows":
        [row maps]}` or `_column_chunks`), `BULK_SESSIONS` transactions at a time; for
        relationships (`rel`), check that every row made one."""

        async def worker() -> None:
            for chunk in chunks:  # one iterator shared by the workers: each chunk once
                size = len(next(iter(chunk.values())))
                written = await self._write_statement(query, chunk)
                if rel is not None and written[0][0] != size:
                    # Only a concurrent delete can cause this (everything was checked).
                    raise InvalidInput(
                        f"{rel}: a relationship refers to a record that does not exist"
                    )

        workers = [asyncio.ensure_future(worker()) for _ in range(BULK_SESSIONS)]
        try:
            await asyncio.gather(*workers)
        finally:  # the first error stops the other workers (not wrapped in a group)
            for task in workers:
                task.cancel()

    async def _existing_many(self, label: str, ids: Iterable[str]) -> set[str]:
        found: set[str] = set()
        for chunk in _chunks(sorted(set(ids))):
            found |= await self._existing(label, chunk)
        return found

    async def _check_bulk(self, load: BulkLoad) -> None:
        """Refuse a bulk load that would fail half-way: duplicate/existing ids, dangling relationships."""
        new_ids: dict[str, set[str]] = {}
        for label, table in load.nodes.items():
            ids = set(pc.unique(table.column("id")).to_pylist())
            if len(ids) != table.num_rows or await self._existing_many(label, ids):
                raise Conflict(f"a {label} record with this id already exists")
            new_ids[label] = ids
        wanted: dict[str, set[str]] = {}
        for rel, table in load.edges.items():
            from_label, to_label = C.EDGE_ENDS[rel]
            for label, column in ((from_label, "from"), (to_label, "to")):
                wanted.setdefault(label, set()).update(pc.unique(table.column(column)).to_pylist())
        for label, ids in wanted.items():
            outside = ids - new_ids.get(label, set())
            if outside - await self._existing_many(label, outside):
                raise InvalidInput("a relationship refers to a record that does not exist")

    async def save_analytics_run(
        self, run: AnalyticsRun, scores: Sequence[PersonScore], *, keep: int
    ) -> None:
        # The run node is written last, so a half-written run (scores only) is never the latest:
        # the scores hang off a placeholder that is not an `AnalyticsRun` until the end.
        await self._write_statement(D.DELETE_ABANDONED_RUNS, {})
        await self._write_statement(D.CREATE_PENDING_RUN, {"id": run.id})
        for part in _chunks([s.model_dump() | {"id": s.person_id} for s in scores]):
            await self._write_statement(D.SAVE_SCORES, {"run": run.id, "rows": part})

        async def finish(tx: Transaction) -> None:
            await tx.run(D.FINISH_RUN, run_params(run))
            for old in (await tx.run(AC.LATEST_RUNS, {"limit": 10_000}))[keep:]:
                await tx.run(AC.DELETE_RUN, {"id": old[0]})

        await self._write(finish, change=None)

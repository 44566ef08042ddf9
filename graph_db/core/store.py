"""`StoreCore`: the whole `GraphStore` port over an adapter's connections and dialect."""

from __future__ import annotations

import re
from abc import abstractmethod
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import ClassVar, LiteralString

from graph_db.analytics.records import AnalyticsRun, PersonScore
from graph_db.analytics.shared import AnalyticsReads
from graph_db.core import cypher as C
from graph_db.core.bulk import BulkLoad
from graph_db.core.careers import Careers
from graph_db.core.catalogue import Catalogue
from graph_db.core.client_mutations import ClientMutations
from graph_db.core.exchange import Exchange
from graph_db.core.expert_status import ExpertStatus
from graph_db.core.export import DataExport
from graph_db.core.notifications import Notifications
from graph_db.core.portfolio import Portfolio
from graph_db.core.reads import Reads
from graph_db.core.relationships import Relationships
from graph_db.core.search import Search
from graph_db.core.writes import Writes
from graph_db.data_migrations import (
    BuildSearchIndex,
    DataStatement,
    IndexesOnline,
    MigrationStep,
    apply_data_step,
)
from graph_db.errors import Conflict
from graph_db.records import ColumnarBatch, GraphBatch, utc_now


class StoreCore(
    Reads,
    Writes,
    Notifications,
    AnalyticsReads,
    Relationships,
    Careers,
    ClientMutations,
    Portfolio,
    ExpertStatus,
    DataExport,
    Exchange,
    Catalogue,
    Search,
):
    """Every method of the `GraphStore` port, written once; an adapter subclasses it.

    The adapter supplies (see `graph_db.core.base`): `_read`, `_transact`, `dialect`,
    `migrations`, `_schema`, `_bulk_write`, `save_analytics_run` and `close`.
    """

    migrations: ClassVar[Sequence[tuple[str, Sequence[MigrationStep]]]]
    """The adapter's migrations, in order: a name, then its statements and data steps."""
    migration_bootstrap: ClassVar[str]
    """The statement that makes recording migrations possible (a table, or a constraint)."""

    @abstractmethod
    async def _schema(self, statement: LiteralString) -> None:
        """Run one migration statement (DDL; idempotent: each uses `IF NOT EXISTS`)."""

    async def _schema_together(self, statements: Sequence[LiteralString]) -> None:
        """Run schema statements as one unit where the store allows it (default: one by one)."""
        for statement in statements:
            await self._schema(statement)

    async def _migration_done(self) -> None:
        """Called after a migration's statements, before it is recorded (e.g. await indexes)."""

    @asynccontextmanager
    async def _migration_lock(self) -> AsyncIterator[None]:
        """Held while migrations are applied, so that they run once however many processes start
        at once. The default takes none: only an adapter that several processes open at once
        needs one (the embedded store's file lock already keeps a second process out)."""
        yield

    async def migrate(self, *, schema_only: bool = False) -> list[str]:
        """Apply pending migrations in order, each once; return the names applied now.

        A migration is recorded only after all its statements ran; every statement is idempotent,
        so one interrupted half-way runs again whole. Processes that start together wait for one
        another (`_migration_lock`): the one holding the lock applies what is pending, the others
        then find nothing left to do.

        Args:
            schema_only: skip the steps that bring existing data up to date (`DataStep`,
                `DataStatement`, `BuildSearchIndex`) and run only the schema statements,
                recording every migration as applied. Only for a database whose data was all
                written in the current model since it was created, such as an offline import
                (`graph_db.neo4j.admin_import`): rewriting every person's search text there
                would redo the import's work. The
                schema statements run together (`_schema_together`: one transaction on Neo4j)
                and the indexes are awaited once, so that they populate together; an index a
                later migration drops is neither created nor dropped.
        """
        await self._schema(self.migration_bootstrap)
        if not self._pending(await self._applied_migrations()):
            return []  # the usual start: nothing to do, no lock taken
        async with self._migration_lock():
            pending = self._pending(await self._applied_migrations())
            if schema_only:
                dropped = indexes_dropped_later(pending)
                await self._schema_together(
                    [
                        step
                        for _, steps in pending
                        for step in steps
                        if isinstance(step, str) and index_named(step) not in dropped
                    ]
                )
                await self._migration_done()
                await self._record_migrations([name for name, _ in pending])
                return [name for name, _ in pending]
            for name, steps in pending:
                for step in steps:
                    if isinstance(step, str):
                        await self._schema(step)
                    elif isinstance(step, DataStatement):
                        await self._schema(step.cypher)
                    elif isinstance(step, IndexesOnline):
                        await self._migration_done()
                    elif isinstance(step, BuildSearchIndex):
                        await self.rebuild_search_index()
                    else:
                        await apply_data_step(step, self._read, self._write_statement)
                await self._migration_done()
                await self._record_migrations([name])
            return [name for name, _ in pending]

    async def _record_migrations(self, names: list[str]) -> None:
        await self._write_statement(C.RECORD_MIGRATIONS, {"ids": names, "at": utc_now()})

    async def _applied_migrations(self) -> set[str]:
        return {r[0] for r in await self._read(C.APPLIED_MIGRATIONS)}

    def _pending(self, done: set[str]) -> list[tuple[str, Sequence[MigrationStep]]]:
        return [(name, steps) for name, steps in self.migrations if name not in done]

    async def ping(self) -> None:
        """Run `RETURN 1`. Raises `StoreUnavailable` when the store does not answer."""
        await self._read(C.PING)

    async def bulk_load(self, batch: GraphBatch | ColumnarBatch, *, dataset: str) -> dict[str, int]:
        """Insert a large batch (people, connections, …) and mark `dataset` loaded.

        Raises:
            Conflict: `dataset` is already loaded, or an id is taken.
            InvalidInput: a relationship refers to a record that does not exist.
        """
        if await self._existing("Dataset", [dataset]):
            raise Conflict(f"dataset {dataset} is already loaded")
        await self._bulk_write(BulkLoad.of(batch, dataset))
        return batch.counts()

    @abstractmethod
    async def _bulk_write(self, load: BulkLoad) -> None:
        """Write `load` the store's fastest way: its countries (`MERGE_NEW_COUNTRIES`), nodes and
        edges, then `RECORD_DATASET`."""

    @abstractmethod
    async def save_analytics_run(
        self, run: AnalyticsRun, scores: Sequence[PersonScore], *, keep: int
    ) -> None:
        """Store `run` with one `SCORED` relationship per score; keep the newest `keep` runs.

        A run becomes visible (`analytics_runs`) only once fully written.
        """


_CREATE_OR_DROP_INDEX = re.compile(
    r"^\s*(CREATE|DROP)(?:\s+\w+)?\s+INDEX\s+(?!IF\b|FOR\b)(\w+)", re.IGNORECASE
)


def index_named(statement: str) -> str | None:
    """The name of the index `statement` creates or drops (`CREATE [kind] INDEX name …`,
    `DROP INDEX name …`, in any case), else None (an unnamed index included)."""
    found = _CREATE_OR_DROP_INDEX.match(statement)
    return found.group(2) if found else None


def indexes_dropped_later(pending: Sequence[tuple[str, Sequence[MigrationStep]]]) -> set[str]:
    """Names of the indexes that `pending` migrations create and a later one of them drops (and
    none re-creates after that)."""
    created: set[str] = set()
    last: dict[str, str] = {}
    for _, statements in pending:
        for statement in statements:
            if isinstance(statement, str) and (name := index_named(statement)):
                last[name] = statement.split(None, 1)[0].upper()
                if last[name] == "CREATE":
                    created.add(name)
    return {name for name in created if last[name] == "DROP"}

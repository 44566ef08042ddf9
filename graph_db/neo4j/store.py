"""`GraphStore` on Neo4j 5.26: one `AsyncDriver` per process, a session per unit of work.

Every method opens its own session and runs one managed transaction (`execute_read` /
`execute_write`, retried by the driver on transient errors such as deadlocks), consuming results
inside the transaction function. Driver errors are translated at this boundary (`_translate`);
domain errors raised inside a transaction function roll it back and propagate unchanged.

Concurrency: writes that read before they write take the person's write lock first (`LOCK_PERSON`),
so read-modify-write updates and relationship MERGEs serialise per person; uniqueness of ids and
emails is enforced by constraints (migration `0001_initial_model`), which turn a lost race into
`Conflict`.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import neo4j
from neo4j import AsyncDriver, AsyncGraphDatabase, AsyncManagedTransaction
from neo4j import exceptions as nx

from graph_db import audit
from graph_db import properties as P
from graph_db.batching import page_rows
from graph_db.data_migrations import CHUNK_ROWS
from graph_db.errors import Conflict, InvalidInput, NotFound, StoreError, StoreUnavailable
from graph_db.neo4j import queries as Q
from graph_db.neo4j.analytics import AnalyticsMixin
from graph_db.neo4j.mapping import native, node, param
from graph_db.neo4j.migrations import AWAIT_INDEXES, MIGRATION_CONSTRAINT, MIGRATIONS
from graph_db.neo4j.networking import NetworkingMixin
from graph_db.paging import (
    Page,
    PageRequest,
    PersonOrderField,
    SortDirection,
    finish_page,
    walk_descending,
)
from graph_db.records import (
    CivilServant,
    CivilServantUpdate,
    ConnectionEdge,
    Event,
    Expertise,
    ExpertiseClaim,
    GraphBatch,
    Institution,
    Participation,
    PersonFilter,
    PortfolioItem,
    search_fold,
)
from graph_db.shared_reads import SharedReads

log = logging.getLogger(__name__)
T = TypeVar("T")
Rows = list[list[Any]]

BULK_CHUNK_ROWS = 5_000
"""Rows per write transaction in `bulk_load` (DESIGN.md: "chunks of a few thousand rows")."""

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


class _Tx:
    """One managed transaction, as the store's write functions see it."""

    def __init__(self, tx: AsyncManagedTransaction) -> None:
        self._tx = tx

    async def run(self, query: str, params: dict[str, Any] | None = None) -> Rows:
        result = await self._tx.run(query, params or {})  # type: ignore[arg-type]
        return [native(row) for row in await result.values()]

    async def existing(self, label: str, ids: Sequence[str]) -> set[str]:
        return {r[0] for r in await self.run(Q.EXISTING_IDS[label], {"ids": list(ids)})}

    async def require(self, label: str, ids: Sequence[str], what: str) -> None:
        missing = set(ids) - await self.existing(label, ids)
        if missing:
            raise NotFound(f"unknown {what}: {', '.join(sorted(missing))}")

    async def refuse_existing(self, label: str, id_: str) -> None:
        if await self.existing(label, [id_]):
            raise Conflict(f"{label} {id_} already exists")

    async def lock_person(self, person_id: str) -> dict[str, Any]:
        rows = await self.run(Q.LOCK_PERSON, {"id": person_id})
        if not rows:
            raise NotFound(f"unknown civil servant: {person_id}")
        return node(rows[0][0])


class Neo4jStore(SharedReads, NetworkingMixin, AnalyticsMixin):
    """The Neo4j adapter. Open with `await Neo4jStore.open(uri, user, password)`; close with `close()`.

    Args:
        driver: the process's `AsyncDriver` (the store closes it in `close()`).
        database: database name, e.g. "neo4j".
        query_timeout_s: server-side time limit per transaction in seconds (None = the server's
            default); over it the transaction is stopped and `StoreUnavailable` is raised.
    """

    _queries = Q
    _props = staticmethod(node)

    def __init__(
        self, driver: AsyncDriver, *, database: str = "neo4j", query_timeout_s: float | None = None
    ) -> None:
        self._driver = driver
        self._database = database
        self._timeout = query_timeout_s
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
        store = cls(driver, database=database, query_timeout_s=query_timeout_s)
        try:
            async with _translated():
                await driver.verify_connectivity()
            await store.migrate()
        except BaseException:
            await store.close()
            raise
        return store

    # ---- plumbing ----
    def _unit(
        self, work: Callable[[AsyncManagedTransaction], Awaitable[T]]
    ) -> Callable[..., Awaitable[T]]:
        return neo4j.unit_of_work(timeout=self._timeout)(work) if self._timeout else work

    async def _read(self, query: str, params: dict[str, Any] | None = None) -> Rows:
        async def work(tx: AsyncManagedTransaction) -> Rows:
            return await _Tx(tx).run(query, params)

        async with _translated(), self._driver.session(database=self._database) as session:
            return await session.execute_read(self._unit(work))

    async def _write(self, work: Callable[[_Tx], Awaitable[T]]) -> T:
        """Run `work` in one (retried) write transaction: committed if it returns, rolled back if it raises.

        The pending audit entry (`graph_db.audit`), if any, is appended in the same transaction.
        """

        entry = audit.pending()

        async def run(tx: AsyncManagedTransaction) -> T:
            value = await work(_Tx(tx))
            if entry is not None:
                await tx.run(audit.APPEND, audit.append_params(entry))  # type: ignore[arg-type]
            return value

        async with _translated(), self._driver.session(database=self._database) as session:
            value = await session.execute_write(self._unit(run))
        if entry is not None:
            audit.mark_recorded()
        return value

    async def _write_rows(self, query: str, rows: list[dict[str, Any]]) -> Rows:
        async def work(tx: _Tx) -> Rows:
            return await tx.run(query, {"rows": rows})

        return await self._write(work)

    @staticmethod
    def _after(page: PageRequest) -> dict[str, Any]:
        key, id_ = page.after if page.after else (None, None)
        return {"afterKey": param(key), "afterId": id_, "limit": page.limit + 1}

    # ---- lifecycle ----
    async def migrate(self) -> list[str]:
        """Apply pending migrations (each statement in its own transaction), then record them."""

        async def schema(statement: str) -> None:
            async with _translated(), self._driver.session(database=self._database) as session:
                await (await session.run(statement)).consume()  # type: ignore[arg-type]

        await schema(MIGRATION_CONSTRAINT)
        done = {r[0] for r in await self._read(Q.APPLIED_MIGRATIONS)}
        applied = []
        for name, statements in MIGRATIONS:
            if name in done:
                continue
            for statement in statements:
                if isinstance(statement, str):
                    await schema(statement)
                    continue
                rows = statement.rows_for(await self._read(statement.read))
                for start in range(0, len(rows), CHUNK_ROWS):
                    await self._write_rows(statement.write, rows[start : start + CHUNK_ROWS])
            await schema(AWAIT_INDEXES)

            async def record(tx: _Tx, name: str = name) -> None:
                await tx.run(Q.RECORD_MIGRATION, {"id": name})

            await self._write(record)
            applied.append(name)
        return applied

    async def ping(self) -> None:
        """Run `RETURN 1`. Raises `StoreUnavailable` when the server does not answer."""
        await self._read(Q.PING)

    async def close(self) -> None:
        """Close the driver and its connections. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        async with _translated():
            await self._driver.close()

    # ---- nodes by id ----
    # ---- lists ----
    @staticmethod
    def _person_filter(f: PersonFilter) -> dict[str, Any]:
        return {
            "country": f.country_code,
            "verified": f.verified,
            "text": search_fold(f.name_contains) if f.name_contains else None,
            "institution": f.institution_id,
            "expertise": f.expertise_id,
        }

    async def list_people(
        self,
        *,
        filter: PersonFilter,
        order: PersonOrderField,
        direction: SortDirection,
        page: PageRequest,
    ) -> Page[CivilServant]:
        query = Q.LIST_PEOPLE[
            (order, walk_descending(direction, page), filter.expertise_id is not None)
        ]
        rows = await self._read(query, self._person_filter(filter) | self._after(page))
        return finish_page(
            [(P.person_from_props(node(r[0])), (r[1], r[0]["id"])) for r in rows], page
        )

    async def count_people(self, *, filter: PersonFilter) -> int:
        rows = await self._read(
            Q.COUNT_PEOPLE[filter.expertise_id is not None], self._person_filter(filter)
        )
        return int(rows[0][0])

    # ---- relationships ----
    async def connections_of(
        self, person_ids: Sequence[str], *, page: PageRequest
    ) -> list[Page[ConnectionEdge]]:
        rows = await self._read(
            Q.CONNECTIONS_OF[page.backward], {"ids": list(person_ids)} | self._after(page)
        )
        return page_rows(
            person_ids,
            rows,
            page,
            lambda r: ConnectionEdge(person_id=r[1], since=r[2]),
            lambda r: (r[2], r[1]),
        )

    # ---- writes ----
    async def create_civil_servant(self, person: CivilServant) -> CivilServant:
        async def work(tx: _Tx) -> CivilServant:
            await tx.refuse_existing("CivilServant", person.id)
            if (
                person.email
                and (await tx.run(Q.EMAIL_TAKEN, {"email": person.email, "id": person.id}))[0][0]
            ):
                raise Conflict("this email is already registered")
            await tx.run(Q.CREATE_PERSON, {"props": P.person_props(person)})
            return person

        return await self._write(work)

    async def update_civil_servant(
        self, person_id: str, update: CivilServantUpdate
    ) -> CivilServant:
        async def work(tx: _Tx) -> CivilServant:
            current = P.person_from_props(await tx.lock_person(person_id))
            updated = update.apply(current)
            if (
                updated.email
                and (await tx.run(Q.EMAIL_TAKEN, {"email": updated.email, "id": person_id}))[0][0]
            ):
                raise Conflict("this email is already registered")
            props = P.person_props(updated)
            props.pop("joinedAt")
            await tx.run(Q.UPDATE_PERSON, props)
            return updated

        return await self._write(work)

    async def delete_civil_servant(self, person_id: str) -> None:
        async def work(tx: _Tx) -> None:
            await tx.lock_person(person_id)
            await tx.run(Q.DELETE_PERSON, {"id": person_id})

        await self._write(work)

    async def set_expertise(self, claim: ExpertiseClaim) -> ExpertiseClaim:
        # Locking the person serialises every MERGE of a relationship from it, so concurrent
        # identical calls create one relationship; the area needs no lock (it is only matched).
        async def work(tx: _Tx) -> ExpertiseClaim:
            await tx.lock_person(claim.person_id)
            await tx.require("Expertise", [claim.expertise_id], "expertise area")
            await tx.run(
                Q.SET_EXPERTISE,
                {
                    "personId": claim.person_id,
                    "expertiseId": claim.expertise_id,
                    "level": claim.level,
                    "years": claim.years,
                },
            )
            return claim

        return await self._write(work)

    async def remove_expertise(self, person_id: str, expertise_id: str) -> None:
        async def work(tx: _Tx) -> None:
            removed = await tx.run(
                Q.REMOVE_EXPERTISE, {"personId": person_id, "expertiseId": expertise_id}
            )
            if not removed or not removed[0][0]:
                raise NotFound(f"{person_id} does not hold expertise {expertise_id}")

        await self._write(work)

    async def add_portfolio_item(
        self, item: PortfolioItem, *, about: Sequence[str]
    ) -> PortfolioItem:
        async def work(tx: _Tx) -> PortfolioItem:
            await tx.lock_person(item.author_id)
            await tx.require("Expertise", about, "expertise area")
            await tx.refuse_existing("PortfolioItem", item.id)
            await tx.run(
                Q.CREATE_PORTFOLIO_ITEM,
                {"authorId": item.author_id, "props": P.portfolio_props(item)},
            )
            if about:
                await tx.run(Q.LINK_ABOUT, {"id": item.id, "about": sorted(set(about))})
            return item

        return await self._write(work)

    async def create_institution(
        self, institution: Institution, *, part_of: str | None
    ) -> Institution:
        async def work(tx: _Tx) -> Institution:
            await tx.refuse_existing("Institution", institution.id)
            if part_of:
                await tx.require("Institution", [part_of], "institution")
            await tx.run(Q.CREATE_NODE["Institution"], {"props": P.institution_props(institution)})
            if part_of:
                await tx.run(
                    Q.MERGE_EDGES["PART_OF"], {"rows": [{"from": institution.id, "to": part_of}]}
                )
            return institution

        return await self._write(work)

    async def create_expertise(self, expertise: Expertise, *, broader: str | None) -> Expertise:
        async def work(tx: _Tx) -> Expertise:
            await tx.refuse_existing("Expertise", expertise.id)
            if broader:
                await tx.require("Expertise", [broader], "expertise area")
            await tx.run(Q.CREATE_NODE["Expertise"], {"props": P.expertise_props(expertise)})
            if broader:
                await tx.run(
                    Q.MERGE_EDGES["BROADER"], {"rows": [{"from": expertise.id, "to": broader}]}
                )
            return expertise

        return await self._write(work)

    async def create_event(self, event: Event, *, organizers: Sequence[str]) -> Event:
        async def work(tx: _Tx) -> Event:
            await tx.refuse_existing("Event", event.id)
            await tx.require("Institution", organizers, "institution")
            await tx.run(Q.CREATE_NODE["Event"], {"props": P.event_props(event)})
            if organizers:
                rows = [{"from": o, "to": event.id} for o in sorted(set(organizers))]
                await tx.run(Q.MERGE_EDGES["ORGANIZED"], {"rows": rows})
            return event

        return await self._write(work)

    async def record_participation(self, participation: Participation) -> Participation:
        async def work(tx: _Tx) -> Participation:
            await tx.lock_person(participation.person_id)
            await tx.require("Event", [participation.event_id], "event")
            await tx.run(
                Q.RECORD_PARTICIPATION,
                {
                    "personId": participation.person_id,
                    "eventId": participation.event_id,
                    "role": participation.role,
                },
            )
            return participation

        return await self._write(work)

    # ---- bulk ----
    async def upsert_batch(self, batch: GraphBatch) -> dict[str, int]:
        """Merge reference data by id in one transaction. Raises `InvalidInput` for people data."""
        if (
            batch.people
            or batch.connections
            or batch.employments
            or batch.studies
            or batch.mentorships
        ):
            raise InvalidInput("upsert_batch takes reference data only; use bulk_load for people")

        async def work(tx: _Tx) -> None:
            for label, records, props in (
                ("Country", batch.countries, P.country_props),
                ("Institution", batch.institutions, P.institution_props),
                ("Expertise", batch.expertise, P.expertise_props),
                ("Event", batch.events, P.event_props),
            ):
                if records:
                    await tx.run(Q.MERGE_NODES[label], {"rows": [props(r) for r in records]})  # type: ignore[arg-type]
            if batch.broader:
                rows = [{"from": b.narrower_id, "to": b.broader_id} for b in batch.broader]
                await tx.run(Q.MERGE_EDGES["BROADER"], {"rows": rows})
            if batch.organized:
                rows = [{"from": o.institution_id, "to": o.event_id} for o in batch.organized]
                await tx.run(Q.MERGE_EDGES["ORGANIZED"], {"rows": rows})

        await self._write(work)
        return batch.counts()

    async def bulk_load(self, batch: GraphBatch, *, dataset: str) -> dict[str, int]:
        """Insert a large batch in transactions of `BULK_CHUNK_ROWS` rows, then mark `dataset` loaded.

        Unlike the embedded store this is not one transaction. Everything that can be checked
        beforehand is (dataset already loaded or an id already taken → `Conflict`, a relationship
        to an unknown record → `InvalidInput`), so those failures write nothing. If a chunk fails
        later (server lost), the chunks before it stay and no `(:Dataset)` node is written: the
        import shows as not loaded, and its records must be deleted before it is run again.
        """
        nodes = _bulk_nodes(batch)
        edges = _bulk_edges(batch)
        if await self._existing("Dataset", [dataset]):
            raise Conflict(f"dataset {dataset} is already loaded")
        await self._check_bulk(nodes, edges)

        if batch.countries:
            await self._write_rows(
                Q.MERGE_NEW_COUNTRIES, [P.country_props(c) for c in batch.countries]
            )
        for label, rows in nodes.items():
            for chunk in _chunks(rows):
                await self._write_rows(Q.CREATE_NODES[label], chunk)
        for rel, rows in edges.items():
            for chunk in _chunks(rows):
                created = await self._write_rows(Q.CREATE_EDGES[rel], chunk)
                if created[0][0] != len(chunk):  # only a concurrent delete can cause this
                    raise InvalidInput(
                        f"{rel}: a relationship refers to a record that does not exist"
                    )

        async def mark(tx: _Tx) -> None:
            await tx.run(Q.RECORD_DATASET, {"id": dataset})

        await self._write(mark)
        return batch.counts()

    async def _existing(self, label: str, ids: Iterable[str]) -> set[str]:
        found: set[str] = set()
        for chunk in _chunks(sorted(set(ids))):
            found |= {r[0] for r in await self._read(Q.EXISTING_IDS[label], {"ids": chunk})}
        return found

    async def _check_bulk(
        self, nodes: dict[str, list[dict[str, Any]]], edges: dict[str, list[dict[str, Any]]]
    ) -> None:
        """Refuse a bulk load that would fail half-way: duplicate/existing ids, dangling relationships."""
        new_ids: dict[str, set[str]] = {}
        for label, rows in nodes.items():
            ids = {r["id"] for r in rows}
            if len(ids) != len(rows) or await self._existing(label, ids):
                raise Conflict(f"a {label} record with this id already exists")
            new_ids[label] = ids
        wanted: dict[str, set[str]] = {}
        for rel, rows in edges.items():
            from_label, to_label, _ = Q.BULK_EDGES[rel]
            wanted.setdefault(from_label, set()).update(r["from"] for r in rows)
            wanted.setdefault(to_label, set()).update(r["to"] for r in rows)
        for label, ids in wanted.items():
            outside = ids - new_ids.get(label, set())
            if outside - await self._existing(label, outside):
                raise InvalidInput("a relationship refers to a record that does not exist")


def _chunks(rows: list[T], size: int = BULK_CHUNK_ROWS) -> Iterable[list[T]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _bulk_nodes(batch: GraphBatch) -> dict[str, list[dict[str, Any]]]:
    """Node rows per label, in dependency order; properties as `graph_db.properties` names them."""
    parts = {
        "Institution": [P.institution_props(i) for i in batch.institutions],
        "Expertise": [P.expertise_props(e) for e in batch.expertise],
        "Event": [P.event_props(e) for e in batch.events],
        "CivilServant": [P.person_props(p) for p in batch.people],
    }
    return {label: rows for label, rows in parts.items() if rows}


def _bulk_edges(batch: GraphBatch) -> dict[str, list[dict[str, Any]]]:
    """Relationship rows per type, each with `from` and `to` ids."""
    parts = {
        "BROADER": [{"from": b.narrower_id, "to": b.broader_id} for b in batch.broader],
        "ORGANIZED": [{"from": o.institution_id, "to": o.event_id} for o in batch.organized],
        "CONNECTED_TO": [
            {"from": c.person_a, "to": c.person_b, "since": c.since} for c in batch.connections
        ],
        "WORKS_AT": [
            {
                "from": e.person_id,
                "to": e.institution_id,
                "position": e.position,
                "since": e.since_year,
                "until": e.until_year,
            }
            for e in batch.employments
        ],
        "STUDIED_AT": [
            {"from": s.person_id, "to": s.institution_id, "year": s.year, "degree": s.degree}
            for s in batch.studies
        ],
        "HAS_EXPERTISE": [
            {"from": c.person_id, "to": c.expertise_id, "level": c.level, "years": c.years}
            for c in batch.expertise_claims
        ],
        "PARTICIPATED_IN": [
            {"from": p.person_id, "to": p.event_id, "role": p.role} for p in batch.participations
        ],
        "MENTORS": [P.mentors_row(m) for m in batch.mentorships],
    }
    return {rel: rows for rel, rows in parts.items() if rows}

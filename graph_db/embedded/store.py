"""`GraphStore` on LadybugDB: one `Database` per process, concurrent reads, one writer at a time.

LadybugDB allows a single write transaction at a time (DESIGN.md, measured: concurrent MERGEs fail
with "Only one write transaction at a time is allowed"), so every write here runs on one dedicated
connection under an `asyncio.Lock`, inside BEGIN/COMMIT, in a worker thread. Reads go through an
`AsyncConnection` pool of `max_concurrent_reads` connections.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import ladybug
import pandas as pd
from filelock import FileLock, Timeout

from graph_db import audit
from graph_db import properties as P
from graph_db.batching import page_rows
from graph_db.data_migrations import CHUNK_ROWS
from graph_db.embedded import queries as Q
from graph_db.embedded.analytics import AnalyticsMixin
from graph_db.embedded.migrations import MIGRATION_TABLE, MIGRATIONS
from graph_db.embedded.networking import NetworkingMixin
from graph_db.errors import Conflict, InvalidInput, NotFound, StoreError, StoreUnavailable
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
    as_utc,
    search_fold,
)
from graph_db.shared_reads import SharedReads

log = logging.getLogger(__name__)
T = TypeVar("T")
Rows = list[list[Any]]

_OPEN_PATHS: set[Path] = set()
"""Database paths opened by this process: a second `Database` on one path raised no error when
measured, so the adapter refuses it itself."""


def _node(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if not k.startswith("_")}


def _utc_key(value: Any) -> Any:
    """LadybugDB returns TIMESTAMP values naive; keys leave the adapter as aware UTC datetimes."""
    return as_utc(value) if isinstance(value, datetime) else value


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
    """A write transaction on the writer connection (used only inside `EmbeddedStore._write`)."""

    def __init__(self, conn: ladybug.Connection) -> None:
        self._conn = conn

    def run(self, query: str, params: dict[str, Any] | None = None) -> Rows:
        result = self._conn.execute(query, params or {})
        assert not isinstance(result, list)
        return result.get_all()  # type: ignore[return-value]

    def existing(self, label: str, ids: Sequence[str]) -> set[str]:
        return {r[0] for r in self.run(Q.EXISTING_IDS[label], {"ids": list(ids)})}

    def require(self, label: str, ids: Sequence[str], what: str) -> None:
        missing = set(ids) - self.existing(label, ids)
        if missing:
            raise NotFound(f"unknown {what}: {', '.join(sorted(missing))}")

    def refuse_existing(self, label: str, id_: str) -> None:
        if self.existing(label, [id_]):
            raise Conflict(f"{label} {id_} already exists")


class EmbeddedStore(SharedReads, NetworkingMixin, AnalyticsMixin):
    """The LadybugDB adapter. Open with `await EmbeddedStore.open(path)`; close with `close()`.

    Args:
        path: database directory file path (LadybugDB keeps one file plus a WAL beside it).
        max_concurrent_reads: size of the read connection pool.
        query_timeout_ms: per-query time limit in ms (0 = none); over it a query is interrupted
            and `StoreUnavailable` is raised.

    Raises:
        StoreUnavailable: the path is already open in this process or locked by another one.
    """

    _queries = Q
    _props = staticmethod(_node)

    def __init__(
        self, path: Path, *, max_concurrent_reads: int = 4, query_timeout_ms: int = 0
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
        self._db = ladybug.Database(str(self.path))
        self._reader = ladybug.AsyncConnection(
            self._db, max_concurrent_queries=max_concurrent_reads
        )
        self._writer = ladybug.Connection(self._db)
        if query_timeout_ms:
            self._reader.set_query_timeout(query_timeout_ms)
            self._writer.set_query_timeout(query_timeout_ms)
        self._write_lock = asyncio.Lock()
        self._closed = False

    @classmethod
    async def open(cls, path: Path, **options: Any) -> EmbeddedStore:
        """Open the database at `path` and apply pending migrations."""
        store = cls(path, **options)
        await store.migrate()
        return store

    # ---- plumbing ----
    async def _read(self, query: str, params: dict[str, Any] | None = None) -> Rows:
        try:
            result = await self._reader.execute(query, params or {})
        except RuntimeError as exc:
            raise _translate(exc) from exc
        assert not isinstance(result, list)
        return result.get_all()  # type: ignore[return-value]

    async def _write(self, work: Callable[[_Tx], T]) -> T:
        """Run `work` in one write transaction: committed if it returns, rolled back if it raises.

        The pending audit entry (`graph_db.audit`), if any, is appended in the same transaction.
        """

        def run() -> T:
            tx = _Tx(self._writer)
            entry = audit.pending()
            self._writer.execute("BEGIN TRANSACTION")
            try:
                value = work(tx)
                if entry is not None:
                    tx.run(audit.APPEND, audit.append_params(entry))
            except BaseException:
                try:
                    self._writer.execute("ROLLBACK")
                except RuntimeError as exc:
                    # A failed statement already rolled the whole transaction back.
                    if "No active transaction" not in str(exc):
                        raise
                raise
            self._writer.execute("COMMIT")
            if entry is not None:
                audit.mark_recorded()
            return value

        async with self._write_lock:
            try:
                return await asyncio.to_thread(run)
            except StoreError:
                raise
            except RuntimeError as exc:
                raise _translate(exc) from exc

    # ---- lifecycle ----
    async def migrate(self) -> list[str]:
        def work(tx: _Tx) -> list[str]:
            tx.run(MIGRATION_TABLE)
            done = {r[0] for r in tx.run(Q.APPLIED_MIGRATIONS)}
            applied = []
            for name, statements in MIGRATIONS:
                if name in done:
                    continue
                for statement in statements:
                    if isinstance(statement, str):
                        tx.run(statement)
                        continue
                    rows = statement.rows_for(tx.run(statement.read))
                    for start in range(0, len(rows), CHUNK_ROWS):
                        tx.run(statement.write, {"rows": rows[start : start + CHUNK_ROWS]})
                tx.run(Q.RECORD_MIGRATION, {"id": name})
                applied.append(name)
            return applied

        return await self._write(work)

    async def ping(self) -> None:
        await self._read(Q.PING)

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._reader.close()
        self._writer.close()
        self._db.close()
        _OPEN_PATHS.discard(self.path)
        self._file_lock.release()

    # ---- nodes by id ----
    # ---- lists ----
    async def _person_filter(self, f: PersonFilter) -> dict[str, Any]:
        """Parameters of the filters `f` uses (their names pick the query variant)."""
        params: dict[str, Any] = {
            "country": f.country_code,
            "verified": f.verified,
            "text": search_fold(f.name_contains) if f.name_contains else None,
            "institution": f.institution_id,
        }
        if f.expertise_id:
            try:
                params["areas"] = await self.area_and_narrower(f.expertise_id)
            except NotFound:
                params["areas"] = []
        return {k: v for k, v in params.items() if v is not None}

    @staticmethod
    def _after(page: PageRequest) -> dict[str, Any]:
        key, id_ = page.after if page.after else (None, None)
        return {"afterKey": key, "afterId": id_, "limit": page.limit + 1}

    async def list_people(
        self,
        *,
        filter: PersonFilter,
        order: PersonOrderField,
        direction: SortDirection,
        page: PageRequest,
    ) -> Page[CivilServant]:
        params = await self._person_filter(filter)
        query = Q.list_people(frozenset(params), order, walk_descending(direction, page))
        rows = await self._read(query, params | self._after(page))
        return finish_page(
            [(P.person_from_props(_node(r[0])), (_utc_key(r[1]), r[0]["id"])) for r in rows], page
        )

    async def count_people(self, *, filter: PersonFilter) -> int:
        params = await self._person_filter(filter)
        rows = await self._read(Q.count_people(frozenset(params)), params)
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
            lambda r: ConnectionEdge(person_id=r[1], since=as_utc(r[2])),
            lambda r: (as_utc(r[2]), r[1]),
        )

    # ---- writes ----
    async def create_civil_servant(self, person: CivilServant) -> CivilServant:
        def work(tx: _Tx) -> CivilServant:
            tx.refuse_existing("CivilServant", person.id)
            if (
                person.email
                and tx.run(Q.EMAIL_TAKEN, {"email": person.email, "id": person.id})[0][0]
            ):
                raise Conflict("this email is already registered")
            tx.run(Q.CREATE_PERSON, P.person_props(person))
            return person

        return await self._write(work)

    async def update_civil_servant(
        self, person_id: str, update: CivilServantUpdate
    ) -> CivilServant:
        def work(tx: _Tx) -> CivilServant:
            rows = tx.run(Q.GET_BY_IDS["CivilServant"], {"ids": [person_id]})
            if not rows:
                raise NotFound(f"unknown civil servant: {person_id}")
            updated = update.apply(P.person_from_props(_node(rows[0][0])))
            if (
                updated.email
                and tx.run(Q.EMAIL_TAKEN, {"email": updated.email, "id": person_id})[0][0]
            ):
                raise Conflict("this email is already registered")
            props = P.person_props(updated)
            props.pop("joinedAt")
            tx.run(Q.UPDATE_PERSON, props)
            return updated

        return await self._write(work)

    async def delete_civil_servant(self, person_id: str) -> None:
        def work(tx: _Tx) -> None:
            tx.require("CivilServant", [person_id], "civil servant")
            tx.run(Q.DELETE_PERSON, {"id": person_id})

        await self._write(work)

    async def set_expertise(self, claim: ExpertiseClaim) -> ExpertiseClaim:
        def work(tx: _Tx) -> ExpertiseClaim:
            tx.require("CivilServant", [claim.person_id], "civil servant")
            tx.require("Expertise", [claim.expertise_id], "expertise area")
            tx.run(
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
        def work(tx: _Tx) -> None:
            removed = tx.run(
                Q.REMOVE_EXPERTISE, {"personId": person_id, "expertiseId": expertise_id}
            )
            if not removed or not removed[0][0]:
                raise NotFound(f"{person_id} does not hold expertise {expertise_id}")

        await self._write(work)

    async def add_portfolio_item(
        self, item: PortfolioItem, *, about: Sequence[str]
    ) -> PortfolioItem:
        def work(tx: _Tx) -> PortfolioItem:
            tx.require("CivilServant", [item.author_id], "civil servant")
            tx.require("Expertise", about, "expertise area")
            tx.refuse_existing("PortfolioItem", item.id)
            tx.run(Q.CREATE_PORTFOLIO_ITEM, P.portfolio_props(item) | {"authorId": item.author_id})
            if about:
                tx.run(Q.LINK_ABOUT, {"id": item.id, "about": sorted(set(about))})
            return item

        return await self._write(work)

    async def create_institution(
        self, institution: Institution, *, part_of: str | None
    ) -> Institution:
        def work(tx: _Tx) -> Institution:
            tx.refuse_existing("Institution", institution.id)
            if part_of:
                tx.require("Institution", [part_of], "institution")
            tx.run(Q.MERGE_NODES["Institution"], {"rows": [P.institution_props(institution)]})
            if part_of:
                tx.run(
                    Q.MERGE_EDGES["PART_OF"], {"rows": [{"from": institution.id, "to": part_of}]}
                )
            return institution

        return await self._write(work)

    async def create_expertise(self, expertise: Expertise, *, broader: str | None) -> Expertise:
        def work(tx: _Tx) -> Expertise:
            tx.refuse_existing("Expertise", expertise.id)
            if broader:
                tx.require("Expertise", [broader], "expertise area")
            tx.run(Q.MERGE_NODES["Expertise"], {"rows": [P.expertise_props(expertise)]})
            if broader:
                tx.run(Q.MERGE_EDGES["BROADER"], {"rows": [{"from": expertise.id, "to": broader}]})
            return expertise

        return await self._write(work)

    async def create_event(self, event: Event, *, organizers: Sequence[str]) -> Event:
        def work(tx: _Tx) -> Event:
            tx.refuse_existing("Event", event.id)
            tx.require("Institution", organizers, "institution")
            tx.run(Q.MERGE_NODES["Event"], {"rows": [P.event_props(event)]})
            if organizers:
                rows = [{"from": o, "to": event.id} for o in sorted(set(organizers))]
                tx.run(Q.MERGE_EDGES["ORGANIZED"], {"rows": rows})
            return event

        return await self._write(work)

    async def record_participation(self, participation: Participation) -> Participation:
        def work(tx: _Tx) -> Participation:
            tx.require("CivilServant", [participation.person_id], "civil servant")
            tx.require("Event", [participation.event_id], "event")
            tx.run(
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
    @staticmethod
    def _merge_all(tx: _Tx, batch: GraphBatch) -> None:
        for label, records, props in (
            ("Country", batch.countries, P.country_props),
            ("Institution", batch.institutions, P.institution_props),
            ("Expertise", batch.expertise, P.expertise_props),
            ("Event", batch.events, P.event_props),
        ):
            if records:
                tx.run(Q.MERGE_NODES[label], {"rows": [props(r) for r in records]})  # type: ignore[arg-type]
        if batch.broader:
            rows = [{"from": b.narrower_id, "to": b.broader_id} for b in batch.broader]
            tx.run(Q.MERGE_EDGES["BROADER"], {"rows": rows})
        if batch.organized:
            rows = [{"from": o.institution_id, "to": o.event_id} for o in batch.organized]
            tx.run(Q.MERGE_EDGES["ORGANIZED"], {"rows": rows})

    async def upsert_batch(self, batch: GraphBatch) -> dict[str, int]:
        if (
            batch.people
            or batch.connections
            or batch.employments
            or batch.studies
            or batch.mentorships
        ):
            raise InvalidInput("upsert_batch takes reference data only; use bulk_load for people")

        def work(tx: _Tx) -> None:
            self._merge_all(tx, batch)

        await self._write(work)
        return batch.counts()

    async def bulk_load(self, batch: GraphBatch, *, dataset: str) -> dict[str, int]:
        frames = bulk_frames(batch)

        def work(tx: _Tx) -> None:
            if tx.existing("Dataset", [dataset]):
                raise Conflict(f"dataset {dataset} is already loaded")
            if batch.countries:
                tx.run(
                    Q.MERGE_NEW_COUNTRIES, {"rows": [P.country_props(c) for c in batch.countries]}
                )
            for table, frame in frames:
                tx.run(Q.COPY_FROM_FRAME[table], {"frame": frame})
            tx.run(Q.RECORD_DATASET, {"id": dataset})

        await self._write(work)
        return batch.counts()


def bulk_frames(batch: GraphBatch) -> list[tuple[str, pd.DataFrame]]:
    """DataFrames for `COPY <table> FROM $frame`, in dependency order, columns in table order.

    Relationship frames start with the `from` and `to` primary keys, as COPY expects.
    """
    frames: list[tuple[str, pd.DataFrame]] = []

    def add(table: str, rows: list[dict[str, Any]], columns: list[str]) -> None:
        if rows:
            frames.append((table, pd.DataFrame(rows, columns=columns)))

    inst_cols = ["id", "name", "acronym", "kind", "countryCode", "sortName"]
    add("Institution", [P.institution_props(i) for i in batch.institutions], inst_cols)
    add(
        "Expertise",
        [P.expertise_props(e) for e in batch.expertise],
        ["id", "name", "description", "sortName"],
    )
    event_cols = [
        "id",
        "title",
        "kind",
        "startDate",
        "endDate",
        "place",
        "countryCode",
        "description",
        "sortName",
    ]
    add("Event", [P.event_props(e) for e in batch.events], event_cols)
    person_cols = list(P.person_props(batch.people[0]).keys()) if batch.people else []
    add("CivilServant", [P.person_props(p) for p in batch.people], person_cols)
    add(
        "BROADER",
        [{"from": b.narrower_id, "to": b.broader_id} for b in batch.broader],
        ["from", "to"],
    )
    add(
        "ORGANIZED",
        [{"from": o.institution_id, "to": o.event_id} for o in batch.organized],
        ["from", "to"],
    )
    add(
        "CONNECTED_TO",
        [{"from": c.person_a, "to": c.person_b, "since": c.since} for c in batch.connections],
        ["from", "to", "since"],
    )
    add(
        "WORKS_AT",
        [
            {
                "from": e.person_id,
                "to": e.institution_id,
                "position": e.position,
                "since": e.since_year,
                "until": e.until_year,
            }
            for e in batch.employments
        ],
        ["from", "to", "position", "since", "until"],
    )
    add(
        "STUDIED_AT",
        [
            {"from": s.person_id, "to": s.institution_id, "year": s.year, "degree": s.degree}
            for s in batch.studies
        ],
        ["from", "to", "year", "degree"],
    )
    add(
        "HAS_EXPERTISE",
        [
            {"from": c.person_id, "to": c.expertise_id, "level": c.level, "years": c.years}
            for c in batch.expertise_claims
        ],
        ["from", "to", "level", "years"],
    )
    add(
        "PARTICIPATED_IN",
        [{"from": p.person_id, "to": p.event_id, "role": p.role} for p in batch.participations],
        ["from", "to", "role"],
    )
    add(
        "MENTORS",
        [P.mentors_row(m) for m in batch.mentorships],
        list(P.MENTORS_COLUMNS),
    )
    return frames

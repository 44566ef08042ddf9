"""What the store core asks of an adapter: reads, one write transaction at a time, and a dialect.

An adapter (`graph_db.embedded`, `graph_db.neo4j`) subclasses `graph_db.core.store.StoreCore`
and supplies connection handling only: `_read` (one read statement, rows as plain Python),
`_transact` (one write transaction whose statements go through a `Transaction`), `_schema` (one
migration statement), the bulk writes, its migrations and its `Dialect`.
Every rule (checks, locks, audit entries, row mapping) is written once, in the core.

Rows are lists of plain Python values: nodes as property maps (no driver objects, no internal
keys), timestamps as aware UTC `datetime`s, dates as `date`s.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, ClassVar, LiteralString, Protocol, TypeVar

from graph_db import audit
from graph_db.audit import Change
from graph_db.core import cypher as C
from graph_db.core.replay import record_replay, refuse_replay
from graph_db.core.search_cypher import SearchPostings
from graph_db.errors import Conflict, NotFound
from graph_db.paging import PageRequest
from graph_db.records import Notification

Rows = list[list[Any]]
T = TypeVar("T")


class Transaction(Protocol):
    """One write transaction, as the core's write rules see it (both adapters give the same)."""

    async def run(self, query: LiteralString, params: Mapping[str, Any] | None = None) -> Rows:
        """Run one statement with `$parameters`; return its rows."""
        ...

    async def lock_people(self, ids: Sequence[str]) -> set[str]:
        """Write-lock the people among `ids` that exist, one at a time in sorted id order, and
        return their ids. Neo4j takes each node's exclusive lock for the rest of the transaction,
        so a check and the write after it are atomic against every other write between the same
        people (and sorted order never deadlocks); LadybugDB's single writer already serialises
        every write transaction, so there it only looks the ids up."""
        ...

    async def lock_nodes(self, label: str, ids: Sequence[str]) -> set[str]:
        """`lock_people` for the nodes of any label of `cypher.NODE_LABELS` (e.g. institutions
        being merged), in sorted id order; returns the ids that exist."""
        ...

    async def lock_mentorship(self, mentorship_id: str) -> None:
        """Write-lock one mentorship relationship (so status changes serialise); no-op if unknown."""
        ...

    async def lock_person(self, person_id: str) -> dict[str, Any] | None:
        """`lock_people` for one person, answering with their stored properties (one statement
        where a lock and a read were two); None if nobody has the id."""
        ...


Work = Callable[[Transaction], Awaitable[T]]


class Dialect(Protocol):
    """The statements in which LadybugDB and Neo4j really differ, as the core uses them.

    Each adapter's `dialect` module satisfies this protocol with module-level names (mypy checks
    modules against protocols), each beside a comment on why that store needs it.
    """

    @property
    def NODE_KEY(self) -> str:
        """An expression of `{var}` (a node) giving the store's own key for it: unique among the
        nodes of a label, cheaper to read than a property."""
        ...

    @property
    def NEIGHBOURHOOD(self) -> dict[bool, str] | None:
        """`cypher.neighbourhood` by walk (`backward`), where the store runs it; None where
        `Reads.neighbourhood` composes it from the batched reads instead."""
        ...

    @property
    def MENTORSHIPS_BY_IDS(self) -> str:
        """Mentorships by `$ids`, returning `cypher.MENTORSHIP_COLUMNS`."""
        ...

    @property
    def SECOND_DEGREE(self) -> str | None:
        """`cypher.second_degree_candidates` of `$id` returned as rows `[id, countryCode, mutual
        ids]`; None where `SECOND_DEGREE_WITH_TIES` is used."""
        ...

    @property
    def SECOND_DEGREE_WITH_TIES(self) -> str | None:
        """The person's ties (`cypher.OWN_TIES`) and the candidates of `SECOND_DEGREE` with what
        each shares of them (`cypher.SHARED`) and their score (`cypher.CONNECTION_SCORE`, with
        `$weights`) in one statement: one row `[[[id, crossBorder, [mutual id], [area id],
        [institution id], [event id], score]]]`, highest score first, only those scoring at
        least the `$best`-th best score (all with fewer); no row for an unknown person. None
        where the core reads them in separate statements."""
        ...

    @property
    def HASHES_ID_LISTS(self) -> bool:
        """`b.id IN $ids` over a long list is a hash look-up (Neo4j), not a scan (LadybugDB):
        the edges among a set of people are then filtered in the store (`cypher.out_among`)
        rather than by store keys in Python (`cypher.neighbour_keys`)."""
        ...

    @property
    def AREAS_FIRST(self) -> bool:
        """People filtered by expertise start from the areas (`cypher.PEOPLE_BY_AREAS`)."""
        ...

    @property
    def TIES_BY_SEEK(self) -> bool:
        """A page of people found first and then sorted is cut by its sort key alone, and only
        the people tied on the page's last key are looked up again (an index seek) to be ordered
        by id (`cypher.list_people`): true on Neo4j, where reading every match's id for the
        tie-break cost more than the seek; LadybugDB has no index to seek the tied people by."""
        ...

    @property
    def MERGE_NODES(self) -> Mapping[str, str]:
        """`cypher.merge_nodes` per reference label, with the casts the store needs."""
        ...

    @property
    def MONTH_BUCKET(self) -> str:
        """Cypher giving `year, month` of a temporal `{field}` (analytics)."""
        ...

    @property
    def shortest_path(self) -> Callable[[str, str, int], str]:
        """`(rel, direction, hops)` → the ids along one shortest path from `$from` to `$to`, as
        one row holding a list."""
        ...

    @property
    def PATHS_MEET_IN_THE_MIDDLE(self) -> bool:
        """True where `shortest_path` searches from one end only: the core then searches from
        both (`Reads._meet_in_the_middle`, which needs `reachable`)."""
        ...

    @property
    def reachable(self) -> Callable[[frozenset[str], str, int, str, str], str] | None:
        """`(rels, direction, hops, where, columns)` → everyone within `hops` of `$id` with their
        distance, by distance then id, `$limit` rows, those satisfying `where` kept (a condition
        on `n`; "true" for all), with more columns by `columns`: "" none, "node" each one's node,
        "names" their family and given names; None where the store has no all-targets
        shortest-path selector, and then the core walks breadth-first with `reachable_step`."""
        ...

    @property
    def SEARCH_HITS(self) -> str:
        """Ranked search: the statement head binding every hit `n` (CivilServant or Institution
        holding every word of the query) and its `score` (`graph_db.core.search`)."""
        ...

    @property
    def SEARCH_MATCHES(self) -> str:
        """`SEARCH_HITS` without the score (facet counts)."""
        ...

    @property
    def LABEL(self) -> str:
        """An expression of `{var}` (a node) giving its label."""
        ...

    @property
    def search_params(self) -> Callable[..., dict[str, Any]]:
        """`(query, *, scored)` → the parameters `SEARCH_HITS` (scored) or `SEARCH_MATCHES` use."""
        ...

    @property
    def SEARCH_POSTINGS(self) -> SearchPostings | None:
        """The statements of an index kept in the store; None where a full-text index does it."""
        ...

    @property
    def SET_SEARCH_EXPERTISE(self) -> str | None:
        """Copy each person's area names (`$rows` of {id, text}) to where the full-text index
        reads them; None where the store keeps its own postings."""
        ...

    @property
    def reachable_step(self) -> Callable[[frozenset[str], str, str], str] | None:
        """`(rels, direction, where)` → the ids one hop from any id in `$frontier`, as one list
        row; with `where` (a condition on `n`, not "") a second list in the row: the
        `PERSON_PROJECTION`s of the people reached who satisfy it."""
        ...

    @property
    def path_people(self) -> Callable[[str, str, int], str] | None:
        """`(rel, direction, hops)` → `shortest_path`'s statement answering with one row: the
        people along the path as person maps (`GET_PEOPLE`'s), only plain values; None where
        the core reads the path, then its people."""
        ...

    @property
    def PERSON_PROJECTION(self) -> str:
        """An expression of `{var}` (a person node) giving the map `GET_PEOPLE` answers with."""
        ...

    @property
    def PLAIN_PEOPLE(self) -> bool:
        """`PERSON_PROJECTION`'s maps hold only plain values (`_read(plain=True)`): true on Neo4j,
        whose projection sends `joinedAt` as integer microseconds."""
        ...

    @property
    def GET_PEOPLE(self) -> str:
        """People by `$ids`: rows of one map of a person's record properties (`joinedAt` as a
        datetime or as integer microseconds, `properties.instant`)."""
        ...

    @property
    def ego_network(self) -> Callable[[frozenset[str], int], str] | None:
        """`(rels, hops)` → an ego network around `$id` capped at `$limit` people in one
        statement, one row `[[id, distance]], [person map], [[rel, id, [id]]]` (see the Neo4j
        dialect), only plain values (`_read(plain=True)`); None where the core's separate reads
        are as fast (an embedded store has no round trips to save)."""
        ...


class StoreBase(ABC):
    """Plumbing every part of the core shares. See the module docstring for the adapter's part."""

    dialect: ClassVar[Dialect]
    """The adapter's `dialect` module."""

    @abstractmethod
    async def _read(
        self, query: LiteralString, params: Mapping[str, Any] | None = None, *, plain: bool = False
    ) -> Rows:
        """Run one read statement; raise `StoreUnavailable` when the store fails or times out.

        `plain`: the statement answers only strings, numbers, booleans, nulls and lists and maps of
        them (ids, counts, `PERSON_PROJECTION`s on Neo4j), so an adapter may hand its rows over
        as the driver made them, without the walk that converts temporal values and nodes (2.5 ms
        of CPU for the 500 rows of `SECOND_DEGREE_WITH_TIES`, Neo4j).
        """

    @abstractmethod
    async def _transact(self, work: Work[T]) -> T:
        """Run `work` in one write transaction: committed if it returns, rolled back if it raises
        (Neo4j retries it on transient errors). Domain errors from `work` propagate unchanged."""

    AUTOCOMMIT: ClassVar[bool] = False
    """The store runs `_autocommit`: a single write statement as a transaction that commits as
    the statement ends, with no COMMIT to wait for from the client (Neo4j's auto-commit
    transactions). LadybugDB's writes are serial on one writer: nothing waits on its locks."""

    async def _autocommit(self, query: LiteralString, params: Mapping[str, Any]) -> Rows:
        """Run the write statement `query` as a transaction of its own (`AUTOCOMMIT` stores):
        its rows, after the commit. Only for a statement that is the whole write, audit entry
        included (`audit.APPEND_FROM_MAP`), and that writes nothing when it finds nothing.

        Raises:
            NotImplementedError: the store has no such transactions (`AUTOCOMMIT` False).
        """
        raise NotImplementedError

    def _autocommits(self, change: Change) -> bool:
        """`change` can be written by `_autocommit_change`: the store has auto-commit writes, its
        entry is not written yet, and no clientMutationId is to be recorded with it."""
        return self.AUTOCOMMIT and not change.recorded and change.replay_key is None

    async def _autocommit_change(
        self, query: LiteralString, params: Mapping[str, Any], *, change: Change
    ) -> Rows:
        """Run `query`, the whole of `change`'s write, as `_autocommit`, giving it the audit entry
        as `$audit` (`audit.APPEND_FROM_MAP`): its rows; `change` is recorded when it answers
        any (a statement that finds nothing writes nothing). Only where `_autocommits(change)`."""
        rows = await self._autocommit(query, {**params, "audit": audit.append_params(change.audit)})
        change.recorded = change.recorded or bool(rows)
        return rows

    async def _write(self, work: Work[T], *, change: Change | None) -> T:
        """Run `work` in one write transaction and append `change`'s audit entry in it.

        Args:
            work: the writes, against a `Transaction`.
            change: the mutation being recorded; None only for system writes (migrations, seeds,
                bulk loads, analytics runs), which the audit trail does not record.
        """

        async def audited(tx: Transaction) -> T:
            if change is not None:
                change.pending.clear()  # a retried attempt writes its notifications again
                if not change.recorded:
                    # Before the work, which locks what it changes (`Transaction.lock_people`):
                    # the locks are then held for fewer statements. 16 clients editing one
                    # profile cost Neo4j 10.5 ms of CPU a request with the entry appended after.
                    await tx.run(audit.APPEND, audit.append_params(change.audit))
                    if change.replay_key is not None:
                        await refuse_replay(tx, change)
                        await record_replay(tx, change)
            return await work(tx)

        value = await self._transact(audited)
        if change is not None:
            change.recorded = True
            if change.pending:
                committed, change.pending = change.pending, []
                change.notifications.extend(committed)
                self._committed(committed)
        return value

    def _committed(self, notifications: list[Notification]) -> None:  # noqa: B027 (a hook)
        """Called after a commit that wrote `notifications` (the notification listeners)."""

    async def _write_statement(self, query: LiteralString, params: Mapping[str, Any]) -> Rows:
        """One system write (no audit entry) in a transaction of its own."""

        async def work(tx: Transaction) -> Rows:
            return await tx.run(query, params)

        return await self._write(work, change=None)

    @staticmethod
    def _after(page: PageRequest) -> dict[str, Any]:
        key, id_ = page.after if page.after else (None, None)
        return {"afterKey": key, "afterId": id_, "limit": page.limit + 1}

    async def _existing(self, label: str, ids: Sequence[str]) -> set[str]:
        return {r[0] for r in await self._read(C.EXISTING_IDS[label], {"ids": list(ids)})}


async def require(tx: Transaction, label: str, ids: Sequence[str], what: str) -> None:
    """Raise `NotFound("unknown <what>: ids")` unless every id names a `label` node."""
    found = {r[0] for r in await tx.run(C.EXISTING_IDS[label], {"ids": list(ids)})}
    if missing := set(ids) - found:
        raise NotFound(f"unknown {what}: {', '.join(sorted(missing))}")


async def require_people(tx: Transaction, ids: Sequence[str]) -> None:
    """Lock the people (`Transaction.lock_people`); raise `NotFound` naming the unknown ones."""
    if missing := set(ids) - await tx.lock_people(ids):
        raise NotFound(f"unknown civil servant: {', '.join(sorted(missing))}")


async def refuse_existing(tx: Transaction, label: str, id_: str) -> None:
    """Raise `Conflict` if a `label` node with id `id_` exists."""
    if await tx.run(C.EXISTING_IDS[label], {"ids": [id_]}):
        raise Conflict(f"{label} {id_} already exists")

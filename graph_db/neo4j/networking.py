"""Connections, endorsements, mentorships and traversals on Neo4j 5.26 (mixed into `Neo4jStore`).

Same answers, order and errors as `graph_db.embedded.networking`. Differences that come from the
engines, not the semantics:

- LadybugDB runs one write transaction at a time; Neo4j runs them concurrently. So every write
  that checks before it creates (or deletes) first locks the people involved, one at a time in
  sorted id order (`_lock_people`), and a status change locks its mentorship: 50 concurrent
  identical requests create one relationship, and opposite requests end as one connection.
- LadybugDB finds every reachable person with its distance in one `* SHORTEST` pattern; Neo4j has
  no such all-targets selector, so `reachable` walks breadth-first, one query per hop.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from graph_db.errors import Conflict, InvalidInput, NotFound
from graph_db.neo4j import networking_queries as Q
from graph_db.neo4j.mapping import param
from graph_db.records import (
    ConnectionEdge,
    ConnectionOutcome,
    EgoNode,
    Endorsement,
    Mentorship,
    MentorshipStatus,
    NetworkRelationship,
    RankedPerson,
    as_utc,
)
from graph_db.shared_reads import SharedNetworkReads, mentorship_from_row

if TYPE_CHECKING:
    from graph_db.neo4j.store import _Tx

T = TypeVar("T")
Rows = list[list[Any]]


async def _lock_people(tx: _Tx, ids: Sequence[str]) -> set[str]:
    """Write-lock the people (those that exist) in sorted id order; return the ids found.

    One statement per person, so the lock order is the sorted order whatever the planner does:
    transactions that lock overlapping pairs never deadlock (the driver would retry if they did).
    """
    found: set[str] = set()
    for person_id in sorted(set(ids)):
        if await tx.run(Q.LOCK_PERSON_ID, {"id": person_id}):
            found.add(person_id)
    return found


async def _require_people(tx: _Tx, ids: Sequence[str]) -> None:
    """Lock the people; raise `NotFound` naming the unknown ones (as the embedded `require`)."""
    missing = set(ids) - await _lock_people(tx, ids)
    if missing:
        raise NotFound(f"unknown civil servant: {', '.join(sorted(missing))}")


class NetworkingMixin(SharedNetworkReads):
    """Needs `_read(query, params) -> rows` and `_write(work) -> value` from `Neo4jStore`."""

    _network_queries = Q

    if TYPE_CHECKING:

        async def _read(self, query: str, params: dict[str, Any] | None = None) -> Rows: ...
        async def _write(self, work: Callable[[_Tx], Awaitable[T]]) -> T: ...

    # ---- connections ----
    async def request_connection(
        self, *, from_id: str, to_id: str, message: str | None, at: datetime
    ) -> ConnectionOutcome:
        if from_id == to_id:
            raise InvalidInput("you cannot connect to yourself")

        async def work(tx: _Tx) -> ConnectionOutcome:
            await _require_people(tx, [from_id, to_id])
            if await tx.run(Q.CONNECTED, {"a": from_id, "b": to_id}):
                raise Conflict("already connected")
            if await tx.run(Q.REQUEST_BETWEEN, {"from": to_id, "to": from_id}):
                await tx.run(Q.DELETE_REQUEST, {"from": to_id, "to": from_id})
                await tx.run(Q.CREATE_CONNECTION, {"a": to_id, "b": from_id, "since": param(at)})
                return ConnectionOutcome.CONNECTED
            if not await tx.run(Q.REQUEST_BETWEEN, {"from": from_id, "to": to_id}):
                await tx.run(
                    Q.CREATE_REQUEST,
                    {"from": from_id, "to": to_id, "at": param(at), "message": message},
                )
            return ConnectionOutcome.REQUESTED

        return await self._write(work)

    async def accept_connection(
        self, *, person_id: str, requester_id: str, at: datetime
    ) -> ConnectionEdge:
        async def work(tx: _Tx) -> ConnectionEdge:
            await _lock_people(tx, [person_id, requester_id])
            if not (await tx.run(Q.DELETE_REQUEST, {"from": requester_id, "to": person_id}))[0][0]:
                raise NotFound("no connection request from this person")
            await tx.run(
                Q.CREATE_CONNECTION, {"a": requester_id, "b": person_id, "since": param(at)}
            )
            return ConnectionEdge(person_id=requester_id, since=at)

        return await self._write(work)

    async def decline_connection(self, *, person_id: str, requester_id: str) -> None:
        await self._delete_one(
            Q.DELETE_REQUEST,
            {"from": requester_id, "to": person_id},
            (person_id, requester_id),
            "connection request",
        )

    async def withdraw_connection_request(self, *, person_id: str, to_id: str) -> None:
        await self._delete_one(
            Q.DELETE_REQUEST,
            {"from": person_id, "to": to_id},
            (person_id, to_id),
            "connection request",
        )

    async def remove_connection(self, *, person_id: str, other_id: str) -> None:
        await self._delete_one(
            Q.DELETE_CONNECTION,
            {"a": person_id, "b": other_id},
            (person_id, other_id),
            "connection",
        )

    async def _delete_one(
        self, query: str, params: dict[str, Any], people: Sequence[str], what: str
    ) -> None:
        # Locking the two people first makes a concurrent delete of the same relationship
        # wait, then find nothing (NotFound), instead of racing on a deleted relationship.
        async def work(tx: _Tx) -> None:
            await _lock_people(tx, people)
            if not (await tx.run(query, params))[0][0]:
                raise NotFound(f"no such {what}")

        await self._write(work)

    # ---- endorsements ----
    async def endorse(self, endorsement: Endorsement) -> Endorsement:
        e = endorsement
        if e.endorser_id == e.endorsee_id:
            raise InvalidInput("you cannot endorse yourself")
        params = {
            "endorser": e.endorser_id,
            "endorsee": e.endorsee_id,
            "expertiseId": e.expertise_id,
        }

        async def work(tx: _Tx) -> Endorsement:
            await _require_people(tx, [e.endorser_id, e.endorsee_id])
            held = {"personId": e.endorsee_id, "expertiseId": e.expertise_id}
            if not await tx.run(Q.HOLDS_EXPERTISE, held):
                raise NotFound("this person does not hold that expertise area")
            existing = await tx.run(Q.ENDORSEMENT, params)
            if existing:
                return e.model_copy(update={"at": as_utc(existing[0][0])})
            await tx.run(Q.CREATE_ENDORSEMENT, params | {"at": param(e.at)})
            return e

        return await self._write(work)

    async def withdraw_endorsement(
        self, *, endorser_id: str, endorsee_id: str, expertise_id: str
    ) -> None:
        params = {"endorser": endorser_id, "endorsee": endorsee_id, "expertiseId": expertise_id}
        await self._delete_one(
            Q.DELETE_ENDORSEMENT, params, (endorser_id, endorsee_id), "endorsement"
        )

    # ---- mentorships ----
    async def request_mentorship(self, mentorship: Mentorship) -> Mentorship:
        m = mentorship
        if m.mentor_id == m.mentee_id:
            raise InvalidInput("you cannot mentor yourself")

        async def work(tx: _Tx) -> Mentorship:
            await _require_people(tx, [m.mentor_id, m.mentee_id])
            if not await tx.run(Q.EXPERTISE_EXISTS, {"id": m.expertise_id}):
                raise NotFound(f"unknown expertise area: {m.expertise_id}")
            key = {"mentorId": m.mentor_id, "menteeId": m.mentee_id, "expertiseId": m.expertise_id}
            existing = await tx.run(Q.OPEN_MENTORSHIP, key)
            if existing:
                return mentorship_from_row(existing[0])
            await tx.run(
                Q.CREATE_MENTORSHIP,
                key
                | {
                    "id": m.id,
                    "goal": m.goal,
                    "status": m.status.value,
                    "requestedAt": param(m.requested_at),
                    "since": param(m.since),
                    "until": param(m.until),
                },
            )
            return m

        return await self._write(work)

    async def set_mentorship_status(
        self,
        mentorship_id: str,
        *,
        expected: Sequence[MentorshipStatus],
        status: MentorshipStatus,
        at: datetime,
    ) -> Mentorship:
        async def work(tx: _Tx) -> Mentorship:
            # Lock, then read in a second statement: two concurrent accepts serialise and the
            # second sees ACTIVE (Conflict), as with the embedded store's single writer.
            await tx.run(Q.LOCK_MENTORSHIP, {"id": mentorship_id})
            rows = await tx.run(Q.MENTORSHIP_BY_ID, {"id": mentorship_id})
            if not rows:
                raise NotFound("no such mentorship")
            current = mentorship_from_row(rows[0])
            if current.status not in expected:
                wanted = "/".join(s.value for s in expected)
                raise Conflict(f"the mentorship is {current.status.value}, not {wanted}")
            since = at if status is MentorshipStatus.ACTIVE else current.since
            ended = (
                current.status is MentorshipStatus.ACTIVE and status is not MentorshipStatus.ACTIVE
            )
            until = at if ended else None
            await tx.run(
                Q.SET_MENTORSHIP_STATUS,
                {
                    "id": mentorship_id,
                    "status": status.value,
                    "since": param(since),
                    "until": param(until),
                },
            )
            return current.model_copy(update={"status": status, "since": since, "until": until})

        return await self._write(work)

    # ---- traversals ----
    async def reachable(
        self,
        person_id: str,
        *,
        rels: frozenset[NetworkRelationship],
        direction: str,
        hops: int,
        limit: int,
    ) -> list[EgoNode]:
        """Breadth-first search, one query per hop; exact minimal distances, by distance then id."""
        if not 1 <= hops <= Q.MAX_TRAVERSAL_HOPS:
            raise InvalidInput(f"hops must be 1..{Q.MAX_TRAVERSAL_HOPS}")
        if not rels:
            raise InvalidInput("choose at least one relationship kind")
        if direction not in Q.ARROWS:
            raise InvalidInput(f"direction must be one of {', '.join(Q.ARROWS)}")
        step = Q.reachable_step(frozenset(r.value for r in rels), direction)
        visited = {person_id}
        frontier = [person_id]
        found: list[EgoNode] = []
        for distance in range(1, hops + 1):
            if not frontier or len(found) >= limit:
                # Later layers are all farther than what `limit` already keeps.
                break
            rows = await self._read(step, {"frontier": frontier})
            frontier = sorted(set(rows[0][0]) - visited)
            visited.update(frontier)
            found += [EgoNode(person_id=p, distance=distance) for p in frontier]
        return found[: max(limit, 0)]

    async def shortest_path(
        self,
        from_id: str,
        to_id: str,
        *,
        rel: NetworkRelationship,
        directed: bool,
        max_hops: int,
    ) -> list[str] | None:
        if from_id == to_id:
            return [from_id]
        if not 1 <= max_hops <= Q.MAX_TRAVERSAL_HOPS:
            raise InvalidInput(f"max_hops must be 1..{Q.MAX_TRAVERSAL_HOPS}")
        query = Q.shortest_path(rel.value, "out" if directed else "both", max_hops)
        rows = await self._read(query, {"from": from_id, "to": to_id})
        return list(rows[0][0]) if rows else None

    async def second_degree(self, person_id: str, *, limit: int) -> list[RankedPerson]:
        me = await self._read(Q.PERSON_COUNTRY, {"id": person_id})
        if not me:
            raise NotFound("unknown civil servant")
        my_country = me[0][0]
        rows = (await self._read(Q.SECOND_DEGREE, {"id": person_id, "limit": limit}))[0][0]
        ids = [r[0] for r in rows]
        shared: dict[str, dict[str, list[str]]] = {}
        for name, query in (
            ("shared_expertise_ids", Q.SHARED_EXPERTISE),
            ("shared_institution_ids", Q.SHARED_INSTITUTIONS),
            ("shared_event_ids", Q.SHARED_EVENTS),
        ):
            found = await self._read(query, {"id": person_id, "ids": ids})
            shared[name] = {r[0]: sorted(r[1]) for r in found}
        return [
            RankedPerson(
                person_id=r[0],
                distance=2,
                mutual_ids=sorted(r[2]),
                cross_border=bool(my_country and r[1] and r[1] != my_country),
                **{name: by_id.get(r[0], []) for name, by_id in shared.items()},
            )
            for r in rows
        ]

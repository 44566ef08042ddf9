"""Connections, endorsements, mentorships and traversals on LadybugDB (mixed into `EmbeddedStore`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from graph_db.embedded import queries as Q
from graph_db.errors import Conflict, InvalidInput, NotFound
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
    from graph_db.embedded.store import _Tx

T = TypeVar("T")
Rows = list[list[Any]]


class NetworkingMixin(SharedNetworkReads):
    """Needs `_read(query, params) -> rows` and `_write(work) -> value` from `EmbeddedStore`."""

    _network_queries = Q

    if TYPE_CHECKING:

        async def _read(self, query: str, params: dict[str, Any] | None = None) -> Rows: ...
        async def _write(self, work: Callable[[_Tx], T]) -> T: ...

    # ---- connections ----
    async def request_connection(
        self, *, from_id: str, to_id: str, message: str | None, at: datetime
    ) -> ConnectionOutcome:
        if from_id == to_id:
            raise InvalidInput("you cannot connect to yourself")

        def work(tx: _Tx) -> ConnectionOutcome:
            tx.require("CivilServant", [from_id, to_id], "civil servant")
            if tx.run(Q.CONNECTED, {"a": from_id, "b": to_id}):
                raise Conflict("already connected")
            if tx.run(Q.REQUEST_BETWEEN, {"from": to_id, "to": from_id}):
                tx.run(Q.DELETE_REQUEST, {"from": to_id, "to": from_id})
                tx.run(Q.CREATE_CONNECTION, {"a": to_id, "b": from_id, "since": at})
                return ConnectionOutcome.CONNECTED
            if not tx.run(Q.REQUEST_BETWEEN, {"from": from_id, "to": to_id}):
                tx.run(
                    Q.CREATE_REQUEST, {"from": from_id, "to": to_id, "at": at, "message": message}
                )
            return ConnectionOutcome.REQUESTED

        return await self._write(work)

    async def accept_connection(
        self, *, person_id: str, requester_id: str, at: datetime
    ) -> ConnectionEdge:
        def work(tx: _Tx) -> ConnectionEdge:
            if not tx.run(Q.DELETE_REQUEST, {"from": requester_id, "to": person_id})[0][0]:
                raise NotFound("no connection request from this person")
            tx.run(Q.CREATE_CONNECTION, {"a": requester_id, "b": person_id, "since": at})
            return ConnectionEdge(person_id=requester_id, since=at)

        return await self._write(work)

    async def decline_connection(self, *, person_id: str, requester_id: str) -> None:
        await self._delete_one(
            Q.DELETE_REQUEST, {"from": requester_id, "to": person_id}, "connection request"
        )

    async def withdraw_connection_request(self, *, person_id: str, to_id: str) -> None:
        await self._delete_one(
            Q.DELETE_REQUEST, {"from": person_id, "to": to_id}, "connection request"
        )

    async def remove_connection(self, *, person_id: str, other_id: str) -> None:
        def work(tx: _Tx) -> None:
            removed = tx.run(Q.DELETE_CONNECTION, {"a": person_id, "b": other_id})[0][0]
            removed += tx.run(Q.DELETE_CONNECTION, {"a": other_id, "b": person_id})[0][0]
            if not removed:
                raise NotFound("no such connection")

        await self._write(work)

    async def _delete_one(self, query: str, params: dict[str, Any], what: str) -> None:
        def work(tx: _Tx) -> None:
            if not tx.run(query, params)[0][0]:
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

        def work(tx: _Tx) -> Endorsement:
            tx.require("CivilServant", [e.endorser_id, e.endorsee_id], "civil servant")
            if not tx.run(
                Q.HOLDS_EXPERTISE, {"personId": e.endorsee_id, "expertiseId": e.expertise_id}
            ):
                raise NotFound("this person does not hold that expertise area")
            existing = tx.run(Q.ENDORSEMENT, params)
            if existing:
                return e.model_copy(update={"at": as_utc(existing[0][0])})
            tx.run(Q.CREATE_ENDORSEMENT, params | {"at": e.at})
            return e

        return await self._write(work)

    async def withdraw_endorsement(
        self, *, endorser_id: str, endorsee_id: str, expertise_id: str
    ) -> None:
        params = {"endorser": endorser_id, "endorsee": endorsee_id, "expertiseId": expertise_id}
        await self._delete_one(Q.DELETE_ENDORSEMENT, params, "endorsement")

    # ---- mentorships ----
    async def request_mentorship(self, mentorship: Mentorship) -> Mentorship:
        m = mentorship
        if m.mentor_id == m.mentee_id:
            raise InvalidInput("you cannot mentor yourself")

        def work(tx: _Tx) -> Mentorship:
            tx.require("CivilServant", [m.mentor_id, m.mentee_id], "civil servant")
            tx.require("Expertise", [m.expertise_id], "expertise area")
            key = {"mentorId": m.mentor_id, "menteeId": m.mentee_id, "expertiseId": m.expertise_id}
            existing = tx.run(Q.OPEN_MENTORSHIP, key)
            if existing:
                return mentorship_from_row(existing[0])
            tx.run(
                Q.CREATE_MENTORSHIP,
                key
                | {
                    "id": m.id,
                    "goal": m.goal,
                    "status": m.status.value,
                    "requestedAt": m.requested_at,
                    "since": m.since,
                    "until": m.until,
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
        def work(tx: _Tx) -> Mentorship:
            rows = tx.run(Q.MENTORSHIP_BY_ID, {"id": mentorship_id})
            if not rows:
                raise NotFound("no such mentorship")
            current = mentorship_from_row(rows[0])
            if current.status not in expected:
                raise Conflict(
                    f"the mentorship is {current.status.value}, not {'/'.join(s.value for s in expected)}"
                )
            since = at if status is MentorshipStatus.ACTIVE else current.since
            until = (
                at
                if current.status is MentorshipStatus.ACTIVE
                and status is not MentorshipStatus.ACTIVE
                else None
            )
            tx.run(
                Q.SET_MENTORSHIP_STATUS,
                {"id": mentorship_id, "status": status.value, "since": since, "until": until},
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
        if not 1 <= hops <= Q.MAX_TRAVERSAL_HOPS:
            raise InvalidInput(f"hops must be 1..{Q.MAX_TRAVERSAL_HOPS}")
        query = Q.reachable(frozenset(r.value for r in rels), direction, hops)
        rows = await self._read(query, {"id": person_id, "limit": limit})
        return [EgoNode(person_id=r[0], distance=int(r[1])) for r in rows]

    async def shortest_path(
        self, from_id: str, to_id: str, *, rel: NetworkRelationship, directed: bool, max_hops: int
    ) -> list[str] | None:
        if from_id == to_id:
            return [from_id]
        query = Q.shortest_path(rel.value, "out" if directed else "both", max_hops)
        rows = await self._read(query, {"from": from_id, "to": to_id})
        return list(rows[0][0]) if rows else None

    async def second_degree(self, person_id: str, *, limit: int) -> list[RankedPerson]:
        me = await self._read(Q.GET_BY_IDS["CivilServant"], {"ids": [person_id]})
        if not me:
            raise NotFound("unknown civil servant")
        my_country = me[0][0].get("countryCode")
        rows = await self._read(Q.SECOND_DEGREE, {"id": person_id, "limit": limit})
        ids = [r[0] for r in rows]
        shared = {}
        for name, query in (
            ("shared_expertise_ids", Q.SHARED_EXPERTISE),
            ("shared_institution_ids", Q.SHARED_INSTITUTIONS),
            ("shared_event_ids", Q.SHARED_EVENTS),
        ):
            shared[name] = {
                r[0]: sorted(r[1]) for r in await self._read(query, {"id": person_id, "ids": ids})
            }
        return [
            RankedPerson(
                person_id=r[0],
                distance=2,
                mutual_ids=sorted(r[2]),
                cross_border=bool(my_country and r[1] and r[1] != my_country),
                **{name: found.get(r[0], []) for name, found in shared.items()},
            )
            for r in rows
        ]

"""Connections, endorsements, mentorships and traversals on LadybugDB (mixed into `EmbeddedStore`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from graph_db.batching import align, group_rows
from graph_db.embedded import queries as Q
from graph_db.errors import Conflict, InvalidInput, NotFound
from graph_db.records import (
    ConnectionEdge,
    ConnectionOutcome,
    ConnectionRequest,
    EgoEdge,
    EgoNode,
    Endorsement,
    Mentorship,
    MentorshipStatus,
    NetworkFilter,
    NetworkRelationship,
    RankedPerson,
    as_utc,
)

if TYPE_CHECKING:
    from graph_db.embedded.store import _Tx

T = TypeVar("T")
Rows = list[list[Any]]


def mentorship_from_row(r: Sequence[Any]) -> Mentorship:
    """A `Mentorship` from `id, mentor, mentee, expertiseId, goal, status, requestedAt, since, until`."""
    return Mentorship(
        id=r[0],
        mentor_id=r[1],
        mentee_id=r[2],
        expertise_id=r[3],
        goal=r[4],
        status=r[5],
        requested_at=r[6],
        since=r[7],
        until=r[8],
    )


class NetworkingMixin:
    """Needs `_read(query, params) -> rows` and `_write(work) -> value` from `EmbeddedStore`."""

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

    async def connection_requests(
        self, person_ids: Sequence[str], *, incoming: bool
    ) -> list[list[ConnectionRequest]]:
        rows = await self._read(
            Q.REQUESTS_TO if incoming else Q.REQUESTS_FROM, {"ids": list(person_ids)}
        )
        return group_rows(
            person_ids,
            rows,
            lambda r: ConnectionRequest(from_id=r[1], to_id=r[2], at=r[3], message=r[4]),
        )

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

    async def endorsements_of(self, person_ids: Sequence[str]) -> list[list[Endorsement]]:
        rows = await self._read(Q.ENDORSEMENTS_OF, {"ids": list(person_ids)})
        return group_rows(
            person_ids,
            rows,
            lambda r: Endorsement(endorser_id=r[1], endorsee_id=r[0], expertise_id=r[2], at=r[3]),
        )

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

    async def get_mentorships(self, mentorship_ids: Sequence[str]) -> list[Mentorship | None]:
        rows = await self._read(Q.MENTORSHIPS_BY_IDS, {"ids": list(mentorship_ids)})
        return align(mentorship_ids, {r[0]: mentorship_from_row(r) for r in rows})

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

    async def mentorships_of(
        self, person_ids: Sequence[str], *, as_mentor: bool
    ) -> list[list[Mentorship]]:
        query = Q.MENTORSHIPS_AS_MENTOR if as_mentor else Q.MENTORSHIPS_AS_MENTEE
        rows = await self._read(query, {"ids": list(person_ids)})
        return group_rows(person_ids, rows, lambda r: mentorship_from_row(r[1:]))

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

    async def edges_among(
        self, person_ids: Sequence[str], *, rels: frozenset[NetworkRelationship], limit: int
    ) -> list[EgoEdge]:
        edges: list[EgoEdge] = []
        for rel in sorted(rels):
            rows = await self._read(
                Q.EDGES_AMONG[rel.value], {"ids": list(person_ids), "limit": limit}
            )
            edges += [EgoEdge(source=r[0], target=r[1], kind=rel) for r in rows]
        return edges

    async def shortest_path(
        self, from_id: str, to_id: str, *, rel: NetworkRelationship, directed: bool, max_hops: int
    ) -> list[str] | None:
        if from_id == to_id:
            return [from_id]
        query = Q.shortest_path(rel.value, "out" if directed else "both", max_hops)
        rows = await self._read(query, {"from": from_id, "to": to_id})
        return list(rows[0][0]) if rows else None

    async def filter_people(self, person_ids: Sequence[str], *, filter: NetworkFilter) -> set[str]:
        params: dict[str, Any] = {
            "givenName": filter.given_name,
            "country": filter.country_code,
            "institution": filter.institution_id,
        }
        if filter.expertise_id:
            params["areas"] = await self.area_and_narrower(filter.expertise_id)
        if filter.works_in_country:
            params["worksIn"] = filter.works_in_country
            params["worksBefore"] = (
                filter.works_since_before if filter.works_since_before is not None else 10_000
            )
        params = {k: v for k, v in params.items() if v is not None}
        query = Q.filter_people(frozenset(k for k in params if k != "worksBefore"))
        return {r[0] for r in await self._read(query, params | {"ids": list(person_ids)})}

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

    async def mentor_candidates(
        self, person_id: str, *, area_ids: Sequence[str], limit: int
    ) -> list[RankedPerson]:
        own = await self._read(Q.LEVEL_IN, {"id": person_id, "areas": list(area_ids)})
        min_level = int(own[0][0]) if own and own[0][0] is not None else 0
        rows = await self._read(
            Q.MENTOR_CANDIDATES,
            {"id": person_id, "areas": list(area_ids), "minLevel": min_level, "limit": limit},
        )
        return [
            RankedPerson(person_id=r[0], distance=0, level=int(r[1]), endorsements=int(r[2]))
            for r in rows
        ]

    async def area_and_narrower(self, expertise_id: str) -> list[str]:
        rows = await self._read(Q.AREA_AND_NARROWER, {"id": expertise_id})
        if not rows:
            raise NotFound(f"unknown expertise area: {expertise_id}")
        return [rows[0][0], *sorted(x for x in rows[0][1] if x)]

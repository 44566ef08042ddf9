"""The viewer's relationship to people and introductions, written once for both stores.

`relationships_to` answers a whole page of person cards in at most three reads: everyone's
connections (the viewer's and the people's, one statement), the pending requests between the
viewer and the people, and, only for people not within two hops, which of their connections is
connected to one of the viewer's (distance 3). Mutual connections and distances 1–2 follow from
the first read in Python, so the cost does not grow with the number of cards.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from graph_db.audit import Change
from graph_db.batching import align, group_rows
from graph_db.core import cypher as C
from graph_db.core.base import StoreBase, Transaction, require_people
from graph_db.core.notifications import notify
from graph_db.errors import Conflict, InvalidInput, NotFound
from graph_db.records import (
    Introduction,
    IntroductionStatus,
    NotificationKind,
    ViewerRelationship,
)


def introduction_from_props(d: dict[str, Any]) -> Introduction:
    """An `Introduction` from an `Introduction` node's properties."""
    return Introduction(
        id=d["id"],
        requester_id=d["requesterId"],
        via_id=d["viaId"],
        to_id=d["toId"],
        message=d.get("message"),
        status=IntroductionStatus(d["status"]),
        requested_at=d["requestedAt"],
        decided_at=d.get("decidedAt"),
    )


def introduction_props(i: Introduction) -> dict[str, Any]:
    """The parameters of `cypher.CREATE_INTRODUCTION` for `i`."""
    return {
        "id": i.id,
        "requesterId": i.requester_id,
        "viaId": i.via_id,
        "toId": i.to_id,
        "message": i.message,
        "status": i.status.value,
        "requestedAt": i.requested_at,
        "decidedAt": i.decided_at,
    }


class Relationships(StoreBase):
    """`graph_db.port.relationships.RelationshipStore`, over the adapter's reads and writes."""

    async def relationships_to(
        self, viewer_id: str, person_ids: Sequence[str]
    ) -> list[ViewerRelationship]:
        others = sorted({p for p in person_ids if p != viewer_id})
        if not others:
            return [ViewerRelationship(person_id=p) for p in person_ids]
        rows = await self._read(C.NEIGHBOURS_OF, {"ids": [viewer_id, *others]})
        neighbours = {r[0]: set(r[1]) for r in rows}
        near = neighbours.get(viewer_id, set())
        sent: set[str] = set()
        received: set[str] = set()
        for person, was_sent in await self._read(C.REQUESTS_WITH, {"id": viewer_id, "ids": others}):
            (sent if was_sent else received).add(person)
        found: dict[str, ViewerRelationship] = {}
        farther: dict[str, set[str]] = {}
        for person in others:
            theirs = neighbours.get(person, set())
            mutual = near & theirs
            distance = 1 if person in near else 2 if mutual else None
            if distance is None and theirs and near:
                farther[person] = theirs
            found[person] = ViewerRelationship(
                person_id=person,
                connected=person in near,
                request_sent=person in sent,
                request_received=person in received,
                distance=distance,
                mutual_ids=tuple(sorted(mutual)),
            )
        for person in await self._within_three(near, farther):
            found[person] = found[person].model_copy(update={"distance": 3})
        return [found.get(p) or ViewerRelationship(person_id=p) for p in person_ids]

    async def _within_three(self, near: set[str], farther: dict[str, set[str]]) -> set[str]:
        """The people of `farther` (person → their connections) one of whose connections is
        connected to someone in `near` (the viewer's connections): at distance 3."""
        far = set().union(*farther.values()) if farther else set()
        if not far:
            return set()
        # Walk from the smaller side; either way the answer is the far ids that are linked.
        from_far = len(far) <= len(near)
        start, other = (far, near) if from_far else (near, far)
        rows = await self._read(
            C.LINKED_TO[from_far],
            {"ids": sorted(start), "others": sorted(other)},
        )
        linked = {r[0] for r in rows}
        return {person for person, theirs in farther.items() if theirs & linked}

    async def get_introductions(self, ids: Sequence[str]) -> list[Introduction | None]:
        rows = await self._read(C.GET_INTRODUCTIONS, {"ids": list(ids)})
        return align(ids, {r[0]["id"]: introduction_from_props(r[0]) for r in rows})

    async def introductions_of(
        self, person_ids: Sequence[str], *, as_introducer: bool
    ) -> list[list[Introduction]]:
        rows = await self._read(
            C.INTRODUCTIONS_OF,
            {"ids": list(person_ids), "role": "via" if as_introducer else "requester"},
        )
        grouped = group_rows(person_ids, rows, lambda r: introduction_from_props(r[1]))
        return [sorted(g, key=lambda i: (-i.requested_at.timestamp(), i.id)) for g in grouped]

    async def request_introduction(
        self, introduction: Introduction, *, change: Change
    ) -> Introduction:
        i = introduction
        if len({i.requester_id, i.via_id, i.to_id}) < 3:
            raise InvalidInput("the requester, the introducer and the person met must differ")

        async def work(tx: Transaction) -> Introduction:
            await require_people(tx, [i.requester_id, i.via_id, i.to_id])
            if await tx.run(C.CONNECTED, {"a": i.requester_id, "b": i.to_id}):
                raise Conflict("you are already connected")
            for a, b in ((i.via_id, i.requester_id), (i.via_id, i.to_id)):
                if not await tx.run(C.CONNECTED, {"a": a, "b": b}):
                    raise NotFound("the introducer must be connected to both of you")
            key = {"requesterId": i.requester_id, "viaId": i.via_id, "toId": i.to_id}
            if existing := await tx.run(C.OPEN_INTRODUCTION, key):
                return introduction_from_props(existing[0][0])
            await tx.run(C.CREATE_INTRODUCTION, introduction_props(i))
            await notify(
                tx,
                change,
                recipient_id=i.via_id,
                kind=NotificationKind.INTRODUCTION_REQUESTED,
                subject_ids=[
                    f"Introduction:{i.id}",
                    f"CivilServant:{i.requester_id}",
                    f"CivilServant:{i.to_id}",
                ],
            )
            return i

        return await self._write(work, change=change)

    async def decide_introduction(
        self, introduction_id: str, *, forward: bool, at: datetime, change: Change
    ) -> Introduction:
        async def work(tx: Transaction) -> Introduction:
            rows = await tx.run(C.GET_INTRODUCTIONS, {"ids": [introduction_id]})
            if not rows:
                raise NotFound("no such introduction")
            i = introduction_from_props(rows[0][0])
            # Lock the three people, then read again: two concurrent answers serialise and the
            # second sees the first's status (Conflict).
            await tx.lock_people([i.requester_id, i.via_id, i.to_id])
            i = introduction_from_props(
                (await tx.run(C.GET_INTRODUCTIONS, {"ids": [introduction_id]}))[0][0]
            )
            if i.status is not IntroductionStatus.REQUESTED:
                raise Conflict(f"the introduction is {i.status.value}, not REQUESTED")
            status = IntroductionStatus.FORWARDED if forward else IntroductionStatus.DECLINED
            await tx.run(
                C.SET_INTRODUCTION_STATUS,
                {"id": i.id, "status": status.value, "decidedAt": at},
            )
            subjects = [
                f"Introduction:{i.id}",
                f"CivilServant:{i.requester_id}",
                f"CivilServant:{i.to_id}",
            ]
            told = [i.requester_id]
            if forward:
                told.append(i.to_id)
                await self._forward(tx, i, at)
            kind = (
                NotificationKind.INTRODUCTION_FORWARDED
                if forward
                else NotificationKind.INTRODUCTION_DECLINED
            )
            for recipient in told:
                await notify(tx, change, recipient_id=recipient, kind=kind, subject_ids=subjects)
            return i.model_copy(update={"status": status, "decided_at": at})

        return await self._write(work, change=change)

    @staticmethod
    async def _forward(tx: Transaction, i: Introduction, at: datetime) -> None:
        """The requester's connection request to `to_id`, unless they are connected by now or a
        request is pending either way (then that one stands)."""
        pair = {"a": i.requester_id, "b": i.to_id}
        if await tx.run(C.CONNECTED, pair):
            return
        for a, b in ((i.requester_id, i.to_id), (i.to_id, i.requester_id)):
            if await tx.run(C.REQUEST_BETWEEN, {"from": a, "to": b}):
                return
        params = {"from": i.requester_id, "to": i.to_id, "at": at, "message": i.message}
        await tx.run(C.CREATE_REQUEST, params)

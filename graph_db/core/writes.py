"""The store's write rules, written once for both adapters: each check, lock and write in one place.

Every method runs one write transaction through `StoreBase._write`, which appends the mutation's
audit entry (`change`) in the same transaction. Checks that precede a write lock the people
involved first (`Transaction.lock_people`: real locks on Neo4j, where transactions run
concurrently; a look-up on LadybugDB, whose single writer serialises them), so 50 concurrent
identical requests create one relationship and opposite requests end as one connection.
Uniqueness of ids and emails is also enforced by Neo4j constraints (a lost race → `Conflict`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from graph_db import properties as P
from graph_db.audit import Change
from graph_db.core import cypher as C
from graph_db.core import exchange_cypher as X
from graph_db.core import search_cypher as S
from graph_db.core.base import (
    Rows,
    StoreBase,
    Transaction,
    refuse_existing,
    require,
    require_people,
)
from graph_db.core.catalogue import link, uncorrected
from graph_db.core.notifications import notify
from graph_db.core.reads import mentorship_from_row
from graph_db.core.search import (
    INDEXED_PERSON_PROPERTIES,
    index_documents,
    index_holders,
    unindex_documents,
)
from graph_db.errors import Conflict, InvalidInput, NotFound
from graph_db.records import (
    CivilServant,
    CivilServantUpdate,
    ConnectionEdge,
    ConnectionOutcome,
    Endorsement,
    Event,
    Expertise,
    ExpertiseClaim,
    GraphBatch,
    Institution,
    Mentorship,
    MentorshipStatus,
    NotificationKind,
    Participation,
    PortfolioItem,
)
from graph_db.records.people import STANDALONE_FIELDS


class Writes(StoreBase):
    """Profile, reference-data and networking writes (see the port for each contract)."""

    # ---- profiles ----
    @staticmethod
    async def _refuse_taken_email(tx: Transaction, email: str | None, person_id: str) -> None:
        if email and (await tx.run(C.EMAIL_TAKEN, {"email": email, "id": person_id}))[0][0]:
            raise Conflict("this email is already registered")

    async def create_civil_servant(self, person: CivilServant, *, change: Change) -> CivilServant:
        async def work(tx: Transaction) -> CivilServant:
            await refuse_existing(tx, "CivilServant", person.id)
            await self._refuse_taken_email(tx, person.email, person.id)
            await tx.run(C.CREATE_PERSON, P.person_props(person))
            await index_documents(tx, self.dialect, "CivilServant", [person.id])
            return person

        return await self._write(work, change=change)

    async def update_civil_servant(
        self, person_id: str, update: CivilServantUpdate, *, change: Change
    ) -> CivilServant:
        def answered(rows: Rows) -> CivilServant:
            if not rows:
                raise NotFound(f"unknown civil servant: {person_id}")
            return P.person_from_props(rows[0][0])

        async def work(tx: Transaction) -> CivilServant:
            stored = await tx.lock_person(person_id)
            if stored is None:
                raise NotFound(f"unknown civil servant: {person_id}")
            before = P.person_from_props(stored)
            updated = update.apply(before)
            await self._refuse_taken_email(tx, updated.email, person_id)
            changed = {
                name: value
                for name, value in P.person_props(updated).items()
                if name not in ("id", "joinedAt") and stored.get(name) != value
            }
            if changed:
                await tx.run(C.update_person(frozenset(changed)), {"id": person_id, **changed})
            if changed.keys() & INDEXED_PERSON_PROPERTIES:
                await index_documents(tx, self.dialect, "CivilServant", [person_id], areas=False)
            if updated.verified and not before.verified:
                await notify(
                    tx,
                    change,
                    recipient_id=person_id,
                    kind=NotificationKind.PROFILE_VERIFIED,
                    subject_ids=[f"CivilServant:{person_id}"],
                )
            return updated

        if not (update.model_fields_set and update.model_fields_set <= STANDALONE_FIELDS):
            return await self._write(work, change=change)
        props = P.standalone_props(update)
        params = {"id": person_id, **props}
        projection = self.dialect.PERSON_PROJECTION
        if self._autocommits(change) and self.dialect.SEARCH_POSTINGS is None:
            # One statement, audit entry included: the server takes the person's lock and
            # commits without waiting on the client (Neo4j's full-text index reads the
            # properties itself). 16 clients editing one profile: 167-183 -> 268-291 req/s.
            statement = C.update_person(frozenset(props), returning=projection, audited=True)
            return answered(await self._autocommit_change(statement, params, change=change))

        async def standalone(tx: Transaction) -> CivilServant:
            # One statement locks, writes and reads back: the lock is held from it to COMMIT only.
            statement = C.update_person(frozenset(props), returning=projection)
            updated = answered(await tx.run(statement, params))
            if props.keys() & INDEXED_PERSON_PROPERTIES:
                await index_documents(tx, self.dialect, "CivilServant", [person_id], areas=False)
            return updated

        return await self._write(standalone, change=change)

    async def delete_civil_servant(self, person_id: str, *, change: Change) -> None:
        async def work(tx: Transaction) -> None:
            await require_people(tx, [person_id])
            await tx.run(C.DELETE_NOTIFICATIONS_OF, {"recipientId": person_id})
            await tx.run(X.DELETE_REQUESTS_OF, {"id": person_id})
            await tx.run(C.DELETE_INTRODUCTIONS_OF, {"id": person_id})
            await tx.run(C.DELETE_EXPERT_HISTORY_OF, {"id": person_id})
            await unindex_documents(tx, self.dialect, "CivilServant", [person_id])
            await tx.run(C.DELETE_PERSON, {"id": person_id})

        await self._write(work, change=change)

    async def set_expertise(self, claim: ExpertiseClaim, *, change: Change) -> ExpertiseClaim:
        async def work(tx: Transaction) -> ExpertiseClaim:
            await require_people(tx, [claim.person_id])
            await require(tx, "Expertise", [claim.expertise_id], "expertise area")
            params = {"personId": claim.person_id, "expertiseId": claim.expertise_id}
            await tx.run(C.SET_EXPERTISE, params | {"level": claim.level, "years": claim.years})
            await index_documents(tx, self.dialect, "CivilServant", [claim.person_id])
            return claim

        return await self._write(work, change=change)

    async def remove_expertise(self, person_id: str, expertise_id: str, *, change: Change) -> None:
        params = {"personId": person_id, "expertiseId": expertise_id}
        await self._delete_one(
            C.REMOVE_EXPERTISE,
            params,
            [person_id],
            f"{person_id} does not hold expertise {expertise_id}",
            change=change,
            reindex=[person_id],
        )

    async def add_portfolio_item(
        self, item: PortfolioItem, *, about: Sequence[str], change: Change
    ) -> PortfolioItem:
        async def work(tx: Transaction) -> PortfolioItem:
            await require_people(tx, [item.author_id])
            await require(tx, "Expertise", about, "expertise area")
            await refuse_existing(tx, "PortfolioItem", item.id)
            await tx.run(
                C.CREATE_PORTFOLIO_ITEM, P.portfolio_props(item) | {"authorId": item.author_id}
            )
            if about:
                await tx.run(C.LINK_ABOUT, {"id": item.id, "about": sorted(set(about))})
            return item

        return await self._write(work, change=change)

    async def record_participation(
        self, participation: Participation, *, change: Change
    ) -> Participation:
        async def work(tx: Transaction) -> Participation:
            await require_people(tx, [participation.person_id])
            await require(tx, "Event", [participation.event_id], "event")
            await tx.run(
                C.RECORD_PARTICIPATION,
                {
                    "personId": participation.person_id,
                    "eventId": participation.event_id,
                    "role": participation.role,
                },
            )
            return participation

        return await self._write(work, change=change)

    # ---- reference data ----
    async def _create_reference(
        self,
        label: str,
        props: dict[str, Any],
        *,
        links: tuple[str, Sequence[str], str],
        change: Change,
    ) -> None:
        """Create one `label` node with its `catalogue_cypher.LINKS` relationships to each of
        `links = (the linked label, ids, what one is)` (parent, broader area, organizers)."""

        async def work(tx: Transaction) -> None:
            await refuse_existing(tx, label, props["id"])
            if links[1]:
                await require(tx, *links)
            await tx.run(C.CREATE_NODE[label], props)
            if label == "Institution":
                await index_documents(tx, self.dialect, label, [props["id"]])
            await link(tx, label, props["id"], links[1])

        await self._write(work, change=change)

    async def create_institution(
        self, institution: Institution, *, part_of: str | None, change: Change
    ) -> Institution:
        links = ("Institution", [part_of] if part_of else [], "institution")
        props = P.institution_props(institution)
        await self._create_reference("Institution", props, links=links, change=change)
        return institution

    async def create_expertise(
        self, expertise: Expertise, *, broader: str | None, change: Change
    ) -> Expertise:
        links = ("Expertise", [broader] if broader else [], "expertise area")
        props = P.expertise_props(expertise)
        await self._create_reference("Expertise", props, links=links, change=change)
        return expertise

    async def create_event(
        self, event: Event, *, organizers: Sequence[str], change: Change
    ) -> Event:
        links = ("Institution", organizers, "institution")
        await self._create_reference("Event", P.event_props(event), links=links, change=change)
        return event

    async def upsert_batch(self, batch: GraphBatch) -> dict[str, int]:
        """Merge reference data by id in one transaction, leaving alone what admins corrected
        (`graph_db.core.catalogue.uncorrected`). Raises `InvalidInput` for people data."""
        people_data = (batch.people, batch.connections, batch.employments, batch.studies)
        if any(people_data) or batch.mentorships:
            raise InvalidInput("upsert_batch takes reference data only; use bulk_load for people")

        async def work(tx: Transaction) -> dict[str, int]:
            kept = await uncorrected(tx, batch)
            # Areas whose names change: their holders' search documents change too.
            areas = {e.id: e.name for e in kept.expertise}
            stored = dict(await tx.run(S.EXPERTISE_NAMES, {"ids": sorted(areas)}))
            renamed = [i for i, name in stored.items() if name != areas[i]]
            for label, rows in (
                ("Country", [P.country_props(c) for c in kept.countries]),
                ("Institution", [P.institution_props(i) for i in kept.institutions]),
                ("Expertise", [P.expertise_props(e) for e in kept.expertise]),
                ("Event", [P.event_props(e) for e in kept.events]),
            ):
                if rows:
                    await tx.run(self.dialect.MERGE_NODES[label], {"rows": rows})
            if kept.broader:
                rows = [{"from": b.narrower_id, "to": b.broader_id} for b in kept.broader]
                await tx.run(C.MERGE_EDGES["BROADER"], {"rows": rows})
            if kept.organized:
                rows = [{"from": o.institution_id, "to": o.event_id} for o in kept.organized]
                await tx.run(C.MERGE_EDGES["ORGANIZED"], {"rows": rows})
            institutions = [i.id for i in kept.institutions]
            await index_documents(tx, self.dialect, "Institution", institutions)
            await index_holders(tx, self.dialect, renamed)
            return kept.counts()

        return await self._write(work, change=None)

    # ---- connections ----
    async def request_connection(
        self, *, from_id: str, to_id: str, message: str | None, at: datetime, change: Change
    ) -> ConnectionOutcome:
        if from_id == to_id:
            raise InvalidInput("you cannot connect to yourself")

        async def work(tx: Transaction) -> ConnectionOutcome:
            await require_people(tx, [from_id, to_id])
            if await tx.run(C.CONNECTED, {"a": from_id, "b": to_id}):
                raise Conflict("already connected")
            subjects = [f"CivilServant:{from_id}"]
            if await tx.run(C.REQUEST_BETWEEN, {"from": to_id, "to": from_id}):
                # Crossed requests: the other person's request is thereby accepted.
                await tx.run(C.DELETE_REQUEST, {"from": to_id, "to": from_id})
                await tx.run(C.CREATE_CONNECTION, {"a": to_id, "b": from_id, "since": at})
                kind = NotificationKind.CONNECTION_ACCEPTED
                await notify(tx, change, recipient_id=to_id, kind=kind, subject_ids=subjects)
                return ConnectionOutcome.CONNECTED
            if not await tx.run(C.REQUEST_BETWEEN, {"from": from_id, "to": to_id}):
                params = {"from": from_id, "to": to_id, "at": at, "message": message}
                await tx.run(C.CREATE_REQUEST, params)
                kind = NotificationKind.CONNECTION_REQUESTED
                await notify(tx, change, recipient_id=to_id, kind=kind, subject_ids=subjects)
            return ConnectionOutcome.REQUESTED

        return await self._write(work, change=change)

    async def accept_connection(
        self, *, person_id: str, requester_id: str, at: datetime, change: Change
    ) -> ConnectionEdge:
        async def work(tx: Transaction) -> ConnectionEdge:
            await tx.lock_people([person_id, requester_id])
            if not (await tx.run(C.DELETE_REQUEST, {"from": requester_id, "to": person_id}))[0][0]:
                raise NotFound("no connection request from this person")
            await tx.run(C.CREATE_CONNECTION, {"a": requester_id, "b": person_id, "since": at})
            await notify(
                tx,
                change,
                recipient_id=requester_id,
                kind=NotificationKind.CONNECTION_ACCEPTED,
                subject_ids=[f"CivilServant:{person_id}"],
            )
            return ConnectionEdge(person_id=requester_id, since=at)

        return await self._write(work, change=change)

    async def decline_connection(
        self, *, person_id: str, requester_id: str, change: Change
    ) -> None:
        params = {"from": requester_id, "to": person_id}
        people = [person_id, requester_id]
        await self._delete_one(
            C.DELETE_REQUEST, params, people, "no such connection request", change=change
        )

    async def withdraw_connection_request(
        self, *, person_id: str, to_id: str, change: Change
    ) -> None:
        params = {"from": person_id, "to": to_id}
        people = [person_id, to_id]
        await self._delete_one(
            C.DELETE_REQUEST, params, people, "no such connection request", change=change
        )

    async def remove_connection(self, *, person_id: str, other_id: str, change: Change) -> None:
        async def work(tx: Transaction) -> None:
            await tx.lock_people([person_id, other_id])
            removed = 0
            for a, b in ((person_id, other_id), (other_id, person_id)):
                removed += (await tx.run(C.DELETE_CONNECTION, {"a": a, "b": b}))[0][0]
            if not removed:
                raise NotFound("no such connection")

        await self._write(work, change=change)

    async def _delete_one(
        self,
        query: str,
        params: dict[str, Any],
        people: Sequence[str],
        missing: str,
        *,
        change: Change,
        reindex: Sequence[str] = (),
    ) -> None:
        """Delete one relationship by `query` (which returns how many it deleted); re-index the
        people `reindex` for search after it."""

        # Locking the people first makes a concurrent delete of the same relationship wait, then
        # find nothing (NotFound), instead of racing on a deleted relationship.
        async def work(tx: Transaction) -> None:
            await tx.lock_people(people)
            if not (await tx.run(query, params))[0][0]:
                raise NotFound(missing)
            await index_documents(tx, self.dialect, "CivilServant", reindex)

        await self._write(work, change=change)

    # ---- endorsements ----
    async def endorse(self, endorsement: Endorsement, *, change: Change) -> Endorsement:
        e = endorsement
        if e.endorser_id == e.endorsee_id:
            raise InvalidInput("you cannot endorse yourself")
        params = {
            "endorser": e.endorser_id,
            "endorsee": e.endorsee_id,
            "expertiseId": e.expertise_id,
        }

        async def work(tx: Transaction) -> Endorsement:
            await require_people(tx, [e.endorser_id, e.endorsee_id])
            held = {"personId": e.endorsee_id, "expertiseId": e.expertise_id}
            if not await tx.run(C.HOLDS_EXPERTISE, held):
                raise NotFound("this person does not hold that expertise area")
            if existing := await tx.run(C.ENDORSEMENT, params):
                return e.model_copy(update={"at": existing[0][0]})
            await tx.run(C.CREATE_ENDORSEMENT, params | {"at": e.at})
            await notify(
                tx,
                change,
                recipient_id=e.endorsee_id,
                kind=NotificationKind.ENDORSED,
                subject_ids=[f"CivilServant:{e.endorser_id}", f"Expertise:{e.expertise_id}"],
            )
            return e

        return await self._write(work, change=change)

    async def withdraw_endorsement(
        self, *, endorser_id: str, endorsee_id: str, expertise_id: str, change: Change
    ) -> None:
        params = {"endorser": endorser_id, "endorsee": endorsee_id, "expertiseId": expertise_id}
        people = [endorser_id, endorsee_id]
        await self._delete_one(
            C.DELETE_ENDORSEMENT, params, people, "no such endorsement", change=change
        )

    # ---- mentorships ----
    async def request_mentorship(self, mentorship: Mentorship, *, change: Change) -> Mentorship:
        m = mentorship
        if m.mentor_id == m.mentee_id:
            raise InvalidInput("you cannot mentor yourself")

        async def work(tx: Transaction) -> Mentorship:
            await require_people(tx, [m.mentor_id, m.mentee_id])
            await require(tx, "Expertise", [m.expertise_id], "expertise area")
            key = {"mentorId": m.mentor_id, "menteeId": m.mentee_id, "expertiseId": m.expertise_id}
            if existing := await tx.run(C.OPEN_MENTORSHIP, key):
                return mentorship_from_row(existing[0])
            await tx.run(
                C.CREATE_MENTORSHIP,
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
            await notify(
                tx,
                change,
                recipient_id=m.mentor_id,
                kind=NotificationKind.MENTORSHIP_REQUESTED,
                subject_ids=[f"Mentorship:{m.id}", f"Expertise:{m.expertise_id}"],
            )
            return m

        return await self._write(work, change=change)

    async def set_mentorship_status(
        self,
        mentorship_id: str,
        *,
        expected: Sequence[MentorshipStatus],
        status: MentorshipStatus,
        at: datetime,
        change: Change,
    ) -> Mentorship:
        async def work(tx: Transaction) -> Mentorship:
            # Lock, then read in a second statement: two concurrent accepts serialise and the
            # second sees ACTIVE (Conflict).
            await tx.lock_mentorship(mentorship_id)
            rows = await tx.run(C.MENTORSHIP_BY_ID, {"id": mentorship_id})
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
                C.SET_MENTORSHIP_STATUS,
                {"id": mentorship_id, "status": status.value, "since": since, "until": until},
            )
            # The mentee hears the mentor's answer; a cancellation or completion goes to the other
            # party (to both when neither acted, e.g. an admin); `notify` skips the actor.
            kind = _MENTORSHIP_NOTICE[status]
            told = [current.mentee_id]
            if status in (MentorshipStatus.CANCELLED, MentorshipStatus.COMPLETED):
                told = [current.mentor_id, current.mentee_id]
            subjects = [f"Mentorship:{mentorship_id}", f"Expertise:{current.expertise_id}"]
            for recipient in told:
                await notify(tx, change, recipient_id=recipient, kind=kind, subject_ids=subjects)
            return current.model_copy(update={"status": status, "since": since, "until": until})

        return await self._write(work, change=change)


_MENTORSHIP_NOTICE: dict[MentorshipStatus, NotificationKind] = {
    MentorshipStatus.REQUESTED: NotificationKind.MENTORSHIP_REQUESTED,
    MentorshipStatus.ACTIVE: NotificationKind.MENTORSHIP_ACCEPTED,
    MentorshipStatus.DECLINED: NotificationKind.MENTORSHIP_DECLINED,
    MentorshipStatus.CANCELLED: NotificationKind.MENTORSHIP_CANCELLED,
    MentorshipStatus.COMPLETED: NotificationKind.MENTORSHIP_COMPLETED,
}

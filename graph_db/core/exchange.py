"""Expertise exchange, written once for both stores: requests, offers, collaborations, matching
facts and activity counts (`graph_db.port.exchange.ExchangeStore`).

Write rules: each write is one transaction (`StoreBase._write`, with the mutation's audit entry);
a write on a request first locks it (`LOCK_REQUEST`), then reads it again and checks its status,
so concurrent offers, acceptances and closures serialise on Neo4j as they do on LadybugDB's
single writer. Notifications (`notify`) go in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from graph_db.audit import Change
from graph_db.core import cypher as C
from graph_db.core import exchange_cypher as X
from graph_db.core.base import StoreBase, Transaction, refuse_existing, require, require_people
from graph_db.core.notifications import notify
from graph_db.errors import Conflict, InvalidInput, NotFound
from graph_db.paging import Page, PageRequest, finish_page
from graph_db.properties import portfolio_props
from graph_db.records import NotificationKind, PortfolioItem
from graph_db.records.exchange import (
    ACTIVE_REQUEST,
    Collaboration,
    ExchangeCount,
    ExpertCandidate,
    ExpertiseRequest,
    ExpertiseRequestFilter,
    ExpertiseRequestStatus,
    MatchingRequest,
    Offer,
    OfferStatus,
    RequestClosure,
    RequestVisibility,
)

DIGEST_PERIOD = timedelta(days=1)
"""A member gets at most one MATCHING_REQUESTS notification in this period."""
DIGEST_RECIPIENTS = 200
"""Members told of one new request, highest level first (a bound on the posting transaction)."""
MAX_DIGEST_SUBJECTS = 50
"""Requests one digest lists (the newest)."""


def request_props(r: ExpertiseRequest) -> dict[str, Any]:
    """Stored properties of a request (`exchange_cypher.REQUEST_PROPERTIES` and `id`)."""
    return {
        "id": r.id,
        "authorId": r.author_id,
        "title": r.title,
        "description": r.description,
        "areaIds": list(r.area_ids),
        "kind": r.kind.value,
        "visibility": r.visibility.value,
        "countryCode": r.country_code,
        "institutionId": r.institution_id,
        "deadline": r.deadline,
        "status": r.status.value,
        "closure": r.closure.value if r.closure else None,
        "outcome": r.outcome,
        "portfolioItemId": r.portfolio_item_id,
        "createdAt": r.created_at,
        "closedAt": r.closed_at,
    }


def request_from_props(d: dict[str, Any]) -> ExpertiseRequest:
    """An `ExpertiseRequest` from its node's properties."""
    return ExpertiseRequest(
        id=d["id"],
        author_id=d["authorId"],
        title=d["title"],
        description=d.get("description"),
        area_ids=tuple(d.get("areaIds") or ()),
        kind=d["kind"],
        visibility=d["visibility"],
        country_code=d.get("countryCode"),
        institution_id=d.get("institutionId"),
        deadline=d.get("deadline"),
        status=d["status"],
        closure=d.get("closure"),
        outcome=d.get("outcome"),
        portfolio_item_id=d.get("portfolioItemId"),
        created_at=d["createdAt"],
        closed_at=d.get("closedAt"),
    )


def _offer(r: Sequence[Any]) -> Offer:
    return Offer(request_id=r[0], helper_id=r[1], message=r[2], at=r[3], status=r[4])


def _collaboration(r: Sequence[Any]) -> Collaboration:
    return Collaboration(request_id=r[0], helper_id=r[1], since=r[2], until=r[3], outcome=r[4])


async def _set_status(
    tx: Transaction,
    request_id: str,
    status: ExpertiseRequestStatus,
    closure: RequestClosure | None = None,
    outcome: str | None = None,
    item_id: str | None = None,
    closed_at: datetime | None = None,
) -> None:
    await tx.run(
        X.SET_REQUEST_STATUS,
        {
            "id": request_id,
            "status": status.value,
            "closure": closure.value if closure else None,
            "outcome": outcome,
            "portfolioItemId": item_id,
            "closedAt": closed_at,
        },
    )


def _subjects(request_id: str, person_id: str) -> list[str]:
    return [f"ExpertiseRequest:{request_id}", f"CivilServant:{person_id}"]


class Exchange(StoreBase):
    """Expertise requests, offers and collaborations (see the port for each contract)."""

    # ---- reads ----
    async def get_expertise_requests(self, ids: Sequence[str]) -> list[ExpertiseRequest | None]:
        rows = await self._read(X.REQUESTS_BY_IDS, {"ids": list(ids)})
        found = {r[0]["id"]: request_from_props(r[0]) for r in rows}
        return [found.get(i) for i in ids]

    async def offers_on(self, request_ids: Sequence[str]) -> list[list[Offer]]:
        return await self._grouped(X.OFFERS_ON, request_ids, _offer)

    async def collaborations_on(self, request_ids: Sequence[str]) -> list[list[Collaboration]]:
        return await self._grouped(X.COLLABORATIONS_ON, request_ids, _collaboration)

    async def _grouped(self, query: str, ids: Sequence[str], make: Any) -> list[list[Any]]:
        rows = await self._read(query, {"ids": list(dict.fromkeys(ids))})
        by_key: dict[str, list[Any]] = {}
        for r in rows:
            by_key.setdefault(r[0], []).append(make(r[1:]))
        return [by_key.get(i, []) for i in ids]

    @staticmethod
    def _request_params(
        f: ExpertiseRequestFilter, viewer_id: str | None, admin: bool
    ) -> dict[str, Any]:
        optional = {
            "areas": list(f.area_ids) if f.area_ids is not None else None,
            "country": f.country_code,
            "kind": f.kind.value if f.kind else None,
            "author": f.author_id,
        }
        return {k: v for k, v in optional.items() if v is not None} | {
            "statuses": [s.value for s in f.statuses],
            "viewer": viewer_id or "",
            "admin": admin,
        }

    async def list_expertise_requests(
        self,
        *,
        filter: ExpertiseRequestFilter,
        viewer_id: str | None,
        admin: bool,
        page: PageRequest,
    ) -> Page[ExpertiseRequest]:
        if page.backward:
            raise InvalidInput("expertise requests page forward only (first/after)")
        params = self._request_params(filter, viewer_id, admin)
        active = frozenset(params) - {"statuses", "viewer", "admin"}
        rows = await self._read(X.list_requests(active), params | self._after(page))
        return finish_page([(request_from_props(r[0]), (r[1], r[0]["id"])) for r in rows], page)

    async def count_expertise_requests(
        self, *, filter: ExpertiseRequestFilter, viewer_id: str | None, admin: bool
    ) -> int:
        params = self._request_params(filter, viewer_id, admin)
        active = frozenset(params) - {"statuses", "viewer", "admin"}
        return int((await self._read(X.count_requests(active), params))[0][0])

    async def broader_areas(self, expertise_ids: Sequence[str]) -> list[str]:
        rows = await self._read(X.ANCESTOR_AREAS, {"ids": list(expertise_ids)})
        return sorted(r[0] for r in rows)

    async def expert_candidates(
        self, *, area_ids: Sequence[str], exclude: Sequence[str], limit: int
    ) -> list[ExpertCandidate]:
        rows = await self._read(
            X.EXPERT_CANDIDATES,
            {"areas": list(area_ids), "exclude": list(exclude), "limit": limit},
        )
        return [
            ExpertCandidate(person_id=r[0], level=int(r[1]), endorsements=int(r[2])) for r in rows
        ]

    async def fulfilled_collaboration_counts(self, person_ids: Sequence[str]) -> list[int]:
        rows = await self._read(X.FULFILLED_COLLABORATIONS, {"ids": list(person_ids)})
        found = {r[0]: int(r[1]) for r in rows}
        return [found.get(p, 0) for p in person_ids]

    async def requests_for_expert(
        self, person_id: str, *, area_ids: Sequence[str], today: date, limit: int
    ) -> list[MatchingRequest]:
        rows = await self._read(
            X.REQUESTS_FOR_EXPERT,
            {
                "areas": list(area_ids),
                "viewer": person_id,
                "admin": False,
                "today": today,
                "limit": limit,
            },
        )
        return [
            MatchingRequest(
                request=request_from_props(r[0]),
                author_country=r[1],
                matched_area_ids=tuple(sorted(set(r[2]))),
            )
            for r in rows
        ]

    async def exchange_activity(self, *, start: datetime, end: datetime) -> list[ExchangeCount]:
        period = {"start": start, "until": end}
        counts = []
        for measure, query in (
            ("posted", X.POSTED_BY_COUNTRY),
            ("fulfilled", X.FULFILLED_BY_COUNTRY),
        ):
            for r in await self._read(query, period):
                counts.append(ExchangeCount(measure=measure, country=r[0], count=int(r[1])))
        for r in await self._read(X.COLLABORATIONS_BY_COUNTRIES, period):
            counts.append(
                ExchangeCount(
                    measure="collaborations", country=r[0], other_country=r[1], count=int(r[2])
                )
            )
        return counts

    # ---- writes ----
    async def post_expertise_request(
        self, request: ExpertiseRequest, *, change: Change
    ) -> ExpertiseRequest:
        async def work(tx: Transaction) -> ExpertiseRequest:
            await require_people(tx, [request.author_id])
            await require(tx, "Expertise", request.area_ids, "expertise area")
            if request.institution_id:
                await require(tx, "Institution", [request.institution_id], "institution")
            if request.country_code:
                await require(tx, "Country", [request.country_code], "country")
            await tx.run(X.CREATE_REQUEST, request_props(request))
            await self._digest(tx, request, change)
            return request

        return await self._write(work, change=change)

    @staticmethod
    async def _digest(tx: Transaction, request: ExpertiseRequest, change: Change) -> None:
        """Tell the members the request fits, in their daily digest: a MATCHING_REQUESTS
        notification, or the request added to the one they got in the last `DIGEST_PERIOD`."""
        areas = set(request.area_ids)
        for area in request.area_ids:
            areas.update(x for x in (await tx.run(C.AREA_AND_NARROWER, {"id": area}))[0][1] if x)
        recipients = await tx.run(
            X.DIGEST_RECIPIENTS,
            {
                "areas": sorted(areas),
                "authorId": request.author_id,
                "networkOnly": request.visibility is RequestVisibility.NETWORK,
                "limit": DIGEST_RECIPIENTS,
            },
        )
        subject = f"ExpertiseRequest:{request.id}"
        kind = NotificationKind.MATCHING_REQUESTS
        since = request.created_at - DIGEST_PERIOD
        for (recipient,) in recipients:
            latest = await tx.run(
                X.LATEST_DIGEST, {"recipientId": recipient, "kind": kind.value, "since": since}
            )
            if latest:
                subjects = [*latest[0][1], subject][-MAX_DIGEST_SUBJECTS:]
                await tx.run(X.SET_DIGEST_SUBJECTS, {"id": latest[0][0], "subjectIds": subjects})
            else:
                await notify(tx, change, recipient_id=recipient, kind=kind, subject_ids=[subject])

    @staticmethod
    async def _locked(tx: Transaction, request_id: str) -> ExpertiseRequest:
        if not await tx.run(X.LOCK_REQUEST, {"id": request_id}):
            raise NotFound("no expertise request with this id")
        rows = await tx.run(X.REQUESTS_BY_IDS, {"ids": [request_id]})
        return request_from_props(rows[0][0])

    async def offer_help(self, offer: Offer, *, change: Change) -> Offer:
        async def work(tx: Transaction) -> Offer:
            await require_people(tx, [offer.helper_id])
            request = await self._locked(tx, offer.request_id)
            if request.author_id == offer.helper_id:
                raise Conflict("you cannot offer to help with your own request")
            if request.status not in ACTIVE_REQUEST:
                raise Conflict("this request is closed and takes no more offers")
            key = {"id": offer.request_id, "helperId": offer.helper_id}
            if await tx.run(X.OFFER_OF, key):
                raise Conflict("you have already offered to help with this request")
            params = key | {"message": offer.message, "at": offer.at}
            await tx.run(X.CREATE_OFFER, params)
            await notify(
                tx,
                change,
                recipient_id=request.author_id,
                kind=NotificationKind.OFFER_RECEIVED,
                subject_ids=_subjects(request.id, offer.helper_id),
            )
            return offer.model_copy(update={"status": OfferStatus.PENDING})

        return await self._write(work, change=change)

    async def accept_offer(
        self, request_id: str, helper_id: str, *, at: datetime, change: Change
    ) -> Collaboration:
        async def work(tx: Transaction) -> Collaboration:
            request = await self._locked(tx, request_id)
            if request.status not in ACTIVE_REQUEST:
                raise Conflict("this request is closed")
            key = {"id": request_id, "helperId": helper_id}
            rows = await tx.run(X.OFFER_OF, key)
            if not rows:
                raise NotFound("this person has not offered to help with this request")
            if _offer(rows[0]).status is OfferStatus.ACCEPTED:
                raise Conflict("this offer is already accepted")
            await tx.run(X.ACCEPT_OFFER, key | {"since": at, "until": None, "outcome": None})
            if request.status is ExpertiseRequestStatus.OPEN:
                await _set_status(tx, request_id, ExpertiseRequestStatus.IN_PROGRESS)
            await notify(
                tx,
                change,
                recipient_id=helper_id,
                kind=NotificationKind.OFFER_ACCEPTED,
                subject_ids=_subjects(request_id, request.author_id),
            )
            return Collaboration(request_id=request_id, helper_id=helper_id, since=at)

        return await self._write(work, change=change)

    async def close_expertise_request(
        self,
        request_id: str,
        *,
        closure: RequestClosure,
        outcome: str | None,
        portfolio_item: PortfolioItem | None,
        at: datetime,
        change: Change,
    ) -> ExpertiseRequest:
        if closure is RequestClosure.WITHDRAWN and (outcome or portfolio_item):
            raise InvalidInput("a withdrawn request has no outcome or portfolio item")

        async def work(tx: Transaction) -> ExpertiseRequest:
            request = await self._locked(tx, request_id)
            if request.status not in ACTIVE_REQUEST:
                raise Conflict("this request is already closed")
            helpers = [r[2] for r in await tx.run(X.COLLABORATIONS_ON, {"ids": [request_id]})]
            if closure is RequestClosure.FULFILLED and not helpers:
                raise Conflict("accept an offer before closing the request as fulfilled")
            item_id = None
            if portfolio_item is not None:
                item_id = portfolio_item.id
                await refuse_existing(tx, "PortfolioItem", item_id)
                await tx.run(
                    C.CREATE_PORTFOLIO_ITEM,
                    portfolio_props(portfolio_item) | {"authorId": request.author_id},
                )
                await tx.run(C.LINK_ABOUT, {"id": item_id, "about": list(request.area_ids)})
                await tx.run(X.LINK_AUTHORS, {"itemId": item_id, "authorIds": helpers})
            await _set_status(
                tx, request_id, ExpertiseRequestStatus.CLOSED, closure, outcome, item_id, at
            )
            await tx.run(
                X.CLOSE_COLLABORATIONS, {"id": request_id, "until": at, "outcome": outcome}
            )
            return request.model_copy(
                update={
                    "status": ExpertiseRequestStatus.CLOSED,
                    "closure": closure,
                    "outcome": outcome,
                    "portfolio_item_id": item_id,
                    "closed_at": at,
                }
            )

        return await self._write(work, change=change)

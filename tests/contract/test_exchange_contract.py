"""Expertise exchange on both stores: the request lifecycle, the write rules (each refusal writes
nothing), concurrent offers, listing with visibility, matching facts, and the activity counts on
the two-country analytics graph (`tests/analytics_graph.py`), derived by hand in comments."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest
import pytest_asyncio

from graph_db.analytics.records import GrowthKind, Scope
from graph_db.audit import AuditEntry, Change, system_change
from graph_db.errors import Conflict, InvalidInput, NotFound
from graph_db.paging import PageRequest
from graph_db.port import GraphStore
from graph_db.records import (
    NotificationKind,
    PortfolioItem,
    PortfolioKind,
    new_id,
    utc_now,
)
from graph_db.records.exchange import (
    ExchangeCount,
    ExpertiseRequest,
    ExpertiseRequestFilter,
    ExpertiseRequestKind,
    ExpertiseRequestStatus,
    Offer,
    OfferStatus,
    RequestClosure,
    RequestVisibility,
)
from tests.analytics_graph import C1, C2, XA, XB, HandGraph, R, hand_fixture  # noqa: F401
from tests.conftest import AREA


def change(actor: str | None) -> Change:
    """A mutation's `Change` acted by `actor`."""
    return Change(
        AuditEntry(
            id=new_id(), at=utc_now(), actor_id=actor, roles=("member",), action="t", request_id="t"
        )
    )


def a_request(
    author: str,
    *,
    areas: tuple[str, ...] = (AREA,),
    at: datetime | None = None,
    visibility: RequestVisibility = RequestVisibility.EVERYONE,
    kind: ExpertiseRequestKind = ExpertiseRequestKind.ADVICE,
    country: str | None = None,
) -> ExpertiseRequest:
    return ExpertiseRequest(
        id=new_id(),
        author_id=author,
        title="Redesigning talent management",
        area_ids=areas,
        kind=kind,
        visibility=visibility,
        country_code=country,
        created_at=at or utc_now(),
    )


async def offer(
    store: GraphStore, request_id: str, helper: str, at: datetime | None = None
) -> Offer:
    o = Offer(request_id=request_id, helper_id=helper, message="I did this", at=at or utc_now())
    return await store.offer_help(o, change=change(helper))


async def close(
    store: GraphStore,
    request_id: str,
    closure: RequestClosure,
    c: Change,
    outcome: str | None = None,
    at: datetime | None = None,
) -> ExpertiseRequest:
    """Close a request without a portfolio item."""
    return await store.close_expertise_request(
        request_id,
        closure=closure,
        outcome=outcome,
        portfolio_item=None,
        at=at or utc_now(),
        change=c,
    )


async def test_lifecycle_offers_collaborations_and_outcome(
    ldbc_store: GraphStore, trio: list[str]
) -> None:
    store, (ana, budi, chan) = ldbc_store, trio
    q = await store.post_expertise_request(a_request(ana), change=change(ana))
    (stored,) = await store.get_expertise_requests([q.id])
    assert stored == q and stored.status is ExpertiseRequestStatus.OPEN
    await offer(store, q.id, budi)
    await offer(store, q.id, chan)
    offers = await store.offers_on([q.id, "no-such"])
    assert [o.helper_id for o in offers[0]] == [budi, chan] and offers[1] == []
    assert {o.status for o in offers[0]} == {OfferStatus.PENDING}

    accepted = await store.accept_offer(q.id, budi, at=utc_now(), change=change(ana))
    assert accepted.helper_id == budi and accepted.until is None
    (after,) = await store.get_expertise_requests([q.id])
    assert after is not None and after.status is ExpertiseRequestStatus.IN_PROGRESS
    await store.accept_offer(q.id, chan, at=utc_now(), change=change(ana))  # one or more offers
    (collaborations,) = await store.collaborations_on([q.id])
    assert [c.helper_id for c in collaborations] == [budi, chan]

    item = PortfolioItem(id=new_id(), author_id=ana, kind=PortfolioKind.POLICY, title="Policy")
    closed_at = utc_now()
    closed = await store.close_expertise_request(
        q.id,
        closure=RequestClosure.FULFILLED,
        outcome="A new policy",
        portfolio_item=item,
        at=closed_at,
        change=change(ana),
    )
    assert closed.status is ExpertiseRequestStatus.CLOSED
    assert closed.closure is RequestClosure.FULFILLED and closed.portfolio_item_id == item.id
    (stored,) = await store.get_expertise_requests([q.id])
    assert stored == closed
    (collaborations,) = await store.collaborations_on([q.id])
    assert {(c.until, c.outcome) for c in collaborations} == {(closed.closed_at, "A new policy")}
    # The item is co-authored by the author and both helpers, about the request's areas.
    portfolios = await store.portfolio_of([ana, budi, chan])
    assert [[i.id for i in p] for p in portfolios] == [[item.id]] * 3
    assert await store.about_of([item.id]) == [[AREA]]
    assert await store.fulfilled_collaboration_counts([budi, chan, ana]) == [1, 1, 0]

    # Who heard what: the author of each offer, each helper of the acceptance.
    ana_inbox = await store.notifications(ana, unread_only=False, page=PageRequest(limit=10))
    assert [(n.kind, n.actor_id) for n in ana_inbox.items] == [
        (NotificationKind.OFFER_RECEIVED, chan),
        (NotificationKind.OFFER_RECEIVED, budi),
    ]
    assert ana_inbox.items[0].subject_ids == (f"ExpertiseRequest:{q.id}", f"CivilServant:{chan}")
    budi_inbox = await store.notifications(budi, unread_only=False, page=PageRequest(limit=10))
    assert [(n.kind, n.actor_id) for n in budi_inbox.items] == [
        (NotificationKind.OFFER_ACCEPTED, ana),
        (NotificationKind.MATCHING_REQUESTS, ana),  # budi holds the area
    ]


async def test_matching_requests_digest_once_a_day(
    ldbc_store: GraphStore, trio: list[str], member: str
) -> None:
    """budi and chan hold the area, `member` does not; ana is connected to budi only. Ana posts
    Q1, Q2 (everyone) and Q3 (network): budi gets one digest listing Q1, Q2, Q3; chan one listing
    Q1, Q2; the author and `member` none. A request posted more than a day after the digest
    starts a new one."""
    store, (ana, budi, chan) = ldbc_store, trio
    await store.request_connection(
        from_id=ana, to_id=budi, message=None, at=utc_now(), change=system_change()
    )
    await store.accept_connection(
        person_id=budi, requester_id=ana, at=utc_now(), change=system_change()
    )
    posted = []
    for visibility in (RequestVisibility.EVERYONE,) * 2 + (RequestVisibility.NETWORK,):
        r = a_request(ana, visibility=visibility)
        posted.append(f"ExpertiseRequest:{r.id}")
        await store.post_expertise_request(r, change=change(ana))

    async def digests(person: str) -> list[tuple[str, ...]]:
        page = await store.notifications(person, unread_only=False, page=PageRequest(limit=20))
        kind = NotificationKind.MATCHING_REQUESTS
        return [n.subject_ids for n in page.items if n.kind is kind]

    assert await digests(budi) == [tuple(posted)]
    assert await digests(chan) == [tuple(posted[:2])]
    assert await digests(ana) == [] and await digests(member) == []
    later = a_request(ana, at=utc_now() + timedelta(days=2))
    await store.post_expertise_request(later, change=change(ana))
    assert await digests(chan) == [(f"ExpertiseRequest:{later.id}",), tuple(posted[:2])]


async def test_refusals_write_nothing(ldbc_store: GraphStore, trio: list[str]) -> None:
    store, (ana, budi, chan) = ldbc_store, trio
    with pytest.raises(NotFound):  # areas must exist
        await store.post_expertise_request(
            a_request(ana, areas=("no-such-area",)), change=change(ana)
        )
    q = await store.post_expertise_request(a_request(ana), change=change(ana))
    await offer(store, q.id, budi)
    refused = change(budi)
    for attempt, error in (
        (Offer(request_id=q.id, helper_id=ana, at=utc_now()), Conflict),  # own request
        (Offer(request_id=q.id, helper_id=budi, at=utc_now()), Conflict),  # twice
        (Offer(request_id="no-such", helper_id=chan, at=utc_now()), NotFound),
    ):
        with pytest.raises(error):
            await store.offer_help(attempt, change=refused)
    with pytest.raises(NotFound):  # chan never offered
        await store.accept_offer(q.id, chan, at=utc_now(), change=refused)
    with pytest.raises(Conflict):  # fulfilled needs an accepted offer
        await close(store, q.id, RequestClosure.FULFILLED, refused, outcome="x")
    with pytest.raises(InvalidInput):
        await close(store, q.id, RequestClosure.WITHDRAWN, refused, outcome="x")
    assert refused.notifications == [] and not refused.recorded
    assert [len(o) for o in await store.offers_on([q.id])] == [1]

    await store.accept_offer(q.id, budi, at=utc_now(), change=change(ana))
    with pytest.raises(Conflict):  # already accepted
        await store.accept_offer(q.id, budi, at=utc_now(), change=change(ana))
    await close(store, q.id, RequestClosure.WITHDRAWN, change(ana))
    late = change(chan)
    with pytest.raises(Conflict):  # closed
        await offer(store, q.id, chan)
    with pytest.raises(Conflict):
        await close(store, q.id, RequestClosure.WITHDRAWN, late)
    (stored,) = await store.get_expertise_requests([q.id])
    assert stored is not None and stored.closure is RequestClosure.WITHDRAWN
    assert [c.outcome for c in (await store.collaborations_on([q.id]))[0]] == [None]
    assert await store.fulfilled_collaboration_counts([budi]) == [0]  # withdrawn: not counted


async def test_concurrent_offers_make_one(ldbc_store: GraphStore, trio: list[str]) -> None:
    store, (ana, budi, _) = ldbc_store, trio
    q = await store.post_expertise_request(a_request(ana), change=change(ana))
    results = await asyncio.gather(
        *(offer(store, q.id, budi) for _ in range(20)), return_exceptions=True
    )
    assert sum(isinstance(r, Offer) for r in results) == 1
    assert all(isinstance(r, Offer | Conflict) for r in results), results
    assert [len(o) for o in await store.offers_on([q.id])] == [1]
    assert await store.count_notifications(ana, unread_only=False) == 1


async def test_lists_newest_first_with_filters_and_visibility(
    ldbc_store: GraphStore, trio: list[str]
) -> None:
    store, (ana, budi, chan) = ldbc_store, trio
    await store.request_connection(
        from_id=ana, to_id=budi, message=None, at=utc_now(), change=system_change()
    )
    await store.accept_connection(
        person_id=budi, requester_id=ana, at=utc_now(), change=system_change()
    )
    base = datetime(2031, 1, 1, tzinfo=UTC)
    made = []
    for i, (visibility, kind, areas) in enumerate(
        [
            (RequestVisibility.EVERYONE, ExpertiseRequestKind.ADVICE, (AREA,)),
            (RequestVisibility.NETWORK, ExpertiseRequestKind.REVIEW, (AREA,)),
            (RequestVisibility.EVERYONE, ExpertiseRequestKind.REVIEW, ("leadership",)),
            (RequestVisibility.EVERYONE, ExpertiseRequestKind.SPEAKING, (AREA, "leadership")),
        ]
    ):
        r = a_request(
            ana, areas=areas, at=base + timedelta(days=i), visibility=visibility, kind=kind
        )
        made.append((await store.post_expertise_request(r, change=change(ana))).id)

    async def ids(viewer: str, admin: bool = False, **f: object) -> list[str]:
        flt = ExpertiseRequestFilter(author_id=ana, **f)  # type: ignore[arg-type]
        found, after = [], None
        while True:  # pages of 2, walked with the keyset cursor
            page = await store.list_expertise_requests(
                filter=flt, viewer_id=viewer, admin=admin, page=PageRequest(limit=2, after=after)
            )
            found += [r.id for r in page.items]
            if not page.has_next:
                break
            after = page.keys[-1]
        count = await store.count_expertise_requests(filter=flt, viewer_id=viewer, admin=admin)
        assert count == len(found)
        return found

    newest_first = made[::-1]
    assert await ids(budi) == newest_first  # connected: sees the NETWORK request
    assert await ids(ana) == newest_first  # the author
    assert await ids(chan) == [made[3], made[2], made[0]]  # not connected
    assert await ids(chan, admin=True) == newest_first
    assert await ids(chan, kind=ExpertiseRequestKind.REVIEW) == [made[2]]
    assert await ids(chan, area_ids=("leadership",)) == [made[3], made[2]]
    assert await ids(chan, country_code="ID") == []  # no country was given
    await close(store, made[0], RequestClosure.WITHDRAWN, change(ana))
    assert await ids(chan) == [made[3], made[2]]
    assert await ids(chan, statuses=(ExpertiseRequestStatus.CLOSED,)) == [made[0]]
    with pytest.raises(InvalidInput):
        await store.list_expertise_requests(
            filter=ExpertiseRequestFilter(),
            viewer_id=chan,
            admin=False,
            page=PageRequest(limit=2, backward=True),
        )


async def test_matching_facts(ldbc_store: GraphStore, trio: list[str]) -> None:
    """trio holds `AREA` (talent-management, under public-sector-hrm) at levels 2, 3, 4; ana
    endorses chan there. Candidates for the area, excluding budi: chan (4, 1 endorsement), ana
    (2, 0). Requests for budi's areas (AREA and its broader area): those needing either."""
    store, (ana, budi, chan) = ldbc_store, trio
    from graph_db.records import Endorsement

    await store.endorse(
        Endorsement(endorser_id=ana, endorsee_id=chan, expertise_id=AREA, at=utc_now()),
        change=change(ana),
    )
    found = await store.expert_candidates(area_ids=[AREA], exclude=[budi], limit=100)
    mine = [(c.person_id, c.level, c.endorsements) for c in found if c.person_id in trio]
    assert mine == [(chan, 4, 1), (ana, 2, 0)]
    assert await store.broader_areas([AREA]) == ["public-sector-hrm"]
    assert await store.broader_areas(["public-sector-hrm"]) == []

    broad = await store.post_expertise_request(
        a_request(ana, areas=("public-sector-hrm",)), change=change(ana)
    )
    narrow = await store.post_expertise_request(a_request(chan), change=change(chan))
    other = await store.post_expertise_request(
        a_request(ana, areas=("leadership",)), change=change(ana)
    )
    hidden = await store.post_expertise_request(
        a_request(chan, visibility=RequestVisibility.NETWORK), change=change(chan)
    )
    own = await store.post_expertise_request(a_request(budi), change=change(budi))
    offered = await store.post_expertise_request(a_request(ana), change=change(ana))
    await offer(store, offered.id, budi)
    past = a_request(ana).model_copy(update={"deadline": date(2020, 1, 1)})
    await store.post_expertise_request(past, change=change(ana))
    rows = await store.requests_for_expert(
        budi, area_ids=[AREA, "public-sector-hrm"], today=utc_now().date(), limit=100
    )
    mine_rows = [(m.request.id, m.matched_area_ids) for m in rows if m.request.author_id in trio]
    assert mine_rows == [(narrow.id, (AREA,)), (broad.id, ("public-sector-hrm",))]
    assert {other.id, hidden.id, own.id, offered.id, past.id}.isdisjoint(r[0] for r in mine_rows)


# ---- activity counts on the two-country analytics graph ----
def at(month: int, day: int, year: int = 2031) -> datetime:
    return datetime(year, month, day, 9, 0, tzinfo=UTC)


async def add_exchange(store: GraphStore, hand: HandGraph) -> dict[str, str]:
    """Exchange activity on the analytics graph (XA: a1, a2, a3; XB: b1, b2):

    Q1 by a2 (XA), posted 2031-02-01, C1: offers b1 02-03, a1 02-04; accepted b1 02-05
       (cross-border), a1 02-06 (domestic); closed FULFILLED 03-10.
    Q2 by b2 (XB), posted 2031-05-01, C2: offer a1 05-02, accepted 05-03 (cross-border); open.
    Q3 by b1 (XB), posted 2031-06-01, R: withdrawn 06-15.
    Q4 by a1 (XA), posted 2030-12-20, C1: offer a2 12-21, accepted 12-22 (domestic);
       closed FULFILLED 2031-01-15.
    """
    made = {}
    for name, author, areas, posted in (
        ("Q1", "a2", (C1,), at(2, 1)),
        ("Q2", "b2", (C2,), at(5, 1)),
        ("Q3", "b1", (R,), at(6, 1)),
        ("Q4", "a1", (C1,), at(12, 20, 2030)),
    ):
        r = a_request(hand[author], areas=areas, at=posted)
        made[name] = (await store.post_expertise_request(r, change=system_change())).id
    for name, helper, offered, accepted in (
        ("Q1", "b1", at(2, 3), at(2, 5)),
        ("Q1", "a1", at(2, 4), at(2, 6)),
        ("Q2", "a1", at(5, 2), at(5, 3)),
        ("Q4", "a2", at(12, 21, 2030), at(12, 22, 2030)),
    ):
        await offer(store, made[name], hand[helper], offered)
        await store.accept_offer(made[name], hand[helper], at=accepted, change=system_change())
    for name, closure, when in (
        ("Q1", RequestClosure.FULFILLED, at(3, 10)),
        ("Q3", RequestClosure.WITHDRAWN, at(6, 15)),
        ("Q4", RequestClosure.FULFILLED, at(1, 15)),
    ):
        outcome = "done" if closure is RequestClosure.FULFILLED else None
        await close(store, made[name], closure, system_change(), outcome=outcome, at=when)
    return made


@pytest_asyncio.fixture(name="exchanged", scope="module", loop_scope="session")
async def exchanged_fixture(ldbc_store: GraphStore, hand: HandGraph) -> dict[str, str]:
    """`add_exchange` on the module's analytics graph, once (its requests go with the people)."""
    return await add_exchange(ldbc_store, hand)


def counts(found: list[ExchangeCount]) -> set[tuple[str, str | None, str | None, int]]:
    return {
        (c.measure, c.country, c.other_country, c.count) for c in found if c.country in (XA, XB)
    }


async def test_activity_counts(ldbc_store: GraphStore, exchanged: dict[str, str]) -> None:
    # 2031: posted Q1 (XA), Q2 and Q3 (XB); fulfilled Q1 and Q4 (both XA; Q4 posted in 2030);
    # collaborations started: Q1-b1 (XA requester, XB helper), Q1-a1 (XA, XA), Q2-a1 (XB, XA);
    # Q4-a2 started in 2030.
    year = await ldbc_store.exchange_activity(start=at(1, 1), end=at(1, 1, 2032))
    assert counts(year) == {
        ("posted", XA, None, 1),
        ("posted", XB, None, 2),
        ("fulfilled", XA, None, 2),
        ("collaborations", XA, XB, 1),
        ("collaborations", XA, XA, 1),
        ("collaborations", XB, XA, 1),
    }
    # Q1 2031 (Jan-Mar): posted Q1; fulfilled Q4 (01-15) and Q1 (03-10); Q1's two collaborations.
    quarter = await ldbc_store.exchange_activity(start=at(1, 1), end=at(4, 1))
    assert counts(quarter) == {
        ("posted", XA, None, 1),
        ("fulfilled", XA, None, 2),
        ("collaborations", XA, XB, 1),
        ("collaborations", XA, XA, 1),
    }


async def test_exchange_growth_per_month(ldbc_store: GraphStore, exchanged: dict[str, str]) -> None:
    """The dashboards' monthly series of `add_exchange`, derived from its docstring."""

    async def months(kind: GrowthKind, *countries: str, start: datetime | None = None) -> dict:
        scope = Scope(countries=countries, start=start or at(1, 1), end=at(1, 1, 2032))
        return {(m.year, m.month): m.count for m in await ldbc_store.analytics_growth(kind, scope)}

    posted, fulfilled, cross = (
        GrowthKind.EXPERTISE_REQUESTS,
        GrowthKind.FULFILLED_REQUESTS,
        GrowthKind.CROSS_BORDER_COLLABORATIONS,
    )
    # Both countries, 2031: posted Q1 Feb, Q2 May, Q3 Jun (Q4 is Dec 2030); fulfilled Q4 Jan 15,
    # Q1 Mar 10 (Q3 was withdrawn); cross-border Q1-b1 Feb 5, Q2-a1 May 3 (Q1-a1 is domestic).
    assert await months(posted, XA, XB) == {(2031, 2): 1, (2031, 5): 1, (2031, 6): 1}
    assert await months(fulfilled, XA, XB) == {(2031, 1): 1, (2031, 3): 1}
    assert await months(cross, XA, XB) == {(2031, 2): 1, (2031, 5): 1}
    # XB alone: its authors' Q2 and Q3, nothing fulfilled, and both cross-border collaborations
    # (b1 helps on Q1, Q2 is b2's).
    assert await months(posted, XB) == {(2031, 5): 1, (2031, 6): 1}
    assert await months(fulfilled, XB) == {}
    assert await months(cross, XB) == {(2031, 2): 1, (2031, 5): 1}
    # XA from Dec 2030: Q4 posted Dec 20 and Q1; Q4-a2 (Dec 22) is domestic.
    december = at(12, 1, 2030)
    assert await months(posted, XA, start=december) == {(2030, 12): 1, (2031, 2): 1}
    assert await months(fulfilled, XA, start=december) == {(2031, 1): 1, (2031, 3): 1}
    assert await months(cross, XA, start=december) == {(2031, 2): 1, (2031, 5): 1}
    # The first instant of a period is inside, the end is not: Q1-b1 was accepted Feb 5, 09:00.
    feb5 = Scope(countries=(XA,), start=at(2, 5), end=at(2, 6))
    assert [m.count for m in await ldbc_store.analytics_growth(cross, feb5)] == [1]
    before = Scope(countries=(XA,), start=at(2, 4), end=at(2, 5))
    assert await ldbc_store.analytics_growth(cross, before) == []

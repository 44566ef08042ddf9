"""Sharing and exchanging expertise: requests, offers, collaborations and matching (issue #16).

Rules (README, "Sharing and exchanging expertise"):

- Any verified member posts a request; only its author (or an admin) accepts offers and closes
  it. Lifecycle: OPEN → IN_PROGRESS (first accepted offer) → CLOSED (FULFILLED, which needs an
  accepted offer and an outcome, or WITHDRAWN).
- A NETWORK request is seen only by its author, the author's connections and admins; for anyone
  else it is FORBIDDEN (and left out of lists).
- Another member offers once per request, while it is OPEN or IN_PROGRESS.

Suggested experts for a request: verified people holding one of its areas or a narrower one,
except the author and the request's current collaborators, scored

    score = 2.0 × level + 1.0 × endorsements + 1.5 × fulfilled collaborations + proximity

where level is their highest level in those areas (1-5), endorsements those they received in
those areas, fulfilled collaborations the collaborations they had on requests closed as
FULFILLED, and proximity 3 / 2 / 1 for 1 / 2 / 3 connection hops from the author (0 farther);
ties by id. The `CANDIDATE_CAP` candidates with the highest level, then endorsements, are scored.

Recommended requests for a member: requests still taking offers that need an area they hold or a
broader one of it (so a member is recommended exactly the requests they would be suggested for),
visible to them, not their own, not already offered on, deadline not passed; cross-border ones
first (author in another country), then more matched areas, then newest.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from graph_db.errors import NotFound
from graph_db.paging import natural_id
from graph_db.records import NetworkRelationship, PortfolioItem, new_id, utc_now
from graph_db.records.exchange import (
    ACTIVE_REQUEST,
    MAX_REQUEST_AREAS,
    Collaboration,
    ExpertiseRequest,
    ExpertiseRequestFilter,
    ExpertiseRequestKind,
    ExpertiseRequestStatus,
    Offer,
    OfferMessage,
    OutcomeText,
    RequestClosure,
    RequestVisibility,
)
from resolvers.context import Context
from resolvers.errors import BadUserInput
from resolvers.lists import Listing
from resolvers.network import bounded
from resolvers.pagination import PageArgs, cursors, page_request
from resolvers.policy import require_member
from resolvers.validation import FILTER_NAMES, validated, validated_value
from resolvers.viewer import Forbidden

MAX_SUGGESTIONS = 50
CANDIDATE_CAP = 500
CLOSENESS_HOPS = 3
LEVEL_WEIGHT = 2.0
ENDORSEMENT_WEIGHT = 1.0
COLLABORATION_WEIGHT = 1.5
PROXIMITY: dict[int, float] = {1: 3.0, 2: 2.0, 3: 1.0}
"""Points for being 1, 2 or 3 connection hops from the request's author."""


def _bad(field: str, message: str) -> BadUserInput:
    return BadUserInput(
        f"invalid input: {field}: {message}", {"fields": [{"field": field, "message": message}]}
    )


# ---- access ----
async def may_see(ctx: Context, request: ExpertiseRequest) -> bool:
    """Whether the caller may see `request`: admins, the author, anyone for EVERYONE requests,
    the author's connections for NETWORK ones."""
    if ctx.viewer.is_admin or request.visibility is RequestVisibility.EVERYONE:
        return True
    me = ctx.viewer.person_id
    if me is None:
        return False
    return (
        me == request.author_id
        or request.author_id in await ctx.loaders.viewer_connections.load(me)
    )


async def require_visible(ctx: Context, request: ExpertiseRequest) -> None:
    """Raise Forbidden unless the caller may see `request` (`may_see`)."""
    if not await may_see(ctx, request):
        raise Forbidden("this request is shown to the author's connections only")


async def visible_request(ctx: Context, request_id: str) -> ExpertiseRequest:
    """The request, for a verified member who may see it.

    Raises:
        Unauthenticated / Forbidden: not a verified member. NotFound: no such request.
        Forbidden: a NETWORK request of someone the caller is not connected to.
    """
    await require_member(ctx)
    request = await ctx.loaders.expertise_requests.load(request_id)
    if request is None:
        raise NotFound("no expertise request with this id")
    await require_visible(ctx, request)
    return request


async def _authored(ctx: Context, request_id: str) -> ExpertiseRequest:
    request = await visible_request(ctx, request_id)
    if not ctx.viewer.is_admin and ctx.viewer.person_id != request.author_id:
        raise Forbidden("only the request's author (or an admin) can do this")
    return request


def is_author_or_admin(ctx: Context, request: ExpertiseRequest) -> bool:
    """Whether the caller sees every offer on `request` (others see only their own)."""
    return ctx.viewer.is_admin or ctx.viewer.person_id == request.author_id


# ---- writes ----
async def post_expertise_request(
    ctx: Context,
    *,
    title: str,
    description: str | None,
    area_ids: list[str],
    kind: ExpertiseRequestKind,
    visibility: RequestVisibility,
    country_code: str | None,
    institution_id: str | None,
    deadline: date | None,
) -> ExpertiseRequest:
    """Post a request as the caller.

    Raises:
        BadUserInput (with `extensions.fields`): no areas or more than 10, an unknown area,
        country or institution, a deadline before today (UTC), bad text.
    """
    await require_member(ctx)
    me = ctx.viewer.require_person()
    if not area_ids:
        raise _bad("expertise", "name at least one expertise area")
    if len(set(area_ids)) > MAX_REQUEST_AREAS:
        raise _bad("expertise", f"name at most {MAX_REQUEST_AREAS} expertise areas")
    areas = await ctx.loaders.expertise.load_many(area_ids)
    if missing := sorted({a for a, found in zip(area_ids, areas, strict=True) if found is None}):
        raise _bad("expertise", f"unknown expertise area: {', '.join(missing)}")
    if deadline is not None and deadline < utc_now().date():
        raise _bad("deadline", "the deadline is in the past")
    if institution_id is not None:
        institution = await ctx.loaders.institutions.load(institution_id)
        if institution is None:
            raise _bad("institution", f"unknown institution: {institution_id}")
        country_code = country_code or institution.country_code
    if country_code is not None and await ctx.loaders.countries.load(country_code) is None:
        raise _bad("country", f"unknown country code {country_code!r}")
    if country_code is None:
        author = await ctx.loaders.people.load(me)
        country_code = author.country_code if author else None
    request = validated(
        ExpertiseRequest,
        {
            "id": new_id(),
            "author_id": me,
            "title": title,
            "description": description,
            "area_ids": tuple(area_ids),
            "kind": kind,
            "visibility": visibility,
            "country_code": country_code,
            "institution_id": institution_id,
            "deadline": deadline,
            "created_at": utc_now(),
        },
        names={"area_ids": "expertise", "country_code": "country"},
    )
    ctx.change.note_subject("ExpertiseRequest", request.id)
    return await ctx.store.post_expertise_request(request, change=ctx.change)


async def offer_help(ctx: Context, request_id: str, message: str | None) -> Offer:
    """Offer to help with a request the caller may see.

    Raises:
        BadUserInput: your own request, a bad message. Conflict: the request is closed, or you
        already offered. Forbidden / NotFound: as `visible_request`.
    """
    request = await visible_request(ctx, request_id)
    me = ctx.viewer.require_person()
    if message is not None:
        message = validated_value(OfferMessage, message, "message")
    if me == request.author_id:
        raise BadUserInput("you cannot offer to help with your own request")
    offer = Offer(request_id=request_id, helper_id=me, message=message, at=utc_now())
    return await ctx.store.offer_help(offer, change=ctx.change)


async def accept_offer(ctx: Context, request_id: str, helper_id: str) -> Collaboration:
    """The author (or an admin) accepts a helper's offer: they start collaborating.

    Raises:
        Forbidden: not the author or an admin. NotFound: no such request or offer.
        Conflict: the request is closed, or the offer already accepted.
    """
    await _authored(ctx, request_id)
    return await ctx.store.accept_offer(request_id, helper_id, at=utc_now(), change=ctx.change)


async def close_expertise_request(
    ctx: Context,
    request_id: str,
    *,
    closure: RequestClosure,
    outcome: str | None,
    portfolio_item: dict[str, Any] | None,
) -> ExpertiseRequest:
    """The author (or an admin) closes a request as FULFILLED (with an outcome, and optionally a
    portfolio item co-authored with the helpers) or WITHDRAWN.

    Raises:
        BadUserInput: FULFILLED without an outcome, an outcome or item when WITHDRAWN, bad text.
        Forbidden / NotFound: as `accept_offer`. Conflict: already closed, or FULFILLED with no
        accepted offer.
    """
    request = await _authored(ctx, request_id)
    if closure is RequestClosure.WITHDRAWN:
        if outcome is not None:
            raise _bad("outcome", "a withdrawn request has no outcome")
        if portfolio_item is not None:
            raise _bad("portfolioItem", "a withdrawn request has no portfolio item")
    elif outcome is None or not outcome.strip():
        raise _bad("outcome", "say what the collaboration achieved")
    if outcome is not None:
        outcome = validated_value(OutcomeText, outcome, "outcome")
    item = None
    if portfolio_item is not None:
        item = validated(
            PortfolioItem,
            {"id": new_id(), "author_id": request.author_id, **portfolio_item},
            names={"kind": "portfolioItem.kind", "title": "portfolioItem.title"},
        )
        ctx.change.note_subject("PortfolioItem", item.id)
    return await ctx.store.close_expertise_request(
        request_id,
        closure=closure,
        outcome=outcome,
        portfolio_item=item,
        at=utc_now(),
        change=ctx.change,
    )


# ---- lists and matching ----
async def list_expertise_requests(
    ctx: Context,
    *,
    area_id: str | None,
    country_code: str | None,
    kind: ExpertiseRequestKind | None,
    author_id: str | None,
    status: ExpertiseRequestStatus | None,
    args: PageArgs,
) -> Listing[ExpertiseRequest]:
    """Requests the caller may see, newest first; by default those still taking offers.

    `area_id` matches the area and every narrower one (an unknown area matches nothing).

    Raises:
        Unauthenticated / Forbidden: not a verified member. BadUserInput: a bad country code,
        cursor or `last`/`before` (these lists page forward). LimitExceeded: `first` over the cap.
    """
    await require_member(ctx)
    if args.last is not None or args.before is not None:
        raise BadUserInput("expertise requests page forward only: use first and after")
    areas: list[str] | None = None
    if area_id is not None:
        try:
            areas = await ctx.store.area_and_narrower(area_id)
        except NotFound:
            areas = []
    filter = validated(
        ExpertiseRequestFilter,
        {
            "area_ids": tuple(areas) if areas is not None else None,
            "country_code": country_code,
            "kind": kind,
            "author_id": author_id,
            "statuses": (status,) if status is not None else ACTIVE_REQUEST,
        },
        names=FILTER_NAMES,
    )
    ordering = "expertise-requests:CREATED_AT:DESC"
    request = page_request(ordering, args, ctx.page_sizes, key_type=datetime)
    viewer, admin = ctx.viewer.person_id, ctx.viewer.is_admin
    page = await ctx.store.list_expertise_requests(
        filter=filter, viewer_id=viewer, admin=admin, page=request
    )
    for r in page.items:
        ctx.loaders.expertise_requests.prime(r.id, r)
    return Listing(
        page,
        cursors(ordering, page),
        lambda: ctx.store.count_expertise_requests(filter=filter, viewer_id=viewer, admin=admin),
    )


@dataclass(frozen=True)
class SuggestedExpert:
    """One suggested expert for a request, with the facts behind the score.

    Attributes:
        person_id: the expert.
        score: the module's formula.
        level: highest level in the request's areas (or narrower ones).
        endorsements: endorsements received in those areas.
        collaborations: collaborations on requests closed as FULFILLED.
        hops: connection hops from the author (1-3), None if farther.
        area_ids: the request's areas (or narrower ones) they hold, by level then id.
    """

    person_id: str
    score: float
    level: int
    endorsements: int
    collaborations: int
    hops: int | None
    area_ids: list[str]

    def reasons(self) -> list[str]:
        """The score's parts as sentences, for people."""
        found = [f"level {self.level} in {', '.join(self.area_ids)}"]
        if self.endorsements:
            found.append(f"{self.endorsements} endorsement(s) in these areas")
        if self.collaborations:
            found.append(f"{self.collaborations} fulfilled collaboration(s)")
        if self.hops is not None:
            found.append(f"{self.hops} connection hop(s) from the author")
        return found


def expert_score(level: int, endorsements: int, collaborations: int, hops: int | None) -> float:
    """The documented score of a suggested expert (module docstring)."""
    return (
        LEVEL_WEIGHT * level
        + ENDORSEMENT_WEIGHT * endorsements
        + COLLABORATION_WEIGHT * collaborations
        + PROXIMITY.get(hops or 0, 0.0)
    )


async def _request_areas(ctx: Context, request: ExpertiseRequest) -> list[str]:
    expanded = await asyncio.gather(*(ctx.store.area_and_narrower(a) for a in request.area_ids))
    return sorted({a for areas in expanded for a in areas})


async def suggested_experts(
    ctx: Context, request: ExpertiseRequest, *, first: int
) -> list[SuggestedExpert]:
    """The best `first` experts for a request the caller may see (module docstring).

    Raises:
        BadUserInput / LimitExceeded: `first` below 1 or above `MAX_SUGGESTIONS`.
    """
    bounded("first", first, MAX_SUGGESTIONS)
    areas = await _request_areas(ctx, request)
    collaborators = [c.helper_id for c in await ctx.loaders.collaborations.load(request.id)]
    candidates = await ctx.store.expert_candidates(
        area_ids=areas, exclude=[request.author_id, *collaborators], limit=CANDIDATE_CAP
    )
    ids = [c.person_id for c in candidates]
    near, past, claims = await asyncio.gather(
        ctx.store.reachable(
            request.author_id,
            rels=frozenset({NetworkRelationship.CONNECTED_TO}),
            direction="both",
            hops=CLOSENESS_HOPS,
            limit=100_000,
        ),
        ctx.store.fulfilled_collaboration_counts(ids),
        ctx.loaders.expertise_claims.load_many(ids),
    )
    hops = {n.person_id: n.distance for n in near}
    wanted = set(areas)
    ranked = []
    for c, collaborations, held in zip(candidates, past, claims, strict=True):
        distance = hops.get(c.person_id)
        ranked.append(
            SuggestedExpert(
                person_id=c.person_id,
                score=expert_score(c.level, c.endorsements, collaborations, distance),
                level=c.level,
                endorsements=c.endorsements,
                collaborations=collaborations,
                hops=distance,
                area_ids=[h.expertise_id for h in held if h.expertise_id in wanted],
            )
        )
    ranked.sort(key=lambda s: (-s.score, natural_id(s.person_id)))
    return ranked[:first]


@dataclass(frozen=True)
class RecommendedRequest:
    """An open request recommended to a member.

    Attributes:
        request: the request.
        cross_border: the author is in another country than the member.
        area_ids: the request's areas the member holds, or holds a narrower area of.
    """

    request: ExpertiseRequest
    cross_border: bool
    area_ids: tuple[str, ...]


async def recommended_requests(
    ctx: Context, person_id: str, *, first: int
) -> list[RecommendedRequest]:
    """Requests for a member to help with, best first (module docstring).

    Raises:
        Forbidden: someone else's recommendations (only the person or an admin sees them).
        NotFound: unknown person. BadUserInput / LimitExceeded: `first` out of 1..50.
    """
    bounded("first", first, MAX_SUGGESTIONS)
    await require_member(ctx)
    if not ctx.viewer.is_admin and ctx.viewer.require_person() != person_id:
        raise Forbidden("recommended requests are shown to the person themselves only")
    person = await ctx.loaders.people.load(person_id)
    if person is None:
        raise NotFound("no civil servant with this id")
    held = [c.expertise_id for c in await ctx.loaders.expertise_claims.load(person_id)]
    if not held:
        return []
    areas = sorted(set(held) | set(await ctx.store.broader_areas(held)))
    found = await ctx.store.requests_for_expert(
        person_id, area_ids=areas, today=utc_now().date(), limit=CANDIDATE_CAP
    )
    mine = person.country_code
    ranked = [
        RecommendedRequest(
            request=m.request,
            cross_border=bool(mine and m.author_country and m.author_country != mine),
            area_ids=m.matched_area_ids,
        )
        for m in found
    ]
    # Newest first, then stable sorts by the stronger keys.
    ranked.sort(key=lambda r: r.request.id, reverse=True)
    ranked.sort(key=lambda r: r.request.created_at, reverse=True)
    ranked.sort(key=lambda r: (not r.cross_border, -len(r.area_ids)))
    for r in ranked:
        ctx.loaders.expertise_requests.prime(r.request.id, r.request)
    return ranked[:first]

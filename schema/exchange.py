"""GraphQL of sharing and exchanging expertise: requests, offers, collaborations, matching
(`resolvers.exchange` holds the rules and the ranking)."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, ClassVar, Self

import strawberry
from strawberry import relay

from graph_db.records import exchange as records
from resolvers import exchange
from resolvers.pagination import PageArgs
from schema.country import Country
from schema.enums import PortfolioKind
from schema.expertise import Expertise
from schema.ids import decode_id
from schema.info import Info
from schema.institution import Institution
from schema.node import LoadedNode
from schema.pagination import Connection, Edge, build_connection
from schema.portfolio import PortfolioItem
from schema.social import person

if TYPE_CHECKING:
    from schema.civil_servant import CivilServant

CivilServantRef = Annotated["CivilServant", strawberry.lazy("schema.civil_servant")]

ExpertiseRequestKind = records.ExpertiseRequestKind
RequestVisibility = records.RequestVisibility
ExpertiseRequestStatus = records.ExpertiseRequestStatus
RequestClosure = records.RequestClosure
OfferStatus = records.OfferStatus
strawberry.enum(ExpertiseRequestKind, description=ExpertiseRequestKind.__doc__)
strawberry.enum(RequestVisibility, description=RequestVisibility.__doc__)
strawberry.enum(ExpertiseRequestStatus, description=ExpertiseRequestStatus.__doc__)
strawberry.enum(RequestClosure, description=RequestClosure.__doc__)
strawberry.enum(OfferStatus, description=OfferStatus.__doc__)


@strawberry.type(description="A member's offer to help with an expertise request.")
class Offer:
    message: str | None
    at: datetime
    status: OfferStatus
    helper_id: strawberry.Private[str]

    @classmethod
    def from_domain(cls, o: records.Offer) -> Offer:
        return cls(message=o.message, at=o.at, status=o.status, helper_id=o.helper_id)

    @strawberry.field(description="Who offered.")
    async def helper(self, info: Info) -> CivilServantRef:
        return await person(info, self.helper_id)


@strawberry.type(
    description="A helper collaborating on a request (an accepted offer): dates and outcome."
)
class Collaboration:
    since: datetime = strawberry.field(description="When the offer was accepted.")
    until: datetime | None = strawberry.field(description="When the request was closed.")
    outcome: str | None = strawberry.field(description="What it achieved (fulfilled requests).")
    helper_id: strawberry.Private[str]
    request_id: strawberry.Private[str]

    @classmethod
    def from_domain(cls, c: records.Collaboration) -> Collaboration:
        return cls(
            since=c.since,
            until=c.until,
            outcome=c.outcome,
            helper_id=c.helper_id,
            request_id=c.request_id,
        )

    @strawberry.field(description="Who helped.")
    async def helper(self, info: Info) -> CivilServantRef:
        return await person(info, self.helper_id)

    @strawberry.field(description="The request.")
    async def expertise_request(self, info: Info) -> ExpertiseRequest | None:
        return await ExpertiseRequest.load(info, self.request_id)


@strawberry.type(description="A suggested expert for a request, with the reasons for the rank.")
class SuggestedExpert:
    civil_servant: CivilServantRef
    score: float = strawberry.field(
        description="2 × level + endorsements + 1.5 × fulfilled collaborations + proximity "
        "(3, 2, 1 for 1, 2, 3 hops from the author)."
    )
    level: int = strawberry.field(description="Highest level in the request's areas (1-5).")
    endorsements: int = strawberry.field(description="Endorsements received in those areas.")
    past_collaborations: int = strawberry.field(
        description="Collaborations on requests closed as fulfilled."
    )
    hops: int | None = strawberry.field(
        description="Connection hops from the request's author; null beyond 3."
    )
    expertise: list[Expertise] = strawberry.field(
        description="The request's areas (or narrower ones) they hold."
    )
    reasons: list[str] = strawberry.field(description="The score's parts, as sentences.")


@strawberry.type(description="An expertise request posted by a member, asking for help.")
class ExpertiseRequest(LoadedNode):
    loader: ClassVar[str] = "expertise_requests"
    id: relay.NodeID[str]
    title: str
    description: str | None
    kind: ExpertiseRequestKind
    visibility: RequestVisibility
    status: ExpertiseRequestStatus
    closure: RequestClosure | None = strawberry.field(description="Why it was closed.")
    outcome: str | None = strawberry.field(description="What it achieved (fulfilled requests).")
    deadline: date | None
    created_at: datetime
    closed_at: datetime | None
    record: strawberry.Private[records.ExpertiseRequest]

    @classmethod
    def from_domain(cls, r: records.ExpertiseRequest) -> ExpertiseRequest:
        return cls(
            id=r.id,
            title=r.title,
            description=r.description,
            kind=r.kind,
            visibility=r.visibility,
            status=r.status,
            closure=r.closure,
            outcome=r.outcome,
            deadline=r.deadline,
            created_at=r.created_at,
            closed_at=r.closed_at,
            record=r,
        )

    @classmethod
    async def load(cls, info: Info, node_id: str | None) -> Self | None:
        """The request, or None if there is none; FORBIDDEN (raised) when the caller may not see
        it (a NETWORK request outside the author's network)."""
        found = await super().load(info, node_id)
        if found is not None:
            await exchange.require_visible(info.context, found.record)
        return found

    @strawberry.field(description="Who posted it.")
    async def author(self, info: Info) -> CivilServantRef:
        return await person(info, self.record.author_id)

    @strawberry.field(description="The expertise areas it needs.")
    async def expertise(self, info: Info) -> list[Expertise]:
        return await Expertise.load_many(info, self.record.area_ids)

    @strawberry.field(description="The country it is for.")
    async def country(self, info: Info) -> Country | None:
        return await Country.load(info, self.record.country_code)

    @strawberry.field(description="The institution it is for, if any.")
    async def institution(self, info: Info) -> Institution | None:
        return await Institution.load(info, self.record.institution_id)

    @strawberry.field(
        description="Offers of help, oldest first: all of them for the author and admins, "
        "only your own for anyone else."
    )
    async def offers(self, info: Info) -> list[Offer]:
        found = await info.context.loaders.offers.load(self.record.id)
        if not exchange.is_author_or_admin(info.context, self.record):
            found = [o for o in found if o.helper_id == info.context.viewer.person_id]
        return [Offer.from_domain(o) for o in found]

    @strawberry.field(description="How many members offered to help.")
    async def offer_count(self, info: Info) -> int:
        return len(await info.context.loaders.offers.load(self.record.id))

    @strawberry.field(description="The helpers whose offers were accepted.")
    async def collaborations(self, info: Info) -> list[Collaboration]:
        found = await info.context.loaders.collaborations.load(self.record.id)
        return [Collaboration.from_domain(c) for c in found]

    @strawberry.field(description="The portfolio item co-authored by author and helpers, if any.")
    async def portfolio_item(self, info: Info) -> PortfolioItem | None:
        return await PortfolioItem.load(info, self.record.portfolio_item_id)

    @strawberry.field(
        description="People to ask, best first (not the author or current helpers), with reasons."
    )
    async def suggested_experts(self, info: Info, first: int = 10) -> list[SuggestedExpert] | None:
        from schema.civil_servant import CivilServant

        ranked = await exchange.suggested_experts(info.context, self.record, first=first)
        people, areas = await asyncio.gather(
            CivilServant.load_map(info, [s.person_id for s in ranked]),
            asyncio.gather(*(Expertise.load_many(info, s.area_ids) for s in ranked)),
        )
        return [
            SuggestedExpert(
                civil_servant=people[s.person_id],
                score=s.score,
                level=s.level,
                endorsements=s.endorsements,
                past_collaborations=s.collaborations,
                hops=s.hops,
                expertise=held,
                reasons=s.reasons(),
            )
            for s, held in zip(ranked, areas, strict=True)
            if s.person_id in people
        ]


@strawberry.type(description="A page of expertise requests, newest first.")
class ExpertiseRequestConnection(Connection[Edge[ExpertiseRequest]]):
    pass


@strawberry.type(description="A request recommended to a member, with why.")
class RecommendedRequest:
    expertise_request: ExpertiseRequest
    cross_border: bool = strawberry.field(description="The author is in another country.")
    expertise: list[Expertise] = strawberry.field(
        description="Its areas you hold, or hold a narrower area of."
    )


@strawberry.input(description="Which expertise requests to list; every field optional.")
class ExpertiseRequestFilter:
    expertise: relay.GlobalID | None = strawberry.field(
        default=None, description="Requests needing this area or a narrower one."
    )
    country: str | None = strawberry.field(default=None, description="Requests for this country.")
    kind: ExpertiseRequestKind | None = None
    author: relay.GlobalID | None = strawberry.field(
        default=None, description="Requests posted by this civil servant."
    )
    status: ExpertiseRequestStatus | None = strawberry.field(
        default=None, description="Only this status (default: OPEN and IN_PROGRESS)."
    )


@strawberry.input(description="A new expertise request.")
class PostExpertiseRequestInput:
    title: str
    expertise: list[relay.GlobalID] = strawberry.field(description="1-10 areas it needs.")
    kind: ExpertiseRequestKind
    description: str | None = None
    visibility: RequestVisibility = RequestVisibility.EVERYONE
    country: str | None = strawberry.field(
        default=None,
        description="The country it is for (default: the institution's, else yours).",
    )
    institution: relay.GlobalID | None = strawberry.field(
        default=None, description="The institution it is for."
    )
    deadline: date | None = strawberry.field(default=None, description="Today or later.")


@strawberry.input(description="A portfolio item recording a fulfilled request's result.")
class CollaborationPortfolioInput:
    kind: PortfolioKind
    title: str
    year: int | None = None
    url: str | None = None
    summary: str | None = None


@strawberry.input(description="Close a request: FULFILLED (with an outcome) or WITHDRAWN.")
class CloseExpertiseRequestInput:
    request: relay.GlobalID
    closure: RequestClosure
    outcome: str | None = strawberry.field(
        default=None, description="What it achieved; required when FULFILLED."
    )
    portfolio_item: CollaborationPortfolioInput | None = strawberry.field(
        default=None,
        description="FULFILLED only: an item co-authored by you and every helper.",
    )


@strawberry.type
class ExpertiseRequestPayload:
    expertise_request: ExpertiseRequest


@strawberry.type
class OfferHelpPayload:
    offer: Offer
    expertise_request: ExpertiseRequest


@strawberry.type
class AcceptOfferPayload:
    collaboration: Collaboration
    expertise_request: ExpertiseRequest


async def _fresh(info: Info, request_id: str) -> ExpertiseRequest:
    """The request as the store now has it (after a write in this request)."""
    info.context.loaders.expertise_requests.clear(request_id)
    found = await ExpertiseRequest.load(info, request_id)
    assert found is not None
    return found


@strawberry.type
class ExchangeQuery:
    @strawberry.field(
        description="An expertise request; null with NOT_FOUND, or FORBIDDEN for a NETWORK "
        "request outside its author's network."
    )
    async def expertise_request(self, info: Info, id: relay.GlobalID) -> ExpertiseRequest | None:
        found = await exchange.visible_request(info.context, decode_id(id, "ExpertiseRequest"))
        return ExpertiseRequest.from_domain(found)

    @strawberry.field(
        description="Expertise requests you may see, newest first (keyset pages: first/after)."
    )
    async def expertise_requests(
        self,
        info: Info,
        filter: ExpertiseRequestFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> ExpertiseRequestConnection | None:
        f = filter or ExpertiseRequestFilter()
        listing = await exchange.list_expertise_requests(
            info.context,
            area_id=decode_id(f.expertise, "Expertise") if f.expertise else None,
            country_code=f.country,
            kind=f.kind,
            author_id=decode_id(f.author, "CivilServant") if f.author else None,
            status=f.status,
            args=PageArgs(first, after),
        )
        return build_connection(
            ExpertiseRequestConnection,
            listing,
            lambda r, c: Edge(cursor=c, node=ExpertiseRequest.from_domain(r)),
        )

    @strawberry.field(
        description="Open requests that fit a member's expertise, cross-border first (the "
        "person themselves or an admin)."
    )
    async def recommended_requests(
        self, info: Info, person: relay.GlobalID, first: int = 10
    ) -> list[RecommendedRequest] | None:
        ranked = await exchange.recommended_requests(
            info.context, decode_id(person, "CivilServant"), first=first
        )
        areas = await asyncio.gather(*(Expertise.load_many(info, r.area_ids) for r in ranked))
        return [
            RecommendedRequest(
                expertise_request=ExpertiseRequest.from_domain(r.request),
                cross_border=r.cross_border,
                expertise=held,
            )
            for r, held in zip(ranked, areas, strict=True)
        ]


@strawberry.type
class ExchangeMutation:
    @strawberry.mutation(description="Post a request for expertise (verified members).")
    async def post_expertise_request(
        self, info: Info, input: PostExpertiseRequestInput
    ) -> ExpertiseRequestPayload | None:
        posted = await exchange.post_expertise_request(
            info.context,
            title=input.title,
            description=input.description,
            area_ids=[decode_id(a, "Expertise") for a in input.expertise],
            kind=input.kind,
            visibility=input.visibility,
            country_code=input.country,
            institution_id=decode_id(input.institution, "Institution")
            if input.institution
            else None,
            deadline=input.deadline,
        )
        return ExpertiseRequestPayload(expertise_request=ExpertiseRequest.from_domain(posted))

    @strawberry.mutation(description="Offer to help with a request (once; not your own).")
    async def offer_help(
        self, info: Info, request: relay.GlobalID, message: str | None = None
    ) -> OfferHelpPayload | None:
        request_id = decode_id(request, "ExpertiseRequest")
        offer = await exchange.offer_help(info.context, request_id, message)
        return OfferHelpPayload(
            offer=Offer.from_domain(offer), expertise_request=await _fresh(info, request_id)
        )

    @strawberry.mutation(
        description="The author: accept a helper's offer; you start collaborating (an OPEN "
        "request becomes IN_PROGRESS)."
    )
    async def accept_offer(
        self, info: Info, request: relay.GlobalID, helper: relay.GlobalID
    ) -> AcceptOfferPayload | None:
        request_id = decode_id(request, "ExpertiseRequest")
        made = await exchange.accept_offer(
            info.context, request_id, decode_id(helper, "CivilServant")
        )
        return AcceptOfferPayload(
            collaboration=Collaboration.from_domain(made),
            expertise_request=await _fresh(info, request_id),
        )

    @strawberry.mutation(description="The author: close a request as FULFILLED or WITHDRAWN.")
    async def close_expertise_request(
        self, info: Info, input: CloseExpertiseRequestInput
    ) -> ExpertiseRequestPayload | None:
        item = input.portfolio_item
        closed = await exchange.close_expertise_request(
            info.context,
            decode_id(input.request, "ExpertiseRequest"),
            closure=input.closure,
            outcome=input.outcome,
            portfolio_item=None
            if item is None
            else {
                "kind": item.kind,
                "title": item.title,
                "year": item.year,
                "url": item.url,
                "summary": item.summary,
            },
        )
        info.context.loaders.collaborations.clear(closed.id)
        return ExpertiseRequestPayload(expertise_request=ExpertiseRequest.from_domain(closed))

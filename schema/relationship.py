"""GraphQL views of the viewer's relationship to a person and of introductions (thin: the rules
are in `resolvers/relationships.py`)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

from graph_db import records
from resolvers import relationships
from resolvers.errors import LimitExceeded
from schema.ids import decode_id
from schema.info import Info
from schema.social import person

if TYPE_CHECKING:
    from schema.civil_servant import CivilServant

CivilServantRef = Annotated["CivilServant", strawberry.lazy("schema.civil_servant")]

IntroductionStatus = records.IntroductionStatus
strawberry.enum(IntroductionStatus, description=IntroductionStatus.__doc__)


@strawberry.type(
    description='How a person stands to you, for a person card ("Connect", "Pending", '
    '"Message"). Batched: a page of cards costs the same store reads as one card.'
)
class ViewerRelationship:
    connected: bool = strawberry.field(description="You are connected.")
    request_sent: bool = strawberry.field(
        description="You asked them to connect; the request is pending."
    )
    request_received: bool = strawberry.field(
        description="They asked you to connect; the request is pending (accept it with "
        "`acceptConnection`)."
    )
    distance: int | None = strawberry.field(
        description="Hops between you over connections, 1 to 3; null if farther, unconnected, or "
        "their profile is NETWORK-only and you are not connected."
    )
    mutual_connection_count: int = strawberry.field(
        description="How many people are connected to both of you (0 on a NETWORK profile you "
        "may not see)."
    )
    mutual_ids: strawberry.Private[tuple[str, ...]]

    @classmethod
    def from_domain(cls, r: records.ViewerRelationship) -> ViewerRelationship:
        return cls(
            connected=r.connected,
            request_sent=r.request_sent,
            request_received=r.request_received,
            distance=r.distance,
            mutual_connection_count=len(r.mutual_ids),
            mutual_ids=r.mutual_ids,
        )

    @strawberry.field(description="Some of the people connected to both of you, by id.")
    async def mutual_connections(
        self,
        info: Info,
        first: Annotated[
            int, strawberry.argument(description="How many, 0 to the page-size cap.")
        ] = 3,
    ) -> list[CivilServantRef]:
        from schema.civil_servant import CivilServant

        cap = info.context.page_sizes.max
        if not 0 <= first <= cap:
            raise LimitExceeded(f"first must be 0..{cap}", {"limit": "first", "max": cap})
        return await CivilServant.load_many(info, self.mutual_ids[:first])


@strawberry.type(
    description="A request to a mutual connection (the introducer) to introduce you to someone."
)
class Introduction:
    id: strawberry.ID
    status: IntroductionStatus
    message: str | None = strawberry.field(description="The requester's note to the introducer.")
    requested_at: datetime = strawberry.field(description="When it was asked (UTC).")
    decided_at: datetime | None = strawberry.field(
        description="When the introducer forwarded or declined it (UTC)."
    )
    requester_id: strawberry.Private[str]
    via_id: strawberry.Private[str]
    to_id: strawberry.Private[str]

    @classmethod
    def from_domain(cls, i: records.Introduction) -> Introduction:
        return cls(
            id=strawberry.ID(i.id),
            status=i.status,
            message=i.message,
            requested_at=i.requested_at,
            decided_at=i.decided_at,
            requester_id=i.requester_id,
            via_id=i.via_id,
            to_id=i.to_id,
        )

    @strawberry.field(description="Who asked to be introduced.")
    async def requester(self, info: Info) -> CivilServantRef:
        return await person(info, self.requester_id)

    @strawberry.field(description="The mutual connection asked to make the introduction.")
    async def introducer(self, info: Info) -> CivilServantRef:
        return await person(info, self.via_id)

    @strawberry.field(description="Whom the requester wants to meet.")
    async def to(self, info: Info) -> CivilServantRef:
        return await person(info, self.to_id)


@strawberry.type
class IntroductionPayload:
    introduction: Introduction


async def viewer_relationship_field(root: CivilServant, info: Info) -> ViewerRelationship | None:
    found = await relationships.viewer_relationship(
        info.context, str(root.id), root.profile_visibility
    )
    return ViewerRelationship.from_domain(found) if found is not None else None


async def introduction_requests_field(
    root: CivilServant,
    info: Info,
    incoming: Annotated[
        bool,
        strawberry.argument(description="True: asked of you (you introduce); false: asked by you."),
    ] = True,
) -> list[Introduction] | None:
    found = await relationships.introductions(info.context, str(root.id), as_introducer=incoming)
    return [Introduction.from_domain(i) for i in found]


viewer_relationship = strawberry.field(
    resolver=viewer_relationship_field,
    description="How this person stands to you; null on your own profile and for a caller who "
    "is not a civil servant.",
)
introduction_requests = strawberry.field(
    resolver=introduction_requests_field,
    description="Introductions asked of you or by you, newest first: only on your own profile "
    "(elsewhere null with FORBIDDEN).",
)


@strawberry.type
class IntroductionMutation:
    @strawberry.mutation(
        description="Ask a mutual connection (`via`, connected to you both) to introduce you to "
        "`to`; they see it in `introductionRequests` and forward or decline it. Asking again "
        "while one is pending returns it."
    )
    async def request_introduction(
        self,
        info: Info,
        to: relay.GlobalID,
        via: relay.GlobalID,
        message: str | None = None,
    ) -> IntroductionPayload | None:
        record = await relationships.request_introduction(
            info.context, decode_id(to, "CivilServant"), decode_id(via, "CivilServant"), message
        )
        return IntroductionPayload(introduction=Introduction.from_domain(record))

    @strawberry.mutation(
        description="Introducer: forward an introduction; the requester's connection request "
        "goes to the person they want to meet."
    )
    async def forward_introduction(
        self, info: Info, id: strawberry.ID
    ) -> IntroductionPayload | None:
        record = await relationships.decide_introduction(info.context, str(id), forward=True)
        return IntroductionPayload(introduction=Introduction.from_domain(record))

    @strawberry.mutation(description="Introducer: decline an introduction.")
    async def decline_introduction(
        self, info: Info, id: strawberry.ID
    ) -> IntroductionPayload | None:
        record = await relationships.decide_introduction(info.context, str(id), forward=False)
        return IntroductionPayload(introduction=Introduction.from_domain(record))

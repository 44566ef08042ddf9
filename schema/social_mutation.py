"""Mutations of networking, acted on by the signed-in civil servant (UNAUTHENTICATED without a token)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from resolvers import social
from schema.civil_servant import CivilServant, NetworkEdge
from schema.ids import decode_id
from schema.info import Info
from schema.social import ConnectionOutcome, Endorsement, Mentorship


@strawberry.type
class RequestConnectionPayload:
    outcome: ConnectionOutcome = strawberry.field(
        description="REQUESTED, or CONNECTED if they had asked you."
    )
    civil_servant: CivilServant = strawberry.field(description="The person you asked.")


@strawberry.type
class ConnectionPayload:
    civil_servant: CivilServant = strawberry.field(description="The other person.")


@strawberry.type
class EndorsePayload:
    endorsement: Endorsement


@strawberry.type
class MentorshipPayload:
    mentorship: Mentorship


async def _someone(info: Info, gid: relay.GlobalID) -> tuple[str, CivilServant]:
    from graph_db.errors import NotFound

    person_id = decode_id(gid, "CivilServant")
    found = await CivilServant.load(info, person_id)
    if found is None:
        raise NotFound(f"unknown civil servant: {person_id}")
    return person_id, found


@strawberry.type
class SocialMutation:
    @strawberry.mutation(
        description="Ask someone to connect (connects at once if they had asked you)."
    )
    async def request_connection(
        self, info: Info, to: relay.GlobalID, message: str | None = None
    ) -> RequestConnectionPayload | None:
        other_id, other = await _someone(info, to)
        outcome = await social.request_connection(info.context, other_id, message)
        return RequestConnectionPayload(outcome=outcome, civil_servant=other)

    @strawberry.mutation(description="Accept a connection request addressed to you.")
    async def accept_connection(
        self,
        info: Info,
        from_: Annotated[relay.GlobalID, strawberry.argument(name="from")],
    ) -> NetworkEdge | None:
        other_id, other = await _someone(info, from_)
        edge = await social.accept_connection(info.context, other_id)
        return NetworkEdge(cursor="", since=edge.since, node=other)

    @strawberry.mutation(description="Decline a connection request addressed to you.")
    async def decline_connection(
        self,
        info: Info,
        from_: Annotated[relay.GlobalID, strawberry.argument(name="from")],
    ) -> ConnectionPayload | None:
        other_id, other = await _someone(info, from_)
        await social.decline_connection(info.context, other_id)
        return ConnectionPayload(civil_servant=other)

    @strawberry.mutation(description="Withdraw your own pending connection request.")
    async def withdraw_connection_request(
        self, info: Info, to: relay.GlobalID
    ) -> ConnectionPayload | None:
        other_id, other = await _someone(info, to)
        await social.withdraw_connection_request(info.context, other_id)
        return ConnectionPayload(civil_servant=other)

    @strawberry.mutation(description="End a connection.")
    async def remove_connection(
        self,
        info: Info,
        with_: Annotated[relay.GlobalID, strawberry.argument(name="with")],
    ) -> ConnectionPayload | None:
        other_id, other = await _someone(info, with_)
        await social.remove_connection(info.context, other_id)
        info.context.loaders.connection_counts.clear(other_id)
        return ConnectionPayload(civil_servant=other)

    @strawberry.mutation(
        description="Endorse someone for an expertise area they hold (once per area)."
    )
    async def endorse(
        self, info: Info, civil_servant: relay.GlobalID, expertise: relay.GlobalID
    ) -> EndorsePayload | None:
        record = await social.endorse(
            info.context,
            decode_id(civil_servant, "CivilServant"),
            decode_id(expertise, "Expertise"),
        )
        return EndorsePayload(endorsement=Endorsement.from_domain(record))

    @strawberry.mutation(description="Withdraw your endorsement.")
    async def withdraw_endorsement(
        self, info: Info, civil_servant: relay.GlobalID, expertise: relay.GlobalID
    ) -> ConnectionPayload | None:
        other_id, other = await _someone(info, civil_servant)
        await social.withdraw_endorsement(info.context, other_id, decode_id(expertise, "Expertise"))
        return ConnectionPayload(civil_servant=other)

    @strawberry.mutation(description="Ask someone to mentor you in an expertise area.")
    async def request_mentorship(
        self,
        info: Info,
        mentor: relay.GlobalID,
        expertise: relay.GlobalID,
        goal: str | None = None,
    ) -> MentorshipPayload | None:
        record = await social.request_mentorship(
            info.context, decode_id(mentor, "CivilServant"), decode_id(expertise, "Expertise"), goal
        )
        return MentorshipPayload(mentorship=Mentorship.from_domain(record))

    @strawberry.mutation(description="Mentor: accept a mentorship request.")
    async def accept_mentorship(self, info: Info, id: relay.GlobalID) -> MentorshipPayload | None:
        return await _change(info, id, "accept")

    @strawberry.mutation(description="Mentor: decline a mentorship request.")
    async def decline_mentorship(self, info: Info, id: relay.GlobalID) -> MentorshipPayload | None:
        return await _change(info, id, "decline")

    @strawberry.mutation(
        description="Mentee: cancel a request; either party: end an active mentorship early."
    )
    async def cancel_mentorship(self, info: Info, id: relay.GlobalID) -> MentorshipPayload | None:
        return await _change(info, id, "cancel")

    @strawberry.mutation(description="Either party: mark an active mentorship completed.")
    async def complete_mentorship(self, info: Info, id: relay.GlobalID) -> MentorshipPayload | None:
        return await _change(info, id, "complete")


async def _change(info: Info, gid: relay.GlobalID, action: str) -> MentorshipPayload:
    record = await social.change_mentorship(info.context, decode_id(gid, "Mentorship"), action)
    return MentorshipPayload(mentorship=Mentorship.from_domain(record))

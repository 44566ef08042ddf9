"""GraphQL `CivilServant`: a profile and the edges a frontend follows from it."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import ClassVar, TypeVar, cast

import strawberry
from strawberry import relay

from graph_db import records
from resolvers import lists, policy
from resolvers.loaders import PENDING, Pending
from resolvers.pagination import PageArgs
from resolvers.viewer import Forbidden
from schema.country import Country
from schema.enums import ProfileVisibility
from schema.event import Event
from schema.expert_status import expert_status_history
from schema.expertise import Expertise
from schema.info import Info
from schema.institution import Institution
from schema.node import CONTEXT_ONLY, LoadedNode, now_or_later
from schema.notification import inbox_field, unread_count_field
from schema.pagination import Connection, Edge, build_connection
from schema.portfolio import PortfolioItem
from schema.relationship import introduction_requests, viewer_relationship
from schema.social import ConnectionRequest, EndorsementSummary, Mentorship, MentorshipStatus

T = TypeVar("T")

HIDDEN_ON_NETWORK = (
    "Null (or empty) on a NETWORK profile unless you are connected, yourself or an admin."
)


async def _zero() -> int:
    return 0


@strawberry.type(description="An expertise area a person holds, with their level.")
class ExpertiseLevel:
    level: int = strawberry.field(description="1 (interest) to 5 (authority).")
    years: int | None = strawberry.field(description="Years of experience in the area.")
    expertise: Expertise


CAREER_ID = "Opaque; names the entry for the edit mutations (it changes when the institution or "
CAREER_ID += "start year changes)."


def career_id(type_name: str, person_id: str, institution_id: str, year: int | None) -> str:
    """The global id of an employment or education entry (`records.CareerKey`)."""
    key = records.CareerKey(person_id=person_id, institution_id=institution_id, year=year)
    return str(relay.GlobalID(type_name, key.encode()))


@strawberry.type(description="Where a person works or worked (WORKS_AT).")
class Employment:
    id: strawberry.ID = strawberry.field(description=CAREER_ID)
    position: str | None
    since_year: int | None
    until_year: int | None = strawberry.field(
        description="Null while the person still works there."
    )
    institution: Institution

    @classmethod
    def from_domain(cls, job: records.Employment, institution: Institution) -> Employment:
        """The view of one WORKS_AT record, at its (already loaded) institution."""
        return cls(
            id=strawberry.ID(
                career_id("Employment", job.person_id, job.institution_id, job.since_year)
            ),
            position=job.position,
            since_year=job.since_year,
            until_year=job.until_year,
            institution=institution,
        )


@strawberry.type(description="Where a person studied (STUDIED_AT).")
class Education:
    id: strawberry.ID = strawberry.field(description=CAREER_ID)
    year: int | None
    degree: str | None
    institution: Institution

    @classmethod
    def from_domain(cls, study: records.Study, institution: Institution) -> Education:
        """The view of one STUDIED_AT record, at its (already loaded) institution."""
        return cls(
            id=strawberry.ID(
                career_id("Education", study.person_id, study.institution_id, study.year)
            ),
            year=study.year,
            degree=study.degree,
            institution=institution,
        )


@strawberry.type(description="An event a person took part in.")
class EventParticipation:
    role: str | None
    event: Event


@strawberry.type(description="A connection of a person to another civil servant.")
class NetworkEdge:
    cursor: str
    since: datetime = strawberry.field(description="When the two connected (UTC).")
    node: CivilServant


@strawberry.type(description="A person's connections, newest first.")
class NetworkConnection(Connection[NetworkEdge]):
    pass


def _current(jobs: list[records.Employment]) -> str | None:
    """The institution of the first job without an end (jobs come current first), or None."""
    return next((j.institution_id for j in jobs if j.until_year is None), None)


def _levels(
    claims: list[records.ExpertiseClaim], areas: dict[str, Expertise]
) -> list[ExpertiseLevel]:
    """The claims as `ExpertiseLevel`s, in their order, of the areas that exist."""
    return [
        ExpertiseLevel(level=c.level, years=c.years, expertise=areas[c.expertise_id])
        for c in claims
        if c.expertise_id in areas
    ]


@strawberry.type(description="A civil servant's profile.")
class CivilServant(LoadedNode):
    loader: ClassVar[str] = "people"
    id: relay.NodeID[str]
    given_name: str
    family_name: str | None = strawberry.field(description="Null for people with a single name.")
    display_name: str
    country_code: str | None
    joined_at: datetime
    verified: bool
    is_expert: bool
    profile_visibility: ProfileVisibility
    email_value: strawberry.Private[str | None]
    phone_value: strawberry.Private[str | None]
    details: strawberry.Private[records.CivilServant]

    @classmethod
    def from_domain(cls, record: records.CivilServant) -> CivilServant:
        return cls(
            id=record.id,
            given_name=record.given_name,
            family_name=record.family_name,
            display_name=record.display_name,
            country_code=record.country_code,
            joined_at=record.joined_at,
            verified=record.verified,
            is_expert=record.is_expert,
            profile_visibility=record.profile_visibility,
            email_value=record.email,
            phone_value=record.phone,
            details=record,
        )

    def _detail(self, info: Info, value: T, empty: T) -> T:
        """`value`, or `empty` on a NETWORK profile the caller may not see (sync when possible).

        While visibility needs a store read, this returns an awaitable of `T` in place of `T`:
        the fields stay plain resolvers (no coroutine for a PUBLIC profile), the schema shows `T`,
        and GraphQL awaits what a plain resolver returns.
        """
        hidden = self._hidden_in_hand(info)
        if hidden is not PENDING:
            return empty if hidden else value

        async def later() -> T:
            return empty if await self._hidden_now(info) else value

        return cast(T, later())

    def _hidden_in_hand(self, info: Info) -> bool | Pending:
        """Whether this profile's details are hidden from the caller, or `PENDING` until the
        caller's connections are read (`policy.profile_hidden`)."""
        return policy.profile_hidden(info.context, str(self.id), self.profile_visibility)

    async def _hidden_now(self, info: Info) -> bool:
        return await policy.is_profile_hidden(info.context, str(self.id), self.profile_visibility)

    @strawberry.field(description=HIDDEN_ON_NETWORK, metadata=CONTEXT_ONLY)
    def city(self, info: Info) -> str | None:
        return self._detail(info, self.details.city, None)

    @strawberry.field(description=HIDDEN_ON_NETWORK, metadata=CONTEXT_ONLY)
    def position(self, info: Info) -> str | None:
        return self._detail(info, self.details.position, None)

    @strawberry.field(description=HIDDEN_ON_NETWORK, metadata=CONTEXT_ONLY)
    def grade(self, info: Info) -> str | None:
        return self._detail(info, self.details.grade, None)

    @strawberry.field(description=HIDDEN_ON_NETWORK, metadata=CONTEXT_ONLY)
    def bio(self, info: Info) -> str | None:
        return self._detail(info, self.details.bio, None)

    @strawberry.field(description=HIDDEN_ON_NETWORK, metadata=CONTEXT_ONLY)
    def languages(self, info: Info) -> list[str]:
        return self._detail(info, list(self.details.languages), [])

    @strawberry.field(description=HIDDEN_ON_NETWORK, metadata=CONTEXT_ONLY)
    def photo_url(self, info: Info) -> str | None:
        return self._detail(info, self.details.photo_url, None)

    @strawberry.field(
        description="Private: visible to the person, their connections and admins; else null."
    )
    async def email(self, info: Info) -> str | None:
        if self.email_value is None or not await policy.may_see_private(info.context, str(self.id)):
            return None
        return self.email_value

    @strawberry.field(
        description="Private: visible to the person, their connections and admins; else null."
    )
    async def phone(self, info: Info) -> str | None:
        if self.phone_value is None or not await policy.may_see_private(info.context, str(self.id)):
            return None
        return self.phone_value

    @strawberry.field(metadata=CONTEXT_ONLY)
    def country(self, info: Info) -> Country | None:
        return now_or_later(
            Country.settled(info, self.country_code), lambda: Country.load(info, self.country_code)
        )

    @strawberry.field(
        description="Current institution: the newest WORKS_AT without an end.",
        metadata=CONTEXT_ONLY,
    )
    def institution(self, info: Info) -> Institution | None:
        return now_or_later(self._institution_now(info), lambda: self._institution(info))

    def _institution_now(self, info: Info) -> Institution | Pending | None:
        hidden = self._hidden_in_hand(info)
        if hidden is not False:
            return None if hidden is True else PENDING
        jobs = info.context.loaders.employments.settled(str(self.id))
        if jobs is PENDING:
            return PENDING
        return Institution.settled(info, _current(jobs))

    async def _institution(self, info: Info) -> Institution | None:
        if await self._hidden_now(info):
            return None
        jobs = await info.context.loaders.employments.load(str(self.id))
        return await Institution.load(info, _current(jobs))

    @strawberry.field(description="Employment history, current first.")
    async def employments(self, info: Info) -> list[Employment]:
        if await self._hidden_now(info):
            return []
        jobs = await info.context.loaders.employments.load(str(self.id))
        places = await Institution.load_map(info, [j.institution_id for j in jobs])
        return [
            Employment.from_domain(j, places[j.institution_id])
            for j in jobs
            if j.institution_id in places
        ]

    @strawberry.field(description="Education, newest first.")
    async def education(self, info: Info) -> list[Education]:
        if await self._hidden_now(info):
            return []
        rows = await info.context.loaders.studies.load(str(self.id))
        places = await Institution.load_map(info, [s.institution_id for s in rows])
        return [
            Education.from_domain(s, places[s.institution_id])
            for s in rows
            if s.institution_id in places
        ]

    @strawberry.field(
        description="Expertise areas held, highest level first.", metadata=CONTEXT_ONLY
    )
    def expertise(self, info: Info) -> list[ExpertiseLevel]:
        return now_or_later(self._expertise_now(info), lambda: self._expertise(info))

    def _expertise_now(self, info: Info) -> list[ExpertiseLevel] | Pending:
        hidden = self._hidden_in_hand(info)
        if hidden is not False:
            return [] if hidden is True else PENDING
        claims = info.context.loaders.expertise_claims.settled(str(self.id))
        if claims is PENDING:
            return PENDING
        areas = Expertise.settled_map(info, [c.expertise_id for c in claims])
        return PENDING if areas is PENDING else _levels(claims, areas)

    async def _expertise(self, info: Info) -> list[ExpertiseLevel]:
        if await self._hidden_now(info):
            return []
        claims = await info.context.loaders.expertise_claims.load(str(self.id))
        return _levels(claims, await Expertise.load_map(info, [c.expertise_id for c in claims]))

    @strawberry.field(description="Connections, newest first then by id (undirected CONNECTED_TO).")
    async def connections(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> NetworkConnection | None:
        if await self._hidden_now(info):
            return NetworkConnection(
                edges=[],
                page_info=relay.PageInfo(
                    has_next_page=False,
                    has_previous_page=False,
                    start_cursor=None,
                    end_cursor=None,
                ),
                count=_zero,
            )
        listing = await lists.connections_of(
            info.context, str(self.id), PageArgs(first, after, last, before)
        )
        people = await CivilServant.load_map(info, [c.person_id for c in listing.page.items])
        return build_connection(
            NetworkConnection,
            listing,
            lambda c, cursor: NetworkEdge(cursor=cursor, since=c.since, node=people[c.person_id]),
        )

    @strawberry.field(description="Number of connections (degree).")
    async def connection_count(self, info: Info) -> int:
        return int(await info.context.loaders.connection_counts.load(str(self.id)))

    @strawberry.field(description="Portfolio items authored or co-authored, newest first.")
    async def portfolio(self, info: Info) -> list[PortfolioItem]:
        if await self._hidden_now(info):
            return []
        own, shared = await asyncio.gather(
            info.context.loaders.portfolio.load(str(self.id)),
            info.context.loaders.coauthored.load(str(self.id)),
        )
        items = sorted([*own, *shared], key=lambda i: (-(i.year or 0), i.id))
        return [PortfolioItem.from_domain(i) for i in items]

    @strawberry.field(description="Events taken part in.")
    async def events(self, info: Info) -> list[EventParticipation]:
        if await self._hidden_now(info):
            return []
        rows = await info.context.loaders.participations.load(str(self.id))
        found = await Event.load_map(info, [r.event_id for r in rows])
        return [
            EventParticipation(role=r.role, event=found[r.event_id])
            for r in rows
            if r.event_id in found
        ]

    @strawberry.field(description="Endorsements received, per expertise area.")
    async def endorsements(self, info: Info) -> list[EndorsementSummary] | None:
        await policy.require_member(info.context)
        if await self._hidden_now(info):
            return []
        received = await info.context.loaders.endorsements.load(str(self.id))
        by_area: dict[str, list[str]] = {}
        for e in received:
            by_area.setdefault(e.expertise_id, []).append(e.endorser_id)
        areas = await Expertise.load_map(info, list(by_area))
        return [
            EndorsementSummary(expertise=areas[k], count=len(v), endorser_ids=v)
            for k, v in by_area.items()
            if k in areas
        ]

    @strawberry.field(description="Mentorships in which this person mentors, newest first.")
    async def mentees(
        self, info: Info, status: list[MentorshipStatus] | None = None
    ) -> list[Mentorship] | None:
        await policy.require_member(info.context)
        if await self._hidden_now(info):
            return []
        rows = await info.context.loaders.mentorships_as_mentor.load(str(self.id))
        return [Mentorship.from_domain(m) for m in rows if status is None or m.status in status]

    @strawberry.field(description="Mentorships in which this person is mentored, newest first.")
    async def mentors(
        self, info: Info, status: list[MentorshipStatus] | None = None
    ) -> list[Mentorship] | None:
        await policy.require_member(info.context)
        if await self._hidden_now(info):
            return []
        rows = await info.context.loaders.mentorships_as_mentee.load(str(self.id))
        return [Mentorship.from_domain(m) for m in rows if status is None or m.status in status]

    @strawberry.field(
        description="Pending connection requests: only on your own profile (elsewhere null, with a "
        "FORBIDDEN error that leaves the rest of the response intact)."
    )
    async def connection_requests(
        self, info: Info, incoming: bool = True
    ) -> list[ConnectionRequest] | None:
        if info.context.viewer.require_person() != str(self.id):
            raise Forbidden("only your own connection requests are visible")
        loader = info.context.loaders.requests_in if incoming else info.context.loaders.requests_out
        return [ConnectionRequest.from_domain(r) for r in await loader.load(str(self.id))]

    notifications = inbox_field  # schema/notification.py: your inbox, on your own profile only
    unread_notification_count = unread_count_field
    viewer_relationship = viewer_relationship  # schema/relationship.py: for person cards
    introduction_requests = introduction_requests
    expert_status_history = expert_status_history  # schema/expert_status.py


@strawberry.type(description="A page of civil servants.")
class CivilServantConnection(Connection[Edge[CivilServant]]):
    pass

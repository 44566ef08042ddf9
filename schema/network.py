"""Network queries: ego networks, paths, lineage, network search and recommendations."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, Final

import strawberry
from strawberry import relay

from graph_db import records
from resolvers import network, recommendations
from resolvers.validation import FILTER_NAMES, validated
from schema.civil_servant import CivilServant
from schema.event import Event
from schema.expertise import Expertise
from schema.ids import decode_id, encode_id
from schema.info import Info
from schema.institution import Institution
from schema.lookahead import find_field
from schema.node import CONTEXT_ONLY
from schema.social import NetworkRelationship

# The domain enum itself, marked as a GraphQL enum in place (see schema.enums).
LineageDirection = network.LineageDirection
strawberry.enum(LineageDirection, description=LineageDirection.__doc__)


@strawberry.type(description="A person in an ego network.")
class EgoNetworkNode:
    id: strawberry.ID = strawberry.field(
        description="The person's global id (stable across requests)."
    )
    kind: str = strawberry.field(description="Node kind, for drawing: CivilServant.")
    distance: int = strawberry.field(description="Hops from the centre (0 for the centre).")
    civil_servant: CivilServant


def edge_id(root: EgoNetworkEdge, info: Info) -> strawberry.ID:
    """An ego network edge's id, `KIND:source:target` (global ids), made only when asked for: a
    drawing keys its edges by their ends, and a network has up to 5,000 of them. Reads nothing
    of `info` (`CONTEXT_ONLY`)."""
    return strawberry.ID(f"{root.kind.value}:{root.source}:{root.target}")


@strawberry.type(
    description="A relationship between two people of an ego network, as stored (source → target)."
)
class EgoNetworkEdge:
    id: strawberry.ID = strawberry.field(
        resolver=edge_id,
        description="Stable id: kind, source and target.",
        metadata=CONTEXT_ONLY,
    )
    kind: NetworkRelationship
    source: strawberry.ID
    target: strawberry.ID


@strawberry.type(description="A person's neighbourhood, ready for a graph drawing.")
class EgoNetwork:
    center: CivilServant
    nodes: list[EgoNetworkNode]
    edges: list[EgoNetworkEdge]
    truncated: bool = strawberry.field(description="True when the node limit cut people off.")


@strawberry.type(description="A shortest path: the people on it, both ends included.")
class Path:
    length: int = strawberry.field(description="Hops (0 for the same person).")
    people: list[CivilServant]


@strawberry.type(description="One generation of a mentorship lineage.")
class Generation:
    generation: int = strawberry.field(description="1 = direct mentees (or mentors).")
    count: int
    people: list[CivilServant]


@strawberry.type(description="Mentees of mentees (or mentors of mentors), by generation.")
class MentorshipLineage:
    direction: LineageDirection
    generations: list[Generation]
    total: int
    truncated: bool


@strawberry.type(description="A person found by a network search, with their distance.")
class NetworkSearchResult:
    distance: int
    civil_servant: CivilServant


@strawberry.input(description="Filters of a network search (all given must hold).")
class NetworkSearchFilter:
    given_name: str | None = None
    expertise: relay.GlobalID | None = strawberry.field(
        default=None, description="This area or a narrower one."
    )
    institution: relay.GlobalID | None = None
    country: str | None = strawberry.field(
        default=None, description="The person's country (ISO code)."
    )
    works_in_country: str | None = strawberry.field(
        default=None, description="Works at an institution in this country (ISO code)…"
    )
    works_since_before: int | None = strawberry.field(
        default=None, description="…since before this year."
    )


@strawberry.type(description="A suggested connection and why.")
class ConnectionRecommendation:
    civil_servant: CivilServant
    score: float = strawberry.field(
        description="See the README: mutual, shared areas, institutions, events, cross-border."
    )
    mutual_connection_count: int
    mutual_connections: list[CivilServant]
    shared_expertise: list[Expertise]
    shared_institutions: list[Institution]
    shared_events: list[Event]
    cross_border: bool = strawberry.field(description="In another country than the person.")


@strawberry.type(description="A suggested mentor and why.")
class MentorRecommendation:
    civil_servant: CivilServant
    level: int = strawberry.field(description="Their best level in the area or a narrower one.")
    endorsements: int = strawberry.field(description="Endorsements they received in those areas.")
    distance: int | None = strawberry.field(description="Connection hops away; null beyond 3.")


REASON_FIELDS: Final = (
    "mutualConnections",
    "sharedExpertise",
    "sharedInstitutions",
    "sharedEvents",
)
"""`ConnectionRecommendation`'s lists of records, each read only when selected."""


def person_id(value: relay.GlobalID) -> str:
    return decode_id(value, "CivilServant")


def network_filter(f: NetworkSearchFilter | None) -> records.NetworkFilter:
    if f is None:
        return records.NetworkFilter()
    return validated(
        records.NetworkFilter,
        {
            "given_name": f.given_name,
            "expertise_id": decode_id(f.expertise, "Expertise") if f.expertise else None,
            "institution_id": decode_id(f.institution, "Institution") if f.institution else None,
            "country_code": f.country,
            "works_in_country": f.works_in_country,
            "works_since_before": f.works_since_before,
        },
        names=FILTER_NAMES,
    )


async def path_of(info: Info, ids: list[str] | None) -> Path | None:
    if ids is None:
        return None
    people = await CivilServant.load_map(info, ids)
    return Path(length=len(ids) - 1, people=[people[i] for i in ids])


@strawberry.type
class NetworkQuery:
    @strawberry.field(description="The signed-in civil servant (null when anonymous).")
    async def viewer(self, info: Info) -> CivilServant | None:
        return await CivilServant.load(info, info.context.viewer.person_id)

    @strawberry.field(
        description="People within `depth` hops (1–3) and the relationships among them."
    )
    async def ego_network(
        self,
        info: Info,
        person: relay.GlobalID,
        depth: int = 1,
        kinds: list[NetworkRelationship] | None = None,
        limit: int = 100,
    ) -> EgoNetwork | None:
        chosen = frozenset(
            records.NetworkRelationship(k)
            for k in (kinds or [records.NetworkRelationship.CONNECTED_TO])
        )
        result = await network.ego_network(
            info.context, person_id(person), depth=depth, kinds=chosen, limit=limit
        )
        people = await CivilServant.load_map(info, [n.person_id for n in result.nodes])
        gid = {
            n.person_id: strawberry.ID(encode_id("CivilServant", n.person_id)) for n in result.nodes
        }
        return EgoNetwork(
            center=people[result.center_id],
            nodes=[
                EgoNetworkNode(
                    id=gid[n.person_id],
                    kind="CivilServant",
                    distance=n.distance,
                    civil_servant=people[n.person_id],
                )
                for n in result.nodes
                if n.person_id in people
            ],
            edges=[
                EgoNetworkEdge(kind=kind, source=gid[source], target=gid[target])
                for source, target, kind in result.edges
            ],
            truncated=result.truncated,
        )

    @strawberry.field(
        description="A shortest path over connections; null when none within maxHops (≤ 6)."
    )
    async def connection_path(
        self,
        info: Info,
        from_: Annotated[relay.GlobalID, strawberry.argument(name="from")],
        to: relay.GlobalID,
        max_hops: int = 6,
    ) -> Path | None:
        ids = await network.shortest_path(
            info.context,
            person_id(from_),
            person_id(to),
            rel=records.NetworkRelationship.CONNECTED_TO,
            max_hops=max_hops,
        )
        return await path_of(info, ids)

    @strawberry.field(
        description="A shortest chain of established mentorships from mentor down to mentee."
    )
    async def mentorship_path(
        self,
        info: Info,
        from_: Annotated[relay.GlobalID, strawberry.argument(name="from")],
        to: relay.GlobalID,
        max_hops: int = 6,
    ) -> Path | None:
        ids = await network.shortest_path(
            info.context,
            person_id(from_),
            person_id(to),
            rel=records.NetworkRelationship.MENTORS,
            max_hops=max_hops,
        )
        return await path_of(info, ids)

    @strawberry.field(
        description="Mentees of mentees (or mentors of mentors), by generation; safe on cycles."
    )
    async def mentorship_lineage(
        self,
        info: Info,
        person: relay.GlobalID,
        direction: LineageDirection = LineageDirection.DESCENDANTS,
        max_generations: int = 3,
    ) -> MentorshipLineage | None:
        lineage = await network.mentorship_lineage(
            info.context,
            person_id(person),
            direction=direction,
            max_generations=max_generations,
        )
        loaded = await asyncio.gather(
            *(CivilServant.load_many(info, ids) for ids in lineage.generations)
        )
        generations = [
            Generation(generation=number, count=len(people), people=people)
            for number, people in enumerate(loaded, start=1)
        ]
        return MentorshipLineage(
            direction=direction,
            generations=generations,
            total=sum(g.count for g in generations),
            truncated=lineage.truncated,
        )

    @strawberry.field(
        description="People within maxHops (≤ 3) connections, filtered; by distance, last name, id."
    )
    async def network_search(
        self,
        info: Info,
        person: relay.GlobalID,
        max_hops: int = 2,
        filter: NetworkSearchFilter | None = None,
        first: int = 20,
    ) -> list[NetworkSearchResult] | None:
        found = await network.network_search(
            info.context,
            person_id(person),
            max_hops=max_hops,
            filter=network_filter(filter),
            limit=first,
        )
        return [
            NetworkSearchResult(distance=d, civil_servant=CivilServant.from_domain(p))
            for p, d in found
        ]

    @strawberry.field(description="People two hops away to connect with, best first, with reasons.")
    async def recommended_connections(
        self, info: Info, person: relay.GlobalID, first: int = 10
    ) -> list[ConnectionRecommendation] | None:
        ranked = await recommendations.recommended_connections(
            info.context, person_id(person), first=first
        )

        # The reasons' records are read only when asked for (look-ahead), through the loaders.
        asked = info.selected_fields[0].selections
        wanted = {name: find_field(asked, name) is not None for name in REASON_FIELDS}

        async def load(kind: type[Any], ids: list[str], name: str) -> list[Any]:
            return await kind.load_many(info, ids) if wanted[name] else []

        async def build(r: records.RankedPerson) -> ConnectionRecommendation:
            who, mutual, areas, places, events = await asyncio.gather(
                _person(info, r.person_id),
                load(CivilServant, r.mutual_ids, "mutualConnections"),
                load(Expertise, r.shared_expertise_ids, "sharedExpertise"),
                load(Institution, r.shared_institution_ids, "sharedInstitutions"),
                load(Event, r.shared_event_ids, "sharedEvents"),
            )
            return ConnectionRecommendation(
                civil_servant=who,
                score=r.score,
                mutual_connection_count=len(r.mutual_ids),
                mutual_connections=mutual,
                shared_expertise=areas,
                shared_institutions=places,
                shared_events=events,
                cross_border=r.cross_border,
            )

        # Built concurrently so the loaders batch every recommendation's lookups together.
        return list(await asyncio.gather(*(build(r) for r in ranked)))

    @strawberry.field(
        description="Mentors for a person in an area (or a narrower one), best first."
    )
    async def recommended_mentors(
        self,
        info: Info,
        person: relay.GlobalID,
        expertise: relay.GlobalID,
        first: int = 10,
    ) -> list[MentorRecommendation] | None:
        ranked = await recommendations.recommended_mentors(
            info.context, person_id(person), decode_id(expertise, "Expertise"), first=first
        )
        people = await asyncio.gather(*(_person(info, r.person_id) for r in ranked))
        return [
            MentorRecommendation(
                civil_servant=who,
                level=r.level or 0,
                endorsements=r.endorsements,
                distance=r.distance if r.distance <= recommendations.CLOSENESS_HOPS else None,
            )
            for r, who in zip(ranked, people, strict=True)
        ]


async def _person(info: Info, id_: str) -> CivilServant:
    found = await CivilServant.load(info, id_)
    assert found is not None
    return found

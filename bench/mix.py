"""The query mix frontends send, (a)–(i), each as a GraphQL request and as the same direct store calls.

(a)–(g) are also asked of `@neo4j/graphql` and in the load tests; (h) network search and (i)
mentorship lineage, the other two network queries, are measured in process only.

Each case is the GraphQL text + variables a frontend would send, and an async function that makes
the store calls the resolvers need for the same answer (independent calls run concurrently, as the
DataLoaders run them). Subjects (who is asked about) depend on the data set: `Subjects` names them.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from graph_db.audit import system_change
from graph_db.paging import PageRequest, PersonOrderField, SortDirection
from graph_db.port import GraphStore
from graph_db.records import CivilServantUpdate, NetworkFilter, NetworkRelationship, PersonFilter
from resolvers.network import MAX_LINEAGE_PEOPLE, REACH_CAP
from schema.ids import encode_id

CONNECTED = frozenset({NetworkRelationship.CONNECTED_TO})
MENTORS = frozenset({NetworkRelationship.MENTORS})


@dataclass(frozen=True)
class Subjects:
    """Who the queries are about, per data set.

    Attributes:
        person: the signed-in member (profile, ego network, recommendations, mutation).
        path_to: the far end of the connection path from `person`.
        country: ISO code for the filtered page (b).
        name: substring for the name search (f).
        mentor: whose mentorship lineage (i) is asked for: someone with mentees' mentees.
    """

    person: str
    path_to: str
    country: str
    name: str
    mentor: str


LDBC_SUBJECTS = Subjects(person="933", path_to="367", country="CN", name="zhang", mentor="933")
"""LDBC SF0.1: 933 and 367 are IC13's pair at distance 4 (derived-sf0.1); China has most people.
LDBC has no mentorships, so (i) is an empty lineage there."""


@dataclass(frozen=True)
class Case:
    """One query of the mix: key (a)–(i), label, GraphQL request and equivalent direct store calls;
    `in_process_only` for (h) and (i), which have no `@neo4j/graphql` counterpart."""

    key: str
    label: str
    query: str
    variables: Callable[[], dict[str, Any]]
    direct: Callable[[], Awaitable[Any]]
    write: bool = False
    in_process_only: bool = False


PROFILE = """query($p:ID!,$n:Int!){civilServant(id:$p){id displayName position bio country{name}
 institution{name} connections(first:$n){edges{since node{id displayName
 institution{name} country{name} expertise{level expertise{name}}}}}}}"""
PAGE = """query($c:String!){civilServants(first:50,filter:{country:$c},orderBy:{field:NAME,direction:ASC})
 {totalCount edges{node{id displayName position}}}}"""
EGO = """query($p:ID!){egoNetwork(person:$p,depth:2,limit:500){truncated
 nodes{id distance civilServant{displayName}} edges{source target}}}"""
PATH = (
    "query($a:ID!,$b:ID!){connectionPath(from:$a,to:$b,maxHops:6){length people{id displayName}}}"
)
RECS = """query($p:ID!){recommendedConnections(person:$p,first:10){score mutualConnectionCount
 crossBorder civilServant{id displayName} sharedExpertise{name} sharedInstitutions{name}}}"""
SEARCH = """query($q:String!){civilServants(first:20,filter:{nameContains:$q},orderBy:{field:NAME,direction:ASC})
 {edges{node{id displayName}}}}"""
NETWORK_SEARCH = """query($p:ID!,$c:String!){networkSearch(person:$p,maxHops:2,filter:{country:$c},first:20)
 {distance civilServant{id displayName}}}"""
LINEAGE = """query($p:ID!){mentorshipLineage(person:$p,maxGenerations:3){total truncated
 generations{generation count people{id displayName}}}}"""
UPDATE = """mutation($p:ID!,$bio:String!){updateCivilServant(input:{id:$p,bio:$bio})
 {civilServant{id bio}}}"""


async def profile_direct(store: GraphStore, person: str, first: int = 20) -> Any:
    """(a) without GraphQL: the person, their first connections and each one's institution, country
    and expertise, in the one store call the profile's look-ahead makes (`neighbourhood`)."""
    return await store.neighbourhood(person, page=PageRequest(limit=first))


def cases(store: GraphStore, s: Subjects) -> list[Case]:
    """The mix (a)–(i) for one store and data set."""
    gid = encode_id("CivilServant", s.person)
    bios = (f"Bio revision {i}" for i in itertools.count())
    page = PageRequest(limit=50)

    async def listing() -> Any:
        f = PersonFilter(country_code=s.country)
        return await asyncio.gather(
            store.list_people(
                filter=f, order=PersonOrderField.NAME, direction=SortDirection.ASC, page=page
            ),
            store.count_people(filter=f),
        )

    async def ego() -> Any:
        return await store.ego_network(s.person, rels=CONNECTED, hops=2, limit=500, edge_limit=5000)

    async def path() -> Any:
        return await store.path_people(
            s.person, s.path_to, rel=NetworkRelationship.CONNECTED_TO, directed=False, max_hops=6
        )

    async def recommend() -> Any:
        found = await store.second_degree(s.person, limit=500)
        top = found[:10]
        return await asyncio.gather(
            store.get_people([f.person_id for f in top]),
            store.get_expertise(sorted({a for f in top for a in f.shared_expertise_ids})),
            store.get_institutions(sorted({i for f in top for i in f.shared_institution_ids})),
        )

    async def search() -> Any:
        return await store.list_people(
            filter=PersonFilter(name_contains=s.name),
            order=PersonOrderField.NAME,
            direction=SortDirection.ASC,
            page=PageRequest(limit=20),
        )

    async def network_search() -> Any:
        return await store.reachable_passing(
            s.person,
            hops=2,
            filter=NetworkFilter(country_code=s.country),
            limit=REACH_CAP,
            first=20,
        )

    async def lineage() -> Any:
        read = await store.reachable_people(
            s.mentor, rels=MENTORS, direction="out", hops=3, limit=MAX_LINEAGE_PEOPLE + 1
        )
        return read.people[:MAX_LINEAGE_PEOPLE]

    async def update() -> Any:
        return await store.update_civil_servant(
            s.person, CivilServantUpdate(bio=next(bios)), change=system_change()
        )

    return [
        Case(
            "a",
            "profile + 20 connections",
            PROFILE,
            lambda: {"p": gid, "n": 20},
            lambda: profile_direct(store, s.person),
        ),
        Case("b", "filtered page of 50 + totalCount", PAGE, lambda: {"c": s.country}, listing),
        Case("c", "ego network depth 2 (≤500)", EGO, lambda: {"p": gid}, ego),
        Case(
            "d",
            "connection path",
            PATH,
            lambda: {"a": gid, "b": encode_id("CivilServant", s.path_to)},
            path,
        ),
        Case("e", "10 recommended connections", RECS, lambda: {"p": gid}, recommend),
        Case("f", "name search", SEARCH, lambda: {"q": s.name}, search),
        Case(
            "g",
            "profile mutation",
            UPDATE,
            lambda: {"p": gid, "bio": next(bios)},
            update,
            write=True,
        ),
        Case(
            "h",
            "network search, 2 hops, by country",
            NETWORK_SEARCH,
            lambda: {"p": gid, "c": s.country},
            network_search,
            in_process_only=True,
        ),
        Case(
            "i",
            "mentorship lineage, 3 generations",
            LINEAGE,
            lambda: {"p": encode_id("CivilServant", s.mentor)},
            lineage,
            in_process_only=True,
        ),
    ]


def requests(s: Subjects) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(key, label, GraphQL text, variables) of (a)–(g), for a client in another process."""
    return [
        (c.key, c.label, c.query, c.variables())
        for c in cases(None, s)  # type: ignore[arg-type]
        if not c.in_process_only
    ]


# The same questions asked of the Neo4j GraphQL Library's generated API (bench/neo4j_graphql):
# its filter, sort and relationship-connection syntax, and @cypher fields for the network queries.
# (a) leaves out each connection's `since`: the library formats DateTime properties with APOC,
# which Neo4j Community does not ship.
THEIRS: dict[str, str] = {
    "a": """query($p:ID!,$n:Int!){civilServants(where:{id:{eq:$p}}){id displayName position bio
 country{name} institution{name} connectionsConnection(first:$n,sort:[{edge:{since:DESC}}]){edges{
 node{id displayName institution{name} country{name}
 expertiseConnection{edges{properties{level} node{name}}}}}}}}""",
    "b": """query($c:String!){civilServantsConnection(first:50,where:{countryCode:{eq:$c}},
 sort:[{sortName:ASC}]){totalCount edges{node{id displayName position}}}}""",
    "c": """query($p:ID!){egoNetwork(person:$p){truncated nodes{id distance displayName}
 edges{source target}}}""",
    "d": "query($a:ID!,$b:ID!){connectionPath(from:$a,to:$b){id displayName}}",
    "e": """query($p:ID!){recommendedConnections(person:$p,first:10){score mutualConnectionCount
 crossBorder id displayName sharedExpertise sharedInstitutions}}""",
    "f": """query($q:String!){civilServants(where:{searchText:{contains:$q}},limit:20,
 sort:[{sortName:ASC}]){id displayName}}""",
    "g": """mutation($p:ID!,$bio:String!){updateCivilServants(where:{id:{eq:$p}},
 update:{bio:{set:$bio}}){civilServants{id bio}}}""",
}


VARIED: dict[str, str] = {"g": "bio"}
"""Per query key, the variable a load generator makes new for every request (`bench/loadtest.py`),
for ours and for `@neo4j/graphql` alike: (g) then changes the profile each time, as an edit does.
Sent unchanged, a repeated bio is a write that changes nothing: Neo4j commits it with nothing to
log (0.45 ms of its CPU where a real edit costs 2.1–2.8 ms, measured on the 100k graph), which
measures an edit nobody makes."""


def their_requests(s: Subjects) -> list[tuple[str, str, str, dict[str, Any]]]:
    """The mix for `@neo4j/graphql`: plain ids (it has no Relay global ids), same subjects."""
    plain = {
        "a": {"p": s.person, "n": 20},
        "b": {"c": s.country},
        "c": {"p": s.person},
        "d": {"a": s.person, "b": s.path_to},
        "e": {"p": s.person},
        "f": {"q": s.name},
        "g": {"p": s.person, "bio": "Bio under load"},
    }
    return [(key, label, THEIRS[key], plain[key]) for key, label, _, _ in requests(s)]

"""Cypher for connections, endorsements, mentorships and traversals on Neo4j 5.26.

The Neo4j counterpart of the networking part of `graph_db/embedded/queries.py`: same rows, same
order. Every statement takes `$parameters`; relationship types, directions and hop caps are
written into a query only from the fixed allow-lists below (`RELATIONSHIP_TYPES`, `ARROWS`,
`MAX_TRAVERSAL_HOPS`), never from input.

Writes that check before they create lock the people involved first with `SET n.id = n.id` (the
kernel takes a node's exclusive lock on any property write, even one that changes nothing), one
person per statement in sorted id order so that two transactions never wait on each other in a
cycle. The lock is held to the end of the transaction, so the check and the create are atomic
with respect to every other networking write between the same people.
"""

from __future__ import annotations

from functools import cache
from typing import Final

# ---- locks ----
LOCK_PERSON_ID: Final = "MATCH (n:CivilServant {id: $id}) SET n.id = n.id RETURN n.id"
"""Take one person's write lock for the rest of the transaction; no row if unknown."""
LOCK_MENTORSHIP: Final = (
    "MATCH (:CivilServant)-[m:MENTORS {id: $id}]->(:CivilServant) SET m.id = m.id"
)
"""Take a mentorship's write lock, so that concurrent status changes serialise."""
EXPERTISE_EXISTS: Final = "MATCH (e:Expertise {id: $id}) RETURN e.id"

# ---- connections ----
CONNECTED: Final = (
    "MATCH (a:CivilServant {id: $a})-[k:CONNECTED_TO]-(b:CivilServant {id: $b})"
    " RETURN k.since LIMIT 1"
)
REQUEST_BETWEEN: Final = (
    "MATCH (a:CivilServant {id: $from})-[r:CONNECTION_REQUEST]->(b:CivilServant {id: $to})"
    " RETURN r.at, r.message LIMIT 1"
)
CREATE_REQUEST: Final = (
    "MATCH (a:CivilServant {id: $from}), (b:CivilServant {id: $to})"
    " CREATE (a)-[:CONNECTION_REQUEST {at: $at, message: $message}]->(b)"
)
DELETE_REQUEST: Final = (
    "MATCH (a:CivilServant {id: $from})-[r:CONNECTION_REQUEST]->(b:CivilServant {id: $to})"
    " DELETE r RETURN count(*)"
)
CREATE_CONNECTION: Final = (
    "MATCH (a:CivilServant {id: $a}), (b:CivilServant {id: $b})"
    " CREATE (a)-[:CONNECTED_TO {since: $since}]->(b)"
)
# Stored once per pair in either direction; the undirected pattern finds it either way.
DELETE_CONNECTION: Final = (
    "MATCH (a:CivilServant {id: $a})-[k:CONNECTED_TO]-(b:CivilServant {id: $b})"
    " DELETE k RETURN count(*)"
)
REQUESTS_TO: Final = (
    "UNWIND $ids AS key"
    " MATCH (a:CivilServant)-[r:CONNECTION_REQUEST]->(b:CivilServant {id: key})"
    " RETURN key, a.id, b.id, r.at, r.message ORDER BY r.at DESC, a.id"
)
REQUESTS_FROM: Final = (
    "UNWIND $ids AS key"
    " MATCH (a:CivilServant {id: key})-[r:CONNECTION_REQUEST]->(b:CivilServant)"
    " RETURN key, a.id, b.id, r.at, r.message ORDER BY r.at DESC, b.id"
)

# ---- endorsements ----
HOLDS_EXPERTISE: Final = (
    "MATCH (p:CivilServant {id: $personId})-[h:HAS_EXPERTISE]->(e:Expertise {id: $expertiseId})"
    " RETURN h.level"
)
ENDORSEMENT: Final = (
    "MATCH (a:CivilServant {id: $endorser})-[e:ENDORSED]->(b:CivilServant {id: $endorsee})"
    " WHERE e.expertiseId = $expertiseId RETURN e.at LIMIT 1"
)
CREATE_ENDORSEMENT: Final = (
    "MATCH (a:CivilServant {id: $endorser}), (b:CivilServant {id: $endorsee})"
    " CREATE (a)-[:ENDORSED {expertiseId: $expertiseId, at: $at}]->(b)"
)
DELETE_ENDORSEMENT: Final = (
    "MATCH (a:CivilServant {id: $endorser})-[e:ENDORSED]->(b:CivilServant {id: $endorsee})"
    " WHERE e.expertiseId = $expertiseId DELETE e RETURN count(*)"
)
ENDORSEMENTS_OF: Final = (
    "UNWIND $ids AS key MATCH (a:CivilServant)-[e:ENDORSED]->(b:CivilServant {id: key})"
    " RETURN key, a.id, e.expertiseId, e.at ORDER BY e.expertiseId, e.at DESC, a.id"
)

# ---- mentorships ----
_MENTORSHIP_COLUMNS: Final = (
    "m.id, a.id, b.id, m.expertiseId, m.goal, m.status, m.requestedAt, m.since, m.until"
)
MENTORSHIP_BY_ID: Final = (
    "MATCH (a:CivilServant)-[m:MENTORS {id: $id}]->(b:CivilServant)"
    f" RETURN {_MENTORSHIP_COLUMNS} LIMIT 1"
)
MENTORSHIPS_BY_IDS: Final = (
    "UNWIND $ids AS key MATCH (a:CivilServant)-[m:MENTORS {id: key}]->(b:CivilServant)"
    f" RETURN {_MENTORSHIP_COLUMNS}"
)
OPEN_MENTORSHIP: Final = (
    "MATCH (a:CivilServant {id: $mentorId})-[m:MENTORS]->(b:CivilServant {id: $menteeId})"
    " WHERE m.expertiseId = $expertiseId AND m.status IN ['REQUESTED', 'ACTIVE']"
    f" RETURN {_MENTORSHIP_COLUMNS} LIMIT 1"
)
CREATE_MENTORSHIP: Final = (
    "MATCH (a:CivilServant {id: $mentorId}), (b:CivilServant {id: $menteeId})"
    " CREATE (a)-[:MENTORS {id: $id, expertiseId: $expertiseId, goal: $goal, status: $status,"
    " requestedAt: $requestedAt, since: $since, until: $until}]->(b)"
)
SET_MENTORSHIP_STATUS: Final = (
    "MATCH (:CivilServant)-[m:MENTORS {id: $id}]->(:CivilServant)"
    " SET m.status = $status, m.since = $since, m.until = $until"
)
MENTORSHIPS_AS_MENTOR: Final = (
    "UNWIND $ids AS key MATCH (a:CivilServant {id: key})-[m:MENTORS]->(b:CivilServant)"
    f" RETURN key, {_MENTORSHIP_COLUMNS} ORDER BY m.requestedAt DESC, m.id"
)
MENTORSHIPS_AS_MENTEE: Final = (
    "UNWIND $ids AS key MATCH (a:CivilServant)-[m:MENTORS]->(b:CivilServant {id: key})"
    f" RETURN key, {_MENTORSHIP_COLUMNS} ORDER BY m.requestedAt DESC, m.id"
)

# ---- traversals (every one with a hop cap and a row cap) ----
MAX_TRAVERSAL_HOPS: Final = 6
RELATIONSHIP_TYPES: Final = frozenset({"CONNECTED_TO", "MENTORS", "ENDORSED"})
ARROWS: Final = {"both": ("-", "-"), "out": ("-", "->"), "in": ("<-", "-")}
# Only established mentorships (ACTIVE or COMPLETED) are edges of the network; requests are not.
ESTABLISHED_STATUSES: Final = "['ACTIVE', 'COMPLETED']"


def _types(rels: frozenset[str]) -> str:
    if not rels or not rels <= RELATIONSHIP_TYPES:
        raise ValueError(f"relationship types must be a non-empty subset of {RELATIONSHIP_TYPES}")
    return "|".join(sorted(rels))


@cache
def reachable_step(rels: frozenset[str], direction: str) -> str:
    """One breadth-first step: the ids of the people one hop from any id in `$frontier` (one list).

    A variable-length pattern with `min(length(p))` enumerates every path (exponential on a
    graph whose degree reaches 340), and so does `ANY SHORTEST` to every target (minutes for
    6 hops on LDBC SF0.1); stepping hop by hop with a visited set (in the caller) keeps each step
    linear in the edges of the frontier and gives exact minimal distances. Distinct nodes cost
    less than distinct strings, and one list row comes back several times faster over the async
    driver than a thousand rows.
    """
    left, right = ARROWS[direction]
    established = (
        f" WHERE type(r) <> 'MENTORS' OR r.status IN {ESTABLISHED_STATUSES}"
        if "MENTORS" in rels
        else ""
    )
    return (
        f"UNWIND $frontier AS key MATCH (n:CivilServant {{id: key}}){left}[r:{_types(rels)}]{right}"
        f"(m:CivilServant){established} WITH DISTINCT m RETURN collect(m.id)"
    )


@cache
def shortest_path(rel: str, direction: str, hops: int) -> str:
    """One shortest path from `$from` to `$to` over `rel`, at most `hops` long, as its ids.

    Mentorship paths follow established mentorships only; `shortestPath` checks the
    `all(... relationships(p) ...)` predicate during its breadth-first search.
    """
    if not 1 <= hops <= MAX_TRAVERSAL_HOPS:
        raise ValueError(f"hops must be 1..{MAX_TRAVERSAL_HOPS}")
    left, right = ARROWS[direction]
    established = (
        f" WHERE all(r IN relationships(p) WHERE r.status IN {ESTABLISHED_STATUSES})"
        if rel == "MENTORS"
        else ""
    )
    return (
        "MATCH (a:CivilServant {id: $from}), (b:CivilServant {id: $to})"
        f" MATCH p = shortestPath((a){left}[:{_types(frozenset({rel}))}*1..{hops}]{right}(b))"
        f"{established} RETURN [n IN nodes(p) | n.id] LIMIT 1"
    )


EDGES_AMONG: Final[dict[str, str]] = {
    rel: "UNWIND $ids AS key"
    f" MATCH (a:CivilServant {{id: key}})-[r:{rel}]->(b:CivilServant) WHERE b.id IN $ids{extra}"
    " RETURN DISTINCT a.id, b.id ORDER BY a.id, b.id LIMIT $limit"
    for rel, extra in (
        ("CONNECTED_TO", ""),
        ("MENTORS", f" AND r.status IN {ESTABLISHED_STATUSES}"),
        ("ENDORSED", ""),
    )
}

# Network search: filters on the people reached (keys are parameter names).
NETWORK_FILTERS: Final[dict[str, str]] = {
    "givenName": "toLower(n.givenName) = toLower($givenName)",
    "country": "n.countryCode = $country",
    "institution": "EXISTS { MATCH (n)-[:WORKS_AT]->(i:Institution) WHERE i.id = $institution }",
    "areas": "EXISTS { MATCH (n)-[:HAS_EXPERTISE]->(e:Expertise) WHERE e.id IN $areas }",
    "worksIn": "EXISTS { MATCH (n)-[w:WORKS_AT]->(i:Institution) WHERE i.countryCode = $worksIn"
    " AND w.since < $worksBefore }",
}


@cache
def filter_people(active: frozenset[str]) -> str:
    """Which of `$ids` pass the network filters named in `active` (keys of `NETWORK_FILTERS`)."""
    where = " AND ".join(NETWORK_FILTERS[name] for name in sorted(active)) or "true"
    return f"UNWIND $ids AS key MATCH (n:CivilServant {{id: key}}) WHERE {where} RETURN n.id"


# ---- recommendation facts ----
PERSON_COUNTRY: Final = "MATCH (n:CivilServant {id: $id}) RETURN n.countryCode"
# Mutual connections are collected before the exclusions, so each candidate is checked once
# rather than once per mutual connection. The ordered rows come back as one list of
# `[id, countryCode, mutual ids]` (several times faster over the async driver than many rows).
SECOND_DEGREE: Final = (
    "MATCH (a:CivilServant {id: $id})-[:CONNECTED_TO]-(m:CivilServant)"
    "-[:CONNECTED_TO]-(c:CivilServant) WHERE c.id <> $id"
    " WITH a, c, collect(DISTINCT m.id) AS mutual"
    " WHERE NOT EXISTS { MATCH (a)-[:CONNECTED_TO]-(c) }"
    " AND NOT EXISTS { MATCH (a)-[:CONNECTION_REQUEST]-(c) }"
    " WITH c, mutual ORDER BY size(mutual) DESC, c.id LIMIT $limit"
    " RETURN collect([c.id, c.countryCode, mutual])"
)
SHARED_EXPERTISE: Final = (
    "MATCH (a:CivilServant {id: $id})-[:HAS_EXPERTISE]->(e:Expertise)"
    "<-[:HAS_EXPERTISE]-(c:CivilServant)"
    " WHERE c.id IN $ids RETURN c.id, collect(e.id)"
)
SHARED_INSTITUTIONS: Final = (
    "MATCH (a:CivilServant {id: $id})-[:WORKS_AT|STUDIED_AT]->(i:Institution)"
    "<-[:WORKS_AT|STUDIED_AT]-(c:CivilServant)"
    " WHERE c.id IN $ids RETURN c.id, collect(DISTINCT i.id)"
)
SHARED_EVENTS: Final = (
    "MATCH (a:CivilServant {id: $id})-[:PARTICIPATED_IN]->(v:Event)"
    "<-[:PARTICIPATED_IN]-(c:CivilServant)"
    " WHERE c.id IN $ids RETURN c.id, collect(v.id)"
)
LEVEL_IN: Final = (
    "MATCH (p:CivilServant {id: $id})-[h:HAS_EXPERTISE]->(e:Expertise) WHERE e.id IN $areas"
    " RETURN max(h.level)"
)
MENTOR_CANDIDATES: Final = (
    "MATCH (e:Expertise) WHERE e.id IN $areas"
    " MATCH (c:CivilServant)-[h:HAS_EXPERTISE]->(e) WHERE c.id <> $id AND h.level > $minLevel"
    " AND NOT EXISTS { MATCH (c)-[m:MENTORS]->(me:CivilServant {id: $id})"
    " WHERE m.status = 'ACTIVE' }"
    " WITH c, max(h.level) AS level"
    " OPTIONAL MATCH (:CivilServant)-[en:ENDORSED]->(c) WHERE en.expertiseId IN $areas"
    " RETURN c.id, level, count(en) AS endorsements"
    " ORDER BY level DESC, endorsements DESC, c.id LIMIT $limit"
)
AREA_AND_NARROWER: Final = (
    "MATCH (x:Expertise {id: $id}) OPTIONAL MATCH (e:Expertise)-[:BROADER*1..10]->(x)"
    " RETURN x.id, collect(e.id)"
)

"""What Neo4j's Cypher differs in from LadybugDB's; everything else is `graph_db.core.cypher`.

- Mentorships by a list of ids: a relationship-property index serves `{id: key}` here.
- Traversals: Neo4j has no all-targets `* SHORTEST` selector, so the ego network walks
  breadth-first, one statement per hop (`reachable_step`); point-to-point paths use
  `shortestPath` (a bidirectional search).
- Bulk loads: `UNWIND $rows … CREATE … SET n = r` in chunks (no COPY from DataFrames).
- Locks: the kernel takes a node's (or relationship's) exclusive lock on any property write, even
  one that changes nothing, so `SET n.id = n.id` locks it for the rest of the transaction.
- Temporal values bucket by month with their accessors; runs are written in chunks and become
  `AnalyticsRun`s only when complete.
- Ranked search: the FULLTEXT index (Lucene) scores; the store keeps no postings of its own.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Final

from graph_db.core import cypher as C
from graph_db.core.search import lucene_query
from graph_db.keyset import WALKS
from graph_db.records import SearchQuery

# Mentorships by a list of ids: one relationship-index seek per key.

"""A profile and its first connections in one statement (one round trip in place of about ten)."""
MENTORSHIPS_BY_IDS: Final = (
    "UNWIND $ids AS key MATCH (a:CivilServant)-[m:MENTORS {id: key}]->(b:CivilServant)"
    f" RETURN {C.MENTORSHIP_COLUMNS}"
)
# `id()` is deprecated in Neo4j 5 (a notification per query); `elementId()` is its successor.
NODE_KEY: Final = "elementId({var})"
# One list row comes back several times faster over the async driver than many rows.
SECOND_DEGREE = None
SECOND_DEGREE_WITH_TIES: Final = (
    "MATCH (a:CivilServant {id: $id})"
    " OPTIONAL MATCH (a)-[:HAS_EXPERTISE]->(x:Expertise) WITH a, collect(DISTINCT x.id) AS areas"
    " OPTIONAL MATCH (a)-[:WORKS_AT|STUDIED_AT]->(i:Institution)"
    " WITH a, areas, collect(DISTINCT i.id) AS places"
    " OPTIONAL MATCH (a)-[:PARTICIPATED_IN]->(v:Event)"
    " WITH a, areas, places, collect(DISTINCT v.id) AS events"
    " CALL (a) {"
    + C.second_degree_candidates("(a)", excluded_by_list=True)
    + " RETURN collect([c, mutual]) AS found }"
    " CALL (a, found, areas, places, events) { UNWIND found AS f WITH a, f[0] AS c, f[1] AS mutual"
    " WITH c, mutual,"
    " COLLECT { MATCH (c)-[:HAS_EXPERTISE]->(x:Expertise) WHERE x.id IN areas"
    " RETURN DISTINCT x.id } AS sharedAreas,"
    " COLLECT { MATCH (c)-[:WORKS_AT|STUDIED_AT]->(x:Institution) WHERE x.id IN places"
    " RETURN DISTINCT x.id } AS sharedPlaces,"
    " COLLECT { MATCH (c)-[:PARTICIPATED_IN]->(x:Event) WHERE x.id IN events"
    " RETURN DISTINCT x.id } AS sharedEvents,"
    " coalesce(a.countryCode <> c.countryCode, false) AS crossBorder"
    f" WITH c, mutual, sharedAreas, sharedPlaces, sharedEvents, crossBorder, {C.CONNECTION_SCORE}"
    " AS score ORDER BY score DESC"
    " WITH collect([c.id, crossBorder, mutual, sharedAreas, sharedPlaces, sharedEvents, score])"
    " AS ranked"
    " WITH ranked, CASE WHEN size(ranked) >= $best THEN ranked[$best - 1][6] END AS least"
    " RETURN [r IN ranked WHERE least IS NULL OR r[6] >= least] AS candidates }"
    " RETURN candidates"
)
"""One round trip where the person's ties, the candidates and each kind of shared tie took
four (`Dialect.SECOND_DEGREE_WITH_TIES`), scored in Cypher (`cypher.CONNECTION_SCORE`); with
`$best` only the rows scoring at least the `$best`-th best come back (10 of 500 for (e))."""
HASHES_ID_LISTS: Final = (
    True  # a hashed IN list: 5,000 edges among 500 people come back, not 50k element ids
)
# Planned as a subquery per person, the expertise filter expanded the area's subtree once per
# person (15 s a page for the LDBC root class); from the areas to their holders takes milliseconds.
AREAS_FIRST: Final = True
# Sorting a search's 4,917 matches (100k generated) by name and id read each one's id: 5.9 ms of
# Neo4j's CPU a request under 16 clients; by name alone, then the 227 tied on the page's last name
# by seek: 4.3-4.9 ms.
TIES_BY_SEEK: Final = True
MERGE_NODES: Final = {label: C.merge_nodes(label, {}) for label in C.REFERENCE_PROPERTIES}
# Temporal values have accessors.
MONTH_BUCKET: Final = "{field}.year, {field}.month"
PATHS_MEET_IN_THE_MIDDLE: Final = False  # `shortestPath` is a bidirectional search already
reachable = None
"""Neo4j has no all-targets `* SHORTEST` selector: the core walks with `reachable_step`."""

LOCK_NODE: Final = {
    label: f"MATCH (n:{label} {{id: $id}}) SET n.id = n.id RETURN n.id" for label in C.NODE_LABELS
}
LOCK_AND_READ_PERSON: Final = "MATCH (n:CivilServant {id: $id}) SET n.id = n.id RETURN n"
LOCK_MENTORSHIP: Final = (
    "MATCH (:CivilServant)-[m:MENTORS {id: $id}]->(:CivilServant) SET m.id = m.id"
)


@cache
def reachable_step(rels: frozenset[str], direction: str, where: str = "") -> str:
    """One breadth-first step: the ids of the people one hop from any id in `$frontier` (one list);
    with `where` (a condition on `n`, the person reached: `cypher.network_filter`), a second
    list: the `PERSON_PROJECTION` of those reached who satisfy it.

    A variable-length pattern with `min(length(p))` enumerates every path (exponential on a graph
    whose degree reaches 340), and so does `ANY SHORTEST` to every target (minutes for 6 hops on
    LDBC SF0.1); stepping hop by hop with a visited set (in the caller) keeps each step linear in
    the edges of the frontier and gives exact minimal distances.
    """
    left, right = C.ARROWS[direction]
    established = (
        f" WHERE type(r) <> 'MENTORS' OR r.status IN {C.ESTABLISHED_STATUSES}"
        if "MENTORS" in rels
        else ""
    )
    step = (
        f"UNWIND $frontier AS key MATCH (f:CivilServant {{id: key}}){left}[r:{C.rel_types(rels)}]"
        f"{right}(n:CivilServant){established} WITH DISTINCT n RETURN collect(n.id)"
    )
    if not where:
        return step
    return f"{step}, collect(CASE WHEN {where} THEN {PERSON_PROJECTION.format(var='n')} END)"


MICROS: Final = "{value}.epochSeconds * 1000000 + {value}.microsecond"
"""A `DateTime` as integer microseconds since 1970 (`properties.instant` reads it back)."""
PERSON_PROJECTION: Final = (
    "{var} {{.id, "
    + "".join(
        f".{name}, "
        for name in C.PERSON_PROPERTIES
        if name not in ("sortName", "searchText", "joinedAt")  # derived; converted below
    )
    + f"joinedAt: {MICROS.format(value='{var}.joinedAt')}}}}}"
)
"""A person's record properties as a map, `joinedAt` as integer microseconds since 1970: the
driver decodes a `DateTime` in pure Python (about 70 µs; 35 ms of client CPU for an ego
network's 500 people, against 7 ms for the whole map this way). Derived properties (`sortName`,
`searchText`, `searchExpertise`) are left behind."""

PLAIN_PEOPLE: Final = True
GET_PEOPLE: Final = (
    "UNWIND $ids AS key MATCH (n:CivilServant {id: key})"
    f" RETURN {PERSON_PROJECTION.format(var='n')}"
)
"""People by id as `PERSON_PROJECTION`s: 50 people cost the driver 3.9 ms of CPU against 6.9 ms
as whole nodes (their `joinedAt` decoding); Neo4j's own CPU is about the same."""
NEIGHBOURHOOD: Final = {
    backward: C.neighbourhood(backward, PERSON_PROJECTION, MICROS) for backward in WALKS
}


@cache
def ego_network(rels: frozenset[str], hops: int) -> str:
    """An ego network in one statement (one round trip where the breadth-first walk, the edges
    and the profiles took five): one row `[[id, distance]], [person map], [[rel, id, [id]]]`.

    Breadth-first from `$id` over `rels` in both directions (established mentorships only), a
    level at a time with the people already seen left out, so distances are minimal; no level
    is expanded once `$limit` people are reached (as `Reads.reachable` stops). The people
    reached are kept by distance then id, `$limit` of them (the centre not counted); the
    profiles (`PERSON_PROJECTION`) are the centre's and those of the first `$limit - 1`, and the
    edges are, per kind, each of those people's outgoing relationships to the others (the core
    sorts and caps them as `Reads.edges_among` does).
    """
    left, right = C.ARROWS["both"]
    established = (
        " AND (type(r) <> 'MENTORS' OR r.status IN " + C.ESTABLISHED_STATUSES + ")"
        if "MENTORS" in rels
        else ""
    )
    levels = "".join(
        f" CALL (seen, frontier, found) {{"
        f" UNWIND CASE WHEN size(found) >= $limit THEN [] ELSE frontier END AS x"
        f" MATCH (x){left}[r:{C.rel_types(rels)}]{right}(y:CivilServant)"
        f" WHERE NOT y IN seen{established} RETURN collect(DISTINCT y) AS next }}"
        f" WITH c, seen + next AS seen, next AS frontier,"
        f" found + [y IN next | [y.id, {distance}, y]] AS found"
        for distance in range(1, hops + 1)
    )
    edges = "".join(
        f" CALL (people) {{ UNWIND people AS a"
        f" MATCH (a)-[r:{rel}]->(b:CivilServant){C.REL_FILTERS[rel]}"
        f"{' AND' if C.REL_FILTERS[rel] else ' WHERE'} b IN people"
        f" WITH a, collect(b.id) AS out RETURN collect(['{rel}', a.id, out]) AS out_{rel} }}"
        for rel in sorted(rels)
    )
    return (
        "MATCH (c:CivilServant {id: $id}) WITH c, [c] AS seen, [c] AS frontier, [] AS found"
        f"{levels}"
        " CALL (found) { UNWIND found AS f WITH f ORDER BY f[1], f[0] LIMIT $limit"
        " RETURN collect(f) AS reached }"
        " WITH reached, [c] + [f IN reached[0..$limit - 1] | f[2]] AS people"
        f"{edges}"
        " RETURN [f IN reached | [f[0], f[1]]],"
        f" [p IN people | {PERSON_PROJECTION.format(var='p')}],"
        f" {' + '.join(f'out_{rel}' for rel in sorted(rels))}"
    )


@cache
def shortest_path(rel: str, direction: str, hops: int) -> str:
    """One shortest path from `$from` to `$to` over `rel`, at most `hops` long, as its ids.

    Mentorship paths follow established mentorships only; `shortestPath` checks the
    `all(… relationships(p) …)` predicate during its search.
    """
    left, right = C.ARROWS[direction]
    established = (
        f" WHERE all(r IN relationships(p) WHERE r.status IN {C.ESTABLISHED_STATUSES})"
        if rel == "MENTORS"
        else ""
    )
    return (
        "MATCH (a:CivilServant {id: $from}), (b:CivilServant {id: $to})"
        f" MATCH p = shortestPath((a){left}[:{C.rel_types(frozenset({rel}))}*1..{hops}]{right}(b))"
        f"{established} RETURN [n IN nodes(p) | n.id] LIMIT 1"
    )


@cache
def path_people(rel: str, direction: str, hops: int) -> str:
    """`shortest_path` answering with the people along the path (`PERSON_PROJECTION`s, in
    order) in place of their ids: the resolver's read of the people after the path saved."""
    head = shortest_path(rel, direction, hops).rsplit(" RETURN ", 1)[0]
    return f"{head} RETURN [n IN nodes(p) | {PERSON_PROJECTION.format(var='n')}] LIMIT 1"


def _from_micros(value: str) -> str:
    """A Cypher DateTime (UTC) from integer microseconds since 1970 (null stays null).

    Whole seconds (floored) and the nanoseconds left: a `duration` of the microseconds added to
    1970 overflowed, in nanoseconds, for times before 1678 or after 2261 and gave a wrong date.
    """
    micros = f"(({value} % 1000000) + 1000000) % 1000000"  # 0..999,999, below zero too
    return (
        f"CASE WHEN {value} IS NULL THEN null"
        f" ELSE datetime({{epochSeconds: ({value} - {micros}) / 1000000,"
        f" nanosecond: {micros} * 1000}}) END"
    )


@cache
def create_nodes(label: str, timestamps: tuple[str, ...] = ()) -> str:
    """Bulk-create `label` nodes from `$rows` (label from `graph_db.core.bulk`).

    The properties named in `timestamps` arrive as integer microseconds since 1970 and are made
    DateTimes here: the Python driver turns a `datetime` into a Bolt DateTime in ~60 µs, fifty
    times the cost of the rest of a row (a minute of client time for 1M connections).
    """
    converted = "".join(f", n.{name} = {_from_micros('r.' + name)}" for name in timestamps)
    return f"UNWIND $rows AS r CREATE (n:{label}) SET n = r{converted}"


@cache
def create_edges(rel: str, properties: tuple[str, ...], timestamps: tuple[str, ...] = ()) -> str:
    """Bulk-create `rel` relationships from parallel lists `$from`, `$to` and one per name of
    `properties` (those in `timestamps` as integer microseconds, see `create_nodes`).

    Lists, not a list of row maps: Neo4j spent 16 % less CPU per relationship (5.4 s against
    6.4 s for 200k connections on 2 cores, `bench load` data), the driver a third as much."""
    a, b = C.EDGE_ENDS[rel]
    props = ", ".join(
        f"{name}: {_from_micros(f'${name}[i]') if name in timestamps else f'${name}[i]'}"
        for name in properties
    )
    return (
        f"UNWIND range(0, size($from) - 1) AS i MATCH (a:{a} {{id: $from[i]}})"
        f" MATCH (b:{b} {{id: $to[i]}}) CREATE (a)-[:{rel} {{{props}}}]->(b) RETURN count(*)"
    )


# ---- analytics runs ----
CREATE_PENDING_RUN: Final = "CREATE (:PendingAnalyticsRun {id: $id, createdAt: datetime()})"
DELETE_ABANDONED_RUNS: Final = (
    "MATCH (r:PendingAnalyticsRun) WHERE r.createdAt < datetime() - duration('PT6H')"
    " DETACH DELETE r"
)
"""Runs still pending after six hours were abandoned (the process died while writing scores)."""
FINISH_RUN: Final = (
    "MATCH (r:PendingAnalyticsRun {id: $id}) REMOVE r:PendingAnalyticsRun SET r:AnalyticsRun,"
    " r.startedAt = $startedAt, r.durationS = $durationS, r.parameters = $parameters,"
    " r.nodes = $nodes, r.edges = $edges, r.communities = $communities,"
    " r.modularity = $modularity, r.communitySizes = $communitySizes"
)
SAVE_SCORES: Final = (
    "MATCH (r:PendingAnalyticsRun {id: $run}) UNWIND $rows AS row MATCH (p:CivilServant {id: row.id})"
    " CREATE (r)-[:SCORED {degree: row.degree, pagerank: row.pagerank,"
    " betweenness: row.betweenness, community: row.community}]->(p)"
)

# The migration lock (only Neo4j is opened by several processes at once; the embedded store has a
# file lock). A `Migration` node, so the bootstrap constraint on `Migration.id` makes concurrent
# MERGEs meet on one node; `SET l.id = l.id` takes its write lock before the owner is read, so two
# processes that both see an expired lease cannot both take it. Times are the server's clock, one
# clock for every process.
MIGRATION_LOCK_ID: Final = "lock:migrations"
TAKE_MIGRATION_LOCK: Final = (
    "MERGE (l:Migration {id: $id}) SET l.id = l.id"
    " WITH l, (l.owner IS NULL OR l.owner = $owner OR l.expiresAt < datetime()) AS free"
    " SET l.owner = CASE WHEN free THEN $owner ELSE l.owner END,"
    " l.expiresAt = CASE WHEN free THEN datetime() + duration({seconds: $lease})"
    " ELSE l.expiresAt END"
    " RETURN free, l.owner"
)
RENEW_MIGRATION_LOCK: Final = (
    "MATCH (l:Migration {id: $id}) WHERE l.owner = $owner"
    " SET l.expiresAt = datetime() + duration({seconds: $lease}) RETURN l.id"
)
RELEASE_MIGRATION_LOCK: Final = "MATCH (l:Migration {id: $id}) WHERE l.owner = $owner DELETE l"

# ---- ranked search: Neo4j's FULLTEXT index `search_documents` (migration 0011), a Lucene
# query with BM25 (`graph_db.core.search`) ----
SEARCH_HITS: Final = (
    "CALL db.index.fulltext.queryNodes('search_documents', $lucene) YIELD node AS n, score"
)
SEARCH_MATCHES: Final = (
    "CALL db.index.fulltext.queryNodes('search_documents', $lucene) YIELD node AS n"
)
LABEL: Final = "head(labels({var}))"
SEARCH_POSTINGS = None
"""Not needed: the full-text index follows the nodes' properties by itself."""
# The index reads node properties only: a person's area names are copied onto the person.
SET_SEARCH_EXPERTISE: Final = (
    "UNWIND $rows AS r MATCH (n:CivilServant {id: r.id}) SET n.searchExpertise = r.text"
)


def search_params(query: SearchQuery, *, scored: bool) -> dict[str, Any]:
    """The Lucene query (`lucene_query`), as a parameter."""
    return {"lucene": lucene_query(query)}

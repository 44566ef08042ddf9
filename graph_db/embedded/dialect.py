"""What LadybugDB's Cypher differs in from Neo4j's; everything else is `graph_db.core.cypher`.

- Recursive patterns: `-[:R* SHORTEST 1..k (r, n | WHERE …)]-` with literal bounds, a breadth-first
  search that gives every reachable person with its distance in one statement.
- Mentorships by a list of ids: relationship properties have no index here.
- A date in a list of rows that may be null needs a cast (the column is typed from the first row).
- Timestamps bucket by month with `date_part`; runs are written with `COPY … FROM` a DataFrame.
- Ranked search: no full-text index offline, so an index kept in the store (`SearchTerm`,
  `INDEXED_AS`) and BM25F computed in Cypher.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Final

from graph_db.core import cypher as C
from graph_db.core.search import FIELD_WEIGHTS, K1
from graph_db.core.search_cypher import SEARCH_LABELS, SearchPostings
from graph_db.records import SearchQuery

NEIGHBOURHOOD = None
"""LadybugDB has no `CALL { … }` subqueries; in process, the batched reads cost no round trips."""
MENTORSHIPS_BY_IDS: Final = (
    "MATCH (a:CivilServant)-[m:MENTORS]->(b:CivilServant) WHERE m.id IN $ids"
    f" RETURN {C.MENTORSHIP_COLUMNS}"
)
# A node's offset in its table: an integer read without touching its properties.
NODE_KEY: Final = "offset(id({var}))"
SECOND_DEGREE: Final = (
    C.second_degree_candidates("(a:CivilServant {id: $id})", excluded_by_list=False)
    + " RETURN c.id, c.countryCode, mutual"
)
SECOND_DEGREE_WITH_TIES = None
"""Not needed: rows are fast in process, and LadybugDB's lists must hold one type."""
HASHES_ID_LISTS: Final = (
    False  # `IN $ids` scans here (DESIGN.md); store keys are compared in Python
)
# A subquery per person is cheap in-process; starting from the areas gained nothing when measured.
AREAS_FIRST: Final = False
TIES_BY_SEEK: Final = False  # no secondary index: the tied people would be a second scan
# In a list of rows a column takes its type from the first row: a null date needs a cast.
MERGE_NODES: Final = {
    label: C.merge_nodes(label, {"endDate": "CAST({} AS DATE)"}) for label in C.REFERENCE_PROPERTIES
}
MONTH_BUCKET: Final = "date_part('year', {field}), date_part('month', {field})"
# `* SHORTEST` with both ends bound searches from one end: 160 ms for a 4-hop pair on 100k
# people, against two 2-hop balls (4 ms each) and a meeting step in `Reads._meet_in_the_middle`.
PATHS_MEET_IN_THE_MIDDLE: Final = True
path_people = None
"""Not needed: the core's bidirectional search makes several reads anyway."""
PERSON_PROJECTION: Final = "{var}"
"""Whole nodes: LadybugDB hands them over as plain maps, datetimes included."""
PLAIN_PEOPLE: Final = False  # their timestamps are converted to aware UTC on the way out
GET_PEOPLE: Final = C.GET_BY_IDS["CivilServant"]
"""Whole nodes (`PERSON_PROJECTION`)."""
reachable_step = None
"""Not needed: `reachable` finds everyone with their distance in one statement."""
ego_network = None
"""Not needed: an embedded store has no round trips to save, and its `reachable`, edges and
profiles are separate reads the core makes (the first fixes the people the others read)."""


def _recursive(rels: frozenset[str], hops: int) -> str:
    established = (
        f" (r, n | WHERE label(r) <> 'MENTORS' OR r.status IN {C.ESTABLISHED_STATUSES})"
        if "MENTORS" in rels
        else ""
    )
    return f"[:{C.rel_types(rels)}* SHORTEST 1..{hops}{established}]"


REACHED_COLUMNS: Final = {"": "", "node": ", n", "names": ", n.familyName, n.givenName"}
"""What `reachable` answers besides each person's id and distance, by name."""


@cache
def reachable(
    rels: frozenset[str], direction: str, hops: int, where: str = "true", columns: str = ""
) -> str:
    """People within `hops` of `$id` over `rels`, with their distance, by distance then id: the
    first `$limit` reached, and of those the ones that satisfy `where` (a condition on `n`, the
    person reached: `cypher.network_filter`); rows `id, distance`, then the `REACHED_COLUMNS`
    named by `columns`: the person node ("node") or their family and given names ("names")."""
    left, right = C.ARROWS[direction]
    walk = (
        f"MATCH p = (a:CivilServant {{id: $id}}){left}{_recursive(rels, hops)}{right}(n:CivilServant)"
        " WHERE n.id <> $id"
    )
    node = REACHED_COLUMNS[columns]
    if where == "true":
        return f"{walk} RETURN n.id, length(p) AS d{node} ORDER BY d, n.id LIMIT $limit"
    return (
        f"{walk} WITH n, length(p) AS d ORDER BY d, n.id LIMIT $limit"
        f" WITH n, d WHERE {where} RETURN n.id, d{node} ORDER BY d, n.id"
    )


@cache
def shortest_path(rel: str, direction: str, hops: int) -> str:
    """One shortest path from `$from` to `$to` over `rel`, at most `hops` long, as its ids."""
    left, right = C.ARROWS[direction]
    return (
        f"MATCH p = (a:CivilServant {{id: $from}}){left}{_recursive(frozenset({rel}), hops)}{right}"
        "(b:CivilServant {id: $to}) RETURN properties(nodes(p), 'id') LIMIT 1"
    )


CREATE_RUN: Final = (
    "CREATE (:AnalyticsRun {id: $id, startedAt: $startedAt, durationS: $durationS,"
    " parameters: $parameters, nodes: $nodes, edges: $edges, communities: $communities,"
    " modularity: $modularity, communitySizes: $communitySizes})"
)


# ---- ranked search: an index in the store (LadybugDB's FTS extension is not bundled, and
# `INSTALL fts` needs the network), scored by BM25F in Cypher (`graph_db.core.search`) ----
def _weights() -> str:
    return " + ".join(f"${'w_' + f} * r.{f}" for f in FIELD_WEIGHTS)


# From each word to its documents with OPTIONAL MATCH: planned as an expansion from the word
# (8 ms for two words held by 13.5k people at 100k), where MATCH scanned the postings (140 ms).
_TERMS: Final = (
    "UNWIND $terms AS term MATCH (t:SearchTerm {term: term})"
    " OPTIONAL MATCH (t)<-[r:INDEXED_AS]-(n) WITH * WHERE n IS NOT NULL"
)
# N, the number of documents, is the `df` of the empty word (`graph_db.core.search.DOCUMENTS`):
# counting both labels in the statement made it 1.2 s instead of 0.2 s at 100k people.
SEARCH_HITS: Final = (
    "MATCH (d:SearchTerm {term: ''})"
    f" WITH d.df AS documents {_TERMS}"
    " WITH n, ln(1 + (documents - t.df + 0.5) / (t.df + 0.5)) AS idf,"
    f" {_weights()} AS tf"
    f" WITH n, count(*) AS matched, sum(idf * tf * {K1 + 1} / (tf + {K1})) AS score"
    " WHERE matched = size($terms)"
)
SEARCH_MATCHES: Final = f"{_TERMS} WITH n, count(*) AS matched WHERE matched = size($terms)"
LABEL: Final = "label({var})"
SET_SEARCH_EXPERTISE = None
"""Not needed: the postings hold the areas' names."""


def search_params(query: SearchQuery, *, scored: bool) -> dict[str, Any]:
    """The words to look up, and the field weights when scoring."""
    weights = {f"w_{f}": w for f, w in FIELD_WEIGHTS.items()} if scored else {}
    return {"terms": query.tokens} | weights


SEARCH_POSTINGS: Final = SearchPostings(
    # `per_key`: looked up, then expanded (the one-pattern form scanned every posting: 500 ms
    # for one document on 100k people, which made each profile edit cost over a second).
    posted_terms={
        label: C.per_key(
            f"(n:{label} {{id: key}})", "(n)-[:INDEXED_AS]->(t:SearchTerm)", "RETURN n.id, t.term"
        )
        for label in SEARCH_LABELS
    },
    unpost={
        label: C.per_key(
            f"(n:{label} {{id: key}})", "(n)-[r:INDEXED_AS]->(t:SearchTerm)", "DELETE r"
        )
        for label in SEARCH_LABELS
    },
    adjust_df="UNWIND $rows AS x MERGE (t:SearchTerm {term: x.term})"
    " ON CREATE SET t.df = x.d ON MATCH SET t.df = t.df + x.d",
    drop_unused="UNWIND $terms AS x MATCH (t:SearchTerm {term: x}) WHERE t.df <= 0 DELETE t",
    # COPY is the fast way to write many relationships here (DESIGN.md); a relationship table
    # with several FROM labels needs them named.
    post={
        label: f"COPY INDEXED_AS FROM $frame (from='{label}', to='SearchTerm')"
        for label in SEARCH_LABELS
    },
    create={
        label: f"UNWIND $rows AS r MATCH (n:{label} {{id: r.from}})"
        " MATCH (t:SearchTerm {term: r.to})"
        f" CREATE (n)-[:INDEXED_AS {{{', '.join(f'{f}: r.{f}' for f in FIELD_WEIGHTS)}}}]->(t)"
        for label in SEARCH_LABELS
    },
    # LadybugDB commits a COPY into a non-empty relationship table in about 600 ms on 100k
    # people (a profile edit took 650 ms, 20 ms with CREATE), and CREATE costs about 0.5 ms a
    # posting: COPY only from 1,000 postings on (bulk loads, big re-indexing).
    copy_from=1_000,
)

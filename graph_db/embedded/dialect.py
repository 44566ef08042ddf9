"""What LadybugDB's Cypher differs in from Neo4j's; everything else is `graph_db.core.cypher`.

- Recursive patterns: `-[:R* SHORTEST 1..k (r, n | WHERE …)]-` with literal bounds, a breadth-first
  search that gives every reachable person with its distance in one statement.
- Mentorships by a list of ids: relationship properties have no index here.
- A date in a list of rows that may be null needs a cast (the column is typed from the first row).
- Timestamps bucket by month with `date_part`; runs are written with `COPY … FROM` a DataFrame.
"""

from __future__ import annotations

from functools import cache
from typing import Final

from graph_db.core import cypher as C

MENTORSHIPS_BY_IDS: Final = (
    "MATCH (a:CivilServant)-[m:MENTORS]->(b:CivilServant) WHERE m.id IN $ids"
    f" RETURN {C.MENTORSHIP_COLUMNS}"
)
# A node's offset in its table: an integer read without touching its properties.
NODE_KEY: Final = "offset(id({var}))"
SECOND_DEGREE: Final = f"{C.SECOND_DEGREE_CANDIDATES} RETURN c.id, c.countryCode, mutual"
SECOND_DEGREE_AS_LIST: Final = False  # lists must hold one type here; rows are fast in-process
# A subquery per person is cheap in-process; starting from the areas gained nothing when measured.
AREAS_FIRST: Final = False
# In a list of rows a column takes its type from the first row: a null date needs a cast.
MERGE_NODES: Final = {
    label: C.merge_nodes(label, {"endDate": "CAST({} AS DATE)"}) for label in C.REFERENCE_PROPERTIES
}
MONTH_BUCKET: Final = "date_part('year', {field}), date_part('month', {field})"
# `* SHORTEST` with both ends bound searches from one end: 160 ms for a 4-hop pair on 100k
# people, against two 2-hop balls (4 ms each) and a meeting step in `Reads._meet_in_the_middle`.
PATHS_MEET_IN_THE_MIDDLE: Final = True
reachable_step = None
"""Not needed: `reachable` finds everyone with their distance in one statement."""


def _recursive(rels: frozenset[str], hops: int) -> str:
    established = (
        f" (r, n | WHERE label(r) <> 'MENTORS' OR r.status IN {C.ESTABLISHED_STATUSES})"
        if "MENTORS" in rels
        else ""
    )
    return f"[:{C.rel_types(rels)}* SHORTEST 1..{hops}{established}]"


@cache
def reachable(rels: frozenset[str], direction: str, hops: int) -> str:
    """People within `hops` of `$id` over `rels`, with their distance; capped by `$limit` rows."""
    left, right = C.ARROWS[direction]
    return (
        f"MATCH p = (a:CivilServant {{id: $id}}){left}{_recursive(rels, hops)}{right}(b:CivilServant)"
        " WHERE b.id <> $id RETURN b.id, length(p) AS d ORDER BY d, b.id LIMIT $limit"
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

"""openCypher of the analytics reads that LadybugDB and Neo4j parse alike (aggregates, projection,
reads of stored runs).

STYLE.md keeps each dialect's Cypher in its own module; these statements are the exception because
they are plain MATCH / WHERE / RETURN with implicit grouping, identical on both stores (the contract
suite runs every one of them on both). What differs lives in each adapter's dialect:
bucketing timestamps by month, writing a run (COPY vs chunked UNWIND) and the migrations.

Variants differ only in which filters they hold (the names of the parameters a request uses, from
fixed allow-lists), built once per combination. Parameter names avoid LadybugDB's reserved words
(`$start`, `$end` and `$all` do not parse there).
"""

from __future__ import annotations

from functools import cache
from typing import Final

from graph_db.analytics.records import GrowthKind, PairKind, ScoreMetric
from graph_db.core import exchange_cypher as X
from graph_db.core.cypher import per_key

# (pattern, date property) per relationship kind; `a` and `b` are the two people.
PAIR_PATTERNS: Final = {
    PairKind.CONNECTIONS: ("(a:CivilServant)-[r:CONNECTED_TO]->(b:CivilServant)", "r.since", "''"),
    PairKind.MENTORSHIPS: (
        "(a:CivilServant)-[r:MENTORS]->(b:CivilServant)",
        "r.requestedAt",
        "r.status",
    ),
    PairKind.ENDORSEMENTS: ("(a:CivilServant)-[r:ENDORSED]->(b:CivilServant)", "r.at", "''"),
}
ESTABLISHED: Final = "r.status IN ['ACTIVE', 'COMPLETED']"


def _where(parts: list[str]) -> str:
    return f" WHERE {' AND '.join(parts)}" if parts else ""


def _dated(field: str, active: frozenset[str]) -> list[str]:
    parts = []
    if "rangeStart" in active:
        parts.append(f"{field} >= $rangeStart")
    if "rangeEnd" in active:
        parts.append(f"{field} < $rangeEnd")
    return parts


@cache
def people(active: frozenset[str]) -> str:
    """People by (country, verified, isExpert). Filters: countries, start/end on `joinedAt`."""
    parts = _dated("n.joinedAt", active)
    if "countries" in active:
        parts.append("n.countryCode IN $countries")
    return (
        f"MATCH (n:CivilServant){_where(parts)}"
        " RETURN n.countryCode, coalesce(n.verified, false), coalesce(n.isExpert, false), count(*)"
    )


@cache
def pairs(kind: PairKind, active: frozenset[str]) -> str:
    """Relationships of `kind` by (country of a, country of b, status)."""
    pattern, field, status = PAIR_PATTERNS[kind]
    parts = _dated(field, active)
    if "countries" in active:
        parts.append("(a.countryCode IN $countries OR b.countryCode IN $countries)")
    if "established" in active and kind is PairKind.MENTORSHIPS:
        parts.append(ESTABLISHED)
    return f"MATCH {pattern}{_where(parts)} RETURN a.countryCode, b.countryCode, {status}, count(*)"


EITHER_END: Final = "(a.countryCode IN $countries OR b.countryCode IN $countries)"
# (pattern, date field, conditions, country filter) per growth kind. Exchange kinds use the
# indicator report's patterns (`exchange_cypher`): a request is its author's (`a`) country's; a
# collaboration is cross-border when author and helper (`h`) both have a country and they differ
# (`<>` on a missing country is null, so it is left out), and in scope when either is.
GROWTH: Final[dict[GrowthKind, tuple[str, str, tuple[str, ...], str]]] = {
    GrowthKind.PEOPLE: ("(n:CivilServant)", "n.joinedAt", (), "n.countryCode IN $countries"),
    GrowthKind.CONNECTIONS: (
        "(a:CivilServant)-[r:CONNECTED_TO]->(b:CivilServant)",
        "r.since",
        (),
        EITHER_END,
    ),
    GrowthKind.MENTORSHIPS: (
        "(a:CivilServant)-[r:MENTORS]->(b:CivilServant)",
        "r.since",
        (ESTABLISHED,),
        EITHER_END,
    ),
    GrowthKind.EXPERTISE_REQUESTS: (
        X.POSTED_PATTERN,
        "r.createdAt",
        (),
        "a.countryCode IN $countries",
    ),
    GrowthKind.FULFILLED_REQUESTS: (
        X.POSTED_PATTERN,
        "r.closedAt",
        (X.FULFILLED,),
        "a.countryCode IN $countries",
    ),
    GrowthKind.CROSS_BORDER_COLLABORATIONS: (
        X.COLLABORATION_PATTERN,
        "k.since",
        ("a.countryCode <> h.countryCode",),
        "(a.countryCode IN $countries OR h.countryCode IN $countries)",
    ),
}


@cache
def growth(kind: GrowthKind, active: frozenset[str], bucket: str) -> str:
    """New things of `kind` per (year, month) in [start, end) (see `GROWTH`); `bucket` is the
    dialect's `year, month` expression of a timestamp `{field}`."""
    match, field, conditions, in_scope = GROWTH[kind]
    parts = [*conditions]
    if "countries" in active:
        parts.append(in_scope)
    parts += _dated(field, active)
    return f"MATCH {match}{_where(parts)} RETURN {bucket.format(field=field)}, count(*)"


EVENTS: Final = (
    "MATCH (e:Event) WHERE e.startDate >= $startDate AND e.startDate < $endDate"
    " OPTIONAL MATCH (p:CivilServant)-[:PARTICIPATED_IN]->(e)"
    " RETURN e.id, e.countryCode, e.startDate, p.countryCode, count(p.id)"
)
COVERAGE: Final = (
    "UNWIND $groups AS g MATCH (p:CivilServant)-[h:HAS_EXPERTISE]->(e:Expertise)"
    " WHERE e.id IN g.ids AND h.level >= $minLevel"
    " WITH g.area AS area, p.countryCode AS country, p.id AS pid, max(h.level) AS level"
    " RETURN area, country, level, count(*)"
)
ITEMS: Final = (  # authors and co-authors alike
    "MATCH (a:CivilServant)-[:AUTHORED|CO_AUTHORED]->(i:PortfolioItem)"
    " WHERE i.year >= $startYear AND i.year <= $endYear"
    " WITH i, collect(DISTINCT a.countryCode) AS cs UNWIND cs AS c"
    " RETURN c, count(*), sum(CASE WHEN size(cs) > 1 THEN 1 ELSE 0 END)"
)
EXPERT_AREAS: Final = (
    "MATCH (p:CivilServant)-[:HAS_EXPERTISE]->(e:Expertise)"
    " WHERE p.isExpert AND p.joinedAt < $rangeEnd"
    " RETURN p.countryCode, count(DISTINCT p.id), count(DISTINCT e.id)"
)
EXPERT_AREAS_TOTAL: Final = (
    "MATCH (p:CivilServant)-[:HAS_EXPERTISE]->(e:Expertise)"
    " WHERE p.isExpert AND p.joinedAt < $rangeEnd AND (p.countryCode IN $countries OR $anyCountry)"
    " RETURN count(DISTINCT p.id), count(DISTINCT e.id)"
)
TOP_MENTORS: Final = (
    "MATCH (a:CivilServant)-[r:MENTORS]->(b:CivilServant) WHERE r.status IN ['ACTIVE', 'COMPLETED']"
    " AND (a.countryCode IN $countries OR $anyCountry)"
    " WITH a.id AS mentor, count(DISTINCT b.id) AS mentees"
    " RETURN mentor, mentees ORDER BY mentees DESC, mentor LIMIT $limit"
)

# ---- projection and runs ----
PROJECTION_PEOPLE: Final = "MATCH (p:CivilServant) RETURN p.id, p.countryCode ORDER BY p.id"
PROJECTION_EDGES: Final = (
    "MATCH (a:CivilServant)-[:CONNECTED_TO]->(b:CivilServant) RETURN a.id, b.id"
)
RUN_COLUMNS: Final = (
    "r.id, r.startedAt, r.durationS, r.parameters, r.nodes, r.edges, r.communities,"
    " r.modularity, r.communitySizes"
)
LATEST_RUNS: Final = (
    f"MATCH (r:AnalyticsRun) RETURN {RUN_COLUMNS} ORDER BY r.startedAt DESC, r.id DESC LIMIT $limit"
)
DELETE_RUN: Final = "MATCH (r:AnalyticsRun {id: $id}) DETACH DELETE r"
SCORE_COLUMNS: Final = "p.id, s.degree, s.pagerank, s.betweenness, s.community"
TOP_SCORES: Final[dict[ScoreMetric, str]] = {
    m: "MATCH (r:AnalyticsRun {id: $run})-[s:SCORED]->(p:CivilServant)"
    f" RETURN {SCORE_COLUMNS} ORDER BY s.{m.value} DESC, p.id LIMIT $limit"
    for m in ScoreMetric
}
SCORES_OF: Final = per_key(
    "(p:CivilServant {id: key})",
    "(p)<-[s:SCORED]-(r:AnalyticsRun {id: $run})",
    f"RETURN {SCORE_COLUMNS}",
)
"""Scores of `$ids` in run `$run`, looked up per person, then the person's few SCORED ties."""
COMMUNITY_MEMBERS: Final = (
    "MATCH (r:AnalyticsRun {id: $run})-[s:SCORED]->(p:CivilServant) WHERE s.community = $community"
    f" RETURN {SCORE_COLUMNS} ORDER BY s.pagerank DESC, p.id LIMIT $limit"
)

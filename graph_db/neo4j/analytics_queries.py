"""Cypher for Neo4j 5: what the analytics differ in from LadybugDB (the rest is in
`graph_db/analytics/cypher.py`)."""

from __future__ import annotations

from functools import cache
from typing import Final

from graph_db.analytics import cypher as C
from graph_db.analytics.records import GrowthKind

MONTH_BUCKET: Final = "{field}.year, {field}.month"


@cache
def growth(kind: GrowthKind, active: frozenset[str]) -> str:
    """See `cypher.growth`; Neo4j buckets temporal values with their accessors."""
    return C.growth(kind, active, MONTH_BUCKET)


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
MIGRATION: Final = [
    "CREATE CONSTRAINT analytics_run_id IF NOT EXISTS FOR (n:AnalyticsRun) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT pending_analytics_run_id IF NOT EXISTS"
    " FOR (n:PendingAnalyticsRun) REQUIRE n.id IS UNIQUE",
    "CREATE INDEX analytics_run_started_at IF NOT EXISTS FOR (n:AnalyticsRun) ON (n.startedAt)",
    "CREATE INDEX connected_to_since IF NOT EXISTS FOR ()-[r:CONNECTED_TO]-() ON (r.since)",
    "CREATE INDEX mentors_requested_at IF NOT EXISTS FOR ()-[r:MENTORS]-() ON (r.requestedAt)",
    "CREATE INDEX endorsed_at IF NOT EXISTS FOR ()-[r:ENDORSED]-() ON (r.at)",
]
"""Migration `0006_analytics_runs` (listed in `graph_db/neo4j/migrations.py`)."""

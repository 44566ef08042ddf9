"""Cypher for LadybugDB: what the analytics differ in from Neo4j (the rest is in
`graph_db/analytics/cypher.py`)."""

from __future__ import annotations

from functools import cache
from typing import Final

from graph_db.analytics import cypher as C
from graph_db.analytics.records import GrowthKind

MONTH_BUCKET: Final = "date_part('year', {field}), date_part('month', {field})"


@cache
def growth(kind: GrowthKind, active: frozenset[str]) -> str:
    """See `cypher.growth`; LadybugDB buckets timestamps with `date_part`."""
    return C.growth(kind, active, MONTH_BUCKET)


CREATE_RUN: Final = (
    "CREATE (:AnalyticsRun {id: $id, startedAt: $startedAt, durationS: $durationS,"
    " parameters: $parameters, nodes: $nodes, edges: $edges, communities: $communities,"
    " modularity: $modularity, communitySizes: $communitySizes})"
)
COPY_SCORES: Final = "COPY SCORED FROM $frame"
MIGRATION: Final = [
    "CREATE NODE TABLE IF NOT EXISTS AnalyticsRun(id STRING, startedAt TIMESTAMP, durationS DOUBLE,"
    " parameters STRING, nodes INT64, edges INT64, communities INT64, modularity DOUBLE,"
    " communitySizes INT64[], PRIMARY KEY(id))",
    "CREATE REL TABLE IF NOT EXISTS SCORED(FROM AnalyticsRun TO CivilServant, degree INT64,"
    " pagerank DOUBLE, betweenness DOUBLE, community INT64)",
]
"""Migration `0006_analytics_runs` (listed in `graph_db/embedded/migrations.py`)."""

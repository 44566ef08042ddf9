"""An analytics run on LDBC SF0.1 (both stores), served through the API, against outside answers:

- PageRank top 10: Kùzu's test (`expected/kuzu-sf0.1-expected.json`: knows as stored START→END,
  damping 0.85; its order is not checked there) as a set, and networkx's `pagerank` on the directed
  CSV graph for the order;
- degree and betweenness top 10: networkx on the undirected graph read straight from the CSV files;
- communities: igraph's Louvain on the same graph (same vertex order, edge order and seed) gives the
  same count, sizes and modularity; networkx's `modularity` of that partition agrees.
"""

from __future__ import annotations

import csv
import json
import random
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import igraph as ig
import networkx as nx
import pytest

from graph_db.analytics.algorithms import RunSettings, run_analytics
from graph_db.port import GraphStore
from graph_db.records import GraphBatch
from schema.ids import encode_id
from tests.conftest import EXPECTED_DIR, LDBC_DIR, Api

TOP = 10


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter="|"))
    # Headers are Neo4j-import style (`id:ID(Person)`, `:START_ID(Person)`); one file has none.
    return [r for r in rows if r and ":" not in r[0]]


def top_of(scores: dict[str, float], n: int = TOP) -> list[str]:
    """Highest first, ties by id as a string (the API's order)."""
    return sorted(scores, key=lambda k: (-scores[k], k))[:n]


@pytest.fixture(scope="session")
def reference() -> dict[str, Any]:
    """Everything computed from the CSV files by networkx and igraph (betweenness takes ~45 s)."""
    dynamic = LDBC_DIR / "dynamic"
    people = sorted(r[0] for r in _rows(dynamic / "Person.csv"))
    knows = [
        (r[0], r[1])
        for name in ("Person_knows_Person.csv", "Person_knows_Person_1.csv")
        for r in _rows(dynamic / name)
    ]
    directed = nx.DiGraph()
    directed.add_nodes_from(people)
    directed.add_edges_from(knows)
    undirected = directed.to_undirected()
    index = {p: i for i, p in enumerate(people)}
    graph = ig.Graph(n=len(people), edges=sorted((index[a], index[b]) for a, b in knows))
    random.seed(42)  # RunSettings().seed; igraph draws from Python's `random`
    louvain = graph.community_multilevel()
    partition = [{people[v] for v in c} for c in louvain]
    kuzu = json.loads((EXPECTED_DIR / "kuzu-sf0.1-expected.json").read_text("utf-8"))
    pagerank_case = next(c for c in kuzu["cases"] if c["id"] == "PageRank-knows-top10")
    assert pagerank_case["parameters"]["dampingFactor"] == 0.85
    return {
        "nodes": len(people),
        "edges": len(knows),
        "pagerank": nx.pagerank(directed, alpha=0.85, tol=1e-12, max_iter=1000),
        "kuzu_pagerank": {str(e["personId"]) for e in pagerank_case["expected"]},
        "degree": dict(undirected.degree()),
        "betweenness": nx.betweenness_centrality(undirected),
        "communities": len(louvain),
        "sizes": sorted((len(c) for c in louvain), reverse=True),
        "modularity": louvain.modularity,
        "nx_modularity": nx.community.modularity(undirected, partition),
    }


RUN = """{ analyticsRun { id ageSeconds nodes edges communityCount modularity durationSeconds parameters
  pagerank: top(metric: PAGERANK, first: 10) { civilServant { id } pagerank }
  degree: top(metric: DEGREE, first: 10) { civilServant { id } degree }
  betweenness: top(metric: BETWEENNESS, first: 10) { civilServant { id } betweenness }
  communities(first: 100) { number size }
  largest: communities(first: 1) { members(first: 3) { community } }
  scoreOf(person: "%s") { degree community } } }""" % encode_id("CivilServant", "933")


def ids(rows: list[dict[str, Any]]) -> list[str]:
    return [r["civilServant"]["id"] for r in rows]


def gids(people: list[str]) -> list[str]:
    return [encode_id("CivilServant", p) for p in people]


async def test_run_matches_outside_references(
    api: Api, ldbc_store: GraphStore, reference: dict[str, Any]
) -> None:
    result = await run_analytics(ldbc_store, RunSettings())
    run = (await api.data(RUN))["analyticsRun"]
    assert run["id"] == result.run.id and 0 <= run["ageSeconds"] < 600
    assert (run["nodes"], run["edges"]) == (
        reference["nodes"],
        reference["edges"],
    )  # 1,528 / 14,073
    assert json.loads(run["parameters"])["pagerank"]["damping"] == 0.85

    pagerank = run["pagerank"]
    assert {encode_id("CivilServant", p) for p in reference["kuzu_pagerank"]} == set(ids(pagerank))
    assert ids(pagerank) == gids(top_of(reference["pagerank"]))
    for row, person in zip(pagerank, top_of(reference["pagerank"]), strict=True):
        assert row["pagerank"] == pytest.approx(reference["pagerank"][person], rel=1e-6)

    assert ids(run["degree"]) == gids(top_of(reference["degree"]))
    assert [r["degree"] for r in run["degree"]][:2] == [340, 338]  # SOURCE.md: max degree 340

    betweenness = reference["betweenness"]
    assert ids(run["betweenness"]) == gids(top_of(betweenness))
    for row, person in zip(run["betweenness"], top_of(betweenness), strict=True):
        assert row["betweenness"] == pytest.approx(betweenness[person], rel=1e-9)

    assert run["communityCount"] == reference["communities"]
    assert run["modularity"] == pytest.approx(reference["modularity"], abs=1e-12)
    assert run["modularity"] == pytest.approx(reference["nx_modularity"], abs=1e-9)
    assert [c["size"] for c in run["communities"]] == reference["sizes"][:100]
    assert [c["number"] for c in run["communities"]][:3] == [0, 1, 2]
    assert {m["community"] for m in run["largest"][0]["members"]} == {0}
    assert run["scoreOf"]["degree"] == reference["degree"]["933"]


ASEAN = sorted(["BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN", "TL"])


async def test_indicators_for_all_member_states(api: Api, ldbc_batch: GraphBatch) -> None:
    """Cross-border connections formed 2010–2012 per ASEAN member state, recounted from the
    imported records (the people's countries and the connections' dates) in plain Python."""
    country = {p.id: p.country_code for p in ldbc_batch.people}
    start, until = datetime(2010, 1, 1, tzinfo=UTC), datetime(2013, 1, 1, tzinfo=UTC)
    per_country: Counter[str] = Counter()
    total = 0
    for c in ldbc_batch.connections:
        a, b = country[c.person_a], country[c.person_b]
        if start <= c.since < until and a and b and a != b and {a, b} & set(ASEAN):
            total += 1
            per_country.update({a, b} & set(ASEAN))
    data = (
        await api.data(
            '{ asccIndicators(from: "2010-01-01", until: "2013-01-01") { total'
            " { crossBorderConnections } byCountry { countryCode crossBorderConnections } } }"
        )
    )["asccIndicators"]
    assert [r["countryCode"] for r in data["byCountry"]] == ASEAN
    assert data["total"]["crossBorderConnections"] == total > 0
    assert {r["countryCode"]: r["crossBorderConnections"] for r in data["byCountry"]} == {
        c: per_country[c] for c in ASEAN
    }

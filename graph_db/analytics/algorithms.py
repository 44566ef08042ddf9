"""Graph algorithms over the connection projection, with igraph (C core), and analytics runs.

`run_analytics` reads the projection from any `GraphStore`, computes per-person degree, PageRank,
betweenness and a community partition, and stores the run in the same store (a versioned
`(:AnalyticsRun)` node with `[:SCORED]` relationships to every person; the newest `keep` runs are
kept). The API serves the newest run; nothing here runs per request.

Formulations (so that figures can be defended and reproduced):
- degree: connections of a person; `CONNECTED_TO` is stored once per pair and read undirected.
- PageRank: on `CONNECTED_TO` **in the stored direction** (a → b as imported or accepted), damping
  0.85, dangling mass spread uniformly, solved by igraph's PRPACK to convergence. This is the
  formulation of networkx's `pagerank` and the one under which Kùzu's LDBC SF0.1 PageRank test
  (`shared/data/ldbc-snb/expected/kuzu-sf0.1-expected.json`, damping 0.85, 20 iterations,
  tolerance 1e-7) reproduces; on the undirected graph only 3 of its top 10 match (SOURCE.md).
- betweenness: shortest-path betweenness on the undirected graph, normalised by
  (n − 1)(n − 2) / 2 (networkx's `normalized=True`), exact unless `betweenness_cutoff` limits path
  lengths (an approximation for large graphs, recorded in the run's parameters).
- communities: Louvain (igraph `community_multilevel`) or Leiden (`community_leiden`, modularity
  objective) on the undirected graph, with a fixed seed; modularity is igraph's `modularity`.
  Communities are numbered by size, largest first (ties: the one holding the smaller vertex).
"""

from __future__ import annotations

import json
import random
import resource
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

import igraph as ig

from graph_db.analytics.records import AnalyticsRun, PersonScore, Projection
from graph_db.port import GraphStore
from graph_db.records import new_id, utc_now

PAGERANK_DAMPING = 0.85
"""Damping factor (Brin & Page 1998; Kùzu's and networkx's default)."""


class CommunityMethod(StrEnum):
    """Community detection algorithm (igraph)."""

    LOUVAIN = "louvain"
    LEIDEN = "leiden"


@dataclass(frozen=True)
class RunSettings:
    """What an analytics run computes.

    Attributes:
        community_method: Louvain or Leiden. seed: seed of the community detection's random order.
        betweenness_cutoff: longest path length counted (None = exact). keep: runs kept in the store.
    """

    community_method: CommunityMethod = CommunityMethod.LOUVAIN
    seed: int = 42
    betweenness_cutoff: int | None = None
    keep: int = 3


@dataclass(frozen=True)
class RunResult:
    """A stored run, its scores, and the process's peak resident memory after it (MiB)."""

    run: AnalyticsRun
    scores: list[PersonScore]
    peak_rss_mib: float


def graphs(projection: Projection) -> tuple[ig.Graph, ig.Graph]:
    """The directed (as stored) and undirected igraph graphs of a projection (vertex i = person i)."""
    n = len(projection.person_ids)
    edges = list(projection.edges)
    return ig.Graph(n=n, edges=edges, directed=True), ig.Graph(n=n, edges=edges, directed=False)


def communities(
    undirected: ig.Graph, method: CommunityMethod, seed: int
) -> tuple[list[int], float]:
    """Membership per vertex (numbered by size, largest first) and the partition's modularity."""
    random.seed(seed)  # igraph draws from Python's `random` by default
    if method is CommunityMethod.LEIDEN:
        found = undirected.community_leiden(objective_function="modularity", n_iterations=-1)
    else:
        found = undirected.community_multilevel()
    raw = found.membership
    sizes: dict[int, list[int]] = {}
    for vertex, c in enumerate(raw):
        sizes.setdefault(c, [0, vertex])[0] += 1
    order = sorted(sizes, key=lambda c: (-sizes[c][0], sizes[c][1]))
    renumber = {c: i for i, c in enumerate(order)}
    return [renumber[c] for c in raw], float(undirected.modularity(raw))


def compute(
    projection: Projection, settings: RunSettings
) -> tuple[list[PersonScore], list[int], float]:
    """Scores of every person, community sizes (largest first) and modularity."""
    directed, undirected = graphs(projection)
    n = undirected.vcount()
    degree = undirected.degree()
    pagerank = directed.pagerank(damping=PAGERANK_DAMPING, directed=True) if n else []
    between = undirected.betweenness(directed=False, cutoff=settings.betweenness_cutoff)
    scale = 2.0 / ((n - 1) * (n - 2)) if n > 2 else 1.0
    membership, modularity = (
        communities(undirected, settings.community_method, settings.seed) if n else ([], 0.0)
    )
    sizes = [0] * (max(membership) + 1 if membership else 0)
    for c in membership:
        sizes[c] += 1
    scores = [
        PersonScore(
            person_id=pid,
            degree=int(degree[i]),
            pagerank=float(pagerank[i]),
            betweenness=float(between[i]) * scale,
            community=membership[i],
        )
        for i, pid in enumerate(projection.person_ids)
    ]
    return scores, sizes, modularity


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far, in MiB (`getrusage`; KiB on Linux, B on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


async def run_analytics(
    store: GraphStore,
    settings: RunSettings,
    *,
    step: Callable[[str], None] = lambda _: None,
) -> RunResult:
    """Read the projection, compute every algorithm, store the run; `step(name)` is called as each
    of the three steps starts (read, compute, store), for a progress bar.

    Returns:
        The stored run (duration = reading + computing, in seconds), the scores, and peak memory.
    """
    started_at = utc_now()
    started = time.perf_counter()
    step("reading the projection")
    projection = await store.connection_projection()
    step("computing degree, PageRank, betweenness and communities")
    scores, sizes, modularity = compute(projection, settings)
    duration = time.perf_counter() - started
    parameters = {
        "library": f"igraph {ig.__version__}",
        "graph": "CivilServant + CONNECTED_TO",
        "pagerank": {"direction": "stored", "damping": PAGERANK_DAMPING, "solver": "PRPACK"},
        "betweenness": {
            "directed": False,
            "normalized": True,
            "cutoff": settings.betweenness_cutoff,
        },
        "communities": {"method": settings.community_method.value, "seed": settings.seed},
    }
    run = AnalyticsRun(
        id=new_id(),
        started_at=started_at,
        duration_s=round(duration, 3),
        parameters=json.dumps(parameters, sort_keys=True),
        nodes=len(projection.person_ids),
        edges=len(projection.edges),
        communities=len(sizes),
        modularity=modularity,
        community_sizes=tuple(sizes),
    )
    step("storing the run")
    await store.save_analytics_run(run, scores, keep=settings.keep)
    return RunResult(run=run, scores=scores, peak_rss_mib=peak_rss_mib())

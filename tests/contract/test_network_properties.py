"""Property tests: on random small graphs, the stores' traversals equal networkx on the same graph.

Each example loads a fresh random graph (its own id prefix, no edge to any other data) with
`bulk_load`, so examples never see each other or the LDBC sample.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from itertools import pairwise

import networkx as nx
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from graph_db.audit import system_change
from graph_db.port import GraphStore
from graph_db.records import CivilServant, Connection, GraphBatch, NetworkRelationship, utc_now

CONNECTED = frozenset({NetworkRelationship.CONNECTED_TO})


@st.composite
def graphs(draw: st.DrawFn) -> nx.Graph:
    n = draw(st.integers(min_value=2, max_value=14))
    possible = [(a, b) for a in range(n) for b in range(a + 1, n)]
    edges = (
        draw(st.lists(st.sampled_from(possible), unique=True, max_size=min(len(possible), 30)))
        if possible
        else []
    )
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(edges)
    return graph


@asynccontextmanager
async def loaded(store: GraphStore, graph: nx.Graph) -> AsyncIterator[dict[int, str]]:
    """Bulk-load `graph` under a fresh id prefix; yield node → id; delete the people afterwards
    (the shared LDBC store must stay equal to the sample for the tests that compare with it)."""
    prefix = "hyp" + uuid.uuid4().hex[:10]
    ids = {node: f"{prefix}-{node}" for node in graph.nodes}
    now = utc_now()
    batch = GraphBatch(
        people=[
            CivilServant(id=i, given_name="P", display_name="P", joined_at=now)
            for i in ids.values()
        ],
        connections=[
            Connection(person_a=ids[a], person_b=ids[b], since=now) for a, b in graph.edges
        ],
    )
    await store.bulk_load(batch, dataset=prefix)
    try:
        yield ids
    finally:
        for person in ids.values():
            await store.delete_civil_servant(person, change=system_change())


SETTINGS = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(graph=graphs(), data=st.data())
async def test_path_lengths(ldbc_store: GraphStore, graph: nx.Graph, data: st.DataObject) -> None:
    async with loaded(ldbc_store, graph) as ids:
        a, b = (
            data.draw(st.sampled_from(list(graph.nodes))),
            data.draw(st.sampled_from(list(graph.nodes))),
        )
        path = await ldbc_store.shortest_path(
            ids[a], ids[b], rel=NetworkRelationship.CONNECTED_TO, directed=False, max_hops=6
        )
        try:
            expected = nx.shortest_path_length(graph, a, b)
        except nx.NetworkXNoPath:
            expected = None
        if expected is None or expected > 6:
            assert path is None
        else:
            assert path is not None and len(path) - 1 == expected
            back = {v: k for k, v in ids.items()}
            assert all(graph.has_edge(back[x], back[y]) for x, y in pairwise(path))


@SETTINGS
@given(graph=graphs(), depth=st.integers(min_value=1, max_value=3), data=st.data())
async def test_ego_layers(
    ldbc_store: GraphStore, graph: nx.Graph, depth: int, data: st.DataObject
) -> None:
    async with loaded(ldbc_store, graph) as ids:
        centre = data.draw(st.sampled_from(list(graph.nodes)))
        reached = await ldbc_store.reachable(
            ids[centre], rels=CONNECTED, direction="both", hops=depth, limit=1000
        )
        expected = nx.single_source_shortest_path_length(graph, centre, cutoff=depth)
        expected.pop(centre)
        assert {n.person_id: n.distance for n in reached} == {
            ids[k]: d for k, d in expected.items()
        }


@SETTINGS
@given(graph=graphs(), data=st.data())
async def test_mutual_connections(
    ldbc_store: GraphStore, graph: nx.Graph, data: st.DataObject
) -> None:
    async with loaded(ldbc_store, graph) as ids:
        person = data.draw(st.sampled_from(list(graph.nodes)))
        note(f"edges {sorted(graph.edges)}, person {person}")
        found = await ldbc_store.second_degree(ids[person], limit=1000)
        back = {v: k for k, v in ids.items()}
        expected = {
            other: sorted(ids[m] for m in nx.common_neighbors(graph, person, other))
            for other in graph.nodes
            if other != person
            and not graph.has_edge(person, other)
            and len(list(nx.common_neighbors(graph, person, other))) > 0
        }
        assert {back[r.person_id]: r.mutual_ids for r in found} == expected

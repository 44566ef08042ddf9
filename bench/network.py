"""Network queries on LDBC SF0.1: median time through GraphQL vs the same store calls made directly.

The GraphQL side is a full request through the app (Starlette, Strawberry, DataLoaders, JSON) in
process; the store side makes the store calls the resolver needs for the same answer. Target ratio
(issue "Networking…"): GraphQL ÷ store < 1.5.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rich.console import Console
from rich.table import Table

from bench.harness import graphql_client, timed
from graph_api.auth import issue_token
from graph_api.settings import AuthSettings
from graph_db.port import GraphStore
from graph_db.records import NetworkFilter, NetworkRelationship
from schema.ids import encode_id

CONNECTED = frozenset({NetworkRelationship.CONNECTED_TO})
A, B = "933", "367"  # IC13 pair at distance 4 (derived-sf0.1)


def cases(store: GraphStore) -> list[tuple[str, str, dict[str, Any], Callable[[], Awaitable[Any]]]]:
    """(name, GraphQL query, variables, equivalent direct store calls)."""

    async def path() -> Any:
        ids = await store.shortest_path(
            A, B, rel=NetworkRelationship.CONNECTED_TO, directed=False, max_hops=6
        )
        return await store.get_people(ids or [])

    async def ego() -> Any:
        nodes = await store.reachable(A, rels=CONNECTED, direction="both", hops=2, limit=500)
        ids = [A, *[n.person_id for n in nodes[:499]]]
        return await store.edges_among(ids, rels=CONNECTED, limit=5000), await store.get_people(ids)

    async def search() -> Any:
        reached = await store.reachable(A, rels=CONNECTED, direction="both", hops=3, limit=50_000)
        passing = await store.filter_people(
            [n.person_id for n in reached], filter=NetworkFilter(given_name="John")
        )
        return await store.get_people(sorted(passing))

    async def recommend() -> Any:
        found = await store.second_degree("1129", limit=500)
        return await store.get_people([f.person_id for f in found[:10]])

    return [
        (
            "connection path (4 hops)",
            "query($a:ID!,$b:ID!){connectionPath(from:$a,to:$b){length people{id displayName}}}",
            {"a": encode_id("CivilServant", A), "b": encode_id("CivilServant", B)},
            path,
        ),
        (
            "ego network depth 2 (≤500)",
            "query($p:ID!){egoNetwork(person:$p,depth:2,limit:500){truncated nodes{id distance civilServant{displayName}} edges{source target}}}",
            {"p": encode_id("CivilServant", A)},
            ego,
        ),
        (
            "network search 3 hops, first name",
            'query($p:ID!){networkSearch(person:$p,maxHops:3,filter:{givenName:"John"},first:20){distance civilServant{id displayName}}}',
            {"p": encode_id("CivilServant", A)},
            search,
        ),
        (
            "10 recommended connections",
            "query($p:ID!){recommendedConnections(person:$p,first:10){score mutualConnectionCount civilServant{id displayName}}}",
            {"p": encode_id("CivilServant", "1129")},
            recommend,
        ),
    ]


async def run(store: GraphStore, kind: str, repeat: int, console: Console) -> list[dict[str, Any]]:
    """Measure every case on one store; print and return the rows."""
    table = Table(title=f"Network queries on LDBC SF0.1 — {kind} store (ms, median of {repeat})")
    for column in ("query", "GraphQL median", "GraphQL p95", "store median", "ratio"):
        table.add_column(column, justify="right" if column != "query" else "left")
    rows = []
    # Signed in as a verified member, as frontends are (the access check is part of the cost).
    token = issue_token(AuthSettings(), A, ["member"])
    async with graphql_client(store, token) as post:
        for name, query, variables, direct in cases(store):
            api = await timed(lambda q=query, v=variables: post(q, v), repeat)
            raw = await timed(direct, repeat)
            ratio = api.median_ms / raw.median_ms
            rows.append(
                {
                    "store": kind,
                    "query": name,
                    "graphql_ms": api.median_ms,
                    "store_ms": raw.median_ms,
                    "ratio": ratio,
                }
            )
            table.add_row(
                name,
                f"{api.median_ms:.1f}",
                f"{api.p95_ms:.1f}",
                f"{raw.median_ms:.1f}",
                f"{ratio:.2f}",
            )
    console.print(table)
    return rows

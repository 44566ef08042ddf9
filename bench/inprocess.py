"""In-process ratios: each query of the mix through the whole app (ASGI, Strawberry, loaders, JSON)
versus the same answer from direct store calls, timed interleaved in one run; and store round
trips per GraphQL request as list sizes grow."""

from __future__ import annotations

from typing import Any

from bench.harness import CountingStore, StatementCounter, graphql_client, paired, timed
from bench.mix import EGO, PROFILE, Subjects, cases
from graph_api.auth import issue_token
from graph_api.settings import AuthSettings
from graph_db.port import GraphStore
from schema.ids import encode_id

FLOOR = "{ __typename }"
"""The least request: what any request pays (HTTP over ASGI, bearer-token check, limits, parsing,
execution, JSON) with no field that reads the store."""


def member_token(person: str) -> str:
    """A development bearer token for `person` as a verified member (frontends are signed in)."""
    return issue_token(AuthSettings(), person, ["member"])


async def measure_mix(
    store: GraphStore, kind: str, dataset: str, s: Subjects, repeat: int
) -> list[dict[str, Any]]:
    """Median and p95 (ms) of every case through GraphQL and directly, and their ratios; with the
    fixed cost of a request (`fixed_ms`: median of `FLOOR`, the same client and token) and the
    least ratio a case could have if GraphQL added only that (`least_ratio`: (store + fixed) ÷
    store)."""
    rows = []
    async with graphql_client(store, member_token(s.person)) as post:
        fixed = (await timed(lambda: post(FLOOR), repeat * 2)).median_ms
        for case in cases(store, s):
            api, raw = await paired(
                lambda c=case: post(c.query, c.variables()), case.direct, repeat
            )
            rows.append(
                {
                    "dataset": dataset,
                    "store": kind,
                    "key": case.key,
                    "query": case.label,
                    "graphql_median_ms": api.median_ms,
                    "graphql_p95_ms": api.p95_ms,
                    "store_median_ms": raw.median_ms,
                    "store_p95_ms": raw.p95_ms,
                    "median_ratio": api.median_ms / raw.median_ms,
                    "p95_ratio": api.p95_ms / raw.p95_ms,
                    "fixed_ms": fixed,
                    "least_ratio": (raw.median_ms + fixed) / raw.median_ms,
                }
            )
    return rows


async def round_trips(store: GraphStore, kind: str, s: Subjects) -> list[dict[str, Any]]:
    """Store statements (round trips on Neo4j) and port-method calls made by one GraphQL request,
    for (a) with 5/20/100 connections and (c) with 50/500 nodes: constant when loaders batch
    every nested list."""
    counting = CountingStore(store)
    gid = encode_id("CivilServant", s.person)
    rows = []
    async with graphql_client(counting, member_token(s.person)) as post:  # type: ignore[arg-type]
        variants = [
            ("a", f"profile, first {n}", PROFILE, {"p": gid, "n": n}, n) for n in (5, 20, 100)
        ] + [
            ("c", f"ego network, limit {n}", EGO.replace("limit:500", f"limit:{n}"), {"p": gid}, n)
            for n in (50, 500)
        ]
        for key, label, query, variables, size in variants:
            await post(query, variables)  # warm (token cache, schema)
            counting.calls.clear()
            with StatementCounter(store).counting() as statements:
                await post(query, variables)
            rows.append(
                {
                    "store": kind,
                    "key": key,
                    "request": label,
                    "list_size": size,
                    "round_trips": statements.reads + statements.writes,
                    "calls": dict(counting.calls),
                }
            )
    return rows

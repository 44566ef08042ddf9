"""Hostile query shapes are refused with LIMIT_EXCEEDED before any store work."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager

from graph_api.app import create_app
from graph_api.settings import Settings
from graph_db.port import GraphStore
from tests.api.test_batching import CountingStore

DEEP = (
    "{ civilServants(first: 1) { edges { node { "
    + "connections(first: 1) { edges { node { " * 6
    + "id"
    + " } } }" * 6
    + " } } } }"
)
WIDE = "{ civilServants(first: 100) { edges { node { connections(first: 100) { edges { node { connections(first: 100) { edges { node { id displayName } } } } } } } } } }"
ALIASED = "{ " + " ".join(f"a{i}: countries(first: 1) {{ totalCount }}" for i in range(40)) + " }"
CYCLE = """
query { civilServants(first: 1) { edges { node { ...A } } } }
fragment A on CivilServant { connections(first: 1) { edges { node { ...B } } } }
fragment B on CivilServant { connections(first: 1) { edges { node { ...A } } } }
"""
FRAGMENT_ALIASES = (
    "query { ...F ...F } fragment F on Query { "
    + " ".join(f"x{i}: countries(first: 1) {{ totalCount }}" for i in range(20))
    + " }"
)
TOKENS = "{ countries(first: 1) { " + "totalCount " * 6000 + "} }"
WIDE_VARIABLES = (
    "query ($n: Int!) { civilServants(first: $n) { edges { node { connections(first: $n) { edges { node {"
    " connections(first: $n) { edges { node { id } } } } } } } } } }"
)


@pytest.mark.parametrize(
    ("query", "variables", "limit"),
    [
        (DEEP, {}, "depth"),
        (WIDE, {}, "cost"),
        (ALIASED, {}, "aliases"),
        (FRAGMENT_ALIASES, {}, "aliases"),
        (CYCLE, {}, None),
        (TOKENS, {}, "tokens"),
        (WIDE_VARIABLES, {"n": 100}, "cost"),
        (WIDE_VARIABLES.replace("$n: Int!", "$n: Int = 100"), {}, "cost"),  # a declared default
    ],
)
async def test_refused_before_the_store(
    ldbc_store: GraphStore, query: str, variables: dict[str, Any], limit: str | None
) -> None:
    counting = CountingStore(ldbc_store)
    app = create_app(Settings(environment="test"), store=counting)  # type: ignore[arg-type]
    async with LifespanManager(app) as manager:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app), base_url="http://t"
        ) as client:
            body = (
                await client.post("/graphql", json={"query": query, "variables": variables})
            ).json()
    codes = {e["extensions"]["code"] for e in body["errors"]}
    if limit is None:  # a fragment cycle: graphql's own rule or ours, either way nothing runs
        assert codes <= {"LIMIT_EXCEEDED", "BAD_USER_INPUT"}
    else:
        assert "LIMIT_EXCEEDED" in codes and limit in {
            e["extensions"].get("limit") for e in body["errors"]
        }
    assert body.get("data") is None
    assert sum(counting.calls.values()) == 0, counting.calls


async def test_small_variables_pass_the_budget(api) -> None:  # type: ignore[no-untyped-def]
    data = await api.data(WIDE_VARIABLES, {"n": 3})
    assert len(data["civilServants"]["edges"]) == 3


async def test_body_size_and_get_mutations(ldbc_store: GraphStore) -> None:
    app = create_app(Settings(environment="test"), store=ldbc_store)
    async with LifespanManager(app) as manager:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app), base_url="http://t"
        ) as client:
            big = await client.post(
                "/graphql", json={"query": "{ countries { totalCount } }", "pad": "x" * 300_000}
            )
            assert (
                big.status_code == 413
                and big.json()["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"
            )
            get = await client.get(
                "/graphql",
                params={"query": 'mutation { deleteCivilServant(id: "x") { deletedId } }'},
            )
            assert get.status_code in (400, 405)
            batch = await client.post(
                "/graphql", json=[{"query": "{ countries { totalCount } }"}] * 3
            )
            assert batch.status_code == 400


async def test_rate_limit_per_caller(ldbc_store: GraphStore) -> None:
    from tests.conftest import member_headers

    app = create_app(Settings(environment="test", rate_limit="3/minute"), store=ldbc_store)
    query = {"query": "{ countries(first: 1) { totalCount } }"}
    async with LifespanManager(app) as manager:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app), base_url="http://t"
        ) as client:
            statuses = [(await client.post("/graphql", json=query)).status_code for _ in range(4)]
            assert statuses == [200, 200, 200, 429]
            refused = await client.post("/graphql", json=query)
            assert 1 <= int(refused.headers["retry-after"]) <= 60
            assert refused.json()["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"
            # Another caller (signed in) has a budget of its own.
            assert (
                await client.post("/graphql", json=query, headers=member_headers())
            ).status_code == 200
    assert Settings(environment="test").rate_limit is None
    assert Settings(environment="development").rate_limit == "120/minute"


async def test_malformed_http_requests_get_coded_json_errors(ldbc_store: GraphStore) -> None:
    app = create_app(Settings(environment="test"), store=ldbc_store)
    bodies = [
        ("application/json", b'"hello"'),
        ("application/json", b"42"),
        ("application/json", b"{not json"),
        (
            "application/json",
            b'{"query": "{ countries(filter: {nameContains: \\"\xff\xfe\\"}) { totalCount } }"}',
        ),
        (
            "application/json",
            b'{"query": "{ countries { totalCount } }", "variables": {"a": '
            + b"[" * 50_000
            + b"]" * 50_000
            + b"}}",
        ),
        ("application/json", b'[{"query": "{ countries { totalCount } }"}]'),
        ("text/plain", b"{ countries { totalCount } }"),
        (
            "application/json",
            b'{"query": "query A { countries { totalCount } }", "operationName": "Z"}',
        ),
    ]
    async with LifespanManager(app) as manager:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app), base_url="http://t"
        ) as client:
            for content_type, body in bodies:
                response = await client.post(
                    "/graphql", content=body, headers={"content-type": content_type}
                )
                assert 400 <= response.status_code < 500, (
                    body[:60],
                    response.status_code,
                    response.text[:200],
                )
                assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", body[
                    :60
                ]
            get = await client.get(
                "/graphql",
                params={"query": 'mutation { deleteCivilServant(id: "x") { deletedId } }'},
            )
            assert get.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
            for method, path, status, code in (
                ("PUT", "/graphql", 405, "BAD_USER_INPUT"),
                ("DELETE", "/graphql", 405, "BAD_USER_INPUT"),
                ("GET", "/no-such-page", 404, "NOT_FOUND"),
            ):
                routed = await client.request(method, path)
                assert routed.status_code == status
                assert routed.json()["errors"][0]["extensions"]["code"] == code


async def test_forged_cursor_types_are_bad_input(api) -> None:  # type: ignore[no-untyped-def]
    import base64

    forged = base64.urlsafe_b64encode(b'[1,"people:NAME:ASC","v",123,"933"]').decode().rstrip("=")
    deep = base64.urlsafe_b64encode(b"[" * 5000 + b"]" * 5000).decode().rstrip("=")
    for cursor in (forged, deep):
        for arg in ("after", "before"):
            error = await api.error(
                '{ civilServants(first: 2, %s: "%s") { totalCount } }' % (arg, cursor)
            )
            assert error["extensions"]["code"] == "BAD_USER_INPUT"


async def test_introspection_passes_the_limits_in_development(api) -> None:  # type: ignore[no-untyped-def]
    from graphql import get_introspection_query

    data = await api.data(get_introspection_query(descriptions=True))
    assert data["__schema"]["queryType"]["name"] == "Query"

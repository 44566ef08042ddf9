"""Request errors found by a break attempt (issue #17, item 4), each answered small, coded and quiet."""

from __future__ import annotations

import logging

import pytest

from tests.conftest import Api

TYPENAME_ALIASES = "{ %s }" % " ".join(f"a{i}: __typename" for i in range(1_000))


async def test_a_json_string_body_is_400_without_a_traceback_in_the_log(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for body in (b'"hello"', b"[1, 2]", b"42"):
        answer = await api.client.post(
            "/graphql", content=body, headers={"content-type": "application/json"}
        )
        assert answer.status_code == 400, body
        assert answer.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert not any(r.exc_info for r in caplog.records), [r.getMessage() for r in caplog.records]
    assert "Traceback" not in caplog.text


async def test_aliases_of_typename_count_towards_the_alias_limit(api: Api) -> None:
    error = await api.error(TYPENAME_ALIASES)
    assert error["extensions"] == {"code": "LIMIT_EXCEEDED", "limit": "aliases"}
    few = "{ %s }" % " ".join(f"a{i}: __typename" for i in range(30))
    assert len(await api.data(few)) == 30


@pytest.mark.parametrize(
    "query",
    [
        "query($id: ID!) { civilServant(id: $id) { id } }",
        "query($id: ID!) { node(id: $id) { id } }",
    ],
)
async def test_a_huge_bad_id_is_not_echoed_back(api: Api, query: str) -> None:
    huge = "Q" * 200_000
    answer = await api.client.post(
        "/graphql", json={"query": query, "variables": {"id": huge}}, headers=api.headers
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert len(answer.content) < 2_000, len(answer.content)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ('{ civilServants(filter: {country: "zz9"}) { totalCount } }', "country"),
        ('{ institutions(filter: {country: "zz9"}) { totalCount } }', "country"),
    ],
)
async def test_field_errors_name_the_input_field_the_client_sent(
    api: Api, query: str, field: str
) -> None:
    error = await api.error(query)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert [f["field"] for f in error["extensions"]["fields"]] == [field]


async def test_several_operations_without_a_name_is_a_400_like_an_unknown_name(api: Api) -> None:
    document = "query A { __typename } query B { __typename }"
    for body in ({"query": document}, {"query": document, "operationName": "C"}):
        answer = await api.client.post("/graphql", json=body, headers=api.headers)
        assert answer.status_code == 400, body
        assert answer.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    chosen = await api.client.post(
        "/graphql", json={"query": document, "operationName": "B"}, headers=api.headers
    )
    assert chosen.status_code == 200 and chosen.json() == {"data": {"__typename": "Query"}}

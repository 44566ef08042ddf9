"""Bad input gets a GraphQL error with a code, and nothing is written."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from graph_db.port import GraphStore
from graph_db.records import PersonFilter, ReferenceFilter, ReferenceKind
from schema.ids import encode_id
from tests.conftest import Api

PERSON = encode_id("CivilServant", "933")


async def snapshot(store: GraphStore) -> dict[str, Any]:
    """Counts of every node kind plus person 933's profile and expertise: what a bad write could touch."""
    counts = {
        k.value: await store.count_reference(kind=k, filter=ReferenceFilter())
        for k in ReferenceKind
    }
    return {
        "people": await store.count_people(filter=PersonFilter()),
        **counts,
        "person": (await store.get_people(["933"]))[0],
        "expertise": (await store.expertise_of(["933"]))[0],
        "portfolio": (await store.portfolio_of(["933"]))[0],
    }


READS = [
    ('{ node(id: "%s") { id } }' % "not-base64!", "BAD_USER_INPUT"),
    ('{ node(id: "%s") { id } }' % base64.b64encode(b"Spaceship:1").decode(), "BAD_USER_INPUT"),
    ('{ node(id: "%s") { id } }' % encode_id("CivilServant", "404404404"), "NOT_FOUND"),
    ('{ civilServant(id: "%s") { id } }' % encode_id("Institution", "1"), "BAD_USER_INPUT"),
    ('{ civilServant(id: "%s") { id } }' % encode_id("CivilServant", "404404404"), "NOT_FOUND"),
    ("{ civilServants(first: 101) { edges { cursor } } }", "LIMIT_EXCEEDED"),
    ("{ civilServants(last: 1000) { edges { cursor } } }", "LIMIT_EXCEEDED"),
    ("{ civilServants(first: -1) { edges { cursor } } }", "BAD_USER_INPUT"),
    ('{ civilServants(after: "bm9wZQ") { edges { cursor } } }', "BAD_USER_INPUT"),
    ("{ civilServants(orderBy: {field: SALARY}) { edges { cursor } } }", "BAD_USER_INPUT"),
    ('{ civilServants(filter: {country: "Indonesia"}) { edges { cursor } } }', "BAD_USER_INPUT"),
    (
        '{ civilServants(filter: {institution: "%s"}) { edges { cursor } } }' % PERSON,
        "BAD_USER_INPUT",
    ),
    ('{ civilServants(filter: {verified: "yes"}) { edges { cursor } } }', "BAD_USER_INPUT"),
    (
        '{ civilServant(id: "%s") { connections(first: 500) { totalCount } } }' % PERSON,
        "LIMIT_EXCEEDED",
    ),
    ("{ institutions(first: 1000) { totalCount } }", "LIMIT_EXCEEDED"),
    ("{ noSuchField }", "BAD_USER_INPUT"),
    ("{ civilServants { ", "BAD_USER_INPUT"),
]


@pytest.mark.parametrize(("query", "code"), READS)
async def test_bad_reads(api: Api, query: str, code: str) -> None:
    error = await api.error(query)
    assert error["extensions"]["code"] == code
    assert error["message"]


UPDATE = "mutation ($input: UpdateCivilServantInput!) { updateCivilServant(input: $input) { civilServant { id } } }"
SET_EXPERTISE = (
    "mutation ($input: SetExpertiseInput!) { setExpertise(input: $input) { civilServant { id } } }"
)
REGISTER = "mutation ($input: RegisterCivilServantInput!) { registerCivilServant(input: $input) { civilServant { id } } }"
PORTFOLIO = "mutation ($input: AddPortfolioItemInput!) { addPortfolioItem(input: $input) { portfolioItem { id } } }"

WRITES = [
    (UPDATE, {"id": PERSON, "givenName": ""}, "BAD_USER_INPUT"),
    (UPDATE, {"id": PERSON, "givenName": "   "}, "BAD_USER_INPUT"),
    (UPDATE, {"id": PERSON, "givenName": "New", "countryCode": "Sri Lanka"}, "BAD_USER_INPUT"),
    (UPDATE, {"id": PERSON, "email": "not-an-email"}, "BAD_USER_INPUT"),
    (UPDATE, {"id": PERSON, "countryCode": "ZZ"}, "BAD_USER_INPUT"),  # well-formed, unknown
    (REGISTER, {"givenName": "A", "countryCode": "XK"}, "BAD_USER_INPUT"),
    (UPDATE, {"id": encode_id("CivilServant", "404404404"), "givenName": "X"}, "NOT_FOUND"),
    (UPDATE, {"id": "garbage", "givenName": "X"}, "BAD_USER_INPUT"),
    (
        SET_EXPERTISE,
        {
            "civilServantId": PERSON,
            "expertiseId": encode_id("Expertise", "no-such-area"),
            "level": 3,
        },
        "NOT_FOUND",
    ),
    (
        SET_EXPERTISE,
        {
            "civilServantId": PERSON,
            "expertiseId": encode_id("Expertise", "talent-management"),
            "level": 9,
        },
        "BAD_USER_INPUT",
    ),
    (
        SET_EXPERTISE,
        {
            "civilServantId": PERSON,
            "expertiseId": encode_id("Expertise", "talent-management"),
            "level": 0,
        },
        "BAD_USER_INPUT",
    ),
    (REGISTER, {"givenName": ""}, "BAD_USER_INPUT"),
    (REGISTER, {"givenName": "A", "languages": ["not a language"]}, "BAD_USER_INPUT"),
    (REGISTER, {"givenName": "A", "photoUrl": "javascript:alert(1)"}, "BAD_USER_INPUT"),
    (
        PORTFOLIO,
        {
            "authorId": PERSON,
            "kind": "TALK",
            "title": "T",
            "about": [encode_id("Expertise", "nope-nope")],
        },
        "NOT_FOUND",
    ),
    (PORTFOLIO, {"authorId": PERSON, "kind": "TALK", "title": "T", "year": 1200}, "BAD_USER_INPUT"),
    (REGISTER, {"givenName": "A", "unknownField": 1}, "BAD_USER_INPUT"),
]


@pytest.mark.parametrize(("mutation", "variables", "code"), WRITES)
async def test_rejected_writes_change_nothing(
    api: Api, ldbc_store: GraphStore, mutation: str, variables: dict[str, Any], code: str
) -> None:
    before = await snapshot(ldbc_store)
    error = await api.error(mutation, {"input": variables})
    assert error["extensions"]["code"] == code, error
    assert await snapshot(ldbc_store) == before


async def test_validation_errors_name_the_fields(api: Api) -> None:
    error = await api.error(UPDATE, {"input": {"id": PERSON, "givenName": "", "email": "x"}})
    fields = {f["field"] for f in error["extensions"]["fields"]}
    assert {"givenName", "email"} <= fields


async def test_several_operations_need_an_operation_name(api: Api) -> None:
    document = (
        "query A { countries(first: 1) { totalCount } } query B { events(first: 1) { totalCount } }"
    )
    answer = await api.client.post("/graphql", json={"query": document}, headers=api.headers)
    assert answer.status_code == 400  # a request error, like an unknown operationName
    body = answer.json()
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "operationName" in body["errors"][0]["message"]
    response = await api.client.post(
        "/graphql", json={"query": document, "operationName": "B"}, headers=api.headers
    )
    assert set(response.json()["data"]) == {"events"}


async def test_lone_surrogates_are_bad_input_not_store_errors(api: Api) -> None:
    search = "query ($t: String) { civilServants(filter: {nameContains: $t}) { totalCount } }"
    inline = '{ expertiseAreas(filter: {nameContains: "x\\ud800"}) { totalCount } }'
    for body in ({"query": search, "variables": {"t": "a\ud800b"}}, {"query": inline}):
        response = await api.client.post(
            "/graphql",
            content=json.dumps(body),  # ASCII JSON: the surrogate travels as the escape \ud800
            headers=api.headers | {"content-type": "application/json"},
        )
        assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_control_characters_in_messages_and_roles_are_refused(api: Api) -> None:
    request = (
        "mutation ($to: ID!, $m: String) { requestConnection(to: $to, message: $m) { outcome } }"
    )
    error = await api.error(request, {"to": encode_id("CivilServant", "1129"), "m": "x\u0001"})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["fields"][0]["field"] == "message"

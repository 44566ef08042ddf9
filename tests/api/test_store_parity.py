"""The API serves the same answers from both stores for the same data (issue: Neo4j as production store).

Other tests add institutions and events (in Indonesia and Thailand) that they do not delete, each
with its own random name per store, so the lists compared here stay clear of those.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager

from graph_api.app import create_app
from graph_api.settings import Settings
from schema.ids import encode_id
from tests.conftest import LoadedStores, member_headers

pytestmark = pytest.mark.neo4j

QUERIES: list[tuple[str, dict[str, Any]]] = [
    (
        """query ($id: ID!) { civilServant(id: $id) {
             id givenName familyName displayName city joinedAt verified countryCode country { name group }
             institution { id name kind country { code } }
             employments { sinceYear untilYear institution { name } }
             education { year institution { name } }
             expertise { level expertise { slug name broader { slug } } }
             connectionCount
             connections(first: 15) { totalCount pageInfo { hasNextPage endCursor } edges { cursor since node { id } } }
        } }""",
        {"id": encode_id("CivilServant", "933")},
    ),
    (
        """{ civilServants(first: 25, filter: {country: "IN"}, orderBy: {field: JOINED_AT, direction: DESC}) {
             totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
             edges { cursor node { id displayName joinedAt } } } }""",
        {},
    ),
    (
        """{ civilServants(last: 10, filter: {nameContains: "an"}) {
             totalCount pageInfo { hasNextPage hasPreviousPage } edges { node { id } } } }""",
        {},
    ),
    ("""{ countries(first: 100) { totalCount edges { node { id code name group } } } }""", {}),
    (
        """{ institutions(first: 30, filter: {country: "MY"}) { totalCount edges { cursor node { id name acronym kind
             members(first: 5) { totalCount edges { sinceYear node { id } } } } } } }""",
        {},
    ),
    (
        """{ expertiseAreas(first: 50, filter: {topLevel: true}) { totalCount edges { node { slug name
             narrower { slug } experts(first: 3) { totalCount edges { level node { id } } } } } } }""",
        {},
    ),
    (
        """{ events(first: 10, filter: {country: "ID"}) { totalCount edges { node { id title startDate endDate place country { code }
             organizers { acronym } participants { role } } } } }""",
        {},
    ),
    (
        """query ($p: ID!) { egoNetwork(person: $p, depth: 2, limit: 120) { truncated
             nodes { id distance } edges { id kind source target } } }""",
        {"p": encode_id("CivilServant", "933")},
    ),
    (
        """query ($p: ID!) { networkSearch(person: $p, maxHops: 3, filter: {givenName: "John"}, first: 20) {
             distance civilServant { id familyName } } }""",
        {"p": encode_id("CivilServant", "933")},
    ),
    (
        """query ($p: ID!) { recommendedConnections(person: $p, first: 10) { score mutualConnectionCount
             civilServant { id } sharedExpertise { slug } sharedInstitutions { id } crossBorder } }""",
        {"p": encode_id("CivilServant", "1129")},
    ),
    (
        """query ($a: ID!, $b: ID!) { connectionPath(from: $a, to: $b) { length } }""",
        {"a": encode_id("CivilServant", "933"), "b": encode_id("CivilServant", "367")},
    ),
    (
        """{ node(id: "%s") { id ... on Institution { name members(first: 3) { totalCount } } } }"""
        % encode_id("Institution", "1226"),
        {},
    ),
]


async def answers(store: Any) -> list[dict[str, Any]]:
    app = create_app(Settings(environment="test"), store=store)
    out = []
    async with LifespanManager(app) as manager:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app), base_url="http://t"
        ) as client:
            for query, variables in QUERIES:
                body = (
                    await client.post(
                        "/graphql",
                        json={"query": query, "variables": variables},
                        headers=member_headers(),
                    )
                ).json()
                assert "errors" not in body, body
                out.append(body)
    return out


async def test_both_stores_answer_alike(loaded_stores: LoadedStores) -> None:
    embedded = await answers(await loaded_stores.get("embedded"))
    neo4j = await answers(await loaded_stores.get("neo4j"))
    for (query, _), a, b in zip(QUERIES, embedded, neo4j, strict=True):
        assert a == b, query

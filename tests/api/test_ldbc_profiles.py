"""LDBC IS1 (profile) and IS3 (friends, newest first) read through GraphQL equal LDBC's answers.

Expected values: `expected/ldbc-validation-params/validation_params-sf0.1-500.csv` (LDBC driver
output, SOURCE.md §4); city ids are resolved to names with the sample's own `Place.csv`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from schema.ids import encode_id
from tests.conftest import LDBC_DIR, Api

PROFILE = """
query ($id: ID!) {
  civilServant(id: $id) { id givenName familyName displayName joinedAt city verified }
}
"""

CONNECTIONS = """
query ($id: ID!, $after: String) {
  civilServant(id: $id) {
    connections(first: 100, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { since node { id givenName familyName } }
    }
  }
}
"""


def ms(value: str) -> int:
    """ISO 8601 from the API → epoch milliseconds, as in the validation file."""
    return round(datetime.fromisoformat(value).timestamp() * 1000)


@pytest.fixture(scope="module")
def city_names() -> dict[int, str]:
    rows = (LDBC_DIR / "static" / "Place.csv").read_text("utf-8").splitlines()[1:]
    return {int(r.split("|")[0]): r.split("|")[1].replace("_", " ") for r in rows}


def lines_of(
    validation_lines: list[tuple[dict[str, Any], Any]], key: str
) -> list[tuple[dict[str, Any], Any]]:
    seen, out = set(), []
    for op, result in validation_lines:
        if key in op and op[key] not in seen:
            seen.add(op[key])
            out.append((op, result))
    return out


async def test_is1_profiles(api: Api, validation_lines: list, city_names: dict[int, str]) -> None:
    cases = lines_of(validation_lines, "personIdSQ1")
    assert len(cases) >= 10
    for op, expected in cases:
        data = await api.data(PROFILE, {"id": encode_id("CivilServant", str(op["personIdSQ1"]))})
        person = data["civilServant"]
        assert person["givenName"] == expected["firstName"]
        assert person["familyName"] == expected["lastName"]
        assert ms(person["joinedAt"]) == expected["creationDate"]
        assert person["city"] == city_names[expected["cityId"]]
        assert datetime.fromisoformat(person["joinedAt"]).tzinfo == UTC or person[
            "joinedAt"
        ].endswith("+00:00")


async def all_connections(api: Api, person_id: str) -> tuple[list[dict[str, Any]], int]:
    edges: list[dict[str, Any]] = []
    after = None
    while True:
        data = await api.data(
            CONNECTIONS, {"id": encode_id("CivilServant", person_id), "after": after}
        )
        conn = data["civilServant"]["connections"]
        edges += conn["edges"]
        if not conn["pageInfo"]["hasNextPage"]:
            return edges, conn["totalCount"]
        after = conn["pageInfo"]["endCursor"]


async def test_is3_connections_newest_first(api: Api, validation_lines: list) -> None:
    cases = lines_of(validation_lines, "personIdSQ3")
    assert len(cases) >= 10
    for op, expected in cases:
        edges, total = await all_connections(api, str(op["personIdSQ3"]))
        got = [
            {
                "personId": int(encode_back(e["node"]["id"])),
                "firstName": e["node"]["givenName"],
                "lastName": e["node"]["familyName"],
                "friendshipCreationDate": ms(e["since"]),
            }
            for e in edges
        ]
        assert got == expected
        assert total == len(expected)


def encode_back(global_id: str) -> str:
    import base64

    return base64.b64decode(global_id).decode().split(":", 1)[1]

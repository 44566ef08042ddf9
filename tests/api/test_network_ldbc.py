"""Network queries through GraphQL against answers no one here computed: LDBC's validation
parameters (IC1, IC11, IC13) and Kùzu's test cases, on LDBC SF0.1; plus the helper-computed
regression values of `derived-sf0.1-helper-computed.json` (BFS layers, mutual friends)."""

from __future__ import annotations

import json
from itertools import pairwise
from typing import Any

import pytest

from graph_db.importers.ldbc import country_code
from schema.ids import encode_id
from tests.conftest import EXPECTED_DIR, Api

PATH = """query ($a: ID!, $b: ID!, $hops: Int!) {
  connectionPath(from: $a, to: $b, maxHops: $hops) { length people { id } } }"""

SEARCH = """query ($p: ID!, $hops: Int!, $filter: NetworkSearchFilter, $first: Int!) {
  networkSearch(person: $p, maxHops: $hops, filter: $filter, first: $first) {
    distance
    civilServant {
      id familyName joinedAt city
      education { year institution { name } }
      employments { sinceYear institution { name country { code } } }
    }
  }
}"""


def pid(n: int | str) -> str:
    return encode_id("CivilServant", str(n))


def raw(global_id: str) -> int:
    import base64

    return int(base64.b64decode(global_id).decode().split(":", 1)[1])


def ldbc_ms(value: str) -> int:
    from datetime import datetime

    return round(datetime.fromisoformat(value).timestamp() * 1000)


def ops(lines: list[tuple[dict[str, Any], Any]], key: str) -> list[tuple[dict[str, Any], Any]]:
    return [(op, res) for op, res in lines if key in op]


@pytest.fixture(scope="module")
def kuzu_cases() -> dict[str, Any]:
    data = json.loads((EXPECTED_DIR / "kuzu-sf0.1-expected.json").read_text("utf-8"))
    return {c["id"]: c for c in data["cases"]}


@pytest.fixture(scope="module")
def derived_cases() -> dict[str, Any]:
    data = json.loads((EXPECTED_DIR / "derived-sf0.1-helper-computed.json").read_text("utf-8"))
    return {c["id"]: c for c in data["cases"]}


async def path_length(api: Api, a: int, b: int) -> int:
    data = await api.data(PATH, {"a": pid(a), "b": pid(b), "hops": 6})
    path = data["connectionPath"]
    if path is None:
        return -1
    assert path["people"][0]["id"] == pid(a) and path["people"][-1]["id"] == pid(b)
    assert len(path["people"]) == path["length"] + 1
    return path["length"]


async def test_ic13_shortest_path_lengths(
    api: Api, validation_lines: list, kuzu_cases: dict, derived_cases: dict
) -> None:
    cases = [
        (op["person1IdQ13StartNode"], op["person2IdQ13EndNode"], res["shortestPathLength"])
        for op, res in ops(validation_lines, "person1IdQ13StartNode")
    ]
    assert len(cases) == 22
    kuzu = kuzu_cases["IC13-768-32985348833975"]
    cases.append(
        (
            kuzu["parameters"]["person1Id"],
            kuzu["parameters"]["person2Id"],
            kuzu["expected"][0]["shortestPathLength"],
        )
    )
    cases += [
        (c["person1Id"], c["person2Id"], c["shortestPathLength"])
        for c in derived_cases["D-IC13-pairs"]["expected"]
    ]
    for a, b, expected in cases:
        assert await path_length(api, a, b) == expected, (a, b)


async def test_path_people_are_connected(api: Api, ldbc_store: Any) -> None:
    data = await api.data(PATH, {"a": pid(933), "b": pid(367), "hops": 6})
    ids = [str(raw(p["id"])) for p in data["connectionPath"]["people"]]
    for a, b in pairwise(ids):
        (page,) = await ldbc_store.connections_of(
            [a], page=__import__("graph_db.paging").paging.PageRequest(limit=400)
        )
        assert b in {e.person_id for e in page.items}


def ic1_row(hit: dict[str, Any]) -> dict[str, Any]:
    person = hit["civilServant"]
    return {
        "friendId": raw(person["id"]),
        "friendLastName": person["familyName"],
        "distanceFromPerson": hit["distance"],
        "friendCreationDate": ldbc_ms(person["joinedAt"]),
        "friendCityName": person["city"],
        "friendUniversities": sorted(
            (e["institution"]["name"], e["year"]) for e in person["education"]
        ),
        "friendCompanies": sorted(
            (e["institution"]["name"], e["sinceYear"], e["institution"]["country"]["code"])
            for e in person["employments"]
        ),
    }


def ic1_expected(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "friendId": row["friendId"],
        "friendLastName": row["friendLastName"],
        "distanceFromPerson": row["distanceFromPerson"],
        "friendCreationDate": row["friendCreationDate"],
        "friendCityName": row["friendCityName"].replace("_", " "),
        "friendUniversities": sorted(
            (u["organizationName"].replace("_", " "), u["year"]) for u in row["friendUniversities"]
        ),
        "friendCompanies": sorted(
            (c["organizationName"].replace("_", " "), c["year"], country_code(c["placeName"]))
            for c in row["friendCompanies"]
        ),
    }


async def test_ic1_friends_by_first_name(api: Api, validation_lines: list) -> None:
    cases = ops(validation_lines, "personIdQ1")
    assert len(cases) == 22
    for op, expected in cases:
        data = await api.data(
            SEARCH,
            {
                "p": pid(op["personIdQ1"]),
                "hops": 3,
                "filter": {"givenName": op["firstName"]},
                "first": op["limit"],
            },
        )
        got = [ic1_row(hit) for hit in data["networkSearch"]]
        assert got == [ic1_expected(row) for row in expected], op


async def test_ic11_job_referral(api: Api, validation_lines: list, kuzu_cases: dict) -> None:
    cases = [
        (op["personIdQ11"], op["countryName"], op["workFromYear"], op["limit"], expected)
        for op, expected in ops(validation_lines, "personIdQ11")
    ]
    assert len(cases) == 22
    kuzu = kuzu_cases["IC11-13194139534668-Hungary-2011"]
    p = kuzu["parameters"]
    cases.append((p["personId"], p["countryName"], p["workFromYear"], 10, kuzu["expected"]))
    for person, country, year, limit, expected in cases:
        code = country_code(country)
        data = await api.data(
            SEARCH,
            {
                "p": pid(person),
                "hops": 2,
                "first": 100,
                "filter": {"worksInCountry": code, "worksSinceBefore": year},
            },
        )
        rows = [
            (raw(hit["civilServant"]["id"]), e["institution"]["name"], e["sinceYear"])
            for hit in data["networkSearch"]
            for e in hit["civilServant"]["employments"]
            if e["institution"]["country"]["code"] == code and e["sinceYear"] < year
        ]
        assert all(hit["distance"] in (1, 2) for hit in data["networkSearch"])
        # LDBC order: workFrom ASC, personId ASC, organisation name DESC; LIMIT.
        rows.sort(key=lambda r: r[1], reverse=True)
        rows.sort(key=lambda r: (r[2], r[0]))
        want = [
            (
                r["personId"],
                (r.get("organizationName") or r.get("organisationName")).replace("_", " "),
                r.get("organizationWorkFromYear") or r.get("organisationWorkFromYear"),
            )
            for r in expected
        ]
        assert rows[:limit] == want, (person, country, year)


EGO = """query ($p: ID!, $depth: Int!, $limit: Int!) {
  egoNetwork(person: $p, depth: $depth, limit: $limit) {
    truncated center { id } nodes { id kind distance } edges { id kind source target } } }"""


async def test_ego_network_layers(api: Api, derived_cases: dict) -> None:
    for case in derived_cases["D-ego-sizes"]["expected"]:
        for depth in (1, 2):
            want = {d: case[f"exactly_{d}_hops"] for d in range(1, depth + 1)}
            if sum(want.values()) + 1 > 500:
                continue
            data = (
                await api.data(EGO, {"p": pid(case["personId"]), "depth": depth, "limit": 500})
            )["egoNetwork"]
            got: dict[int, int] = {}
            for n in data["nodes"]:
                got[n["distance"]] = got.get(n["distance"], 0) + 1
            assert got.pop(0) == 1 and got == want and not data["truncated"]
            node_ids = {n["id"] for n in data["nodes"]}
            assert all(e["source"] in node_ids and e["target"] in node_ids for e in data["edges"])
            assert len({e["id"] for e in data["edges"]}) == len(data["edges"])


async def test_ego_network_cut_by_limit(api: Api) -> None:
    data = (await api.data(EGO, {"p": pid(1129), "depth": 2, "limit": 50}))["egoNetwork"]
    assert data["truncated"] and len(data["nodes"]) == 50
    distances = [n["distance"] for n in data["nodes"]]
    assert distances == sorted(distances)

"""Keyset pagination: pages of 7 visit everyone exactly once, forward and backward, even while
people are added and removed between requests."""

from __future__ import annotations

import random
from typing import Any

import pytest

from graph_db.paging import PageRequest, PersonOrderField, SortDirection
from graph_db.port import GraphStore
from graph_db.records import PersonFilter
from schema.ids import decode_id
from tests.conftest import Api

PAGE = """
query ($first: Int, $after: String, $last: Int, $before: String, $filter: CivilServantFilter,
       $order: CivilServantOrder) {
  civilServants(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $order) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id displayName } }
  }
}
"""
REGISTER = "mutation ($input: RegisterCivilServantInput!) { registerCivilServant(input: $input) { civilServant { id } } }"
DELETE = "mutation ($id: ID!) { deleteCivilServant(id: $id) { deletedId } }"


async def walk(
    api: Api, *, backward: bool, size: int = 7, between=None, **variables: Any
) -> list[str]:
    """Every id of a list, page by page, calling `between()` before each next page."""
    seen: list[str] = []
    cursor = None
    while True:
        args = {"last": size, "before": cursor} if backward else {"first": size, "after": cursor}
        conn = (await api.data(PAGE, {**variables, **args}))["civilServants"]
        ids = [e["node"]["id"] for e in conn["edges"]]
        assert len(ids) <= size
        seen = ids + seen if backward else seen + ids
        more = conn["pageInfo"]["hasPreviousPage"] if backward else conn["pageInfo"]["hasNextPage"]
        if not more:
            return seen
        cursor = conn["pageInfo"]["startCursor"] if backward else conn["pageInfo"]["endCursor"]
        if between:
            await between()


@pytest.mark.parametrize(
    "order", [{"field": "NAME", "direction": "ASC"}, {"field": "JOINED_AT", "direction": "DESC"}]
)
async def test_every_person_once_forward_and_backward(
    api: Api, ldbc_store: GraphStore, order: dict
) -> None:
    total = await ldbc_store.count_people(filter=PersonFilter())
    forward = await walk(api, backward=False, order=order)
    backward = await walk(api, backward=True, order=order)
    assert len(forward) == len(set(forward)) == total
    assert backward == forward


@pytest.mark.parametrize("field", ["NAME", "JOINED_AT"])
async def test_a_countrys_pages_keep_the_whole_lists_order(
    api: Api, ldbc_store: GraphStore, field: str
) -> None:
    """A country's list is read in key order from an index (`cypher.IN_KEY_ORDER`): its walks,
    both ways and in both directions, are the whole list's walk with everyone else left out."""
    people = await ldbc_store.list_people(
        filter=PersonFilter(),
        order=PersonOrderField.NAME,
        direction=SortDirection.ASC,
        page=PageRequest(limit=2000),
    )
    country = {p.id: p.country_code for p in people.items}
    for direction in ("ASC", "DESC"):
        order = {"field": field, "direction": direction}
        whole = await walk(api, backward=False, size=50, order=order)
        expected = [g for g in whole if country[decode_id(g, "CivilServant")] == "CN"]
        assert len(expected) > 50  # several pages
        for backward in (False, True):
            for filter in ({"country": "CN"}, {"country": "CN", "verified": True}):
                seen = await walk(api, backward=backward, order=order, filter=filter)
                assert seen == expected, (order, backward, filter)


async def register(api: Api, given: str, family: str | None) -> str:
    data = await api.data(REGISTER, {"input": {"givenName": given, "familyName": family}})
    return data["registerCivilServant"]["civilServant"]["id"]


async def test_inserts_and_deletes_between_pages_skip_no_one(api: Api, token: str) -> None:
    rng = random.Random(7)
    stable = [
        await register(api, f"Stable{i:02d}", f"{token} {rng.choice('ABCDEFGHIJ')}{i:02d}")
        for i in range(30)
    ]
    churn = [
        await register(api, f"Churn{i:02d}", f"{token} {rng.choice('ABCDEFGHIJ')}x")
        for i in range(10)
    ]

    async def between() -> None:
        # Remove someone not in `stable`, add someone new whose name sorts anywhere.
        if churn:
            await api.data(DELETE, {"id": churn.pop()})
        churn.append(await register(api, "Late", f"{token} {rng.choice('ABCDEFGHIJ')}late"))

    try:
        for backward in (False, True):
            seen = await walk(
                api, backward=backward, between=between, filter={"nameContains": token}
            )
            assert len(seen) == len(set(seen)), "someone was seen twice"
            assert set(stable) <= set(seen), "someone present throughout was skipped"
    finally:
        for person in stable + churn:
            await api.post(DELETE, {"id": person})
    assert (await api.data(PAGE, {"first": 1, "filter": {"nameContains": token}}))["civilServants"][
        "totalCount"
    ] == 0


async def test_page_info_at_both_ends(api: Api) -> None:
    first = (await api.data(PAGE, {"first": 3}))["civilServants"]
    assert first["pageInfo"]["hasNextPage"] and not first["pageInfo"]["hasPreviousPage"]
    assert first["pageInfo"]["startCursor"] == first["edges"][0]["cursor"]
    last = (await api.data(PAGE, {"last": 3}))["civilServants"]
    assert last["pageInfo"]["hasPreviousPage"] and not last["pageInfo"]["hasNextPage"]
    assert first["totalCount"] == last["totalCount"] == 1528


@pytest.mark.parametrize("field", ["NAME", "JOINED_AT"])
async def test_a_searchs_pages_through_tied_names_keep_the_whole_lists_order(
    api: Api, ldbc_store: GraphStore, token: str, field: str
) -> None:
    """A search's matches are sorted after matching; on Neo4j cut by the key alone and the people
    tied on the cut's last key sought again (`Dialect.TIES_BY_SEEK`). Pages of 5 through groups
    of 7 people with one name walk, both ways and in both directions, exactly as the whole list
    (read in key order from an index, another statement) with everyone else left out."""
    names = [("Tied", f"{token} Alpha")] * 7 + [("Tied", f"{token} Beta")] * 7
    names += [(f"Solo{i}", f"{token} Alpha") for i in range(3)]
    made = [await register(api, given, family) for given, family in names]
    try:
        for direction in ("ASC", "DESC"):
            order = {"field": field, "direction": direction}
            whole = await ldbc_store.list_people(
                filter=PersonFilter(),
                order=PersonOrderField[field],
                direction=SortDirection[direction],
                page=PageRequest(limit=2000),
            )
            ours = {decode_id(g, "CivilServant") for g in made}
            expected = [p.id for p in whole.items if p.id in ours]
            assert len(expected) == len(made)
            for backward in (False, True):
                seen = await walk(
                    api, backward=backward, size=5, order=order, filter={"nameContains": token}
                )
                assert [decode_id(g, "CivilServant") for g in seen] == expected, (order, backward)
    finally:
        for person in made:
            await api.post(DELETE, {"id": person})

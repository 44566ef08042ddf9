"""The profile look-ahead (`schema.lookahead`, `GraphStore.neighbourhood`): a profile whose
connections are shown as cards is read in one store call, and answers exactly as without it.

Right answers: LDBC's IS3 (friends, newest first) for the pages, and the same selection asked
through `node(id:)`, which has no look-ahead and reads through the DataLoaders alone.
"""

from __future__ import annotations

import base64
from typing import Any

from schema.ids import encode_id
from tests.api.test_ldbc_profiles import lines_of, ms
from tests.conftest import Api

CARD = """id givenName familyName country { id name } institution { id name }
  employments { position sinceYear institution { name } }
  expertise { level years expertise { id name } }"""
PAGE = f"""totalCount pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }}
  edges {{ cursor since node {{ {CARD} }} }}"""
LOOKED_AHEAD = f"""query ($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {{
  civilServant(id: $id) {{ {CARD}
    connections(first: $first, after: $after, last: $last, before: $before) {{ {PAGE} }} }} }}"""
PLAIN = f"""query ($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {{
  node(id: $id) {{ ... on CivilServant {{ {CARD}
    connections(first: $first, after: $after, last: $last, before: $before) {{ {PAGE} }} }} }} }}"""


async def both(api: Api, person: str, **page: Any) -> dict[str, Any]:
    """The profile with the look-ahead; asserts the answer without it is the same."""
    variables = {"id": encode_id("CivilServant", person), **page}
    ahead = (await api.data(LOOKED_AHEAD, variables))["civilServant"]
    plain = (await api.data(PLAIN, variables))["node"]
    assert ahead == plain
    return ahead


def person_id(global_id: str) -> int:
    return int(base64.b64decode(global_id).decode().split(":", 1)[1])


async def test_connection_cards_page_as_ldbc_is3_says(api: Api, validation_lines: list) -> None:
    cases = lines_of(validation_lines, "personIdSQ3")[:12]
    assert len(cases) >= 10
    shown = 0
    for op, expected in cases:
        person = str(op["personIdSQ3"])
        edges, after = [], None
        while True:
            profile = await both(api, person, first=7, after=after)
            page = profile["connections"]
            edges += page["edges"]
            shown += sum(
                bool(e["node"]["institution"] or e["node"]["expertise"]) for e in page["edges"]
            )
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
        assert [(person_id(e["node"]["id"]), ms(e["since"])) for e in edges] == [
            (f["personId"], f["friendshipCreationDate"]) for f in expected
        ]
        assert profile["connections"]["totalCount"] == len(expected)
        if len(edges) > 4:  # backward from the last card
            back = await both(api, person, last=3, before=edges[-1]["cursor"])
            assert back["connections"]["edges"] == edges[-4:-1]
    assert shown  # the cards had institutions or expertise to show


async def test_without_cards_or_with_bad_arguments_nothing_changes(api: Api) -> None:
    variables = {"id": encode_id("CivilServant", "933"), "first": -1}
    ahead = await api.error(LOOKED_AHEAD, variables)
    plain = await api.error(PLAIN, variables)
    assert ahead["extensions"]["code"] == plain["extensions"]["code"] == "BAD_USER_INPUT"
    assert ahead["message"] == plain["message"]
    unknown = {"id": encode_id("CivilServant", "no-such-person"), "first": 5}
    assert (await api.error(LOOKED_AHEAD, unknown))["extensions"]["code"] == "NOT_FOUND"

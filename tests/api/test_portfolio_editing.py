"""Portfolio editing and co-authors through the API, on both stores (issue #13, item 2)."""

from __future__ import annotations

from typing import Any

from schema.ids import encode_id
from tests.conftest import AREA, Api

ADD = """mutation ($i: AddPortfolioItemInput!) { addPortfolioItem(input: $i) { portfolioItem { id } } }"""
UPDATE = """mutation ($i: UpdatePortfolioItemInput!) { updatePortfolioItem(input: $i) {
  portfolioItem { id title year summary kind about { slug } coAuthors { id } author { id } } } }"""
REMOVE = "mutation ($id: ID!) { removePortfolioItem(id: $id) { removedId } }"
PORTFOLIO = """query ($id: ID!) { civilServant(id: $id) { portfolio { id title author { id }
  coAuthors { id } } } }"""
COUNTRY = """mutation ($id: ID!, $c: String) { updateCivilServant(input: {id: $id, countryCode: $c})
  { civilServant { id } } }"""
ASCC = """{ asccIndicators(from: "2020-01-01", until: "2021-01-01", country: "ID") {
  total { portfolioItems collaborativePortfolioItems } } }"""


def gid(person: str) -> str:
    return encode_id("CivilServant", person)


async def portfolio(api: Api, person: str) -> list[dict[str, Any]]:
    return (await api.data(PORTFOLIO, {"id": gid(person)}))["civilServant"]["portfolio"]


async def test_edit_co_author_and_remove(api: Api, member: str, trio: list[str]) -> None:
    me, co, other = api.as_(member), api.as_(trio[0]), api.as_(trio[1])
    await api.data(COUNTRY, {"id": gid(member), "c": "ID"})
    await api.data(COUNTRY, {"id": gid(trio[0]), "c": "TH"})
    before = (await api.data(ASCC))["asccIndicators"]["total"]
    item_id = (
        await me.data(
            ADD, {"i": {"authorId": gid(member), "kind": "TALK", "title": "Draft", "year": 2020}}
        )
    )["addPortfolioItem"]["portfolioItem"]["id"]

    edited = (
        await me.data(
            UPDATE,
            {
                "i": {
                    "id": item_id,
                    "title": "Merit systems in ASEAN",
                    "kind": "PUBLICATION",
                    "summary": "A comparison.",
                    "about": [encode_id("Expertise", AREA)],
                    "coAuthors": [gid(trio[0])],
                }
            },
        )
    )["updatePortfolioItem"]["portfolioItem"]
    assert edited == {
        "id": item_id,
        "title": "Merit systems in ASEAN",
        "year": 2020,
        "summary": "A comparison.",
        "kind": "PUBLICATION",
        "about": [{"slug": AREA}],
        "coAuthors": [{"id": gid(trio[0])}],
        "author": {"id": gid(member)},
    }
    # The co-author sees it on their own profile, with its author.
    shared = await portfolio(co, trio[0])
    assert shared == [
        {
            "id": item_id,
            "title": "Merit systems in ASEAN",
            "author": {"id": gid(member)},
            "coAuthors": [{"id": gid(trio[0])}],
        }
    ]
    # The ASCC figures count it as co-authored across countries (ID and TH).
    after = (await api.data(ASCC))["asccIndicators"]["total"]
    assert after["portfolioItems"] == before["portfolioItems"] + 1
    assert after["collaborativePortfolioItems"] == before["collaborativePortfolioItems"] + 1

    # Only the author (or an admin) edits; co-authors do not.
    for caller in (co, other):
        refused = await caller.error(UPDATE, {"i": {"id": item_id, "title": "Mine"}})
        assert refused["extensions"]["code"] == "FORBIDDEN"
    bad_year = await me.error(UPDATE, {"i": {"id": item_id, "year": 1800}})
    assert [f["field"] for f in bad_year["extensions"]["fields"]] == ["year"]
    no_title = await me.error(UPDATE, {"i": {"id": item_id, "title": None}})
    assert no_title["extensions"]["code"] == "BAD_USER_INPUT"
    myself = await me.error(UPDATE, {"i": {"id": item_id, "coAuthors": [gid(member)]}})
    assert [f["field"] for f in myself["extensions"]["fields"]] == ["coAuthors"]
    unknown = await me.error(
        UPDATE, {"i": {"id": item_id, "title": "Changed", "coAuthors": [gid(member + "-nobody")]}}
    )
    assert unknown["extensions"]["code"] == "NOT_FOUND"
    assert (await portfolio(me, member))[0]["title"] == "Merit systems in ASEAN"  # nothing written
    assert (await portfolio(me, member))[0]["coAuthors"] == [{"id": gid(trio[0])}]
    missing = encode_id("PortfolioItem", member + "-missing")
    assert (await me.error(UPDATE, {"i": {"id": missing}}))["extensions"]["code"] == "NOT_FOUND"

    # Replacing the co-authors moves the item between profiles; [] leaves none.
    await me.data(UPDATE, {"i": {"id": item_id, "coAuthors": [gid(trio[1])]}})
    assert await portfolio(co, trio[0]) == []
    assert [p["id"] for p in await portfolio(other, trio[1])] == [item_id]
    assert (await co.error(REMOVE, {"id": item_id}))["extensions"]["code"] == "FORBIDDEN"
    assert (await me.data(REMOVE, {"id": item_id}))["removePortfolioItem"] == {"removedId": item_id}
    assert await portfolio(me, member) == [] and await portfolio(other, trio[1]) == []
    assert (await me.error(REMOVE, {"id": item_id}))["extensions"]["code"] == "NOT_FOUND"

"""Expert status granted and revoked by admins with a reason, on both stores (issue #13, item 3)."""

from __future__ import annotations

from graph_db.records import this_year
from schema.ids import encode_id
from tests.conftest import AREA, Api

SET = """mutation ($id: ID!, $on: Boolean!, $why: String!) {
  setExpertStatus(id: $id, isExpert: $on, reason: $why) { civilServant { isExpert } } }"""
HISTORY = (
    "query ($id: ID!) { civilServant(id: $id) { expertStatusHistory { isExpert reason at } } }"
)
FIGURES = """query ($from: Date!, $until: Date!) {
  networkOverview(countries: ["ID"]) { total { experts } }
  asccIndicators(from: $from, until: $until, country: "ID") { total { experts } } }"""
COUNTRY = """mutation ($id: ID!) { updateCivilServant(input: {id: $id, countryCode: "ID"})
  { civilServant { id } } }"""


async def figures(api: Api) -> tuple[int, int]:
    period = {"from": f"{this_year()}-01-01", "until": f"{this_year() + 1}-01-01"}
    found = await api.data(FIGURES, period)
    return (
        found["networkOverview"]["total"]["experts"],
        found["asccIndicators"]["total"]["experts"],
    )


async def test_grant_and_revoke_with_reason(api: Api, member: str, trio: list[str]) -> None:
    who = encode_id("CivilServant", member)
    me, other = api.as_(member), api.as_(trio[0])
    await api.data(COUNTRY, {"id": who})
    # The ASCC report counts experts with the areas they hold: give the member one.
    await me.data(
        "mutation ($id: ID!, $e: ID!) { setExpertise(input: {civilServantId: $id,"
        " expertiseId: $e, level: 4}) { expertise { level } } }",
        {"id": who, "e": encode_id("Expertise", AREA)},
    )
    before = await figures(api)

    refused = await me.error(SET, {"id": who, "on": True, "why": "I am"})
    assert refused["extensions"]["code"] == "FORBIDDEN"
    blank = await api.error(SET, {"id": who, "on": True, "why": "  "})
    assert [f["field"] for f in blank["extensions"]["fields"]] == ["reason"]
    assert (await me.data(HISTORY, {"id": who}))["civilServant"]["expertStatusHistory"] == []

    granted = await api.data(SET, {"id": who, "on": True, "why": "Led the ACCSM HR workshop"})
    assert granted["setExpertStatus"]["civilServant"]["isExpert"] is True
    assert await figures(api) == (before[0] + 1, before[1] + 1)
    again = await api.data(SET, {"id": who, "on": True, "why": "Twice"})  # no change, no record
    assert again["setExpertStatus"]["civilServant"]["isExpert"] is True

    inbox = await me.data("{ viewer { notifications(first: 1) { edges { node { kind } } } } }")
    assert inbox["viewer"]["notifications"]["edges"][0]["node"]["kind"] == "EXPERT_STATUS_CHANGED"
    trail = await api.data(
        '{ auditTrail(action: "setExpertStatus", first: 1) { edges { node { subjectIds } } } }'
    )
    subjects = trail["auditTrail"]["edges"][0]["node"]["subjectIds"]
    assert f"CivilServant:{member}" in subjects
    assert any(s.startswith("ExpertStatusChange:") for s in subjects)

    await api.data(SET, {"id": who, "on": False, "why": "Moved to another field"})
    assert await figures(api) == before
    history = (await me.data(HISTORY, {"id": who}))["civilServant"]["expertStatusHistory"]
    assert [(h["isExpert"], h["reason"]) for h in history] == [
        (False, "Moved to another field"),
        (True, "Led the ACCSM HR workshop"),
    ]
    assert (await other.error(HISTORY, {"id": who}))["extensions"]["code"] == "FORBIDDEN"
    missing = encode_id("CivilServant", member + "-nobody")
    assert (await api.error(SET, {"id": missing, "on": True, "why": "x"}))["extensions"][
        "code"
    ] == "NOT_FOUND"

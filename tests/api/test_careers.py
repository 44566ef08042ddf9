"""Editing employments and education through the API, on both stores (issue #13, item 1)."""

from __future__ import annotations

from typing import Any

from graph_db.records import this_year
from schema.ids import encode_id
from tests.conftest import Api

BKN, JPA = encode_id("Institution", "inst-id-bkn"), encode_id("Institution", "inst-bn-jpa")
PROFILE = """query ($id: ID!) { civilServant(id: $id) { institution { name }
  employments { id position sinceYear untilYear institution { id } }
  education { id year degree institution { id } } } }"""
JOB = "employment { id position sinceYear untilYear institution { id } }"
ADD_JOB = "mutation ($i: AddEmploymentInput!) { addEmployment(input: $i) { %s } }" % JOB
UPDATE_JOB = "mutation ($i: UpdateEmploymentInput!) { updateEmployment(input: $i) { %s } }" % JOB
END_JOB = "mutation ($id: ID!, $y: Int) { endEmployment(id: $id, untilYear: $y) { %s } }" % JOB
REMOVE_JOB = "mutation ($id: ID!) { removeEmployment(id: $id) { removedId civilServant { id } } }"
STUDY = "education { id year degree institution { id } }"
ADD_STUDY = "mutation ($i: AddEducationInput!) { addEducation(input: $i) { %s } }" % STUDY
UPDATE_STUDY = "mutation ($i: UpdateEducationInput!) { updateEducation(input: $i) { %s } }" % STUDY
REMOVE_STUDY = "mutation ($id: ID!) { removeEducation(id: $id) { removedId } }"


async def profile(api: Api, person: str) -> dict[str, Any]:
    return (await api.data(PROFILE, {"id": encode_id("CivilServant", person)}))["civilServant"]


def fields(error: dict[str, Any]) -> list[str]:
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error
    return sorted(f["field"] for f in error["extensions"]["fields"])


async def test_employment_lifecycle_and_current_institution(api: Api, member: str) -> None:
    me = api.as_(member)
    who = encode_id("CivilServant", member)
    older = (
        await me.data(
            ADD_JOB,
            {
                "i": {
                    "civilServantId": who,
                    "institutionId": JPA,
                    "position": "Analyst",
                    "sinceYear": 2010,
                }
            },
        )
    )["addEmployment"]["employment"]
    assert older["untilYear"] is None and older["institution"] == {"id": JPA}
    assert (await profile(me, member))["institution"]["name"].startswith("Public Service")
    newer = (
        await me.data(
            ADD_JOB, {"i": {"civilServantId": who, "institutionId": BKN, "sinceYear": 2018}}
        )
    )["addEmployment"]["employment"]
    # The current institution follows the newest open employment.
    now = await profile(me, member)
    assert now["institution"]["name"].endswith("(Badan Kepegawaian Negara)")
    assert [e["id"] for e in now["employments"]] == [newer["id"], older["id"]]

    changed = (await me.data(UPDATE_JOB, {"i": {"id": newer["id"], "position": "Director"}}))[
        "updateEmployment"
    ]["employment"]
    assert changed == newer | {"position": "Director"}
    ended = (await me.data(END_JOB, {"id": newer["id"], "y": 2022}))["endEmployment"]["employment"]
    assert ended["untilYear"] == 2022
    assert (await profile(me, member))["institution"]["name"].startswith("Public Service")
    # Moving the start year renames the entry; the old id is gone.
    moved = (await me.data(UPDATE_JOB, {"i": {"id": newer["id"], "sinceYear": 2017}}))[
        "updateEmployment"
    ]["employment"]
    assert moved["id"] != newer["id"] and (moved["sinceYear"], moved["untilYear"]) == (2017, 2022)
    assert (await me.error(UPDATE_JOB, {"i": {"id": newer["id"], "position": "x"}}))["extensions"][
        "code"
    ] == "NOT_FOUND"
    # endEmployment without a year ends it this year; null untilYear reopens it.
    assert (await me.data(END_JOB, {"id": older["id"]}))["endEmployment"]["employment"][
        "untilYear"
    ] == this_year()
    reopened = (await me.data(UPDATE_JOB, {"i": {"id": older["id"], "untilYear": None}}))[
        "updateEmployment"
    ]["employment"]
    assert reopened["untilYear"] is None
    removed = (await me.data(REMOVE_JOB, {"id": moved["id"]}))["removeEmployment"]
    assert removed == {"removedId": moved["id"], "civilServant": {"id": who}}
    assert [e["id"] for e in (await profile(me, member))["employments"]] == [older["id"]]
    trail = await api.data(
        '{ auditTrail(action: "removeEmployment", first: 1) { edges { node { actorId subjectIds } } } }'
    )
    assert trail["auditTrail"]["edges"][0]["node"]["actorId"] == member


async def test_bad_employment_edits_write_nothing(api: Api, member: str, trio: list[str]) -> None:
    me = api.as_(member)
    who = encode_id("CivilServant", member)
    base = {"civilServantId": who, "institutionId": JPA, "sinceYear": 2010}
    first = (await me.data(ADD_JOB, {"i": base}))["addEmployment"]["employment"]
    second = (await me.data(ADD_JOB, {"i": base | {"institutionId": BKN}}))["addEmployment"][
        "employment"
    ]
    before = await profile(me, member)

    assert fields(await me.error(ADD_JOB, {"i": base | {"sinceYear": this_year() + 1}})) == [
        "sinceYear"
    ]
    assert fields(
        await me.error(ADD_JOB, {"i": base | {"sinceYear": 2015, "untilYear": 2014}})
    ) == ["untilYear"]
    assert fields(
        await me.error(ADD_JOB, {"i": base | {"position": "a\nb", "sinceYear": 1800}})
    ) == [
        "position",
        "sinceYear",
    ]
    assert fields(await me.error(UPDATE_JOB, {"i": {"id": first["id"], "untilYear": 2000}})) == [
        "untilYear"
    ]
    assert fields(
        await me.error(UPDATE_JOB, {"i": {"id": first["id"], "institutionId": None}})
    ) == ["institutionId"]
    for bad_id in ("bm90IGFuIGlk", encode_id("Employment", "no key"), BKN):
        malformed = await me.error(UPDATE_JOB, {"i": {"id": bad_id, "position": "x"}})
        assert malformed["extensions"]["code"] == "BAD_USER_INPUT"
    missing_place = base | {"institutionId": encode_id("Institution", "no-such-place")}
    assert (await me.error(ADD_JOB, {"i": missing_place}))["extensions"]["code"] == "NOT_FOUND"
    assert (await me.error(ADD_JOB, {"i": base}))["extensions"]["code"] == "CONFLICT"
    # Moving one entry onto the other's key is refused, and the delete before it rolls back.
    clash = await me.error(UPDATE_JOB, {"i": {"id": second["id"], "institutionId": JPA}})
    assert clash["extensions"]["code"] == "CONFLICT"
    # Someone else's profile, and unknown people.
    other = base | {"civilServantId": encode_id("CivilServant", trio[0])}
    assert (await me.error(ADD_JOB, {"i": other}))["extensions"]["code"] == "FORBIDDEN"
    assert (await api.as_(trio[0]).error(REMOVE_JOB, {"id": first["id"]}))["extensions"][
        "code"
    ] == "FORBIDDEN"
    nobody = base | {"civilServantId": encode_id("CivilServant", member + "-nobody")}
    assert (await api.error(ADD_JOB, {"i": nobody}))["extensions"]["code"] == "NOT_FOUND"
    assert await profile(me, member) == before
    # An admin may edit anyone's.
    assert (await api.data(END_JOB, {"id": first["id"], "y": 2012}))["endEmployment"]


async def test_education_lifecycle(api: Api, member: str) -> None:
    me = api.as_(member)
    who = encode_id("CivilServant", member)
    added = (
        await me.data(
            ADD_STUDY,
            {"i": {"civilServantId": who, "institutionId": JPA, "degree": "MPA", "year": 2005}},
        )
    )["addEducation"]["education"]
    assert (added["year"], added["degree"], added["institution"]) == (2005, "MPA", {"id": JPA})
    assert fields(
        await me.error(UPDATE_STUDY, {"i": {"id": added["id"], "year": this_year() + 1}})
    ) == ["year"]
    assert (
        await me.error(
            ADD_STUDY, {"i": {"civilServantId": who, "institutionId": JPA, "year": 2005}}
        )
    )["extensions"]["code"] == "CONFLICT"
    changed = (
        await me.data(
            UPDATE_STUDY, {"i": {"id": added["id"], "degree": "PhD", "institutionId": BKN}}
        )
    )["updateEducation"]["education"]
    assert (changed["degree"], changed["institution"], changed["year"]) == (
        "PhD",
        {"id": BKN},
        2005,
    )
    assert (await profile(me, member))["education"] == [changed]
    assert (await me.data(REMOVE_STUDY, {"id": changed["id"]}))["removeEducation"] == {
        "removedId": changed["id"]
    }
    assert (await profile(me, member))["education"] == []
    assert (await me.error(REMOVE_STUDY, {"id": changed["id"]}))["extensions"][
        "code"
    ] == "NOT_FOUND"

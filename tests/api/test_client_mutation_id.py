"""Safe retries: `clientMutationId` makes a repeated create return the first result (issue #13,
item 9), also when 50 identical requests arrive at once, on both stores."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from graph_db.core.replay import REPLAY_RETENTION
from graph_db.port import GraphStore
from graph_db.records import utc_now
from schema.ids import decode_id, encode_id
from tests.conftest import Api

BKN = encode_id("Institution", "inst-id-bkn")
EVENT = """mutation ($i: CreateEventInput!) { createEvent(input: $i) { event { id title } } }"""
INSTITUTION = """mutation ($i: CreateInstitutionInput!) {
  createInstitution(input: $i) { institution { id name } } }"""
PORTFOLIO = """mutation ($i: AddPortfolioItemInput!) { addPortfolioItem(input: $i) {
  portfolioItem { id title } } }"""
JOB = """mutation ($i: AddEmploymentInput!) { addEmployment(input: $i) { employment { id } } }"""
STUDY = """mutation ($i: AddEducationInput!) { addEducation(input: $i) { education { id } } }"""


async def fifty(api: Api, query: str, variables: dict[str, Any]) -> list[dict[str, Any]]:
    """50 identical requests at once; every one must succeed."""
    bodies = await asyncio.gather(*[api.post(query, variables) for _ in range(50)])
    for body in bodies:
        assert "errors" not in body, body
    return [b["data"] for b in bodies]


async def test_fifty_concurrent_creates_make_one_event(api: Api, token: str) -> None:
    variables = {
        "i": {
            "title": f"Retried workshop {token}",
            "kind": "WORKSHOP",
            "startDate": "2026-05-04",
            "organizers": [BKN],
            "clientMutationId": f"event-{token}",
        }
    }
    answers = await fifty(api, EVENT, variables)
    assert len({a["createEvent"]["event"]["id"] for a in answers}) == 1
    listed = await api.data(
        "query ($t: String) { events(filter: {nameContains: $t}) { totalCount } }", {"t": token}
    )
    assert listed["events"]["totalCount"] == 1
    event_id = decode_id(answers[0]["createEvent"]["event"]["id"], "Event")
    trail = await api.data(
        '{ auditTrail(action: "createEvent", first: 100) { edges { node { subjectIds } } } }'
    )
    entries = [
        e for e in trail["auditTrail"]["edges"] if f"Event:{event_id}" in e["node"]["subjectIds"]
    ]
    assert len(entries) == 1  # the first attempt is audited; the repeats wrote nothing
    # Without the id, a second request makes a second event.
    del variables["i"]["clientMutationId"]
    await api.data(EVENT, variables)
    again = await api.data(
        "query ($t: String) { events(filter: {nameContains: $t}) { totalCount } }", {"t": token}
    )
    assert again["events"]["totalCount"] == 2


async def test_fifty_concurrent_adds_make_one_portfolio_item_and_employment(
    api: Api, member: str, token: str
) -> None:
    me = api.as_(member)
    who = encode_id("CivilServant", member)
    item = {
        "authorId": who,
        "kind": "TALK",
        "title": f"On retries {token}",
        "clientMutationId": "x",
    }
    answers = await fifty(me, PORTFOLIO, {"i": item})
    assert len({a["addPortfolioItem"]["portfolioItem"]["id"] for a in answers}) == 1
    job = {"civilServantId": who, "institutionId": BKN, "sinceYear": 2015, "clientMutationId": "x"}
    jobs = await fifty(me, JOB, {"i": job})
    assert len({a["addEmployment"]["employment"]["id"] for a in jobs}) == 1
    study = {"civilServantId": who, "institutionId": BKN, "year": 2001, "clientMutationId": "y"}
    studies = await fifty(me, STUDY, {"i": study})
    assert len({a["addEducation"]["education"]["id"] for a in studies}) == 1
    profile = await me.data(
        "query ($id: ID!) { civilServant(id: $id) { portfolio { id } employments { id }"
        " education { id } } }",
        {"id": who},
    )
    person = profile["civilServant"]
    assert [p["id"] for p in person["portfolio"]] == [
        answers[0]["addPortfolioItem"]["portfolioItem"]["id"]
    ]
    assert len(person["employments"]) == 1 and len(person["education"]) == 1
    # Without the id, repeating the employment is a CONFLICT (same institution and year).
    del job["clientMutationId"]
    assert (await me.error(JOB, {"i": job}))["extensions"]["code"] == "CONFLICT"


async def test_keys_are_per_caller_and_mutation_and_checked(
    api: Api, trio: list[str], token: str
) -> None:
    a, b = api.as_(trio[0]), api.as_(trio[1])
    made = []
    for who, caller in ((trio[0], a), (trio[1], b)):
        item = {
            "authorId": encode_id("CivilServant", who),
            "kind": "TALK",
            "title": f"Shared key {token}",
            "clientMutationId": "same",
        }
        made.append(
            (await caller.data(PORTFOLIO, {"i": item}))["addPortfolioItem"]["portfolioItem"]
        )
    assert made[0]["id"] != made[1]["id"]
    # A repeat returns the first result even if the rest of the input changed.
    changed = {
        "authorId": encode_id("CivilServant", trio[0]),
        "kind": "TALK",
        "title": "Another title",
        "clientMutationId": "same",
    }
    assert (await a.data(PORTFOLIO, {"i": changed}))["addPortfolioItem"]["portfolioItem"] == made[0]
    # createInstitution answers with the institution it made, not its `partOf`.
    unit = {"name": f"Unit {token}", "kind": "AGENCY", "partOf": BKN, "clientMutationId": token}
    first = (await api.data(INSTITUTION, {"i": unit}))["createInstitution"]["institution"]
    assert first["id"] != BKN
    assert (await api.data(INSTITUTION, {"i": unit}))["createInstitution"]["institution"] == first
    for bad in ("", "a\nb", "x" * 101):
        error = await a.error(PORTFOLIO, {"i": changed | {"clientMutationId": bad}})
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        assert error["extensions"]["fields"][0]["field"] == "clientMutationId"


async def test_payloads_echo_the_id_and_keys_expire_after_the_retention(
    api: Api, ldbc_store: GraphStore, token: str
) -> None:
    """Relay's echo, and `REPLAY_RETENTION`: a key older than it no longer replays, and recording
    a key removes expired ones. Keys are aged by moving their `at` back in the store."""
    echoed = """mutation ($i: CreateInstitutionInput!) {
      createInstitution(input: $i) { clientMutationId institution { id } } }"""
    unit = {"name": f"Echo {token}", "kind": "AGENCY", "clientMutationId": f"echo-{token}"}
    first = (await api.data(echoed, {"i": unit}))["createInstitution"]
    assert first["clientMutationId"] == f"echo-{token}"
    without = {k: v for k, v in unit.items() if k != "clientMutationId"} | {"name": f"E2 {token}"}
    assert (await api.data(echoed, {"i": without}))["createInstitution"]["clientMutationId"] is None
    # A second key, aged past the retention too: the next recorded key purges it.
    stale = {"name": f"Stale {token}", "kind": "AGENCY", "clientMutationId": f"stale-{token}"}
    await api.data(echoed, {"i": stale})
    aged = utc_now() - REPLAY_RETENTION - timedelta(minutes=1)
    await ldbc_store._write_statement(  # type: ignore[attr-defined]
        "MATCH (k:ClientMutation) WHERE k.id ENDS WITH $suffix SET k.at = $at",
        {"suffix": f"echo-{token}", "at": aged},
    )
    await ldbc_store._write_statement(  # type: ignore[attr-defined]
        "MATCH (k:ClientMutation) WHERE k.id ENDS WITH $suffix SET k.at = $at",
        {"suffix": f"stale-{token}", "at": aged},
    )
    again = (await api.data(echoed, {"i": unit}))["createInstitution"]
    assert again["institution"]["id"] != first["institution"]["id"]  # expired: made anew
    assert again["clientMutationId"] == f"echo-{token}"
    # The repeat recorded the key afresh (it replays again) and purged the other expired key.
    assert (await api.data(echoed, {"i": unit}))["createInstitution"] == again
    keys = await ldbc_store._read(  # type: ignore[attr-defined]
        "MATCH (k:ClientMutation) WHERE k.id ENDS WITH $suffix RETURN count(k)",
        {"suffix": f"stale-{token}"},
    )
    assert keys[0][0] == 0

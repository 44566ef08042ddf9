"""Profile fields through the API on each store: null clears, the display name follows the names,
and names always render (README, "Text input" and "Profiles")."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schema import build_schema
from schema.ids import encode_id
from tests.conftest import AREA, Api
from tests.unit.test_text_rules import INVISIBLE, REAL_NAMES, UNBALANCED

PROFILE = (
    "givenName familyName displayName email countryCode city position grade bio languages "
    "photoUrl phone profileVisibility"
)
UPDATE = (
    """mutation ($input: UpdateCivilServantInput!) {
  updateCivilServant(input: $input) { civilServant { %s } } }"""
    % PROFILE
)
READ = "query ($id: ID!) { civilServant(id: $id) { %s } }" % PROFILE
REGISTER = """mutation ($input: RegisterCivilServantInput!) {
  registerCivilServant(input: $input) { civilServant { id displayName } } }"""
DELETE = "mutation ($id: ID!) { deleteCivilServant(id: $id) { deletedId } }"
SEARCH = """query ($text: String!) { civilServants(first: 100, filter: {nameContains: $text}) {
  edges { node { id } } } }"""

NOT_CLEARABLE = {"givenName", "profileVisibility"}


def full_profile(token: str) -> dict[str, Any]:
    """A value for every field of `UpdateCivilServantInput` (a new input field needs one here)."""
    return {
        "givenName": "Siti",
        "familyName": "Wijaya",
        "displayName": "Bu Siti",
        "email": f"{token}@example.org",
        "countryCode": "ID",
        "city": "Bogor",
        "position": "Analyst",
        "grade": "III/a",
        "bio": "Workforce planning.",
        "languages": ["id", "en"],
        "photoUrl": "https://example.org/siti.jpg",
        "phone": "+62 21 555 0100",
        "profileVisibility": "NETWORK",
    }


CLEARED: dict[str, Any] = {"languages": [], "displayName": "Siti Wijaya"}
"""What a field reads as after `null` (None unless listed): no languages; a derived display name."""
ALSO: dict[str, dict[str, Any]] = {"familyName": {"displayName": "Siti"}}
"""Other fields that follow when one is cleared: new names without a display name derive it."""


def update_fields() -> list[str]:
    fields = build_schema()._schema.type_map["UpdateCivilServantInput"].fields
    return [name for name in fields if name != "id"]


async def test_null_clears_every_optional_field(api: Api, member: str, token: str) -> None:
    me, gid = api.as_(member), encode_id("CivilServant", member)
    full = full_profile(token)
    fields = update_fields()
    assert set(fields) == set(full), "full_profile needs a value for every input field"

    async def update(values: dict[str, Any]) -> dict[str, Any]:
        body = await me.data(UPDATE, {"input": {"id": gid, **values}})
        return body["updateCivilServant"]["civilServant"]

    for field in fields:
        assert await update(full) == full
        if field in NOT_CLEARABLE:
            error = await me.error(UPDATE, {"input": {"id": gid, field: None}})
            assert error["extensions"]["code"] == "BAD_USER_INPUT", error
            assert [f["field"] for f in error["extensions"]["fields"]] == [field], error
            continue
        expected = full | {field: CLEARED.get(field)} | ALSO.get(field, {})
        assert await update({field: None}) == expected, field
        assert (await me.data(READ, {"id": gid}))["civilServant"] == expected, field

    await update(full)
    everything = await update({f: None for f in fields if f not in NOT_CLEARABLE})
    assert everything == {f: None for f in fields} | {
        "givenName": "Siti",
        "displayName": "Siti",
        "languages": [],
        "profileVisibility": "NETWORK",
    }


async def test_a_cleared_display_name_follows_the_new_names(
    api: Api, member: str, token: str
) -> None:
    """The issue's case: a new family name with `displayName: null` must not leave the old name
    in lists and search."""
    me, gid = api.as_(member), encode_id("CivilServant", member)
    old, new = f"Rahma{token}", f"Wijaya{token}"
    await me.data(UPDATE, {"input": {"id": gid, "familyName": old, "displayName": f"Dr {old}"}})
    changed = await me.data(UPDATE, {"input": {"id": gid, "familyName": new, "displayName": None}})
    assert changed["updateCivilServant"]["civilServant"]["displayName"] == f"Member {new}"
    assert (await api.data(SEARCH, {"text": old}))["civilServants"]["edges"] == []
    assert (await api.data(SEARCH, {"text": new}))["civilServants"]["edges"] == [
        {"node": {"id": gid}}
    ]
    listed = await api.data(
        '{ civilServants(first: 5, filter: {nameContains: "%s"}) { edges { node { displayName } } } }'
        % token
    )
    assert [e["node"]["displayName"] for e in listed["civilServants"]["edges"]] == [f"Member {new}"]


names = st.text(alphabet=st.characters(categories=("L", "N")), min_size=1, max_size=8)
updates = st.lists(
    st.fixed_dictionaries(
        {},
        optional={
            "givenName": names,
            "familyName": st.one_of(st.none(), st.just(""), names),
            "displayName": st.one_of(st.none(), names),
            "city": st.one_of(st.none(), names),
        },
    ),
    min_size=1,
    max_size=4,
)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=updates)
async def test_any_updates_leave_the_display_name_of_a_fresh_profile(
    api: Api, member: str, steps: list[dict[str, Any]]
) -> None:
    me, gid = api.as_(member), encode_id("CivilServant", member)
    start = {"givenName": "Member", "familyName": member, "displayName": None}
    await me.data(UPDATE, {"input": {"id": gid, **start}})
    names: dict[str, Any] = dict(start)
    shown = None
    for step in steps:
        body = await me.data(UPDATE, {"input": {"id": gid, **step}})
        shown = body["updateCivilServant"]["civilServant"]["displayName"]
        for field in ("givenName", "familyName"):
            if field in step:
                names[field] = step[field] or None
        if "displayName" in step:
            names["displayName"] = step["displayName"]
        elif {"givenName", "familyName"} & step.keys():
            names["displayName"] = None
    fresh = (await api.data(REGISTER, {"input": names}))["registerCivilServant"]["civilServant"]
    await api.data(DELETE, {"id": fresh["id"]})
    assert shown == fresh["displayName"], (steps, names)
    assert (await me.data(READ, {"id": gid}))["civilServant"]["displayName"] == shown


@pytest_asyncio.fixture(loop_scope="session")
async def event_id(api: Api) -> AsyncIterator[str]:
    events = await api.data("{ events(first: 1) { edges { node { id } } } }")
    yield events["events"]["edges"][0]["node"]["id"]


def _refusals(member: str, mentor: str, event: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(mutation, refused field, variables) for one-line fields of every kind of record, each
    with a value that draws nothing or leaves a bidi control open."""
    me = encode_id("CivilServant", member)
    person_fields = [
        (field, value)
        for field, values in (
            ("givenName", [*INVISIBLE, *UNBALANCED]),
            ("familyName", INVISIBLE[:3] + UNBALANCED[:3]),
            ("displayName", INVISIBLE[:3] + UNBALANCED[:3]),
            ("city", INVISIBLE[:2] + UNBALANCED[:2]),
            ("position", INVISIBLE[:2]),
        )
        for value in values
    ]
    return [
        *[("update", f, {"input": {"id": me, f: v}}) for f, v in person_fields],
        ("register", "givenName", {"input": {"givenName": "\u202e"}}),
        ("register", "familyName", {"input": {"givenName": "Ana", "familyName": "\u3164"}}),
        (
            "event",
            "title",
            {"input": {"title": "\u200b", "kind": "MEETING", "startDate": "2020-01-01"}},
        ),
        (
            "event",
            "place",
            {
                "input": {
                    "title": "Ok",
                    "kind": "MEETING",
                    "startDate": "2020-01-01",
                    "place": "\u202eJakarta",
                }
            },
        ),
        ("institution", "name", {"input": {"name": "\u2800", "kind": "AGENCY"}}),
        (
            "institution",
            "acronym",
            {"input": {"name": "Ok", "kind": "AGENCY", "acronym": "\u00ad"}},
        ),
        ("expertise", "name", {"input": {"name": "\u200d"}}),
        ("portfolio", "title", {"input": {"authorId": me, "kind": "TALK", "title": "\u202eevil"}}),
        (
            "participation",
            "role",
            {"input": {"civilServantId": me, "eventId": event, "role": "\ufeff"}},
        ),
        ("connection", "message", {"to": me, "m": "hello \u202e"}),
        (
            "mentorship",
            "goal",
            {
                "mentor": encode_id("CivilServant", mentor),
                "area": encode_id("Expertise", AREA),
                "goal": "\u2067learn",
            },
        ),
    ]


MUTATIONS = {
    "update": UPDATE,
    "register": REGISTER,
    "event": "mutation ($input: CreateEventInput!) { createEvent(input: $input) { event { id } } }",
    "institution": "mutation ($input: CreateInstitutionInput!) { createInstitution(input: $input) { institution { id } } }",
    "expertise": "mutation ($input: CreateExpertiseAreaInput!) { createExpertiseArea(input: $input) { expertise { id } } }",
    "portfolio": "mutation ($input: AddPortfolioItemInput!) { addPortfolioItem(input: $input) { portfolioItem { id } } }",
    "participation": "mutation ($input: RecordParticipationInput!) { recordParticipation(input: $input) { event { id } } }",
    "connection": "mutation ($to: ID!, $m: String) { requestConnection(to: $to, message: $m) { outcome } }",
    "mentorship": "mutation ($mentor: ID!, $area: ID!, $goal: String) { requestMentorship(mentor: $mentor, expertise: $area, goal: $goal) { mentorship { id } } }",
}


async def test_text_that_draws_nothing_or_leaves_bidi_open_is_refused_with_the_field(
    api: Api, member: str, trio: list[str], event_id: str, token: str
) -> None:
    seen = set()
    for kind, field, variables in _refusals(member, trio[2], event_id):
        caller = api.as_(token + "-new") if kind == "register" else api
        body = await caller.post(MUTATIONS[kind], variables)
        assert body["data"] is not None and not any(body["data"].values()), body
        (error,) = body["errors"]
        assert error["extensions"]["code"] == "BAD_USER_INPUT", (kind, field, body)
        assert [f["field"] for f in error["extensions"]["fields"]] == [field], (kind, body)
        seen.add(kind)
    assert seen == set(MUTATIONS)
    profile = (await api.data(READ, {"id": encode_id("CivilServant", member)}))["civilServant"]
    assert (profile["givenName"], profile["city"]) == ("Member", None), "nothing was written"


@pytest.mark.parametrize("name", REAL_NAMES)
async def test_real_names_round_trip_exactly_and_are_found(
    api: Api, member: str, name: str
) -> None:
    me, gid = api.as_(member), encode_id("CivilServant", member)
    body = await me.data(UPDATE, {"input": {"id": gid, "givenName": name, "city": name}})
    person = body["updateCivilServant"]["civilServant"]
    assert (person["givenName"], person["city"]) == (name, name)
    assert person["displayName"] == f"{name} {member}"
    stored = (await me.data(READ, {"id": gid}))["civilServant"]
    assert [ord(c) for c in stored["givenName"]] == [ord(c) for c in name]
    found = (await me.data(SEARCH, {"text": name}))["civilServants"]["edges"]
    assert {"node": {"id": gid}} in found or len(found) == 100, name

"""Hostile strings in names, bios and search: stored and read back unchanged, found, never executed.

Hypothesis mixes fragments that break naive code (NFC and NFD forms, emoji with ZWJ, right-to-left
text, zero-width characters, quotes, strings that look like Cypher or GraphQL) with arbitrary
printable Unicode, and sends them through the API on each store. Control characters, names that
draw nothing and unbalanced bidirectional controls are refused with BAD_USER_INPUT (see
`graph_db.records.SINGLE_LINE`, tested on their own in `tests/unit/test_text_rules.py`);
everything else must round-trip exactly.
"""

from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from graph_db.records import MAX_NAME_CHARS, MAX_TEXT_CHARS, Name, Text
from schema.ids import encode_id
from tests.conftest import Api

FRAGMENTS = [
    "Nguyễn Thị Minh Khai",  # NFC
    unicodedata.normalize("NFD", "Nguyễn Thị Minh Khai"),
    "สมชาย ใจดี",  # Thai, with combining vowels
    "မောင်မောင်",  # Myanmar
    "مريم الحسن",  # Arabic, right to left
    "שָׁלוֹם",  # Hebrew with points
    "\u202eevil\u202c",  # right-to-left override
    "👩🏽\u200d💼🇮🇩",  # emoji: skin tone, ZWJ sequence, flag
    "a\u200bb\u200cc\u200dd\ufeff",  # zero-width space, ZWNJ, ZWJ, BOM
    "') MATCH (n) DETACH DELETE n //",
    '"}) WITH 1 AS x CALL db.labels() YIELD label RETURN label //',
    "$name {id: $id} `backtick` \\' \\\" \\\\",
    "{ __schema { types { name } } }",
    '" } mutation { deleteCivilServant(id: "x") { deletedId } } #',
    "<script>alert(1)</script> %00 %s {0}",
]
printable = st.text(
    alphabet=st.characters(exclude_categories=("Cc", "Cs")), min_size=0, max_size=40
)
hostile = st.lists(st.one_of(st.sampled_from(FRAGMENTS), printable), min_size=1, max_size=4).map(
    "".join
)

UPDATE = """mutation ($input: UpdateCivilServantInput!) {
  updateCivilServant(input: $input) { civilServant { givenName familyName displayName bio } } }"""
READ = """query ($id: ID!) { civilServant(id: $id) { givenName familyName displayName bio } }"""
SEARCH = """query ($text: String!) { civilServants(first: 100, filter: {nameContains: $text}) {
  edges { node { id } } } }"""
COUNT = "{ civilServants { totalCount } }"


def _valid(kind: object, value: str) -> bool:
    """Whether the records accept `value` as `kind` (e.g. a name of only zero-width characters,
    or an unclosed right-to-left override, is refused)."""
    try:
        TypeAdapter(kind).validate_python(value)
    except ValidationError:
        return False
    return True


SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(given_name=hostile, bio=hostile)
async def test_names_and_bios_round_trip_and_are_found(
    api: Api, member: str, given_name: str, bio: str
) -> None:
    gid = encode_id("CivilServant", member)
    me = api.as_(member)
    people_before = (await api.data(COUNT))["civilServants"]["totalCount"]
    name = given_name.strip()[:MAX_NAME_CHARS].strip()
    body = await me.post(UPDATE, {"input": {"id": gid, "givenName": name, "bio": bio}})
    if not (_valid(Name, name) and _valid(Text, bio)):
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
        return
    assert "errors" not in body, body["errors"]
    expected = {
        "givenName": name,
        "familyName": member,
        "displayName": f"{name} {member}",
        "bio": bio,
    }
    assert body["data"]["updateCivilServant"]["civilServant"] == expected
    assert (await me.data(READ, {"id": gid}))["civilServant"] == expected
    for query in {name, unicodedata.normalize("NFD", name), unicodedata.normalize("NFC", name)}:
        found = (await me.data(SEARCH, {"text": query}))["civilServants"]["edges"]
        assert {"node": {"id": gid}} in found or len(found) == 100, query
    assert (await api.data(COUNT))["civilServants"]["totalCount"] == people_before


@SETTINGS
@given(text=hostile)
async def test_search_with_hostile_text_answers_normally(api: Api, text: str) -> None:
    body = await api.post(SEARCH, {"text": text})
    assert "errors" not in body, body["errors"]
    assert isinstance(body["data"]["civilServants"]["edges"], list)


async def test_long_strings(api: Api, member: str) -> None:
    gid = encode_id("CivilServant", member)
    me = api.as_(member)
    unit = "Ꭰ👩🏽\u200d💼 "
    long_bio = unit * (MAX_TEXT_CHARS // len(unit))
    long_bio += "x" * (MAX_TEXT_CHARS - len(long_bio))
    assert len(long_bio) == MAX_TEXT_CHARS
    body = await me.data(UPDATE, {"input": {"id": gid, "bio": long_bio}})
    assert body["updateCivilServant"]["civilServant"]["bio"] == long_bio
    for field, value in (("bio", long_bio + "x"), ("givenName", "n" * (MAX_NAME_CHARS + 1))):
        error = await me.error(UPDATE, {"input": {"id": gid, field: value}})
        assert error["extensions"]["code"] == "BAD_USER_INPUT", error
    longest = "n" * MAX_NAME_CHARS  # the default display name (given + family) is longer still
    named = await me.data(UPDATE, {"input": {"id": gid, "givenName": longest}})
    assert named["updateCivilServant"]["civilServant"]["displayName"] == f"{longest} {member}"
    found = await me.data(SEARCH, {"text": "z" * MAX_TEXT_CHARS})
    assert found["civilServants"]["edges"] == []
    assert (await me.data(READ, {"id": gid}))["civilServant"]["bio"] == long_bio


async def test_control_characters_are_refused_with_the_field(api: Api, member: str) -> None:
    gid = encode_id("CivilServant", member)
    me = api.as_(member)
    for field, value in (
        ("givenName", "Ana\x00"),
        ("familyName", "Lim\x1b[31m"),
        ("city", "Manila\nPasig"),
        ("bio", "bell\x07"),
    ):
        error = await me.error(UPDATE, {"input": {"id": gid, field: value}})
        assert error["extensions"]["code"] == "BAD_USER_INPUT", error
        assert "control character" in error["message"], error
    ok = await me.data(UPDATE, {"input": {"id": gid, "bio": "line one\n\tline two\r\n"}})
    assert ok["updateCivilServant"]["civilServant"]["bio"] == "line one\n\tline two\r\n"

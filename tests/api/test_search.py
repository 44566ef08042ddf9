"""Ranked search (`search`) on each store: every word must match, accents and case are folded, a
name match ranks above a bio-only match, facets count every hit, pages neither repeat nor skip,
bad queries are BAD_USER_INPUT, Lucene syntax in the input is harmless, hidden profiles match on
their names only, and the index follows every write.

Every test's documents carry the test's `token` as a word, and every query holds it, so the shared
LDBC store's own people never match and the expected answers are computed from the set-up here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import pytest_asyncio

from graph_db.audit import system_change
from graph_db.port import GraphStore
from graph_db.records import (
    MAX_QUERY_CHARS,
    CivilServantCreate,
    CivilServantUpdate,
    Expertise,
    ExpertiseClaim,
    Institution,
    InstitutionKind,
    ProfileVisibility,
    ReferenceKind,
    utc_now,
)
from schema.ids import encode_id
from tests.conftest import AREA, Api

SEARCH = """query ($q: String!, $first: Int, $after: String, $filter: SearchFilter) {
  search(query: $q, first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor score node { __typename
      ... on CivilServant { id displayName position }
      ... on Institution { id name } } }
    facets { countries { code count country { name } } expertise { slug count expertise { name } } }
  }
}"""
SECOND_AREA = "performance-management"
UNDER = "negotiation-and-protocol"


@dataclass
class Person:
    """What a test person is made of (and what the expected answers are computed from)."""

    given: str
    family: str
    country: str | None = None
    position: str | None = None
    bio: str | None = None
    areas: list[str] = field(default_factory=list)
    visibility: ProfileVisibility = ProfileVisibility.PUBLIC


def people(token: str) -> dict[str, Person]:
    return {
        "nguyen": Person("Nguyễn", f"Văn {token}", "VN", position="Finance officer", areas=[AREA]),
        "lan": Person("Nguyen", f"Lan {token}", "VN", bio="Works on budgets.", areas=[AREA]),
        "budi": Person(
            "Budi",
            token,
            "ID",
            bio="Studied public finance and the history of the Nguyễn dynasty.",
            areas=[SECOND_AREA],
        ),
        "dang": Person(
            "Đặng", f"Thu {token}", "VN", position="Director", areas=[AREA, SECOND_AREA]
        ),
        "hidden": Person(
            "Somchai",
            token,
            "TH",
            bio=f"Keeps a secretword{token} here.",
            visibility=ProfileVisibility.NETWORK,
        ),
    }


@dataclass
class World:
    token: str
    ids: dict[str, str]
    people: dict[str, Person]
    institution: str


@pytest_asyncio.fixture(loop_scope="session")
async def world(ldbc_store: GraphStore, token: str) -> AsyncIterator[World]:
    made = people(token)
    ids = {}
    for key, p in made.items():
        record = CivilServantCreate(
            given_name=p.given,
            family_name=p.family,
            country_code=p.country,
            position=p.position,
            bio=p.bio,
            profile_visibility=p.visibility,
        ).to_record(id=f"{token}-{key}", joined_at=utc_now())
        await ldbc_store.create_civil_servant(
            record.model_copy(update={"verified": True}), change=system_change()
        )
        for area in p.areas:
            claim = ExpertiseClaim(person_id=record.id, expertise_id=area, level=3)
            await ldbc_store.set_expertise(claim, change=system_change())
        ids[key] = record.id
    institution = Institution(
        id=f"{token}-ministry",
        name=f"Ministry of Finance {token}",
        acronym="MOF",
        kind=InstitutionKind.MINISTRY,
        country_code="VN",
    )
    await ldbc_store.create_institution(institution, part_of=None, change=system_change())
    yield World(token, ids, made, institution.id)
    for person in ids.values():
        await ldbc_store.delete_civil_servant(person, change=system_change())


async def search(api: Api, q: str, **variables: Any) -> dict[str, Any]:
    return (await api.data(SEARCH, {"q": q, **variables}))["search"]


def hit_ids(found: dict[str, Any]) -> list[str]:
    return [e["node"]["id"] for e in found["edges"]]


def gid(world: World, *keys: str) -> set[str]:
    return {encode_id("CivilServant", world.ids[k]) for k in keys}


async def test_every_word_must_match_across_fields(api: Api, world: World) -> None:
    found = await search(api, f"nguyen finance {world.token}")
    # Nguyễn: name + position; Budi: both words in the bio. Lan has no "finance"; the ministry
    # no "nguyen"; the hidden profile neither.
    assert set(hit_ids(found)) == gid(world, "nguyen", "budi")
    assert found["totalCount"] == 2


async def test_accents_case_and_forms_fold(api: Api, world: World) -> None:
    expected = gid(world, "nguyen", "lan", "budi")
    for q in ("nguyen", "NGUYỄN", "Nguyên", "nguye\u0302\u0303n"):
        assert set(hit_ids(await search(api, f"{q} {world.token}"))) == expected, q
    assert set(hit_ids(await search(api, f"dang {world.token}"))) == gid(world, "dang")
    assert set(hit_ids(await search(api, f"ĐẶNG {world.token.upper()}"))) == gid(world, "dang")


async def test_a_name_match_ranks_above_a_bio_only_match(api: Api, world: World) -> None:
    found = await search(api, f"nguyen {world.token}")
    order = hit_ids(found)
    assert set(order[:2]) == gid(world, "nguyen", "lan")
    assert order[2:] == list(gid(world, "budi"))
    scores = [e["score"] for e in found["edges"]]
    assert scores == sorted(scores, reverse=True)


async def test_institutions_are_found_by_name_and_acronym(api: Api, world: World) -> None:
    ministry = encode_id("Institution", world.institution)
    found = await search(api, f"mof {world.token}")
    assert hit_ids(found) == [ministry]
    assert found["edges"][0]["node"]["__typename"] == "Institution"
    only = await search(api, f"finance {world.token}", filter={"kinds": ["INSTITUTION"]})
    assert hit_ids(only) == [ministry]


async def test_facets_count_every_hit(api: Api, world: World) -> None:
    found = await search(api, world.token, first=1)
    # The admin (the api's caller) sees the hidden profile too: the token is in its names.
    countries = Counter([p.country for p in world.people.values()] + ["VN"])  # + the ministry
    areas = Counter(a for p in world.people.values() for a in p.areas)
    assert found["totalCount"] == len(world.people) + 1
    facets = found["facets"]
    assert {c["code"]: c["count"] for c in facets["countries"]} == countries
    assert {e["slug"]: e["count"] for e in facets["expertise"]} == areas
    assert facets["countries"][0] == {"code": "VN", "count": 4, "country": {"name": "Viet Nam"}}
    assert len(found["edges"]) == 1 and found["pageInfo"]["hasNextPage"]
    narrowed = await search(api, world.token, filter={"country": "VN"})
    assert narrowed["totalCount"] == countries["VN"]
    assert {c["code"] for c in narrowed["facets"]["countries"]} == {"VN"}
    area = encode_id("Expertise", SECOND_AREA)
    by_area = await search(api, world.token, filter={"expertise": area})
    assert set(hit_ids(by_area)) == gid(world, "budi", "dang")
    assert {e["slug"]: e["count"] for e in by_area["facets"]["expertise"]} == {
        SECOND_AREA: 2,
        AREA: 1,
    }


async def test_pages_neither_repeat_nor_skip(api: Api, world: World) -> None:
    whole = hit_ids(await search(api, world.token, first=100))
    assert len(whole) == len(world.people) + 1
    walked: list[str] = []
    after = None
    while True:
        page = await search(api, world.token, first=2, after=after)
        walked += hit_ids(page)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert walked == whole
    other = await api.error(SEARCH, {"q": f"nguyen {world.token}", "after": after})
    assert other["extensions"]["code"] == "BAD_USER_INPUT"  # a cursor of another query


@pytest.mark.parametrize("q", ["", "   ", "!!!", "\\", "*:*", '"'])
async def test_a_query_without_words_is_bad_input(api: Api, q: str) -> None:
    error = await api.error(SEARCH, {"q": q})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["fields"][0]["field"] == "query"
    assert error["path"] == ["search"]


async def test_long_queries_are_refused_with_the_limit(api: Api) -> None:
    error = await api.error(SEARCH, {"q": "a" * (MAX_QUERY_CHARS + 1)})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["limit"] == "query"
    assert error["extensions"]["max"] == MAX_QUERY_CHARS
    many = await api.error(SEARCH, {"q": " ".join(["word"] * 13)})
    assert many["extensions"]["code"] == "BAD_USER_INPUT"


@pytest.mark.parametrize(
    "hostile",
    [
        'a* OR b~ "x',
        "\\",
        "*:* OR",
        "AND OR NOT",
        "bio:secretword",
        "(nguyen",
        "nguyen^100",
        "n?uyen",
        "/reg.*ex/",
        "&& || ! { } [ ] ~ -",
        "'; MATCH (n) DETACH DELETE n //",
    ],
)
async def test_query_syntax_in_the_input_is_harmless(api: Api, world: World, hostile: str) -> None:
    body = await api.post(SEARCH, {"q": f"{world.token} {hostile}"})
    assert "errors" not in body, body["errors"]
    hits = set(hit_ids(body["data"]["search"]))
    mine = {encode_id("CivilServant", i) for i in world.ids.values()}
    assert hits <= mine | {encode_id("Institution", world.institution)}


async def test_hidden_profiles_match_on_their_names_only(api: Api, world: World) -> None:
    other = api.as_(world.ids["nguyen"])
    secret = f"secretword{world.token}"
    assert hit_ids(await search(other, f"{secret}")) == []
    assert hit_ids(await search(other, f"somchai {world.token}")) == list(gid(world, "hidden"))
    assert hit_ids(await search(api, secret)) == list(gid(world, "hidden"))  # the admin
    assert hit_ids(await search(api.as_(world.ids["hidden"]), secret)) == list(gid(world, "hidden"))


async def test_the_index_follows_every_write(
    api: Api, world: World, ldbc_store: GraphStore
) -> None:
    nguyen = world.ids["nguyen"]
    update = CivilServantUpdate(bio="Now leads procurement reform.", position=None)
    await ldbc_store.update_civil_servant(nguyen, update, change=system_change())
    assert set(hit_ids(await search(api, f"finance nguyen {world.token}"))) == gid(world, "budi")
    assert hit_ids(await search(api, f"procurement {world.token}")) == list(gid(world, "nguyen"))
    await ldbc_store.remove_expertise(nguyen, AREA, change=system_change())
    facets = (await search(api, world.token))["facets"]["expertise"]
    assert {e["slug"]: e["count"] for e in facets}[AREA] == 2  # lan and dang still hold it
    area_word = "talent"  # "Talent management" is the area's name
    assert nguyen not in {
        h.split(":")[-1] for h in hit_ids(await search(api, f"{area_word} {world.token}"))
    }
    assert set(hit_ids(await search(api, f"{area_word} {world.token}"))) == gid(
        world, "lan", "dang"
    )
    await ldbc_store.delete_civil_servant(world.ids["lan"], change=system_change())
    assert set(hit_ids(await search(api, f"{area_word} {world.token}"))) == gid(world, "dang")
    world.ids.pop("lan")


async def test_admins_corrections_keep_the_index_in_step(
    api: Api, world: World, ldbc_store: GraphStore
) -> None:
    """Renaming or merging an institution re-indexes it (a merged one is found no more); renaming
    or merging an expertise area re-indexes its holders (`CatalogueStore`, issue #13 item 4)."""
    t = world.token
    ministry = Institution(
        id=world.institution,
        name=f"Treasury Department {t}",
        acronym="TD",
        kind=InstitutionKind.MINISTRY,
        country_code="VN",
    )
    await ldbc_store.update_institution(ministry, part_of=None, change=system_change())
    institution = encode_id("Institution", world.institution)
    assert hit_ids(await search(api, f"treasury {t}")) == [institution]
    assert hit_ids(await search(api, f"ministry finance {t}")) == []
    old = Institution(id=f"{t}-old", name=f"Revenue Office {t}", kind=InstitutionKind.AGENCY)
    await ldbc_store.create_institution(old, part_of=None, change=system_change())
    assert hit_ids(await search(api, f"revenue {t}")) == [encode_id("Institution", old.id)]
    await ldbc_store.merge_reference(
        ReferenceKind.INSTITUTION, source_id=old.id, target_id=ministry.id, change=system_change()
    )
    assert hit_ids(await search(api, f"revenue {t}")) == []
    # An area's name is part of its holders' documents. The new areas sit below a second-level
    # area: other tests compare the stores' top-level areas and their children.
    first, second = f"{t}-zorb", f"{t}-florb"
    await ldbc_store.create_expertise(
        Expertise(id=first, name=f"Zorbology {t}"), broader=UNDER, change=system_change()
    )
    await ldbc_store.create_expertise(
        Expertise(id=second, name=f"Florbistics {t}"), broader=UNDER, change=system_change()
    )
    claim = ExpertiseClaim(person_id=world.ids["dang"], expertise_id=first, level=2)
    await ldbc_store.set_expertise(claim, change=system_change())
    await ldbc_store.update_expertise(
        Expertise(id=first, name=f"Quuxology {t}"), broader=[UNDER], change=system_change()
    )
    assert hit_ids(await search(api, f"zorbology {t}")) == []
    assert set(hit_ids(await search(api, f"quuxology {t}"))) == gid(world, "dang")
    await ldbc_store.merge_reference(
        ReferenceKind.EXPERTISE, source_id=first, target_id=second, change=system_change()
    )
    assert hit_ids(await search(api, f"quuxology {t}")) == []
    assert set(hit_ids(await search(api, f"florbistics {t}"))) == gid(world, "dang")


async def test_members_only(api: Api) -> None:
    assert (await api.anonymous().error(SEARCH, {"q": "x"}))["extensions"]["code"] == (
        "UNAUTHENTICATED"
    )

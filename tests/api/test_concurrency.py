"""Fifty concurrent identical requests through the API create one relationship, on each store.

Each test fires its requests with `asyncio.gather` through the ASGI app, so they overlap inside the
API and the store: the embedded store serialises writes (one writer under a lock), Neo4j runs them
as concurrent transactions that lock the two people's nodes in id order (`graph_db/neo4j`).
"""

from __future__ import annotations

import asyncio
from typing import Any

from graph_db.port import GraphStore
from schema.ids import encode_id
from tests.conftest import AREA, Api

N = 50
REQUEST = """mutation ($to: ID!) { requestConnection(to: $to) { outcome } }"""
ENDORSE = """mutation ($p: ID!, $e: ID!) { endorse(civilServant: $p, expertise: $e) { endorsement { at } } }"""
MENTOR = """mutation ($m: ID!, $e: ID!) { requestMentorship(mentor: $m, expertise: $e, goal: "g") { mentorship { id status } } }"""
UPDATE = """mutation ($input: UpdateCivilServantInput!) { updateCivilServant(input: $input) { civilServant { id } } }"""
TRAIL = """query ($actor: ID, $action: String) { auditTrail(actor: $actor, action: $action) { totalCount } }"""


def gid(person: str) -> str:
    return encode_id("CivilServant", person)


def assert_all_ok(bodies: list[dict[str, Any]]) -> None:
    errors = [b["errors"] for b in bodies if "errors" in b]
    assert not errors, errors[:3]


async def test_identical_connection_requests_make_one_request(
    api: Api, trio: list[str], ldbc_store: GraphStore
) -> None:
    a = api.as_(trio[0])
    bodies = await asyncio.gather(*(a.post(REQUEST, {"to": gid(trio[1])}) for _ in range(N)))
    assert_all_ok(bodies)
    assert {b["data"]["requestConnection"]["outcome"] for b in bodies} == {"REQUESTED"}
    incoming = (await ldbc_store.connection_requests([trio[1]], incoming=True))[0]
    assert [r.from_id for r in incoming] == [trio[0]]
    accepts = await asyncio.gather(
        *(
            api.as_(trio[1]).post(
                "mutation ($f: ID!) { acceptConnection(from: $f) { since } }", {"f": gid(trio[0])}
            )
            for _ in range(N)
        )
    )
    assert sum("errors" not in b for b in accepts) >= 1
    for body in accepts:
        assert "errors" not in body or body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert await ldbc_store.connection_counts(trio[:2]) == [1, 1]


async def test_identical_endorsements_make_one_endorsement(
    api: Api, trio: list[str], ldbc_store: GraphStore
) -> None:
    a = api.as_(trio[0])
    area = encode_id("Expertise", AREA)
    bodies = await asyncio.gather(
        *(a.post(ENDORSE, {"p": gid(trio[1]), "e": area}) for _ in range(N))
    )
    assert_all_ok(bodies)
    received = (await ldbc_store.endorsements_of([trio[1]]))[0]
    assert [(e.endorser_id, e.expertise_id) for e in received] == [(trio[0], AREA)]


async def test_identical_mentorship_requests_make_one_mentorship(
    api: Api, trio: list[str], ldbc_store: GraphStore
) -> None:
    mentee = api.as_(trio[0])
    area = encode_id("Expertise", AREA)
    bodies = await asyncio.gather(
        *(mentee.post(MENTOR, {"m": gid(trio[2]), "e": area}) for _ in range(N))
    )
    assert_all_ok(bodies)
    ids = {b["data"]["requestMentorship"]["mentorship"]["id"] for b in bodies}
    assert len(ids) == 1
    as_mentor = (await ldbc_store.mentorships_of([trio[2]], as_mentor=True))[0]
    assert [(m.mentee_id, m.status.value) for m in as_mentor] == [(trio[0], "REQUESTED")]


async def test_concurrent_profile_updates_never_mix(
    api: Api, trio: list[str], ldbc_store: GraphStore
) -> None:
    """Each update sets four fields to values of one version; the result is one whole version."""
    me = api.as_(trio[0])
    versions = [
        {"city": f"City {i}", "position": f"Position {i}", "grade": f"G{i}", "bio": f"Bio {i}"}
        for i in range(N)
    ]
    bodies = await asyncio.gather(
        *(me.post(UPDATE, {"input": {"id": gid(trio[0]), **v}}) for v in versions)
    )
    assert_all_ok(bodies)
    stored = (await ldbc_store.get_people([trio[0]]))[0]
    assert stored is not None
    final = {
        "city": stored.city,
        "position": stored.position,
        "grade": stored.grade,
        "bio": stored.bio,
    }
    assert final in versions
    trail = await api.data(TRAIL, {"actor": gid(trio[0]), "action": "updateCivilServant"})
    assert trail["auditTrail"]["totalCount"] == N

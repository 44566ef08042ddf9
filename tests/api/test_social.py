"""Connections, endorsements and mentorships through the API, as signed-in civil servants."""

from __future__ import annotations

import asyncio

from graph_db.port import GraphStore
from schema.ids import decode_id, encode_id
from tests.conftest import AREA, Api

REQUEST = """mutation ($to: ID!, $m: String) { requestConnection(to: $to, message: $m) { outcome civilServant { id } } }"""
ACCEPT = """mutation ($from: ID!) { acceptConnection(from: $from) { since node { id } } }"""
DECLINE = """mutation ($from: ID!) { declineConnection(from: $from) { civilServant { id } } }"""
WITHDRAW = """mutation ($to: ID!) { withdrawConnectionRequest(to: $to) { civilServant { id } } }"""
REMOVE = """mutation ($with: ID!) { removeConnection(with: $with) { civilServant { id } } }"""
REQUESTS = """query ($id: ID!, $in: Boolean!) { civilServant(id: $id) {
  connectionRequests(incoming: $in) { message from { id } to { id } } connectionCount } }"""
ENDORSE = """mutation ($p: ID!, $e: ID!) { endorse(civilServant: $p, expertise: $e) { endorsement { at endorser { id } expertise { slug } } } }"""
UNENDORSE = """mutation ($p: ID!, $e: ID!) { withdrawEndorsement(civilServant: $p, expertise: $e) { civilServant { id } } }"""
PROFILE_ENDORSEMENTS = """query ($id: ID!) { civilServant(id: $id) { endorsements { count expertise { slug } endorsers { id } } } }"""
MENTOR = """mutation ($m: ID!, $e: ID!, $g: String) { requestMentorship(mentor: $m, expertise: $e, goal: $g) {
  mentorship { id status goal since until mentor { id } mentee { id } expertise { slug } } } }"""
CHANGE = {
    a: f"mutation ($id: ID!) {{ {a}Mentorship(id: $id) {{ mentorship {{ id status since until }} }} }}"
    for a in ("accept", "decline", "cancel", "complete")
}


def gid(person: str) -> str:
    return encode_id("CivilServant", person)


async def test_connection_lifecycle(api: Api, trio: list[str]) -> None:
    a, b, c = (api.as_(p) for p in trio)
    A, B, C = (gid(p) for p in trio)

    assert (await api.anonymous().error(REQUEST, {"to": B}))["extensions"][
        "code"
    ] == "UNAUTHENTICATED"
    assert (await a.error(REQUEST, {"to": A}))["extensions"]["code"] == "BAD_USER_INPUT"
    first = (await a.data(REQUEST, {"to": B, "m": "Salam!"}))["requestConnection"]
    assert first == {"outcome": "REQUESTED", "civilServant": {"id": B}}
    again = (await a.data(REQUEST, {"to": B, "m": "again"}))["requestConnection"]
    assert again["outcome"] == "REQUESTED"
    incoming = (await b.data(REQUESTS, {"id": B, "in": True}))["civilServant"]["connectionRequests"]
    assert incoming == [{"message": "Salam!", "from": {"id": A}, "to": {"id": B}}]
    assert (await a.error(REQUESTS, {"id": B, "in": True}))["extensions"]["code"] == "FORBIDDEN"

    # Only the addressee accepts: C has no request from A.
    assert (await c.error(ACCEPT, {"from": A}))["extensions"]["code"] == "NOT_FOUND"
    accepted = (await b.data(ACCEPT, {"from": A}))["acceptConnection"]
    assert accepted["node"]["id"] == A
    assert (await a.error(REQUEST, {"to": B}))["extensions"]["code"] == "CONFLICT"
    assert (await b.data(REQUESTS, {"id": B, "in": True}))["civilServant"]["connectionCount"] == 1

    # Asking someone who already asked you connects you both.
    await c.data(REQUEST, {"to": A})
    crossed = (await a.data(REQUEST, {"to": C}))["requestConnection"]
    assert crossed["outcome"] == "CONNECTED"
    assert (await a.data(REQUESTS, {"id": A, "in": False}))["civilServant"]["connectionCount"] == 2

    await b.data(REQUEST, {"to": C})
    await b.data(WITHDRAW, {"to": C})
    assert (await c.error(DECLINE, {"from": B}))["extensions"]["code"] == "NOT_FOUND"
    await b.data(REQUEST, {"to": C})
    await c.data(DECLINE, {"from": B})
    await a.data(REMOVE, {"with": B})
    assert (await a.error(REMOVE, {"with": B}))["extensions"]["code"] == "NOT_FOUND"


async def test_concurrent_requests_create_one_relationship(
    api: Api, trio: list[str], ldbc_store: GraphStore
) -> None:
    a, b = api.as_(trio[0]), api.as_(trio[1])
    results = await asyncio.gather(
        *[a.post(REQUEST, {"to": gid(trio[1])}) for _ in range(25)],
        *[b.post(REQUEST, {"to": gid(trio[0])}) for _ in range(25)],
    )
    for body in results:
        assert "errors" not in body or body["errors"][0]["extensions"]["code"] == "CONFLICT", body
    assert await ldbc_store.connection_counts(trio[:2]) == [1, 1]
    assert await ldbc_store.connection_requests(trio[:2], incoming=True) == [[], []]


async def test_endorsements(api: Api, trio: list[str], ldbc_store: GraphStore) -> None:
    a, b = api.as_(trio[0]), api.as_(trio[1])
    area = encode_id("Expertise", AREA)
    assert (await a.error(ENDORSE, {"p": gid(trio[0]), "e": area}))["extensions"][
        "code"
    ] == "BAD_USER_INPUT"
    not_held = encode_id("Expertise", "policy-analysis")
    assert (await a.error(ENDORSE, {"p": gid(trio[1]), "e": not_held}))["extensions"][
        "code"
    ] == "NOT_FOUND"
    results = await asyncio.gather(
        *[a.post(ENDORSE, {"p": gid(trio[1]), "e": area}) for _ in range(20)]
    )
    assert all("errors" not in r for r in results)
    await api.as_(trio[2]).data(ENDORSE, {"p": gid(trio[1]), "e": area})
    summary = (await b.data(PROFILE_ENDORSEMENTS, {"id": gid(trio[1])}))["civilServant"][
        "endorsements"
    ]
    assert summary[0]["count"] == 2 and {e["id"] for e in summary[0]["endorsers"]} == {
        gid(trio[0]),
        gid(trio[2]),
    }
    await a.data(UNENDORSE, {"p": gid(trio[1]), "e": area})
    assert (await a.error(UNENDORSE, {"p": gid(trio[1]), "e": area}))["extensions"][
        "code"
    ] == "NOT_FOUND"
    assert len((await ldbc_store.endorsements_of([trio[1]]))[0]) == 1


async def test_mentorship_lifecycle(api: Api, trio: list[str]) -> None:
    mentor, mentee, other = (api.as_(p) for p in trio)
    area = encode_id("Expertise", AREA)
    assert (await mentee.error(MENTOR, {"m": gid(trio[1]), "e": area}))["extensions"][
        "code"
    ] == "BAD_USER_INPUT"
    not_held = encode_id("Expertise", "leadership")
    assert (await mentee.error(MENTOR, {"m": gid(trio[0]), "e": not_held}))["extensions"][
        "code"
    ] == "NOT_FOUND"
    created = await mentee.data(MENTOR, {"m": gid(trio[0]), "e": area, "g": "Lead a talent review"})
    m = created["requestMentorship"]["mentorship"]
    assert m["status"] == "REQUESTED" and m["mentor"]["id"] == gid(trio[0]) and m["since"] is None
    same = (await mentee.data(MENTOR, {"m": gid(trio[0]), "e": area}))["requestMentorship"][
        "mentorship"
    ]
    assert same["id"] == m["id"], "an open request is not duplicated"

    assert (await mentee.error(CHANGE["accept"], {"id": m["id"]}))["extensions"][
        "code"
    ] == "FORBIDDEN"
    assert (await other.error(CHANGE["cancel"], {"id": m["id"]}))["extensions"][
        "code"
    ] == "FORBIDDEN"
    active = (await mentor.data(CHANGE["accept"], {"id": m["id"]}))["acceptMentorship"][
        "mentorship"
    ]
    assert active["status"] == "ACTIVE" and active["since"] is not None
    assert (await mentor.error(CHANGE["accept"], {"id": m["id"]}))["extensions"][
        "code"
    ] == "CONFLICT"
    done = (await mentee.data(CHANGE["complete"], {"id": m["id"]}))["completeMentorship"][
        "mentorship"
    ]
    assert done["status"] == "COMPLETED" and done["until"] is not None

    # A chain other → mentor → mentee: lineage and mentorship path.
    chain = (await mentor.data(MENTOR, {"m": gid(trio[2]), "e": area}))["requestMentorship"][
        "mentorship"
    ]
    await other.data(CHANGE["accept"], {"id": chain["id"]})
    lineage = await api.data(
        """query ($p: ID!) { mentorshipLineage(person: $p, maxGenerations: 3) { total generations { generation count people { id } } } }""",
        {"p": gid(trio[2])},
    )
    gens = lineage["mentorshipLineage"]["generations"]
    assert [(g["generation"], [p["id"] for p in g["people"]]) for g in gens] == [
        (1, [gid(trio[0])]),
        (2, [gid(trio[1])]),
    ]
    path = await api.data(
        """query ($a: ID!, $b: ID!) { mentorshipPath(from: $a, to: $b) { length people { id } } }""",
        {"a": gid(trio[2]), "b": gid(trio[1])},
    )
    assert path["mentorshipPath"] == {
        "length": 2,
        "people": [{"id": gid(p)} for p in (trio[2], trio[0], trio[1])],
    }
    backwards = await api.data(
        """query ($a: ID!, $b: ID!) { mentorshipPath(from: $a, to: $b) { length } }""",
        {"a": gid(trio[1]), "b": gid(trio[2])},
    )
    assert backwards["mentorshipPath"] is None

    # A cycle across areas: mentee mentors the top of the chain in another area.
    # (public-sector-hrm is broader than the area the mentee holds, so they can mentor in it)
    loop = await other.data(
        MENTOR, {"m": gid(trio[1]), "e": encode_id("Expertise", "public-sector-hrm")}
    )
    await mentee.data(CHANGE["accept"], {"id": loop["requestMentorship"]["mentorship"]["id"]})
    cyc = await api.data(
        """query ($p: ID!) { mentorshipLineage(person: $p, maxGenerations: 6) { total } }""",
        {"p": gid(trio[2])},
    )
    assert cyc["mentorshipLineage"]["total"] == 2


async def test_recommended_mentors(api: Api, trio: list[str]) -> None:
    data = await api.data(
        """query ($p: ID!, $e: ID!) { recommendedMentors(person: $p, expertise: $e, first: 50) {
             level endorsements civilServant { id } } }""",
        {"p": gid(trio[0]), "e": encode_id("Expertise", "public-sector-hrm")},
    )
    found = [r["civilServant"]["id"] for r in data["recommendedMentors"]]
    assert gid(trio[0]) not in found
    assert found[:0] == [] and gid(trio[2]) in found and gid(trio[1]) in found
    levels = [r["level"] for r in data["recommendedMentors"]]
    assert levels == sorted(levels, reverse=True) and min(levels) > 2


async def test_bad_network_input(api: Api) -> None:
    p = gid("933")
    cases = [
        ('{ egoNetwork(person: "%s", depth: 4) { truncated } }' % p, "LIMIT_EXCEEDED"),
        ('{ egoNetwork(person: "%s", depth: 0) { truncated } }' % p, "BAD_USER_INPUT"),
        ('{ egoNetwork(person: "%s", limit: 501) { truncated } }' % p, "LIMIT_EXCEEDED"),
        ('{ egoNetwork(person: "%s") { truncated } }' % gid("404404"), "NOT_FOUND"),
        (
            '{ connectionPath(from: "%s", to: "%s", maxHops: 7) { length } }' % (p, p),
            "LIMIT_EXCEEDED",
        ),
        ('{ connectionPath(from: "%s", to: "%s") { length } }' % (p, gid("404404")), "NOT_FOUND"),
        (  # the same unknown person at both ends: still nobody, not a store failure
            '{ connectionPath(from: "%s", to: "%s") { length } }' % (gid("404404"), gid("404404")),
            "NOT_FOUND",
        ),
        ('{ networkSearch(person: "%s", maxHops: 4) { distance } }' % p, "LIMIT_EXCEEDED"),
        ('{ networkSearch(person: "%s", first: 1000) { distance } }' % p, "LIMIT_EXCEEDED"),
        ('{ recommendedConnections(person: "%s", first: 51) { score } }' % p, "LIMIT_EXCEEDED"),
        (
            '{ recommendedMentors(person: "%s", expertise: "%s") { level } }'
            % (p, encode_id("Expertise", "nope")),
            "NOT_FOUND",
        ),
        ('{ mentorshipLineage(person: "%s", maxGenerations: 7) { total } }' % p, "LIMIT_EXCEEDED"),
    ]
    for query, code in cases:
        assert (await api.error(query))["extensions"]["code"] == code, query
    same = await api.data(
        '{ connectionPath(from: "%s", to: "%s") { length people { id } } }' % (p, p)
    )
    assert same["connectionPath"] == {"length": 0, "people": [{"id": p}]}


async def test_recommended_connections_rank_by_mutual_friends(
    loaded_stores, derived_cases=None
) -> None:  # type: ignore[no-untyped-def]
    """With every weight but `mutual` at 0 the ranking is LDBC's friend-of-friend by common friends."""
    import json

    import httpx
    from asgi_lifespan import LifespanManager

    from graph_api.app import create_app
    from graph_api.settings import RecommendationSettings, Settings
    from tests.conftest import EXPECTED_DIR, member_headers

    case = next(
        c
        for c in json.loads((EXPECTED_DIR / "derived-sf0.1-helper-computed.json").read_text())[
            "cases"
        ]
        if c["id"] == "D-fof-mutual-1129"
    )
    weights = RecommendationSettings(mutual=1, expertise=0, institution=0, event=0, cross_border=0)
    store = await loaded_stores.get("embedded")
    app = create_app(Settings(environment="test", recommendations=weights), store=store)
    async with LifespanManager(app) as manager:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app), base_url="http://t"
        ) as client:
            body = (
                await client.post(
                    "/graphql",
                    headers=member_headers(),
                    json={
                        "query": """{
                recommendedConnections(person: "%s", first: 5) {
                score mutualConnectionCount civilServant { id } } }"""
                        % gid("1129")
                    },
                )
            ).json()
    got = [
        (int(decode_id(r["civilServant"]["id"], "CivilServant")), r["mutualConnectionCount"])
        for r in body["data"]["recommendedConnections"]
    ]
    assert got == [(e["personId"], e["mutualFriends"]) for e in case["expected"]]

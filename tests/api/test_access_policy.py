"""Every rule of the access policy (README), for each kind of caller."""

from __future__ import annotations

import pytest

from graph_db.audit import system_change
from graph_db.port import GraphStore
from graph_db.records import CivilServantUpdate
from schema.ids import encode_id
from tests.conftest import Api, api_over

PERSON = encode_id("CivilServant", "933")
PEOPLE = "{ civilServants(first: 2) { totalCount } }"
ONE = "query ($id: ID!) { civilServant(id: $id) { id displayName email phone } }"
NODE = "query ($id: ID!) { node(id: $id) { id } }"
MEMBERS = '{ institutions(first: 1, filter: {country: "ID"}) { edges { node { members(first: 1) { totalCount } } } } }'
EGO = "query ($id: ID!) { egoNetwork(person: $id) { truncated } }"
REGISTER = "mutation ($i: RegisterCivilServantInput!) { registerCivilServant(input: $i) { civilServant { id verified } } }"
UPDATE = "mutation ($i: UpdateCivilServantInput!) { updateCivilServant(input: $i) { civilServant { id city email } } }"
VERIFY = "mutation ($id: ID!) { verifyCivilServant(id: $id) { civilServant { id verified } } }"
UNVERIFY = "mutation ($id: ID!) { verifyCivilServant(id: $id, verified: false) { civilServant { verified } } }"
CREATE_INSTITUTION = 'mutation { createInstitution(input: {name: "Policy Test Office", kind: AGENCY}) { institution { id } } }'
CONNECT = "mutation ($to: ID!) { requestConnection(to: $to) { outcome } }"
DELETE = "mutation ($id: ID!) { deleteCivilServant(id: $id) { deletedId } }"


async def code(api: Api, query: str, variables: dict | None = None) -> str:
    return (await api.error(query, variables))["extensions"]["code"]


async def test_anonymous_sees_reference_data_only(api: Api) -> None:
    anon = api.anonymous()
    data = await anon.data(
        "{ countries(first: 3) { totalCount } institutions(first: 1) { totalCount } "
        "expertiseAreas(first: 1) { totalCount } events(first: 1) { totalCount } }"
    )
    assert data["countries"]["totalCount"] >= 14
    assert (await anon.data(NODE, {"id": encode_id("Country", "ID")}))["node"]["id"]
    for query, variables in [
        (PEOPLE, None),
        (ONE, {"id": PERSON}),
        (NODE, {"id": PERSON}),
        (MEMBERS, None),
        (EGO, {"id": PERSON}),
        (REGISTER, {"i": {"givenName": "X"}}),
        (CREATE_INSTITUTION, None),
        (CONNECT, {"to": PERSON}),
    ]:
        assert await code(anon, query, variables) == "UNAUTHENTICATED", query


@pytest.fixture
def newcomer(token: str) -> str:
    return f"sso-{token}"


async def test_unverified_civil_servant_sees_only_their_own_profile(
    api: Api, newcomer: str
) -> None:
    me = api.as_(newcomer)
    mine = encode_id("CivilServant", newcomer)
    created = await me.data(
        REGISTER, {"i": {"givenName": "Newcomer", "email": f"{newcomer}@example.go.id"}}
    )
    try:
        assert created["registerCivilServant"]["civilServant"] == {"id": mine, "verified": False}
        assert await code(me, REGISTER, {"i": {"givenName": "Again"}}) == "CONFLICT"
        own = (await me.data(ONE, {"id": mine}))["civilServant"]
        assert own["email"] == f"{newcomer}@example.go.id"
        assert (await me.data("{ viewer { id } }"))["viewer"]["id"] == mine
        updated = (await me.data(UPDATE, {"i": {"id": mine, "city": "Medan"}}))[
            "updateCivilServant"
        ]["civilServant"]
        assert updated["city"] == "Medan"
        for query, variables in [
            (ONE, {"id": PERSON}),
            (PEOPLE, None),
            (NODE, {"id": PERSON}),
            (MEMBERS, None),
            (EGO, {"id": mine}),
            (CONNECT, {"to": PERSON}),
        ]:
            assert await code(me, query, variables) == "FORBIDDEN", query
        assert await code(me, UPDATE, {"i": {"id": PERSON, "city": "X"}}) == "FORBIDDEN"
        assert await code(me, VERIFY, {"id": mine}) == "FORBIDDEN"

        # An admin verifies them; now the network is open to them.
        assert (await api.data(VERIFY, {"id": mine}))["verifyCivilServant"]["civilServant"][
            "verified"
        ] is True
        assert (await me.data(PEOPLE))["civilServants"]["totalCount"] > 1000
    finally:
        await api.data(DELETE, {"id": mine})


async def test_members_cannot_manage_others_or_reference_data(api: Api) -> None:
    member = api.as_("933", roles=("member",))
    assert (await member.data(PEOPLE))["civilServants"]["totalCount"] > 1000
    other = encode_id("CivilServant", "1129")
    assert await code(member, UPDATE, {"i": {"id": other, "city": "X"}}) == "FORBIDDEN"
    assert await code(member, CREATE_INSTITUTION) == "FORBIDDEN"
    assert await code(member, VERIFY, {"id": other}) == "FORBIDDEN"
    assert await code(member, DELETE, {"id": other}) == "FORBIDDEN"
    set_other = (
        "mutation ($i: SetExpertiseInput!) { setExpertise(input: $i) { civilServant { id } } }"
    )
    variables = {
        "i": {
            "civilServantId": other,
            "expertiseId": encode_id("Expertise", "leadership"),
            "level": 2,
        }
    }
    assert await code(member, set_other, variables) == "FORBIDDEN"


async def test_private_fields_for_self_connections_and_admins_only(api: Api) -> None:
    # 933's connections (LDBC) include 10995116278291; 1129 is three hops away.
    connected, stranger = (
        encode_id("CivilServant", "10995116278291"),
        encode_id("CivilServant", "1129"),
    )
    for person in (connected, stranger):
        await api.data(UPDATE, {"i": {"id": person, "email": f"p{len(person)}@example.org"}})
    try:
        member = api.as_("933", roles=("member",))
        assert (await member.data(ONE, {"id": connected}))["civilServant"]["email"] is not None
        assert (await member.data(ONE, {"id": stranger}))["civilServant"]["email"] is None
        assert (await api.data(ONE, {"id": stranger}))["civilServant"]["email"] is not None  # admin
        listed = await member.data(
            '{ civilServant(id: "%s") { connections(first: 100) { edges { node { id email } } } } }'
            % stranger
        )
        assert all(
            e["node"]["email"] is None
            for e in listed["civilServant"]["connections"]["edges"]
            if e["node"]["id"] not in (connected,)
        )
    finally:
        for person in (connected, stranger):
            await api.data(UPDATE, {"i": {"id": person, "email": None}})


DETAILS = """query ($id: ID!) { civilServant(id: $id) { displayName profileVisibility city bio languages
  expertise { level } institution { id } connections(first: 5) { totalCount edges { node { id } } } } }"""


async def test_network_only_profiles_show_details_to_connections_self_and_admins(
    api: Api, trio: list[str], token: str
) -> None:
    owner, friend, stranger = trio
    gid = encode_id("CivilServant", owner)
    await api.as_(owner).data(
        UPDATE, {"i": {"id": gid, "city": "Hanoi", "bio": "Civil service reform."}}
    )
    await api.as_(owner).data(CONNECT, {"to": encode_id("CivilServant", friend)})
    await api.as_(friend).data(
        "mutation ($f: ID!) { acceptConnection(from: $f) { since } }", {"f": gid}
    )
    restrict = "mutation ($i: UpdateCivilServantInput!) { updateCivilServant(input: $i) { civilServant { profileVisibility } } }"
    await api.as_(owner).data(restrict, {"i": {"id": gid, "profileVisibility": "NETWORK"}})

    full = {
        "displayName": f"Ana {token}",
        "profileVisibility": "NETWORK",
        "city": "Hanoi",
        "bio": "Civil service reform.",
        "languages": [],
        "expertise": [{"level": 2}],
        "institution": None,
        "connections": {
            "totalCount": 1,
            "edges": [{"node": {"id": encode_id("CivilServant", friend)}}],
        },
    }
    for caller in (api.as_(owner), api.as_(friend), api):  # self, a connection, an admin
        assert (await caller.data(DETAILS, {"id": gid}))["civilServant"] == full
    limited = (await api.as_(stranger).data(DETAILS, {"id": gid}))["civilServant"]
    assert limited == full | {
        "city": None,
        "bio": None,
        "expertise": [],
        "connections": {"totalCount": 0, "edges": []},
    }
    listed = await api.as_(stranger).data(
        '{ civilServants(filter: {nameContains: "%s"}) { edges { node { id city bio } } } }' % token
    )
    by_id = {e["node"]["id"]: e["node"] for e in listed["civilServants"]["edges"]}
    assert by_id[gid] == {"id": gid, "city": None, "bio": None}
    assert await code(api.anonymous(), DETAILS, {"id": gid}) == "UNAUTHENTICATED"
    centred = [
        "query ($id: ID!) { egoNetwork(person: $id) { truncated } }",
        "query ($id: ID!) { networkSearch(person: $id, maxHops: 1) { distance } }",
        "query ($id: ID!) { recommendedConnections(person: $id) { score } }",
        "query ($id: ID!) { mentorshipLineage(person: $id) { truncated } }",
    ]
    for query in centred:  # the network of a NETWORK profile: connections, self, admins only
        assert await code(api.as_(stranger), query, {"id": gid}) == "FORBIDDEN", query
        for caller in (api.as_(owner), api.as_(friend), api):
            await caller.data(query, {"id": gid})
    await api.as_(owner).data(restrict, {"i": {"id": gid, "profileVisibility": "PUBLIC"}})
    assert (await api.as_(stranger).data(DETAILS, {"id": gid}))["civilServant"] == full | {
        "profileVisibility": "PUBLIC"
    }


async def test_unverified_people_see_no_one_else_through_their_requests(
    api: Api, member: str, token: str
) -> None:
    newcomer = f"{token}-new"
    await api.as_(newcomer).data(REGISTER, {"i": {"givenName": "Newcomer"}})
    try:
        await api.as_(member).data(CONNECT, {"to": encode_id("CivilServant", newcomer)})
        mine = "{ viewer { connectionRequests { at to { id } } } }"
        seen = await api.as_(newcomer).data(mine)
        assert seen["viewer"]["connectionRequests"][0]["to"]["id"] == encode_id(
            "CivilServant", newcomer
        )
        theirs = "{ viewer { connectionRequests { from { id city } } } }"
        assert await code(api.as_(newcomer), theirs) == "FORBIDDEN"
    finally:
        await api.data(DELETE, {"id": encode_id("CivilServant", newcomer)})


async def test_a_verification_revoked_here_closes_the_network_at_once(
    api: Api, member: str
) -> None:
    """The process remembers members it found verified (`VerifiedMembers`), and forgets one the
    moment it un-verifies or deletes them."""
    me = api.as_(member)
    assert (await me.data(PEOPLE))["civilServants"]["totalCount"] > 1000
    await api.data(UNVERIFY, {"id": encode_id("CivilServant", member)})
    assert await code(me, PEOPLE) == "FORBIDDEN"
    await api.data(VERIFY, {"id": encode_id("CivilServant", member)})
    assert (await me.data(PEOPLE))["civilServants"]["totalCount"] > 1000


@pytest.mark.parametrize("ttl_s", [30, 0])
async def test_a_verification_revoked_elsewhere_passes_for_at_most_the_ttl(
    ldbc_store: GraphStore, member: str, ttl_s: float
) -> None:
    """A revocation written by another process (here: straight to the store) is noticed after
    `auth.verified_member_ttl_s`; at 0 the store is read on every request."""
    async with api_over(ldbc_store, auth={"verified_member_ttl_s": ttl_s}) as api:
        me = api.as_(member)
        assert (await me.data(PEOPLE))["civilServants"]["totalCount"] > 1000
        await ldbc_store.update_civil_servant(
            member, CivilServantUpdate(verified=False), change=system_change()
        )
        if ttl_s:
            assert (await me.data(PEOPLE))["civilServants"]["totalCount"] > 1000
        else:
            assert await code(me, PEOPLE) == "FORBIDDEN"

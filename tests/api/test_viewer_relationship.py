"""`CivilServant.viewerRelationship` (person cards) and introductions, on both stores.

Right answers come from outside: distances and mutual connections are recomputed with networkx
from the LDBC sample's own connection list, not from the store.
"""

from __future__ import annotations

import networkx as nx

from graph_db.records import GraphBatch
from schema.ids import encode_id
from tests.conftest import ADMIN_MEMBER, Api

CARD = """viewerRelationship { connected requestSent requestReceived distance
  mutualConnectionCount mutualConnections(first: 100) { id } }"""
NODES = "query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on CivilServant { %s } } }" % CARD
REQUEST = "mutation ($to: ID!) { requestConnection(to: $to) { outcome } }"
ACCEPT = "mutation ($from: ID!) { acceptConnection(from: $from) { since } }"
INTRODUCE = """mutation ($to: ID!, $via: ID!, $m: String) {
  requestIntroduction(to: $to, via: $via, message: $m) {
    introduction { id status message requester { id } introducer { id } to { id } } } }"""
FORWARD = (
    "mutation ($id: ID!) { forwardIntroduction(id: $id) { introduction { status decidedAt } } }"
)
DECLINE = "mutation ($id: ID!) { declineIntroduction(id: $id) { introduction { status } } }"
INTRODUCTIONS = """query ($in: Boolean!) { viewer { introductionRequests(incoming: $in) {
  id status message requester { id } to { id } } } }"""
INBOX = "{ viewer { notifications(first: 5) { edges { node { kind subjectIds } } } } }"
REQUESTS_IN = "{ viewer { connectionRequests { message from { id } } } }"


def gid(person: str) -> str:
    return encode_id("CivilServant", person)


async def connect_both_to(c: Api, a: Api, b: Api, trio: list[str]) -> None:
    """`a` (trio[0]) and `b` (trio[1]) ask `c` (trio[2]) to connect, and `c` accepts both."""
    for x in (a, b):
        await x.data(REQUEST, {"to": gid(trio[2])})
    for person in trio[:2]:
        await c.data(ACCEPT, {"from": gid(person)})


def ldbc_graph(batch: GraphBatch) -> nx.Graph:
    graph = nx.Graph()
    graph.add_nodes_from(p.id for p in batch.people)
    graph.add_edges_from((c.person_a, c.person_b) for c in batch.connections)
    return graph


async def test_cards_match_networkx_on_ldbc(api: Api, ldbc_batch: GraphBatch) -> None:
    graph = ldbc_graph(ldbc_batch)
    viewer = ADMIN_MEMBER
    hops = nx.single_source_shortest_path_length(graph, viewer)
    # A few people at each distance 1 to 4, and some nobody reaches from the viewer.
    chosen: list[str] = []
    for d in (1, 2, 3, 4):
        chosen += sorted(p for p, k in hops.items() if k == d)[:12]
    chosen += sorted(p for p in graph if p not in hops)[:4]
    assert len(chosen) >= 40
    nodes = (await api.data(NODES, {"ids": [gid(p) for p in chosen]}))["nodes"]
    for person, node in zip(chosen, nodes, strict=True):
        mutual = sorted(nx.common_neighbors(graph, viewer, person))
        distance = hops.get(person)
        expected = {
            "connected": graph.has_edge(viewer, person),
            "requestSent": False,
            "requestReceived": False,
            "distance": distance if distance is not None and distance <= 3 else None,
            "mutualConnectionCount": len(mutual),
            "mutualConnections": [{"id": gid(m)} for m in sorted(mutual)[:100]],
        }
        assert node["viewerRelationship"] == expected, person


async def test_flags_mutuals_and_own_profile(api: Api, trio: list[str]) -> None:
    a, b, c = (api.as_(p) for p in trio)
    A, B, C = (gid(p) for p in trio)
    assert (await a.data("{ viewer { viewerRelationship { connected } } }"))["viewer"] == {
        "viewerRelationship": None
    }
    await a.data(REQUEST, {"to": B})
    sent = (await a.data(NODES, {"ids": [B]}))["nodes"][0]["viewerRelationship"]
    assert (sent["requestSent"], sent["requestReceived"], sent["distance"]) == (True, False, None)
    got = (await b.data(NODES, {"ids": [A]}))["nodes"][0]["viewerRelationship"]
    assert (got["requestSent"], got["requestReceived"]) == (False, True)

    # A-C and C-B connected: A and B are two hops apart with C in common.
    await connect_both_to(c, a, b, trio)
    card = (await a.data(NODES, {"ids": [B, C]}))["nodes"]
    assert card[0]["viewerRelationship"] == {
        "connected": False,
        "requestSent": True,
        "requestReceived": False,
        "distance": 2,
        "mutualConnectionCount": 1,
        "mutualConnections": [{"id": C}],
    }
    assert card[1]["viewerRelationship"]["connected"] is True
    assert card[1]["viewerRelationship"]["distance"] == 1

    # A NETWORK profile shows the flags only.
    await b.data(
        "mutation ($id: ID!) { updateCivilServant(input: {id: $id, profileVisibility: NETWORK})"
        " { civilServant { id } } }",
        {"id": B},
    )
    hidden = (await a.data(NODES, {"ids": [B]}))["nodes"][0]["viewerRelationship"]
    assert hidden == {
        "connected": False,
        "requestSent": True,
        "requestReceived": False,
        "distance": None,
        "mutualConnectionCount": 0,
        "mutualConnections": [],
    }
    too_many = await a.error(
        "query ($ids: [ID!]!) { nodes(ids: $ids) { ... on CivilServant { viewerRelationship {"
        " mutualConnections(first: 1000) { id } } } } }",
        {"ids": [C]},
    )
    assert too_many["extensions"]["code"] == "LIMIT_EXCEEDED"


async def test_introduction_forwarded(api: Api, trio: list[str]) -> None:
    a, b, c = (api.as_(p) for p in trio)
    A, B, C = (gid(p) for p in trio)
    # Not yet connected to the introducer: NOT_FOUND, and nothing is written.
    refused = await a.error(INTRODUCE, {"to": B, "via": C})
    assert refused["extensions"]["code"] == "NOT_FOUND"
    assert (await c.data(INTRODUCTIONS, {"in": True}))["viewer"]["introductionRequests"] == []
    await connect_both_to(c, a, b, trio)

    same = await a.error(INTRODUCE, {"to": B, "via": B})
    assert same["extensions"]["code"] == "BAD_USER_INPUT"
    assert same["extensions"]["fields"][0]["field"] == "via"
    assert (await a.error(INTRODUCE, {"to": B, "via": C, "m": "a\u202e"}))["extensions"][
        "code"
    ] == "BAD_USER_INPUT"

    made = await a.data(INTRODUCE, {"to": B, "via": C, "m": "We both work on payroll"})
    intro = made["requestIntroduction"]["introduction"]
    assert intro["status"] == "REQUESTED"
    assert (intro["requester"], intro["introducer"], intro["to"]) == (
        {"id": A},
        {"id": C},
        {"id": B},
    )
    again = (await a.data(INTRODUCE, {"to": B, "via": C}))["requestIntroduction"]["introduction"]
    assert again["id"] == intro["id"]

    asked = (await c.data(INTRODUCTIONS, {"in": True}))["viewer"]["introductionRequests"]
    assert [(i["id"], i["requester"], i["to"]) for i in asked] == [
        (intro["id"], {"id": A}, {"id": B})
    ]
    mine = (await a.data(INTRODUCTIONS, {"in": False}))["viewer"]["introductionRequests"]
    assert [i["id"] for i in mine] == [intro["id"]]
    inbox = (await c.data(INBOX))["viewer"]["notifications"]["edges"]
    assert inbox[0]["node"]["kind"] == "INTRODUCTION_REQUESTED"
    assert inbox[0]["node"]["subjectIds"][0] == f"Introduction:{intro['id']}"

    # Only the introducer answers.
    for other in (a, b):
        assert (await other.error(FORWARD, {"id": intro["id"]}))["extensions"][
            "code"
        ] == "FORBIDDEN"
    assert (await c.error(FORWARD, {"id": "nope"}))["extensions"]["code"] == "NOT_FOUND"
    forwarded = (await c.data(FORWARD, {"id": intro["id"]}))["forwardIntroduction"]["introduction"]
    assert forwarded["status"] == "FORWARDED" and forwarded["decidedAt"]
    assert (await c.error(FORWARD, {"id": intro["id"]}))["extensions"]["code"] == "CONFLICT"
    assert (await c.error(DECLINE, {"id": intro["id"]}))["extensions"]["code"] == "CONFLICT"

    # B now has A's connection request, with the note; both A and B were told.
    requests = (await b.data(REQUESTS_IN))["viewer"]["connectionRequests"]
    assert requests == [{"message": "We both work on payroll", "from": {"id": A}}]
    for x in (a, b):
        kinds = [
            e["node"]["kind"] for e in (await x.data(INBOX))["viewer"]["notifications"]["edges"]
        ]
        assert kinds[0] == "INTRODUCTION_FORWARDED"
    await b.data(ACCEPT, {"from": A})
    assert (await a.error(INTRODUCE, {"to": B, "via": C}))["extensions"]["code"] == "CONFLICT"
    # Someone else's introductions are not visible.
    other = await a.error(
        "query ($id: ID!) { civilServant(id: $id) { introductionRequests { id } } }", {"id": C}
    )
    assert other["extensions"]["code"] == "FORBIDDEN"


async def test_introduction_declined(api: Api, trio: list[str]) -> None:
    a, b, c = (api.as_(p) for p in trio)
    _, B, C = (gid(p) for p in trio)
    await connect_both_to(c, a, b, trio)
    intro = (await a.data(INTRODUCE, {"to": B, "via": C}))["requestIntroduction"]["introduction"]
    declined = (await c.data(DECLINE, {"id": intro["id"]}))["declineIntroduction"]["introduction"]
    assert declined == {"status": "DECLINED"}
    assert (await b.data(REQUESTS_IN))["viewer"]["connectionRequests"] == []
    kinds = [e["node"]["kind"] for e in (await a.data(INBOX))["viewer"]["notifications"]["edges"]]
    assert kinds[0] == "INTRODUCTION_DECLINED"
    # A new one may be asked after a decline.
    later = (await a.data(INTRODUCE, {"to": B, "via": C}))["requestIntroduction"]["introduction"]
    assert later["id"] != intro["id"] and later["status"] == "REQUESTED"

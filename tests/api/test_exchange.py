"""Sharing and exchanging expertise through the API (issue #16): the request lifecycle, access
rules, every bad input of the issue, matching against a small hand-built graph (expected rankings
derived by hand in the docstrings), and the ASCC indicator counts on the two-country graph."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest_asyncio

from graph_db.audit import system_change
from graph_db.port import GraphStore
from graph_db.records import (
    CivilServantCreate,
    Endorsement,
    ExpertiseClaim,
    new_id,
    utc_now,
)
from graph_db.records.exchange import ExpertiseRequest, ExpertiseRequestKind
from schema.ids import encode_id
from tests.analytics_graph import XA, XB, hand_fixture  # noqa: F401 (fixture `hand`)
from tests.api.test_analytics_dashboards import COLUMNS, INDICATORS
from tests.conftest import Api
from tests.contract.test_exchange_contract import exchanged_fixture  # noqa: F401 (`exchanged`)

R, C1, C2, L = "public-sector-hrm", "talent-management", "competency-management", "leadership"

POST = """mutation ($i: PostExpertiseRequestInput!) { postExpertiseRequest(input: $i) {
  expertiseRequest { id status kind visibility deadline title description
    country { code } institution { id } author { id } expertise { slug } } } }"""
OFFER = """mutation ($r: ID!, $m: String) { offerHelp(request: $r, message: $m) {
  offer { status message helper { id } } expertiseRequest { offerCount } } }"""
ACCEPT = """mutation ($r: ID!, $h: ID!) { acceptOffer(request: $r, helper: $h) {
  collaboration { since until helper { id } } expertiseRequest { status } } }"""
CLOSE = """mutation ($i: CloseExpertiseRequestInput!) { closeExpertiseRequest(input: $i) {
  expertiseRequest { status closure outcome closedAt portfolioItem { title author { id } }
    collaborations { since until outcome helper { id } } } } }"""
GET = """query ($id: ID!) { expertiseRequest(id: $id) {
  id status offerCount offers { status helper { id } } collaborations { helper { id } } } }"""
LIST = """query ($f: ExpertiseRequestFilter, $first: Int, $after: String) {
  expertiseRequests(filter: $f, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }"""
SUGGEST = """query ($id: ID!, $first: Int!) { expertiseRequest(id: $id) {
  suggestedExperts(first: $first) { civilServant { id } score level endorsements
    pastCollaborations hops reasons expertise { slug } } } }"""
RECOMMEND = """query ($p: ID!) { recommendedRequests(person: $p, first: 50) {
  crossBorder expertiseRequest { id } expertise { slug } } }"""
INBOX = "{ viewer { notifications(first: 10) { edges { node { kind subjects { id } } } } } }"
TRAIL = """query ($a: String) { auditTrail(action: $a, first: 5) { edges { node {
  action subjectIds actorId } } } }"""


def gid(type_name: str, id_: str) -> str:
    return encode_id(type_name, id_)


def person(id_: str) -> str:
    return gid("CivilServant", id_)


def area(slug: str) -> str:
    return gid("Expertise", slug)


class People:
    """Fresh civil servants for one test: `plain[name]` → store id; `api[name]` signs in."""

    def __init__(self, api: Api, store: GraphStore, token: str) -> None:
        self.api, self.store, self.token = api, store, token
        self.plain: dict[str, str] = {}

    async def add(
        self,
        name: str,
        country: str,
        areas: dict[str, int] | None = None,
        *,
        verified: bool = True,
    ) -> str:
        record = CivilServantCreate(
            given_name=name, family_name=self.token, country_code=country
        ).to_record(id=f"{self.token}-{name}", joined_at=utc_now())
        await self.store.create_civil_servant(
            record.model_copy(update={"verified": verified}), change=system_change()
        )
        for slug, level in (areas or {}).items():
            await self.store.set_expertise(
                ExpertiseClaim(person_id=record.id, expertise_id=slug, level=level),
                change=system_change(),
            )
        self.plain[name] = record.id
        return record.id

    def as_(self, name: str) -> Api:
        return self.api.as_(self.plain[name])

    def gid(self, name: str) -> str:
        return person(self.plain[name])

    async def connect(self, a: str, b: str) -> None:
        at = utc_now()
        x, y = self.plain[a], self.plain[b]
        await self.store.request_connection(
            from_id=x, to_id=y, message=None, at=at, change=system_change()
        )
        await self.store.accept_connection(
            person_id=y, requester_id=x, at=at, change=system_change()
        )

    async def endorse(self, endorser: str, endorsee: str, slug: str) -> None:
        await self.store.endorse(
            Endorsement(
                endorser_id=self.plain[endorser],
                endorsee_id=self.plain[endorsee],
                expertise_id=slug,
                at=utc_now(),
            ),
            change=system_change(),
        )

    async def delete(self) -> None:
        for id_ in self.plain.values():
            await self.store.delete_civil_servant(id_, change=system_change())


@pytest_asyncio.fixture(loop_scope="session")
async def people(api: Api, ldbc_store: GraphStore, token: str) -> AsyncIterator[People]:
    cast = People(api, ldbc_store, token)
    yield cast
    await cast.delete()


async def post(client: Api, **fields: Any) -> dict[str, Any]:
    """Post a request (ADVICE on C1 unless said otherwise); return it."""
    data = {"title": "Talent policy", "expertise": [area(C1)], "kind": "ADVICE"} | fields
    return (await client.data(POST, {"i": data}))["postExpertiseRequest"]["expertiseRequest"]


async def code(client: Api, query: str, variables: dict[str, Any]) -> str:
    return str((await client.error(query, variables))["extensions"]["code"])


# ---- lifecycle ----
async def test_lifecycle(people: People, api: Api) -> None:
    await people.add("author", "ID", {C1: 3})
    await people.add("helper", "MY", {C1: 4})
    await people.add("second", "TH", {C1: 2})
    author, helper, second = people.as_("author"), people.as_("helper"), people.as_("second")
    deadline = (utc_now().date() + timedelta(days=30)).isoformat()
    q = await post(
        author,
        description="Our ministry redesigns its talent-management policy.",
        institution=gid("Institution", "inst-id-bkn"),
        deadline=deadline,
    )
    assert q["status"] == "OPEN" and q["kind"] == "ADVICE" and q["visibility"] == "EVERYONE"
    assert q["author"] == {"id": people.gid("author")} and q["expertise"] == [{"slug": C1}]
    assert q["deadline"] == deadline and q["institution"] == {
        "id": gid("Institution", "inst-id-bkn")
    }
    assert q["country"] == {"code": "ID"}  # the institution's country

    made = (await helper.data(OFFER, {"r": q["id"], "m": "I led this in Malaysia"}))["offerHelp"]
    assert made["offer"] == {
        "status": "PENDING",
        "message": "I led this in Malaysia",
        "helper": {"id": people.gid("helper")},
    }
    assert made["expertiseRequest"]["offerCount"] == 1
    await second.data(OFFER, {"r": q["id"]})
    # The author sees every offer; a helper only their own.
    seen = (await author.data(GET, {"id": q["id"]}))["expertiseRequest"]
    assert [o["helper"]["id"] for o in seen["offers"]] == [
        people.gid("helper"),
        people.gid("second"),
    ]
    own = (await second.data(GET, {"id": q["id"]}))["expertiseRequest"]
    assert own["offerCount"] == 2 and own["offers"] == [
        {"status": "PENDING", "helper": {"id": people.gid("second")}}
    ]

    accepted = await author.data(ACCEPT, {"r": q["id"], "h": people.gid("helper")})
    assert accepted["acceptOffer"]["expertiseRequest"]["status"] == "IN_PROGRESS"
    assert accepted["acceptOffer"]["collaboration"]["until"] is None
    closed = (
        await author.data(
            CLOSE,
            {
                "i": {
                    "request": q["id"],
                    "closure": "FULFILLED",
                    "outcome": "A new talent-management policy",
                    "portfolioItem": {"kind": "POLICY", "title": "Talent policy 2030"},
                }
            },
        )
    )["closeExpertiseRequest"]["expertiseRequest"]
    assert (closed["status"], closed["closure"]) == ("CLOSED", "FULFILLED")
    assert closed["portfolioItem"]["title"] == "Talent policy 2030"
    assert [(c["helper"]["id"], c["outcome"], c["until"]) for c in closed["collaborations"]] == [
        (people.gid("helper"), "A new talent-management policy", closed["closedAt"])
    ]
    # The item is on both profiles.
    for name in ("author", "helper"):
        portfolio = await api.data(
            "query ($id: ID!) { civilServant(id: $id) { portfolio { title } } }",
            {"id": people.gid(name)},
        )
        assert portfolio["civilServant"]["portfolio"] == [{"title": "Talent policy 2030"}]
    # Notifications: the author heard of both offers, the helper of the acceptance.
    inbox = (await author.data(INBOX))["viewer"]["notifications"]["edges"]
    assert [(n["node"]["kind"], n["node"]["subjects"]) for n in inbox] == [
        ("OFFER_RECEIVED", [{"id": q["id"]}, {"id": people.gid("second")}]),
        ("OFFER_RECEIVED", [{"id": q["id"]}, {"id": people.gid("helper")}]),
    ]
    told = (await helper.data(INBOX))["viewer"]["notifications"]["edges"]
    assert [n["node"]["kind"] for n in told] == ["OFFER_ACCEPTED", "MATCHING_REQUESTS"]
    digest = told[1]["node"]["subjects"]
    assert digest == [{"id": q["id"]}]  # the helper holds C1: told of the request when posted
    # Every step is audited with its subjects.
    trail = (await api.data(TRAIL, {"a": "closeExpertiseRequest"}))["auditTrail"]["edges"][0]
    assert trail["node"]["actorId"] == people.plain["author"]
    assert f"ExpertiseRequest:{q['id']}" not in trail["node"]["subjectIds"]  # plain ids
    assert any(s.startswith("ExpertiseRequest:") for s in trail["node"]["subjectIds"])
    assert any(s.startswith("PortfolioItem:") for s in trail["node"]["subjectIds"])
    posted = (await api.data(TRAIL, {"a": "postExpertiseRequest"}))["auditTrail"]["edges"][0]
    assert posted["node"]["actorId"] == people.plain["author"]
    # Closed: no more offers, no second closing.
    assert await code(people.as_("second"), OFFER, {"r": q["id"]}) == "CONFLICT"


async def test_withdrawal_and_author_only_changes(people: People, api: Api) -> None:
    await people.add("author", "ID")
    await people.add("helper", "MY", {C1: 4})
    await people.add("other", "TH")
    author, helper, other = people.as_("author"), people.as_("helper"), people.as_("other")
    q = await post(author)
    await helper.data(OFFER, {"r": q["id"]})
    accept = {"r": q["id"], "h": people.gid("helper")}
    withdraw = {"i": {"request": q["id"], "closure": "WITHDRAWN"}}
    assert await code(other, ACCEPT, accept) == "FORBIDDEN"
    assert await code(helper, CLOSE, withdraw) == "FORBIDDEN"
    await api.data(ACCEPT, accept)  # an admin may
    closed = (await author.data(CLOSE, withdraw))["closeExpertiseRequest"]["expertiseRequest"]
    assert (closed["status"], closed["closure"], closed["outcome"]) == (
        "CLOSED",
        "WITHDRAWN",
        None,
    )
    assert closed["collaborations"][0]["until"] == closed["closedAt"]
    assert await code(author, CLOSE, withdraw) == "CONFLICT"
    assert await code(author, ACCEPT, accept) == "CONFLICT"


# ---- access ----
async def test_network_only_requests(people: People, api: Api) -> None:
    await people.add("author", "ID")
    await people.add("friend", "MY", {C1: 3})
    await people.add("stranger", "TH", {C1: 5})
    await people.add("unverified", "TH", verified=False)
    await people.connect("author", "friend")
    q = await post(people.as_("author"), visibility="NETWORK")
    stranger = people.as_("stranger")
    for query, variables in (
        (GET, {"id": q["id"]}),
        ("query ($id: ID!) { node(id: $id) { id } }", {"id": q["id"]}),
        (OFFER, {"r": q["id"]}),
        (SUGGEST, {"id": q["id"], "first": 5}),
    ):
        assert await code(stranger, query, variables) == "FORBIDDEN", query
    mine = {"f": {"author": people.gid("author")}}
    listed = (await stranger.data(LIST, mine))["expertiseRequests"]
    assert listed["totalCount"] == 0 and listed["edges"] == []
    friend = people.as_("friend")
    assert (await friend.data(GET, {"id": q["id"]}))["expertiseRequest"]["id"] == q["id"]
    assert (await friend.data(LIST, mine))["expertiseRequests"]["totalCount"] == 1
    assert (await api.data(GET, {"id": q["id"]}))["expertiseRequest"]["id"] == q["id"]  # admin
    await friend.data(OFFER, {"r": q["id"]})
    # Recommendations never show it to the stranger, though the area fits.
    recommended = await stranger.data(RECOMMEND, {"p": people.gid("stranger")})
    assert q["id"] not in {r["expertiseRequest"]["id"] for r in recommended["recommendedRequests"]}
    # Unverified members and anonymous callers see no requests at all.
    assert await code(people.as_("unverified"), LIST, {}) == "FORBIDDEN"
    assert (
        await code(
            people.as_("unverified"),
            POST,
            {"i": {"title": "x", "expertise": [area(C1)], "kind": "ADVICE"}},
        )
        == "FORBIDDEN"
    )
    assert await code(api.anonymous(), GET, {"id": q["id"]}) == "UNAUTHENTICATED"
    # Someone else's recommendations are theirs alone.
    assert await code(stranger, RECOMMEND, {"p": people.gid("friend")}) == "FORBIDDEN"


# ---- bad input ----
async def test_bad_input_writes_nothing(people: People, api: Api, ldbc_store: GraphStore) -> None:
    await people.add("author", "ID", {C1: 2})
    await people.add("helper", "MY")
    author, helper = people.as_("author"), people.as_("helper")
    yesterday = (utc_now().date() - timedelta(days=1)).isoformat()
    base = {"title": "Talent policy", "expertise": [area(C1)], "kind": "ADVICE"}
    for changes, field in (
        ({"expertise": [area("no-such-area")]}, "expertise"),
        ({"expertise": []}, "expertise"),
        ({"expertise": [area(f"a{i}") for i in range(11)]}, "expertise"),
        ({"deadline": yesterday}, "deadline"),
        ({"country": "QQ"}, "country"),
        ({"country": "indonesia"}, "country"),
        ({"institution": gid("Institution", "no-such")}, "institution"),
        ({"title": "Bad\u0000title"}, "title"),
        ({"title": "   "}, "title"),
        ({"description": "x" * 5001}, "description"),
    ):
        error = await author.error(POST, {"i": base | changes})
        assert error["extensions"]["code"] == "BAD_USER_INPUT", changes
        assert [f["field"] for f in error["extensions"]["fields"]] == [field], error
    assert await code(author, POST, {"i": base | {"expertise": [person("x")]}}) == "BAD_USER_INPUT"
    listed = {"f": {"author": people.gid("author"), "status": "OPEN"}}
    assert (await api.data(LIST, listed))["expertiseRequests"]["totalCount"] == 0
    today = await post(author, deadline=utc_now().date().isoformat())  # today is not past

    # Offers: your own request, twice, a closed one; messages have the text rules.
    assert await code(author, OFFER, {"r": today["id"]}) == "BAD_USER_INPUT"
    assert await code(helper, OFFER, {"r": today["id"], "m": "x" * 2001}) == "BAD_USER_INPUT"
    await helper.data(OFFER, {"r": today["id"]})
    error = await helper.error(OFFER, {"r": today["id"]})
    assert error["extensions"]["code"] == "CONFLICT" and "already offered" in error["message"]
    assert await code(helper, OFFER, {"r": gid("ExpertiseRequest", new_id())}) == "NOT_FOUND"
    assert await code(helper, OFFER, {"r": person("x")}) == "BAD_USER_INPUT"
    # Accepting someone who did not offer.
    no_offer = {"r": today["id"], "h": people.gid("author")}
    assert await code(author, ACCEPT, no_offer) == "NOT_FOUND"

    # Closing: fulfilled needs an outcome and an accepted offer; withdrawn takes neither.
    def close(closure: str, **more: Any) -> dict[str, Any]:
        return {"i": {"request": today["id"], "closure": closure} | more}

    for variables, expected in (
        (close("FULFILLED"), "BAD_USER_INPUT"),
        (close("FULFILLED", outcome="  "), "BAD_USER_INPUT"),
        (close("FULFILLED", outcome="done"), "CONFLICT"),
        (close("WITHDRAWN", outcome="done"), "BAD_USER_INPUT"),
        (close("WITHDRAWN", portfolioItem={"kind": "TALK", "title": "t"}), "BAD_USER_INPUT"),
    ):
        assert await code(author, CLOSE, variables) == expected, variables
    await author.data(ACCEPT, {"r": today["id"], "h": people.gid("helper")})
    bad_item = close("FULFILLED", outcome="done", portfolioItem={"kind": "TALK", "title": ""})
    error = await author.error(CLOSE, bad_item)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    state = (await author.data(GET, {"id": today["id"]}))["expertiseRequest"]
    assert state["status"] == "IN_PROGRESS"  # nothing half-written
    assert (await ldbc_store.portfolio_of([people.plain["author"]])) == [[]]
    (await author.data(CLOSE, close("WITHDRAWN")))
    assert await code(helper, OFFER, {"r": today["id"]}) == "CONFLICT"

    # Lists page forward only; page sizes are capped.
    assert await code(author, "{ expertiseRequests(first: 101) { totalCount } }", {}) == (
        "LIMIT_EXCEEDED"
    )
    assert await code(author, LIST, {"f": {"country": "xx"}}) == "BAD_USER_INPUT"
    assert await code(author, SUGGEST, {"id": today["id"], "first": 51}) == "LIMIT_EXCEEDED"
    assert await code(author, SUGGEST, {"id": today["id"], "first": 0}) == "BAD_USER_INPUT"


async def test_pages_newest_first(people: People) -> None:
    await people.add("author", "ID")
    author = people.as_("author")
    made = [(await post(author, kind=k))["id"] for k in ("ADVICE", "REVIEW", "SPEAKING")]
    walked, after = [], None
    while True:
        page = (
            await author.data(
                LIST, {"f": {"author": people.gid("author")}, "first": 2, "after": after}
            )
        )["expertiseRequests"]
        walked += [e["node"]["id"] for e in page["edges"]]
        assert page["totalCount"] == 3
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert walked == made[::-1]
    review = {"f": {"author": people.gid("author"), "kind": "REVIEW"}}
    assert [
        e["node"]["id"] for e in (await author.data(LIST, review))["expertiseRequests"]["edges"]
    ] == [made[1]]
    broad = {"f": {"author": people.gid("author"), "expertise": area(R)}}  # R covers C1
    assert (await author.data(LIST, broad))["expertiseRequests"]["totalCount"] == 3
    assert await code(author, "{ expertiseRequests(last: 1) { totalCount } }", {}) == (
        "BAD_USER_INPUT"
    )


# ---- matching ----
async def build_matching_graph(people: People) -> dict[str, str]:
    """A small graph whose rankings are derived by hand below.

    Areas (ACCSM): R = public-sector-hrm, with the narrower C1 = talent-management and
    C2 = competency-management; L = leadership, unrelated.

        person  country  holds                 notes
        A       ID       C1 5                  author of Q; connected to E2
        E1      MY       C1 5                  not connected to A
        E2      ID       C1 3                  connected to A and E3; endorsed in C1 by E1, E3
        E3      TH       C1 4, L 3             one fulfilled collaboration (on P, by E5)
        E4      ID       R 5                   holds only the broader area
        E5      MY       C1 2, R 5             endorsed in R by E4 (not in C1)
        U       TH       C1 5                  not verified

    Requests, in posting order: P (E5, L; E3 helped; closed FULFILLED), Q (A, C1), Q2 (E4, R and
    C2), Q3 (E1, C1 and R), Q4 (E2, C1, NETWORK), Q5 (E3, L), Q6 (A, R, deadline passed), Q7 (E1,
    C1; E5 offered on it).
    """
    for name, country, areas in (
        ("A", "ID", {C1: 5}),
        ("E1", "MY", {C1: 5}),
        ("E2", "ID", {C1: 3}),
        ("E3", "TH", {C1: 4, L: 3}),
        ("E4", "ID", {R: 5}),
        ("E5", "MY", {C1: 2, R: 5}),
    ):
        await people.add(name, country, areas)
    await people.add("U", "TH", {C1: 5}, verified=False)
    await people.connect("A", "E2")
    await people.connect("E2", "E3")
    await people.endorse("E1", "E2", C1)
    await people.endorse("E3", "E2", C1)
    await people.endorse("E4", "E5", R)
    ids: dict[str, str] = {}
    ids["P"] = (await post(people.as_("E5"), expertise=[area(L)]))["id"]
    await people.as_("E3").data(OFFER, {"r": ids["P"]})
    await people.as_("E5").data(ACCEPT, {"r": ids["P"], "h": people.gid("E3")})
    fulfilled = {"request": ids["P"], "closure": "FULFILLED", "outcome": "done"}
    await people.as_("E5").data(CLOSE, {"i": fulfilled})
    for name, author, areas, extra in (
        ("Q", "A", [C1], {}),
        ("Q2", "E4", [R, C2], {}),
        ("Q3", "E1", [C1, R], {}),
        ("Q4", "E2", [C1], {"visibility": "NETWORK"}),
        ("Q5", "E3", [L], {}),
    ):
        ids[name] = (await post(people.as_(author), expertise=[area(a) for a in areas], **extra))[
            "id"
        ]
    # A deadline cannot be posted in the past; this one has passed since (written directly).
    q6 = ExpertiseRequest(
        id=new_id(),
        author_id=people.plain["A"],
        title="Past",
        area_ids=(R,),
        kind=ExpertiseRequestKind.REVIEW,
        deadline=utc_now().date() - timedelta(days=1),
        created_at=utc_now(),
    )
    await people.store.post_expertise_request(q6, change=system_change())
    ids["Q6"] = gid("ExpertiseRequest", q6.id)
    ids["Q7"] = (await post(people.as_("E1")))["id"]
    await people.as_("E5").data(OFFER, {"r": ids["Q7"]})
    return ids


async def test_suggested_experts(people: People) -> None:
    """Candidates for Q (C1, no narrower areas): verified holders of C1 except the author A; U is
    not verified and E4 holds only the broader R. score = 2 × level + endorsements in C1
    + 1.5 × fulfilled collaborations + proximity (3 / 2 / 1 for 1 / 2 / 3 hops from A):

        E3: 2 × 4 + 0 + 1.5 × 1 + 2 (A–E2–E3)  = 11.5
        E2: 2 × 3 + 2 + 0       + 3 (A–E2)     = 11
        E1: 2 × 5 + 0 + 0       + 0            = 10
        E5: 2 × 2 + 0 (R does not count) + 0 + 0 = 4

    After A accepts E2's offer, E2 (now collaborating) is left out: E3, E1, E5.
    """
    ids = await build_matching_graph(people)
    mine = {people.gid(n): n for n in people.plain}

    async def suggested() -> list[tuple[Any, ...]]:
        found = (await people.as_("A").data(SUGGEST, {"id": ids["Q"], "first": 50}))[
            "expertiseRequest"
        ]["suggestedExperts"]
        return [
            (
                mine[s["civilServant"]["id"]],
                s["score"],
                s["level"],
                s["endorsements"],
                s["pastCollaborations"],
                s["hops"],
            )
            for s in found
            if s["civilServant"]["id"] in mine
        ]

    assert await suggested() == [
        ("E3", 11.5, 4, 0, 1, 2),
        ("E2", 11.0, 3, 2, 0, 1),
        ("E1", 10.0, 5, 0, 0, None),
        ("E5", 4.0, 2, 0, 0, None),
    ]
    top = (await people.as_("E1").data(SUGGEST, {"id": ids["Q"], "first": 1}))["expertiseRequest"][
        "suggestedExperts"
    ]
    if top[0]["civilServant"]["id"] == people.gid("E3"):  # unless a stray holder outranks E3
        assert top[0]["reasons"] == [
            f"level 4 in {C1}",
            "1 fulfilled collaboration(s)",
            "2 connection hop(s) from the author",
        ]
        assert top[0]["expertise"] == [{"slug": C1}]
    await people.as_("E2").data(OFFER, {"r": ids["Q"]})
    await people.as_("A").data(ACCEPT, {"r": ids["Q"], "h": people.gid("E2")})
    assert [s[0] for s in await suggested()] == ["E3", "E1", "E5"]


async def test_recommended_requests(people: People, api: Api) -> None:
    """For E5 (MY; holds C1 and R), fitting areas are C1, R and their broader ones (none beyond
    R). Still taking offers and visible to E5: Q (C1, by A in ID), Q2 (R and C2, by E4 in ID),
    Q3 (C1 and R, by E1 in MY). Left out: P (closed), Q4 (NETWORK, E5 is not connected to E2),
    Q5 (L), Q6 (deadline passed), Q7 (E5 offered on it). Cross-border first, then more matched
    areas, then newest: Q2 (cross-border, 1 area, newer than Q), Q (cross-border, 1), Q3
    (domestic, 2 areas). Matched areas are listed by slug (R = public-sector-hrm first).

    For E2 (ID; C1, so C1 and R fit): cross-border Q3 (MY; R and C1) and Q7 (MY; C1), more areas
    first; then domestic Q2 (ID; R) and Q (ID; C1), newest first. Q4 is E2's own, Q5 needs L, Q6
    has passed its deadline, P is closed. So: Q3, Q7, Q2, Q."""
    ids = await build_matching_graph(people)
    ours = set(ids.values())

    async def recommended(
        name: str, client: Api | None = None
    ) -> list[tuple[str, bool, list[str]]]:
        by = client or people.as_(name)
        found = (await by.data(RECOMMEND, {"p": people.gid(name)}))["recommendedRequests"]
        names = {v: k for k, v in ids.items()}
        return [
            (
                names[r["expertiseRequest"]["id"]],
                r["crossBorder"],
                [e["slug"] for e in r["expertise"]],
            )
            for r in found
            if r["expertiseRequest"]["id"] in ours
        ]

    assert await recommended("E5") == [
        ("Q2", True, [R]),
        ("Q", True, [C1]),
        ("Q3", False, [R, C1]),
    ]
    assert await recommended("E2") == [
        ("Q3", True, [R, C1]),
        ("Q7", True, [C1]),
        ("Q2", False, [R]),
        ("Q", False, [C1]),
    ]
    assert await recommended("E5", api) == await recommended("E5")  # an admin may look
    # Symmetry: E5 is recommended Q, so E5 is among Q's suggested experts.
    found = await people.as_("E5").data(SUGGEST, {"id": ids["Q"], "first": 50})
    assert people.gid("E5") in {
        s["civilServant"]["id"] for s in found["expertiseRequest"]["suggestedExperts"]
    }


# ---- analytics ----
async def test_ascc_indicators_count_exchange(api: Api, exchanged: dict[str, str]) -> None:
    """`add_exchange` (tests/contract/test_exchange_contract.py) on the two-country graph. In
    2031, XA: posted 1 (Q1), fulfilled 2 (Q1, Q4), cross-border collaborations 2 (Q1-b1, Q2-a1);
    XB: posted 2 (Q2, Q3), fulfilled 0, cross-border 2 (the same two). Jan-Mar 2031, XA: posted 1,
    fulfilled 2, cross-border 1 (Q1-b1)."""
    names = ["expertiseRequestsPosted", "expertiseRequestsFulfilled", "crossBorderCollaborations"]
    for country, expected, until in (
        (XA, [1, 2, 2], "2032-01-01"),
        (XB, [2, 0, 2], "2032-01-01"),
        (XA, [1, 2, 1], "2031-04-01"),
    ):
        data = (await api.data(INDICATORS, {"c": country, "from": "2031-01-01", "until": until}))[
            "asccIndicators"
        ]
        assert [data["byCountry"][0][n] for n in names] == expected, (country, until)
        assert [data["total"][n] for n in names] == expected
    response = await api.client.get(
        "/analytics/ascc-indicators.csv",
        params={"country": XB, "from": "2031-01-01", "until": "2032-01-01"},
        headers=api.headers,
    )
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0][-3:] == [
        "expertise_requests_posted",
        "expertise_requests_fulfilled",
        "cross_border_collaborations",
    ]
    assert len(rows[0]) == 3 + len(COLUMNS)
    assert rows[2][0] == XB and rows[2][-3:] == ["2", "0", "2"]


async def test_network_growth_counts_exchange(api: Api, exchanged: dict[str, str]) -> None:
    """`networkGrowth`'s exchange counts of `add_exchange` (see its docstring): requests posted by
    authors of the countries, fulfilled by closing day, cross-border collaborations by start."""
    query = (
        "query($c: [String!], $from: Date!, $until: Date!, $i: GrowthInterval!) {"
        " networkGrowth(countries: $c, from: $from, until: $until, interval: $i)"
        " { period newExpertiseRequests fulfilledExpertiseRequests crossBorderCollaborations } }"
    )

    async def growth(countries, start, until, interval):
        variables = {"c": countries, "from": start, "until": until, "i": interval}
        return [
            (
                p["period"],
                p["newExpertiseRequests"],
                p["fulfilledExpertiseRequests"],
                p["crossBorderCollaborations"],
            )
            for p in (await api.data(query, variables))["networkGrowth"]
        ]

    # Posted: Q4 (XA) 2030-12-20, Q1 (XA) 02-01, Q2 (XB) 05-01, Q3 (XB) 06-01. Fulfilled: Q4
    # 01-15, Q1 03-10 (both XA). Cross-border: Q1-b1 02-05 and Q2-a1 05-03 (each joins XA and XB);
    # Q1-a1 and Q4-a2 are domestic.
    assert await growth([XA, XB], "2030-12-01", "2031-07-01", "MONTH") == [
        ("2030-12", 1, 0, 0),
        ("2031-01", 0, 1, 0),
        ("2031-02", 1, 0, 1),
        ("2031-03", 0, 1, 0),
        ("2031-04", 0, 0, 0),
        ("2031-05", 1, 0, 1),
        ("2031-06", 1, 0, 0),
    ]
    assert await growth([XA], "2031-01-01", "2031-07-01", "QUARTER") == [
        ("2031-Q1", 1, 2, 1),
        ("2031-Q2", 0, 0, 1),
    ]
    assert await growth([XB], "2030-01-01", "2032-01-01", "YEAR") == [
        ("2030", 0, 0, 0),
        ("2031", 2, 0, 2),
    ]
    # The yearly sums agree with the ASCC indicator report of the same countries and period.
    year_2031 = {"c": XA, "from": "2031-01-01", "until": "2032-01-01"}
    report = (await api.data(INDICATORS, year_2031))["asccIndicators"]["total"]
    year = await growth([XA], "2031-01-01", "2032-01-01", "YEAR")
    assert year == [
        (
            "2031",
            report["expertiseRequestsPosted"],
            report["expertiseRequestsFulfilled"],
            report["crossBorderCollaborations"],
        )
    ]

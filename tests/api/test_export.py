"""`exportMyData`: everything stored about the caller, on both stores (issue #13, item 10)."""

from __future__ import annotations

from schema.ids import encode_id
from tests.conftest import AREA, Api

BKN = encode_id("Institution", "inst-id-bkn")


def gid(person: str) -> str:
    return encode_id("CivilServant", person)


async def test_export_holds_every_section(api: Api, trio: list[str]) -> None:
    a, c = api.as_(trio[0]), api.as_(trio[2])
    A, B, C = trio
    area = encode_id("Expertise", AREA)
    await a.data(
        "mutation ($id: ID!, $e: String, $p: String) { updateCivilServant(input:"
        " {id: $id, email: $e, phone: $p}) { civilServant { id } } }",
        {"id": gid(A), "e": f"{A}@example.go.id", "p": "+62 21 555 0101"},
    )
    await a.data(
        "mutation ($i: AddEmploymentInput!) { addEmployment(input: $i) { __typename } }",
        {"i": {"civilServantId": gid(A), "institutionId": BKN, "sinceYear": 2012}},
    )
    await a.data(
        "mutation ($i: AddEducationInput!) { addEducation(input: $i) { __typename } }",
        {"i": {"civilServantId": gid(A), "institutionId": BKN, "year": 2008, "degree": "MPA"}},
    )
    item = (
        await a.data(
            "mutation ($i: AddPortfolioItemInput!) { addPortfolioItem(input: $i) { portfolioItem { id } } }",
            {"i": {"authorId": gid(A), "kind": "TALK", "title": "Export me", "about": [area]}},
        )
    )["addPortfolioItem"]["portfolioItem"]["id"]
    await a.data(
        "mutation ($i: UpdatePortfolioItemInput!) { updatePortfolioItem(input: $i) { __typename } }",
        {"i": {"id": item, "coAuthors": [gid(C)]}},
    )
    await a.data("mutation ($to: ID!) { requestConnection(to: $to) { outcome } }", {"to": gid(C)})
    await c.data("mutation ($f: ID!) { acceptConnection(from: $f) { since } }", {"f": gid(A)})
    await a.data("mutation ($to: ID!) { requestConnection(to: $to) { outcome } }", {"to": gid(B)})
    await a.data(
        "mutation ($p: ID!, $e: ID!) { endorse(civilServant: $p, expertise: $e) { __typename } }",
        {"p": gid(C), "e": area},
    )
    await c.data(
        "mutation ($p: ID!, $e: ID!) { endorse(civilServant: $p, expertise: $e) { __typename } }",
        {"p": gid(A), "e": area},
    )
    await a.data(
        "mutation ($m: ID!, $e: ID!) { requestMentorship(mentor: $m, expertise: $e) { __typename } }",
        {"m": gid(C), "e": area},
    )

    mine = (await a.data("{ exportMyData }"))["exportMyData"]
    assert mine["profile"]["id"] == A
    assert mine["profile"]["email"] == f"{A}@example.go.id"
    assert mine["profile"]["phone"] == "+62 21 555 0101"
    assert [(e["institutionId"], e["sinceYear"]) for e in mine["employments"]] == [
        ("inst-id-bkn", 2012)
    ]
    assert [(s["degree"], s["year"]) for s in mine["education"]] == [("MPA", 2008)]
    assert [(e["expertiseId"], e["level"]) for e in mine["expertise"]] == [(AREA, 2)]
    authored = mine["portfolio"]["authored"]
    assert [(p["title"], p["about"], p["coAuthorIds"]) for p in authored] == [
        ("Export me", [AREA], [C])
    ]
    assert [c["personId"] for c in mine["connections"]] == [C]
    assert [r["toId"] for r in mine["connectionRequests"]["sent"]] == [B]
    assert mine["connectionRequests"]["received"] == []
    assert [(e["endorseeId"], e["expertiseId"]) for e in mine["endorsements"]["given"]] == [
        (C, AREA)
    ]
    assert [e["endorserId"] for e in mine["endorsements"]["received"]] == [C]
    assert [(m["mentorId"], m["status"]) for m in mine["mentorships"]["asMentee"]] == [
        (C, "REQUESTED")
    ]
    kinds = {n["kind"] for n in mine["notifications"]}
    assert {"CONNECTION_ACCEPTED", "ENDORSED"} <= kinds
    actions = {e["action"] for e in mine["auditEntries"]}
    assert {
        "updateCivilServant",
        "addEmployment",
        "addEducation",
        "addPortfolioItem",
        "updatePortfolioItem",
        "requestConnection",
        "endorse",
        "requestMentorship",
    } <= actions
    assert all(e["actorId"] == A for e in mine["auditEntries"])
    assert "exportedAt" in mine

    # The co-author's export shows the item under co-authored; nobody sees another's export.
    theirs = (await c.data("{ exportMyData }"))["exportMyData"]
    assert [p["title"] for p in theirs["portfolio"]["coAuthored"]] == ["Export me"]
    assert theirs["profile"]["id"] == C and theirs["profile"]["email"] is None
    assert (await api.anonymous().error("{ exportMyData }"))["extensions"][
        "code"
    ] == "UNAUTHENTICATED"

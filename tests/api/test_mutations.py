"""Profile and reference-data mutations write what they say and read back through the API."""

from __future__ import annotations

from graph_db.port import GraphStore
from schema.ids import decode_id, encode_id
from tests.conftest import Api

REGISTER = """
mutation ($input: RegisterCivilServantInput!) {
  registerCivilServant(input: $input) {
    civilServant { id givenName familyName displayName countryCode country { name } languages verified joinedAt }
  }
}
"""
UPDATE = """
mutation ($input: UpdateCivilServantInput!) {
  updateCivilServant(input: $input) { civilServant { id givenName familyName displayName city bio position } }
}
"""
SET_EXPERTISE = """
mutation ($input: SetExpertiseInput!) {
  setExpertise(input: $input) {
    expertise { level years expertise { slug } }
    civilServant { expertise { level expertise { slug name } } }
  }
}
"""
REMOVE_EXPERTISE = """
mutation ($input: RemoveExpertiseInput!) {
  removeExpertise(input: $input) { civilServant { expertise { expertise { slug } } } }
}
"""
DELETE = "mutation ($id: ID!) { deleteCivilServant(id: $id) { deletedId } }"


async def test_register_update_and_expertise_lifecycle(
    api: Api, ldbc_store: GraphStore, token: str
) -> None:
    created = (
        await api.data(
            REGISTER,
            {
                "input": {
                    "givenName": "Suharti",
                    "countryCode": "ID",
                    "languages": ["id", "en"],
                    "bio": token,
                }
            },
        )
    )["registerCivilServant"]["civilServant"]
    pid = created["id"]
    try:
        assert created["familyName"] is None
        assert created["displayName"] == "Suharti"
        assert created["country"]["name"] == "Indonesia"
        assert created["verified"] is False
        assert created["languages"] == ["id", "en"]
        stored = (await ldbc_store.get_people([decode_id(pid, "CivilServant")]))[0]
        assert stored is not None and stored.bio == token

        updated = (
            await api.data(
                UPDATE,
                {
                    "input": {
                        "id": pid,
                        "familyName": "Wijaya",
                        "city": "Bogor",
                        "position": "Analyst",
                    }
                },
            )
        )["updateCivilServant"]["civilServant"]
        assert updated == {
            "id": pid,
            "givenName": "Suharti",
            "familyName": "Wijaya",
            "displayName": "Suharti Wijaya",
            "city": "Bogor",
            "bio": token,
            "position": "Analyst",
        }
        cleared = (await api.data(UPDATE, {"input": {"id": pid, "city": None}}))[
            "updateCivilServant"
        ]["civilServant"]
        assert cleared["city"] is None and cleared["position"] == "Analyst"

        area = encode_id("Expertise", "talent-management")
        result = (
            await api.data(
                SET_EXPERTISE,
                {"input": {"civilServantId": pid, "expertiseId": area, "level": 3, "years": 4}},
            )
        )["setExpertise"]
        assert result["expertise"] == {
            "level": 3,
            "years": 4,
            "expertise": {"slug": "talent-management"},
        }
        result = (
            await api.data(
                SET_EXPERTISE, {"input": {"civilServantId": pid, "expertiseId": area, "level": 5}}
            )
        )["setExpertise"]
        assert result["civilServant"]["expertise"] == [
            {"level": 5, "expertise": {"slug": "talent-management", "name": "Talent management"}}
        ]
        people = await api.data(
            '{ civilServants(filter: {expertise: "%s", nameContains: "suharti"}) { totalCount } }'
            % encode_id("Expertise", "public-sector-hrm")
        )
        assert people["civilServants"]["totalCount"] == 1, (
            "the broader area finds the narrower expert"
        )

        removed = await api.data(
            REMOVE_EXPERTISE, {"input": {"civilServantId": pid, "expertiseId": area}}
        )
        assert removed["removeExpertise"]["civilServant"]["expertise"] == []
        error = await api.error(
            REMOVE_EXPERTISE, {"input": {"civilServantId": pid, "expertiseId": area}}
        )
        assert error["extensions"]["code"] == "NOT_FOUND"
    finally:
        await api.data(DELETE, {"id": pid})
    assert (await ldbc_store.get_people([decode_id(pid, "CivilServant")])) == [None]


async def test_duplicate_email_is_a_conflict(api: Api, token: str) -> None:
    email = f"{token}@bkn.go.id"
    first = await api.data(REGISTER, {"input": {"givenName": "A", "email": email}})
    pid = first["registerCivilServant"]["civilServant"]["id"]
    try:
        error = await api.error(REGISTER, {"input": {"givenName": "B", "email": email}})
        assert error["extensions"]["code"] == "CONFLICT"
        count = await api.data(
            '{ civilServants(filter: {nameContains: "%s"}) { totalCount } }' % "b"
        )
        assert count["civilServants"]["totalCount"] >= 0
    finally:
        await api.data(DELETE, {"id": pid})


async def test_reference_mutations_and_portfolio(
    api: Api, ldbc_store: GraphStore, token: str
) -> None:
    bkn = encode_id("Institution", "inst-id-bkn")
    inst = (
        await api.data(
            """mutation ($input: CreateInstitutionInput!) {
                 createInstitution(input: $input) { institution { id name kind country { code } } } }""",
            {
                "input": {
                    "name": f"Regional Office {token}",
                    "kind": "AGENCY",
                    "countryCode": "ID",
                    "partOf": bkn,
                }
            },
        )
    )["createInstitution"]["institution"]
    assert inst["country"]["code"] == "ID" and inst["kind"] == "AGENCY"

    area = (
        await api.data(
            """mutation ($input: CreateExpertiseAreaInput!) {
                 createExpertiseArea(input: $input) { expertise { slug name broader { slug } } } }""",
            {
                "input": {
                    "name": f"Succession planning {token}",
                    "broader": encode_id("Expertise", "talent-management"),
                }
            },
        )
    )["createExpertiseArea"]["expertise"]
    assert area["slug"] == f"succession-planning-{token}"
    assert area["broader"] == [{"slug": "talent-management"}]
    again = await api.error(
        "mutation ($input: CreateExpertiseAreaInput!) { createExpertiseArea(input: $input) { expertise { slug } } }",
        {"input": {"name": f"Succession planning {token}"}},
    )
    assert again["extensions"]["code"] == "CONFLICT"

    event = (
        await api.data(
            """mutation ($input: CreateEventInput!) {
                 createEvent(input: $input) { event { id title startDate organizers { id } country { code } } } }""",
            {
                "input": {
                    "title": f"Workshop {token}",
                    "kind": "WORKSHOP",
                    "startDate": "2026-03-02",
                    "endDate": "2026-03-05",
                    "countryCode": "TH",
                    "organizers": [inst["id"]],
                }
            },
        )
    )["createEvent"]["event"]
    assert event["organizers"] == [{"id": inst["id"]}] and event["startDate"] == "2026-03-02"

    person = encode_id("CivilServant", "933")
    took_part = (
        await api.data(
            """mutation ($input: RecordParticipationInput!) {
                 recordParticipation(input: $input) { civilServant { events { role event { id } } } } }""",
            {"input": {"civilServantId": person, "eventId": event["id"], "role": "speaker"}},
        )
    )["recordParticipation"]["civilServant"]["events"]
    assert {"role": "speaker", "event": {"id": event["id"]}} in took_part

    item = (
        await api.data(
            """mutation ($input: AddPortfolioItemInput!) {
                 addPortfolioItem(input: $input) { portfolioItem { id title year author { id } about { slug } } } }""",
            {
                "input": {
                    "authorId": person,
                    "kind": "PUBLICATION",
                    "title": f"Talent pools {token}",
                    "year": 2024,
                    "about": [encode_id("Expertise", area["slug"])],
                }
            },
        )
    )["addPortfolioItem"]["portfolioItem"]
    assert item["author"] == {"id": person} and item["about"] == [{"slug": area["slug"]}]
    portfolio = await api.data('{ civilServant(id: "%s") { portfolio { id } } }' % person)
    assert {"id": item["id"]} in portfolio["civilServant"]["portfolio"]
    node = await api.data('{ node(id: "%s") { ... on PortfolioItem { title } } }' % item["id"])
    assert node["node"]["title"] == f"Talent pools {token}"

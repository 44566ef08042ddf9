"""The append-only audit trail: every accepted mutation, written with it; rejected ones leave none."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from graph_db import audit
from graph_db.audit import system_change
from graph_db.errors import Conflict, NotFound
from graph_db.paging import PageRequest
from graph_db.port import GraphStore
from graph_db.records import CivilServantCreate, CivilServantUpdate, new_id, utc_now
from schema.ids import decode_id, encode_id
from tests.conftest import Api

TRAIL = """query ($actor: ID, $action: String, $first: Int, $after: String) {
  auditTrail(actor: $actor, action: $action, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id at actorId roles action subjectIds requestId } } } }"""
UPDATE = """mutation ($input: UpdateCivilServantInput!) { updateCivilServant(input: $input) { civilServant { id bio } } }"""
PORTFOLIO = """mutation ($input: AddPortfolioItemInput!) { addPortfolioItem(input: $input) { portfolioItem { id } } }"""


async def trail_of(api: Api, person: str, **extra: Any) -> dict[str, Any]:
    variables = {"actor": encode_id("CivilServant", person), **extra}
    return (await api.data(TRAIL, variables))["auditTrail"]


async def test_accepted_mutations_are_recorded_with_who_what_when_and_ids(
    api: Api, member: str
) -> None:
    me = api.as_(member)
    gid = encode_id("CivilServant", member)
    before = utc_now()
    response = await api.client.post(
        "/graphql",
        json={"query": UPDATE, "variables": {"input": {"id": gid, "bio": "first"}}},
        headers=me.headers | {"x-request-id": f"req-{member}"},
    )
    assert response.json()["data"]["updateCivilServant"]["civilServant"]["bio"] == "first"
    item = (
        await me.data(
            PORTFOLIO,
            {"input": {"authorId": gid, "kind": "PUBLICATION", "title": "Audited", "year": 2025}},
        )
    )["addPortfolioItem"]["portfolioItem"]["id"]

    trail = await trail_of(api, member)
    assert trail["totalCount"] == 2
    newest, oldest = (e["node"] for e in trail["edges"])
    assert oldest["action"] == "updateCivilServant"
    assert oldest["actorId"] == member and oldest["roles"] == ["member"]
    assert oldest["subjectIds"] == [f"CivilServant:{member}"]
    assert oldest["requestId"] == f"req-{member}"
    at = datetime.fromisoformat(oldest["at"])
    assert before - timedelta(seconds=1) <= at <= utc_now() + timedelta(seconds=1)
    assert newest["action"] == "addPortfolioItem"
    item_id = decode_id(item, "PortfolioItem")
    assert newest["subjectIds"] == [f"CivilServant:{member}", f"PortfolioItem:{item_id}"]
    only_updates = await trail_of(api, member, action="updateCivilServant")
    assert [e["node"]["id"] for e in only_updates["edges"]] == [oldest["id"]]


async def test_rejected_mutations_leave_no_entry(api: Api, member: str) -> None:
    me = api.as_(member)
    gid = encode_id("CivilServant", member)
    other = encode_id("CivilServant", "933")
    assert (await me.error(UPDATE, {"input": {"id": other, "bio": "x"}}))["extensions"][
        "code"
    ] == "FORBIDDEN"
    assert (await me.error(UPDATE, {"input": {"id": gid, "email": "not an email"}}))["extensions"][
        "code"
    ] == "BAD_USER_INPUT"
    taken = await api.data('{ civilServant(id: "%s") { email } }' % other)
    if taken["civilServant"]["email"]:
        assert (
            await me.error(UPDATE, {"input": {"id": gid, "email": taken["civilServant"]["email"]}})
        )["extensions"]["code"] == "CONFLICT"
    assert (await trail_of(api, member))["totalCount"] == 0


async def test_only_admins_read_the_trail(api: Api, member: str) -> None:
    assert (await api.as_(member).error(TRAIL))["extensions"]["code"] == "FORBIDDEN"
    assert (await api.anonymous().error(TRAIL))["extensions"]["code"] == "UNAUTHENTICATED"


async def test_pages_walk_newest_first_without_gaps(api: Api, member: str) -> None:
    me = api.as_(member)
    gid = encode_id("CivilServant", member)
    for i in range(5):
        await me.data(UPDATE, {"input": {"id": gid, "bio": f"v{i}"}})
    seen: list[str] = []
    after = None
    while True:
        page = await trail_of(api, member, first=2, after=after)
        seen += [e["node"]["at"] + e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == 5 and seen == sorted(seen, reverse=True)


async def test_store_appends_the_entry_in_the_transaction_of_the_write(
    ldbc_store: GraphStore, token: str
) -> None:
    """A write that fails rolls its entry back; one that commits records exactly one entry."""
    record = CivilServantCreate(given_name="Tx", family_name=token).to_record(
        id=token, joined_at=utc_now()
    )
    await ldbc_store.create_civil_servant(record, change=system_change())
    try:
        failed = audit.AuditEntry(
            id=new_id(), at=utc_now(), actor_id=token, action="dup", request_id="r1"
        )
        failed_change = audit.Change(failed)
        try:
            await ldbc_store.create_civil_servant(record, change=failed_change)
        except Conflict:
            pass
        else:
            raise AssertionError("a second profile with the same id was created")
        assert not failed_change.recorded
        nobody = audit.Change(
            audit.AuditEntry(
                id=new_id(), at=utc_now(), actor_id=token, action="nobody", request_id="r3"
            )
        )
        with pytest.raises(NotFound):  # one statement on Neo4j: finding nobody, it writes nothing
            await ldbc_store.update_civil_servant(
                f"{token}-nobody", CivilServantUpdate(bio="x"), change=nobody
            )
        assert not nobody.recorded
        done = audit.AuditEntry(
            id=new_id(), at=utc_now(), actor_id=token, action="twice", request_id="r2"
        )
        twice = audit.Change(done)
        await ldbc_store.update_civil_servant(token, CivilServantUpdate(bio="one"), change=twice)
        await ldbc_store.update_civil_servant(token, CivilServantUpdate(bio="two"), change=twice)
        assert twice.recorded
        page = await ldbc_store.audit_trail(actor_id=token, action=None, page=PageRequest(limit=10))
        assert [e.action for e in page.items] == ["twice"]
        assert page.items[0] == done
    finally:
        await ldbc_store.delete_civil_servant(token, change=system_change())


async def test_request_ids_are_taken_only_when_well_formed(api: Api, member: str) -> None:
    me = api.as_(member)
    gid = encode_id("CivilServant", member)
    for sent in ("<script>alert(1)</script>", "x" * 129):
        await api.client.post(
            "/graphql",
            json={"query": UPDATE, "variables": {"input": {"id": gid, "bio": "b"}}},
            headers=me.headers | {"x-request-id": sent},
        )
    ids = [e["node"]["requestId"] for e in (await trail_of(api, member))["edges"]]
    assert len(ids) == 2 and all(len(i) == 32 and i.isalnum() for i in ids), ids

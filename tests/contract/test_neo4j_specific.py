"""Neo4j-only properties of `Neo4jStore` that the shared contract suite cannot see.

Concurrency (the embedded store serialises all writes; Neo4j runs them in parallel), schema
migrations, temporal types at the boundary, error translation, and bulk-load pre-checks. Runs on the
session's LDBC-loaded Neo4j store; every test writes records with unique ids and deletes them.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import neo4j
import pytest
import pytest_asyncio

from graph_db.audit import system_change
from graph_db.errors import Conflict, InvalidInput, StoreError, StoreUnavailable
from graph_db.neo4j import Neo4jStore
from graph_db.paging import PageRequest
from graph_db.records import (
    CivilServant,
    CivilServantUpdate,
    Connection,
    ExpertiseClaim,
    GraphBatch,
    Participation,
    ReferenceFilter,
    ReferenceKind,
)

pytestmark = [pytest.mark.neo4j, pytest.mark.asyncio(loop_scope="session")]

JOINED = datetime(2025, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)


@pytest_asyncio.fixture(loop_scope="session")
async def neo(loaded_stores) -> Neo4jStore:  # type: ignore[no-untyped-def]
    store = await loaded_stores.get("neo4j")
    assert isinstance(store, Neo4jStore)
    return store


@pytest_asyncio.fixture(loop_scope="session")
async def raw(neo4j_server: dict[str, str]) -> AsyncIterator[neo4j.AsyncDriver]:
    """A plain driver, to look at what was stored and to clean up."""
    async with neo4j.AsyncGraphDatabase.driver(
        neo4j_server["uri"], auth=(neo4j_server["user"], neo4j_server["password"])
    ) as driver:
        yield driver


@pytest_asyncio.fixture(loop_scope="session")
async def person(
    neo: Neo4jStore, raw: neo4j.AsyncDriver, token: str
) -> AsyncIterator[CivilServant]:
    """A fresh civil servant, deleted (with everything it holds) afterwards."""
    p = CivilServant(
        id=f"{token}-p", given_name="Concurrent", display_name="Concurrent", joined_at=JOINED
    )
    await neo.create_civil_servant(p, change=system_change())
    yield p
    await raw.execute_query(
        "MATCH (n:CivilServant) WHERE n.id STARTS WITH $token DETACH DELETE n", token=token
    )


async def _outcome(coro) -> str:  # type: ignore[no-untyped-def]
    try:
        await coro
        return "ok"
    except StoreError as exc:
        return type(exc).__name__


async def test_concurrent_identical_set_expertise_creates_one_relationship(
    neo: Neo4jStore, raw: neo4j.AsyncDriver, person: CivilServant
) -> None:
    claims = [
        ExpertiseClaim(person_id=person.id, expertise_id="tag-1", level=1 + i % 5)
        for i in range(50)
    ]
    results = await asyncio.gather(
        *(_outcome(neo.set_expertise(c, change=system_change())) for c in claims)
    )
    assert Counter(results) == {"ok": 50}
    records, _, _ = await raw.execute_query(
        "MATCH (:CivilServant {id: $id})-[h:HAS_EXPERTISE]->(:Expertise {id: 'tag-1'}) RETURN count(h) AS n",
        id=person.id,
    )
    assert records[0]["n"] == 1


async def test_concurrent_record_participation_creates_one_relationship(
    neo: Neo4jStore, raw: neo4j.AsyncDriver, person: CivilServant
) -> None:
    page = await neo.list_reference(
        kind=ReferenceKind.EVENT, filter=ReferenceFilter(), page=PageRequest(limit=1)
    )
    event_id = page.items[0].id
    calls = [Participation(person_id=person.id, event_id=event_id, role=str(i)) for i in range(50)]
    assert Counter(
        await asyncio.gather(
            *(_outcome(neo.record_participation(c, change=system_change())) for c in calls)
        )
    ) == {"ok": 50}
    assert len((await neo.participations_of([person.id]))[0]) == 1


async def test_concurrent_updates_of_different_fields_lose_nothing(
    neo: Neo4jStore, person: CivilServant
) -> None:
    fields = {
        "city": "Jakarta",
        "position": "Director",
        "grade": "IV/a",
        "bio": "Merit systems.",
        "country_code": "ID",
        "languages": ("id", "en"),
        "family_name": "Wijaya",
    }
    updates = [CivilServantUpdate(**{name: value}) for name, value in fields.items()]
    assert Counter(
        await asyncio.gather(
            *(
                _outcome(neo.update_civil_servant(person.id, u, change=system_change()))
                for u in updates
            )
        )
    ) == {"ok": len(fields)}
    stored = (await neo.get_people([person.id]))[0]
    assert stored is not None
    assert {name: getattr(stored, name) for name in fields} == fields


async def test_a_write_sends_begin_with_its_first_statement(
    neo: Neo4jStore, person: CivilServant, caplog: pytest.LogCaptureFixture
) -> None:
    """BEGIN goes out with the first RUN, not alone ahead of it (`store.pipelined_begin`): the
    driver's Bolt log shows no answer from the server between them."""
    with caplog.at_level(logging.DEBUG, logger="neo4j.io"):
        await neo.update_civil_servant(
            person.id, CivilServantUpdate(family_name="Pipelined"), change=system_change()
        )
    bolt = [r.getMessage() for r in caplog.records if r.name == "neo4j.io"]
    begin = next(i for i, line in enumerate(bolt) if "  C: BEGIN" in line)
    port = bolt[begin].split("]")[0]
    messages = [line.split("  ", 1)[1][:4] for line in bolt[begin + 1 :] if line.startswith(port)]
    messages = [m for m in messages if m[:2] in ("C:", "S:")]  # not the state changes
    assert messages[:3] == ["C: R", "C: P", "S: S"], bolt[begin : begin + 8]
    stored = (await neo.get_people([person.id]))[0]
    assert stored is not None and stored.family_name == "Pipelined"


async def test_an_edit_of_standalone_fields_is_one_auto_commit_statement(
    neo: Neo4jStore, person: CivilServant, caplog: pytest.LogCaptureFixture
) -> None:
    """No BEGIN and no COMMIT: the server takes the person's lock and commits within the one
    RUN (`Writes._edit_alone`), and the statement writes the audit entry too."""
    change = system_change()
    with caplog.at_level(logging.DEBUG, logger="neo4j.io"):
        await neo.update_civil_servant(person.id, CivilServantUpdate(bio="Alone."), change=change)
    sent = [
        r.getMessage().split("  C: ", 1)[1].split(" ", 1)[0]
        for r in caplog.records
        if r.name == "neo4j.io" and "  C: " in r.getMessage()
    ]
    assert "BEGIN" not in sent and "COMMIT" not in sent and sent.count("RUN") == 1, sent
    assert change.recorded
    stored = (await neo.get_people([person.id]))[0]
    assert stored is not None and stored.bio == "Alone."


async def test_concurrent_creates_with_one_email_admit_one(
    neo: Neo4jStore, token: str, person: CivilServant
) -> None:
    people = [
        person.model_copy(update={"id": f"{token}-e{i}", "email": f"{token}@example.org"})
        for i in range(20)
    ]
    results = Counter(
        await asyncio.gather(
            *(_outcome(neo.create_civil_servant(p, change=system_change())) for p in people)
        )
    )
    assert results == {"ok": 1, "Conflict": 19}


async def test_concurrent_creates_with_one_id_admit_one(
    neo: Neo4jStore, token: str, person: CivilServant
) -> None:
    twin = person.model_copy(update={"id": f"{token}-twin"})
    results = Counter(
        await asyncio.gather(
            *(_outcome(neo.create_civil_servant(twin, change=system_change())) for _ in range(20))
        )
    )
    assert results == {"ok": 1, "Conflict": 19}


async def test_temporal_values_come_back_as_python_types(
    neo: Neo4jStore, person: CivilServant
) -> None:
    stored = (await neo.get_people([person.id]))[0]
    assert stored is not None and stored.joined_at == JOINED and stored.joined_at.tzinfo is not None
    events = await neo.list_reference(
        kind=ReferenceKind.EVENT, filter=ReferenceFilter(), page=PageRequest(limit=5)
    )
    assert all(type(e.start_date) is date for e in events.items)
    assert all(type(k[0]) is date for k in events.keys)


async def test_naive_cursor_datetimes_are_taken_as_utc(
    neo: Neo4jStore, person: CivilServant
) -> None:
    peer = person.model_copy(update={"id": f"{person.id}-2", "joined_at": JOINED.replace(second=6)})
    await neo.create_civil_servant(peer, change=system_change())
    pages = await neo.connections_of(
        [person.id], page=PageRequest(limit=5, after=(JOINED.replace(tzinfo=None), ""))
    )
    assert pages[0].items == []  # no connections, but the query ran with a naive key


async def test_migrate_is_idempotent_and_creates_the_schema(
    neo: Neo4jStore, raw: neo4j.AsyncDriver
) -> None:
    assert await neo.migrate() == []
    constraints, _, _ = await raw.execute_query(
        "SHOW CONSTRAINTS YIELD name RETURN collect(name) AS names"
    )
    assert {
        "civil_servant_id",
        "country_id",
        "migration_id",
        "dataset_id",
        "civil_servant_email",
    } <= set(constraints[0]["names"])
    indexes, _, _ = await raw.execute_query(
        "SHOW INDEXES YIELD name, type, state RETURN collect([name, type, state]) AS rows"
    )
    by_name = {name: (kind, state) for name, kind, state in indexes[0]["rows"]}
    assert by_name["search_documents"] == ("FULLTEXT", "ONLINE")
    assert "civil_servant_names" not in by_name  # replaced by search_documents (0011)
    assert by_name["civil_servant_sort_name"] == ("RANGE", "ONLINE")


async def test_bulk_load_refuses_before_writing(neo: Neo4jStore, token: str) -> None:
    newcomer = CivilServant(
        id=f"{token}-bulk", given_name="Bulk", display_name="Bulk", joined_at=JOINED
    )
    dangling = GraphBatch(
        people=[newcomer],
        connections=[Connection(person_a=newcomer.id, person_b=f"{token}-nobody", since=JOINED)],
    )
    with pytest.raises(InvalidInput):
        await neo.bulk_load(dangling, dataset=token)
    taken = GraphBatch(people=[newcomer, newcomer.model_copy(update={"id": "933"})])
    with pytest.raises(Conflict):
        await neo.bulk_load(taken, dataset=token)
    assert await neo.get_people([newcomer.id]) == [None]
    assert token not in await neo.datasets()


async def test_unreachable_server_is_store_unavailable(neo4j_server: dict[str, str]) -> None:
    with pytest.raises(StoreUnavailable):
        await Neo4jStore.open(
            "bolt://127.0.0.1:9", neo4j_server["user"], "x" * 8, connection_timeout_s=2
        )


async def test_wrong_password_is_store_unavailable(neo4j_server: dict[str, str]) -> None:
    with pytest.raises(StoreUnavailable):
        await Neo4jStore.open(neo4j_server["uri"], neo4j_server["user"], "not-the-password")


async def test_close_twice(neo4j_server: dict[str, str]) -> None:
    store = await Neo4jStore.open(
        neo4j_server["uri"], neo4j_server["user"], neo4j_server["password"]
    )
    await store.ping()
    await store.close()
    await store.close()

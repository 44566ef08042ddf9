"""The store-side query time limit, on each store: a runaway query is stopped by the store itself.

Settings: `EXPECS_EMBEDDED__QUERY_TIMEOUT_MS` (LadybugDB's per-connection query timeout) and
`EXPECS_NEO4J__QUERY_TIMEOUT_S` (the transaction timeout sent with every Neo4j transaction). Over it
the adapter raises `StoreUnavailable`, which the API answers with `STORE_UNAVAILABLE`; the store
stays usable for the next query. The runaway query filters a triple cross product of the 1,528
LDBC people (3.6 billion combinations; a bare `count(*)` of it is answered from the table sizes)
sent through the adapter's own read path.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from graph_db.errors import StoreUnavailable
from graph_db.records import GraphBatch, PersonFilter
from tests.conftest import LoadedStores

RUNAWAY = (
    "MATCH (a:CivilServant), (b:CivilServant), (c:CivilServant)"
    " WHERE a.sortName < b.sortName AND b.sortName < c.sortName RETURN count(*)"
)


async def test_embedded_query_timeout(tmp_path: Path, ldbc_batch: GraphBatch) -> None:
    from graph_db.embedded import EmbeddedStore

    path = tmp_path / "timeouts.lbdb"
    store = await EmbeddedStore.open(path)
    await store.bulk_load(ldbc_batch, dataset="ldbc")
    await store.close()
    timed = await EmbeddedStore.open(path, query_timeout_ms=300)
    try:
        started = time.monotonic()
        with pytest.raises(StoreUnavailable, match="time limit"):
            await timed._read(RUNAWAY)
        assert time.monotonic() - started < 30
        assert await timed.count_people(filter=PersonFilter()) == len(ldbc_batch.people)
    finally:
        await timed.close()


@pytest.mark.neo4j
async def test_neo4j_transaction_timeout(
    neo4j_server: dict[str, str], loaded_stores: LoadedStores
) -> None:
    from graph_db.neo4j import Neo4jStore

    await loaded_stores.get("neo4j")  # the LDBC sample in the server
    timed = await Neo4jStore.open(
        neo4j_server["uri"], neo4j_server["user"], neo4j_server["password"], query_timeout_s=0.5
    )
    try:
        started = time.monotonic()
        with pytest.raises(StoreUnavailable, match="time limit"):
            await timed._read(RUNAWAY)
        assert time.monotonic() - started < 30
        await timed.ping()
    finally:
        await timed.close()

"""Bulk loads of the generated benchmark graph (`bench/generate.py`) and the columnar load path.

- The Holme–Kim edges are networkx's `powerlaw_cluster_graph` for the same seed (networkx is the
  reference: the generator re-implements it without its memory).
- The generator's columns are what `graph_db.properties` makes of the same records.
- A small generated graph bulk-loaded into Neo4j is exactly the graph the embedded store holds
  after the same load, and both are the batch: every node's properties and every relationship.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pyarrow as pa
import pytest
import pytest_asyncio
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.generate import generate, powerlaw_cluster_edges
from graph_db import properties as P
from graph_db.core import cypher as C
from graph_db.core import search_cypher as S
from graph_db.core.bulk import ROW_OF, BulkLoad, row_chunks
from graph_db.core.search import INDEX_PROPERTIES, expertise_text
from graph_db.embedded import EmbeddedStore
from graph_db.neo4j.mapping import native
from graph_db.records import (
    CivilServant,
    ColumnarBatch,
    Connection,
    Employment,
    ExpertiseClaim,
    GraphBatch,
    Mentorship,
    MentorshipStatus,
    as_utc,
    utc_now,
)
from graph_db.reference import load_reference
from tests.conftest import AREA

Dump = tuple[dict[str, dict[str, Any]], list[tuple[str, str, str, dict[str, Any]]]]


def _rows(table: Any) -> list[dict[str, Any]]:
    return [row for chunk in row_chunks(table, 10_000) for row in chunk]


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(min_value=2, max_value=300),
    m=st.integers(min_value=1, max_value=6),
    p=st.floats(min_value=0, max_value=1),
    seed=st.integers(min_value=0, max_value=2**32),
)
def test_holme_kim_edges_are_networkx(n: int, m: int, p: float, seed: int) -> None:
    m = min(m, n - 1)
    expected = np.array(nx.powerlaw_cluster_graph(n, m, p, seed=seed).edges(), dtype=np.int64)
    assert np.array_equal(powerlaw_cluster_edges(n, m, p, seed=seed), expected.reshape(-1, 2))


def test_benchmark_graph_is_networkx_holme_kim() -> None:
    """The benchmark's own parameters (m = 10, p = 0.3) on 3,000 people, hubs included."""
    expected = nx.powerlaw_cluster_graph(3000, 10, 0.3, seed=20_260_101)
    edges = powerlaw_cluster_edges(3000, 10, 0.3, seed=20_260_101)
    assert np.array_equal(edges, np.array(expected.edges(), dtype=np.int64))


def test_generated_columns_are_what_properties_make_of_records() -> None:
    load = BulkLoad.of(generate(400), "x")
    people = _rows(load.nodes["CivilServant"])
    assert len(people) == 400
    assert {p["familyName"] is None for p in people} == {True, False}  # single names too
    for row in people:
        assert P.person_props(P.person_from_props(row)) == row
    records: dict[str, Any] = {
        "CONNECTED_TO": (
            "connections",
            lambda r: Connection(person_a=r["from"], person_b=r["to"], since=r["since"]),
        ),
        "WORKS_AT": (
            "employments",
            lambda r: Employment(
                person_id=r["from"],
                institution_id=r["to"],
                position=r["position"],
                since_year=r["since"],
                until_year=r["until"],
            ),
        ),
        "HAS_EXPERTISE": (
            "expertise_claims",
            lambda r: ExpertiseClaim(
                person_id=r["from"], expertise_id=r["to"], level=r["level"], years=r["years"]
            ),
        ),
        "MENTORS": (
            "mentorships",
            lambda r: Mentorship(
                id=r["id"],
                mentor_id=r["from"],
                mentee_id=r["to"],
                expertise_id=r["expertiseId"],
                goal=r["goal"],
                status=MentorshipStatus(r["status"]),
                requested_at=r["requestedAt"],
                since=r["since"],
                until=r["until"],
            ),
        ),
    }
    for rel, (part, record) in records.items():
        rows = _rows(load.edges[rel])
        assert rows
        for row in rows:
            assert ROW_OF[part](record(row)) == row


# ---- the same graph on both stores ----


def _clean(props: Any) -> dict[str, Any]:
    """Stored properties as plain values: no store-internal keys (`_id`, `_label`), no nulls (Neo4j
    stores none), no copies kept for Neo4j's search index (`INDEX_PROPERTIES`), datetimes aware
    UTC (LadybugDB returns naive ones)."""
    items = native(dict(props.items()))
    return {
        k: as_utc(v) if isinstance(v, datetime) else v
        for k, v in items.items()
        if not k.startswith("_") and v is not None and k not in INDEX_PROPERTIES
    }


async def _dump(store: Any, prefix: str) -> Dump:
    """Every node and relationship whose (start) node id starts with `prefix`."""
    nodes: dict[str, dict[str, Any]] = {}
    for label in C.NODE_LABELS:
        query = f"MATCH (n:{label}) WHERE n.id STARTS WITH $p RETURN n"
        for (node,) in await store._read(query, {"p": prefix}):
            nodes[node["id"]] = _clean(node)
    edges = []
    for rel, (a, b) in C.EDGE_ENDS.items():
        query = f"MATCH (a:{a})-[r:{rel}]->(b:{b}) WHERE a.id STARTS WITH $p RETURN a.id, b.id, r"
        for start, end, props in await store._read(query, {"p": prefix}):
            edges.append((rel, start, end, _clean(props)))
    return nodes, sorted(edges, key=lambda e: (e[0], e[1], e[2], sorted(e[3].items())))


def _expected(load: BulkLoad) -> Dump:
    nodes = {row["id"]: _clean(row) for t in load.nodes.values() for row in _rows(t)}
    edges = [
        (rel, row.pop("from"), row.pop("to"), _clean(row))
        for rel, t in load.edges.items()
        for row in _rows(t)
    ]
    return nodes, sorted(edges, key=lambda e: (e[0], e[1], e[2], sorted(e[3].items())))


@pytest_asyncio.fixture(loop_scope="session")
async def embedded(tmp_path: Path) -> AsyncIterator[EmbeddedStore]:
    store = await EmbeddedStore.open(tmp_path / "bulk.lbdb")
    await store.upsert_batch(load_reference())
    try:
        yield store
    finally:
        await store.close()


@pytest.mark.neo4j
@pytest.mark.asyncio(loop_scope="session")
async def test_neo4j_bulk_load_is_the_embedded_graph(loaded_stores: Any, embedded: Any) -> None:
    neo = await loaded_stores.get("neo4j")  # the session's store: the graph gets its own ids
    prefix = "bulk" + uuid.uuid4().hex[:8]
    batch = generate(300, prefix=prefix)
    expected = _expected(BulkLoad.of(batch, prefix))
    assert await embedded.bulk_load(batch, dataset=prefix) == batch.counts()
    try:
        assert await neo.bulk_load(batch, dataset=prefix) == batch.counts()
        on_neo4j, on_embedded = await _dump(neo, prefix), await _dump(embedded, prefix)
        datasets = await neo.datasets()
    finally:
        await neo._write_statement(
            "MATCH (n) WHERE n.id STARTS WITH $p DETACH DELETE n", {"p": prefix}
        )
    assert len(expected[0]) == 300 + 560 + 108  # people, institutions, expertise areas
    assert len(expected[1]) == sum(
        batch.counts()[part]
        for part in ("connections", "employments", "expertise_claims", "mentorships", "broader")
    )
    assert on_embedded == expected
    assert on_neo4j == expected
    assert prefix in datasets
    assert prefix in await embedded.datasets()


@pytest.mark.neo4j
@pytest.mark.asyncio(loop_scope="session")
async def test_neo4j_bulk_load_writes_the_search_text_reindexing_would(loaded_stores: Any) -> None:
    """The people a load creates get their `searchExpertise` with their nodes (not re-indexed
    afterwards); people who existed and gain claims are re-indexed. Either way it is what
    `index_documents` makes of the stored claims: areas of the same load and reference areas
    already in the store, people without claims included."""
    neo = await loaded_stores.get("neo4j")
    prefix = "text" + uuid.uuid4().hex[:8]
    batch = generate(120, prefix=prefix)  # people with claims on the load's own areas
    earlier = f"{prefix}-p-000000"
    later = GraphBatch(
        people=[
            CivilServant(id=f"{prefix}-new", given_name="N", display_name="N", joined_at=utc_now()),
            CivilServant(
                id=f"{prefix}-none", given_name="O", display_name="O", joined_at=utc_now()
            ),
        ],
        expertise_claims=[
            ExpertiseClaim(person_id=f"{prefix}-new", expertise_id=AREA, level=3),
            ExpertiseClaim(
                person_id=f"{prefix}-new", expertise_id=batch.records.expertise[0].id, level=2
            ),
            ExpertiseClaim(person_id=earlier, expertise_id=AREA, level=4),  # an existing person
        ],
    )
    try:
        await neo.bulk_load(batch, dataset=prefix)
        await neo.bulk_load(later, dataset=prefix + "-later")
        stored = dict(
            await neo._read(
                "MATCH (n:CivilServant) WHERE n.id STARTS WITH $p RETURN n.id, n.searchExpertise",
                {"p": prefix},
            )
        )
        documents = await neo._read(S.SEARCH_DOCUMENTS["CivilServant"], {"ids": sorted(stored)})
    finally:
        await neo._write_statement(
            "MATCH (n) WHERE n.id STARTS WITH $p DETACH DELETE n", {"p": prefix}
        )
    assert len(stored) == 122
    assert stored == {r[0]: expertise_text(r[6] or ()) for r in documents}
    assert stored[f"{prefix}-none"] == ""
    assert stored[f"{prefix}-new"].count(" ; ") == 1
    assert sum(1 for text in stored.values() if text) > 60


# ---- offline import (neo4j-admin database import full) ----


def _with_odd_person(batch: ColumnarBatch, prefix: str) -> ColumnarBatch:
    """`batch` plus people whose values test the CSV files: quotes, a line break, a backslash,
    accents, an empty list, an empty string and nulls; times before 1678 and after 2261 (beyond
    a duration in nanoseconds from 1970), to the microsecond."""
    odd = CivilServant(
        id=f"{prefix}-odd",
        given_name='Nguyễn "Ana"',
        family_name="",
        display_name="Nguyễn, Ana \\ Ø",
        bio='line one\nline "two", three',
        languages=[],
        joined_at=datetime(1600, 2, 29, 12, 0, 0, 1, tzinfo=UTC),
    )
    late = CivilServant(
        id=f"{prefix}-late",
        given_name="L",
        display_name="L",
        joined_at=datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    )
    people = batch.columns["people"]
    row = pa.Table.from_pylist([P.person_props(p) for p in (odd, late)])
    row = row.select(people.column_names)
    columns = dict(batch.columns)
    columns["people"] = pa.concat_tables([people, row.cast(people.schema)])
    return ColumnarBatch(records=batch.records, columns=columns)


def _without_empty_lists(dump: tuple[dict[Any, dict[str, Any]], Any]) -> Any:
    """`dump` with empty list properties left out: the import stores none (`admin_import`)."""
    nodes = {k: {p: v for p, v in n.items() if v != []} for k, n in dump[0].items()}
    return nodes, dump[1]


async def _indexes(store: Any) -> set[tuple[Any, ...]]:
    rows = await store._read(
        "SHOW INDEXES YIELD name, type, entityType, labelsOrTypes, properties, state"
    )
    return {tuple(tuple(v) if isinstance(v, list) else v for v in row) for row in rows}


@pytest.mark.neo4j
@pytest.mark.asyncio(loop_scope="session")
async def test_neo4j_admin_import_is_the_bulk_loaded_graph(
    loaded_stores: Any, tmp_path: Path
) -> None:
    """A load imported offline into a fresh server is what `bulk_load` writes into a migrated
    one: every node's properties (search copies included; an empty list is left out, and reads
    back as one), every relationship, the countries, the dataset, the migrations recorded and
    the same indexes, all online."""
    from devtools.local_neo4j import start_local_neo4j
    from graph_db.neo4j import Neo4jStore
    from graph_db.neo4j.admin_import import write_import_files

    neo = await loaded_stores.get("neo4j")
    prefix = "imp" + uuid.uuid4().hex[:8]
    batch = _with_odd_person(generate(300, prefix=prefix), prefix)
    load = BulkLoad.of(batch, prefix)
    files = write_import_files(load, tmp_path / "import")
    assert files.counts["CivilServant"] == 302
    server = start_local_neo4j(timeout_s=240, import_arguments=files.arguments())
    try:
        imported = await Neo4jStore.open(server.uri, server.user, server.password, imported=True)
        try:
            await imported.upsert_batch(load_reference())
            await neo.bulk_load(batch, dataset=prefix)
            graphs = [await _dump(s, prefix) for s in (imported, neo)]
            texts, countries, migrations = [], [], []
            for store in (imported, neo):
                texts.append(
                    await store._read(
                        "MATCH (n:CivilServant) WHERE n.id STARTS WITH $p"
                        " RETURN n.id, n.searchExpertise, n.searchText, n.sortName ORDER BY n.id",
                        {"p": prefix},
                    )
                )
                countries.append(
                    await store._read(
                        "MATCH (c:Country) WHERE c.id IN $ids RETURN c ORDER BY c.id",
                        {"ids": [c.id for c in batch.records.countries]},
                    )
                )
                migrations.append(
                    await store._read("MATCH (m:Migration) RETURN m.id ORDER BY m.id")
                )
            ids = sorted(graphs[1][0])
            people = [await s.get_people(ids) for s in (imported, neo)]
            indexes = [await _indexes(s) for s in (imported, neo)]
            assert await imported.datasets() == [prefix]
            odd = await imported._read(
                "MATCH (n:CivilServant {id: $id}) RETURN n.bio, n.languages, n.familyName,"
                " n.phone IS NULL",
                {"id": f"{prefix}-odd"},
            )
        finally:
            await imported.close()
    finally:
        server.stop()
        await neo._write_statement(
            "MATCH (n) WHERE n.id STARTS WITH $p DETACH DELETE n", {"p": prefix}
        )
    assert _without_empty_lists(graphs[0]) == _without_empty_lists(graphs[1])
    assert graphs[1] == _expected(load)
    assert people[0] == people[1]  # the records read back, empty lists included
    assert texts[0] == texts[1]
    assert sum(1 for row in texts[0] if row[1]) > 150  # people with claims have their text
    assert [[_clean(c[0])] for c in countries[0]] == [[_clean(c[0])] for c in countries[1]]
    assert migrations[0] == migrations[1] and len(migrations[0]) >= 13
    assert indexes[0] == indexes[1]
    assert all(state == "ONLINE" for *_, state in indexes[0])
    assert odd == [['line one\nline "two", three', None, "", True]]  # `[]`: no property


def test_import_files_refuse_what_bulk_load_refuses(tmp_path: Path) -> None:
    """Before any file is written: a relationship to a record outside the load, and a duplicate
    id, fail with the store's errors (InvalidInput, Conflict)."""
    from graph_db.errors import Conflict, InvalidInput
    from graph_db.neo4j.admin_import import write_import_files

    batch = generate(120, prefix="bad")
    dangling = BulkLoad.of(
        GraphBatch(
            people=[CivilServant(id="x-1", given_name="X", display_name="X", joined_at=utc_now())],
            connections=[Connection(person_a="x-1", person_b="x-2", since=utc_now())],
        ),
        "dangling",
    )
    with pytest.raises(InvalidInput):
        write_import_files(dangling, tmp_path / "a")
    people = batch.columns["people"]
    twice = ColumnarBatch(
        records=batch.records, columns={"people": pa.concat_tables([people, people.slice(0, 1)])}
    )
    with pytest.raises(Conflict):
        write_import_files(BulkLoad.of(twice, "twice"), tmp_path / "b")
    same_email = GraphBatch(
        people=[
            CivilServant(
                id=f"m-{k}", given_name="M", display_name="M", email="same@x.org", joined_at=now
            )
            for k, now in enumerate([utc_now()] * 2)
        ]
    )
    with pytest.raises(Conflict, match="email"):  # the constraint would fail after the import
        write_import_files(BulkLoad.of(same_email, "same-email"), tmp_path / "c")
    assert not any((tmp_path / d).exists() for d in "abc")


@pytest.mark.neo4j
@pytest.mark.asyncio(loop_scope="session")
@pytest.mark.parametrize("source", ["ldbc", "reference"])
async def test_neo4j_admin_import_writes_the_load_as_it_is(
    source: str, ldbc_batch: GraphBatch, tmp_path: Path
) -> None:
    """Every node, country and relationship of a load, imported offline into a fresh server, is
    the load's row: LDBC's sample (columns null throughout, lists with no items, millisecond
    times, STUDIED_AT) and the ACCSM reference data as a load (events' dates, ORGANIZED)."""
    from devtools.local_neo4j import start_local_neo4j
    from graph_db.neo4j import Neo4jStore
    from graph_db.neo4j.admin_import import write_import_files

    load = BulkLoad.of(ldbc_batch if source == "ldbc" else load_reference(), source)
    files = write_import_files(load, tmp_path / "import")
    server = start_local_neo4j(timeout_s=240, import_arguments=files.arguments())
    try:
        store = await Neo4jStore.open(server.uri, server.user, server.password, imported=True)
        try:
            nodes = {
                (label, node["id"]): _clean(node)
                for label in C.NODE_LABELS
                for (node,) in await store._read(f"MATCH (n:{label}) RETURN n")
            }
            edges = (await _dump(store, ""))[1]
            assert await store.datasets() == [source]
        finally:
            await store.close()
    finally:
        server.stop()
    # Ids are unique per label only (LDBC's organisations and people share numbers).
    expected = {
        (label, row["id"]): _clean(row) for label, t in load.nodes.items() for row in _rows(t)
    } | {("Country", c["id"]): _clean(c) for c in reversed(load.countries)}
    assert _without_empty_lists((nodes, edges)) == _without_empty_lists(
        (expected, _expected(load)[1])
    )

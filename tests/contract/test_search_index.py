"""The ranked-search index kept in the store: its document frequencies always equal its postings,
migration 0011 indexes what a database held before it, and Neo4j's index folds accents."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_db.audit import system_change
from graph_db.core.base import Transaction
from graph_db.paging import PageRequest
from graph_db.port import GraphStore
from graph_db.records import (
    CivilServantCreate,
    CivilServantUpdate,
    SearchFilter,
    SearchQuery,
    SearchViewer,
    utc_now,
)

ADMIN = SearchViewer(sees_all=True)


async def found(store: GraphStore, text: str) -> list[str]:
    page = await store.search(
        query=SearchQuery(text=text), filter=SearchFilter(), viewer=ADMIN, page=PageRequest(100)
    )
    return [h.id for h in page.items]


async def test_document_frequencies_match_the_postings(tmp_path: Path) -> None:
    """After creates, updates, claims, removals and deletes, every word's `df` is the number of
    documents holding it (the empty word's, the number of documents), and no word is left that
    nobody holds."""
    from graph_db.embedded import EmbeddedStore

    store = await EmbeddedStore.open(tmp_path / "df.lbdb")
    try:
        for i, (given, bio) in enumerate([("Ana", "finance finance budget"), ("Budi", "budget")]):
            record = CivilServantCreate(given_name=given, family_name="Lee", bio=bio).to_record(
                id=f"p{i}", joined_at=utc_now()
            )
            await store.create_civil_servant(record, change=system_change())
        update = CivilServantUpdate(bio="procurement")
        await store.update_civil_servant("p0", update, change=system_change())
        await store.delete_civil_servant("p1", change=system_change())
        assert await found(store, "lee procurement") == ["p0"]
        assert await found(store, "budget") == []
        terms = await store._read("MATCH (t:SearchTerm) RETURN t.term, t.df ORDER BY t.term")
        postings = await store._read(
            "MATCH ()-[:INDEXED_AS]->(t:SearchTerm) RETURN t.term, count(*) ORDER BY t.term"
        )
        assert [t for t in terms if t[0] != ""] == postings
        assert ["", 1] in terms  # the number of documents: p0 (no institutions here)
        assert "budget" not in {t for t, _ in terms}
    finally:
        await store.close()


async def test_embedded_migration_0011_indexes_what_was_there(tmp_path: Path) -> None:
    from graph_db.embedded import EmbeddedStore

    path = tmp_path / "old.lbdb"
    store = await EmbeddedStore.open(path)
    record = CivilServantCreate(given_name="Nguyễn", family_name="An", position="Auditor")
    await store.create_civil_servant(
        record.to_record(id="old-1", joined_at=utc_now()), change=system_change()
    )

    async def make_old(tx: Transaction) -> None:
        await tx.run("MATCH ()-[r:INDEXED_AS]->() DELETE r")
        await tx.run("MATCH (t:SearchTerm) DELETE t")
        await tx.run("MATCH (m:Migration {id: '0011_search_index'}) DELETE m")

    await store._write(make_old, change=None)
    assert await found(store, "nguyen auditor") == []
    await store.close()
    reopened = await EmbeddedStore.open(path)
    try:
        assert await found(reopened, "nguyen auditor") == ["old-1"]
    finally:
        await reopened.close()


@pytest.mark.neo4j
async def test_neo4j_index_folds_accents(ldbc_store: GraphStore, backend: str) -> None:
    if backend != "neo4j":
        pytest.skip("Neo4j's full-text index")
    rows = await ldbc_store._read(  # type: ignore[attr-defined]
        "SHOW FULLTEXT INDEXES YIELD name, labelsOrTypes, options"
        " WHERE name IN ['search_documents', 'civil_servant_names'] RETURN name, labelsOrTypes,"
        " options.indexConfig['fulltext.analyzer']"
    )
    assert rows == [["search_documents", ["CivilServant", "Institution"], "standard-folding"]]

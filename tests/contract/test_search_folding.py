"""Person search ignores case, accents and the normalisation form, on each store (`search_fold`)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from graph_db.audit import system_change
from graph_db.core.base import Transaction
from graph_db.paging import PageRequest, PersonOrderField, SortDirection
from graph_db.port import GraphStore
from graph_db.records import CivilServantCreate, PersonFilter, fold, utc_now

NAMES = {
    "Nguyễn Thị Minh Khai": ["nguyen thi", "NGUYỄN", "Nguyên", "minh khai"],
    "Đặng Văn Ngữ": ["dang van", "ĐẶNG", "ngu"],
    "José Rizal": ["jose", "RIZAL", "josé"],
}


async def found(store: GraphStore, text: str, token: str) -> set[str]:
    page = await store.list_people(
        filter=PersonFilter(name_contains=text),
        order=PersonOrderField.NAME,
        direction=SortDirection.ASC,
        page=PageRequest(limit=100),
    )
    return {p.id for p in page.items if p.id.startswith(token)}


async def test_accents_case_and_forms_are_ignored(ldbc_store: GraphStore, token: str) -> None:
    ids = {}
    for i, name in enumerate(NAMES):
        given, _, family = name.partition(" ")
        record = CivilServantCreate(given_name=given, family_name=family).to_record(
            id=f"{token}-{i}", joined_at=utc_now()
        )
        await ldbc_store.create_civil_servant(record, change=system_change())
        ids[name] = record.id
    try:
        for name, queries in NAMES.items():
            for query in [*queries, unicodedata.normalize("NFD", queries[0]), name]:
                assert ids[name] in await found(ldbc_store, query, token), (name, query)
        assert await found(ldbc_store, "nguyen rizal", token) == set()
    finally:
        for person in ids.values():
            await ldbc_store.delete_civil_servant(person, change=system_change())


async def test_embedded_migration_0005_recomputes_old_search_text(tmp_path: Path) -> None:
    """A database from before 0005 (accented searchText) is refolded when it is opened again."""
    from graph_db.embedded import EmbeddedStore

    path = tmp_path / "old.lbdb"
    store = await EmbeddedStore.open(path)
    record = CivilServantCreate(given_name="Nguyễn", family_name="An").to_record(
        id="old-1", joined_at=utc_now()
    )
    await store.create_civil_servant(record, change=system_change())

    async def make_old(tx: Transaction) -> None:
        await tx.run(
            "MATCH (n:CivilServant {id: 'old-1'}) SET n.searchText = $old",
            {"old": f"{fold('Nguyễn An')} {fold('Nguyễn')} {fold('An')}"},
        )
        await tx.run("MATCH (m:Migration {id: '0005_accent_free_search_text'}) DELETE m")

    await store._write(make_old, change=None)
    assert await found(store, "nguyen", "old-") == set()
    await store.close()
    reopened = await EmbeddedStore.open(path)
    try:
        assert await found(reopened, "nguyen", "old-") == {"old-1"}
    finally:
        await reopened.close()

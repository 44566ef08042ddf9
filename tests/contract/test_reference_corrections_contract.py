"""The model's table of relationship types (`cypher.RELATIONSHIPS`), from which merges move every
relationship of a node, against each store's own idea of its relationships: LadybugDB's
catalogue of REL TABLEs (ends and properties, in order), and the types Neo4j holds.

A type added by a migration but missing from the table would make a merge fail (the source is
deleted without DETACH; tests/api/test_reference_corrections.py); this finds it before that.
"""

from __future__ import annotations

from typing import Any

from graph_db.core import cypher as C
from graph_db.port import GraphStore


async def _rows(store: GraphStore, query: str) -> list[list[Any]]:
    return await store._read(query)  # type: ignore[attr-defined,no-any-return]


async def test_the_relationship_table_is_the_stores_schema(
    ldbc_store: GraphStore, backend: str
) -> None:
    if backend == "embedded":
        tables = [
            r[1] for r in await _rows(ldbc_store, "CALL show_tables() RETURN *") if r[2] == "REL"
        ]
        found = {}
        for table in tables:
            (ends,) = await _rows(ldbc_store, f"CALL show_connection('{table}') RETURN *")
            props = await _rows(ldbc_store, f"CALL table_info('{table}') RETURN *")
            found[table] = (ends[0], ends[1], tuple(p[1] for p in props))
        assert found == C.RELATIONSHIPS
    else:
        types = {r[0] for r in await _rows(ldbc_store, "CALL db.relationshipTypes()")}
        assert types <= set(C.RELATIONSHIPS), types - set(C.RELATIONSHIPS)

"""The model's table of relationship types (`cypher.RELATIONSHIPS`), from which merges move every
relationship of a node, against each store's own idea of its relationships: LadybugDB's
catalogue of REL TABLEs (ends and properties, in order), and the types Neo4j holds.

A type added by a migration but missing from the table would make a merge fail (the source is
deleted without DETACH; tests/api/test_reference_corrections.py); this finds it before that.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from graph_db.audit import system_change
from graph_db.core import cypher as C
from graph_db.port import GraphStore
from graph_db.records import (
    Broader,
    Event,
    EventKind,
    Expertise,
    GraphBatch,
    Institution,
    InstitutionKind,
    Organized,
    ReferenceKind,
)


async def _rows(store: GraphStore, query: str) -> list[list[Any]]:
    return await store._read(query)  # type: ignore[attr-defined,no-any-return]


async def test_the_relationship_table_is_the_stores_schema(
    ldbc_store: GraphStore, backend: str
) -> None:
    if backend == "embedded":
        tables = [
            r[1]
            for r in await _rows(ldbc_store, "CALL show_tables() RETURN *")
            if r[2] == "REL" and r[1] not in C.INDEX_RELATIONSHIPS
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


async def test_seeding_again_keeps_what_admins_corrected(
    ldbc_store: GraphStore, token: str
) -> None:
    """`expecs seed` runs at every `make run`: it must not revert an admin's correction nor bring
    a merged record back, and still update what nobody corrected."""
    under = "negotiation-and-protocol"  # not a top-level area: other tests list those

    def batch(name_of_d: str) -> GraphBatch:
        def inst(key: str, name: str) -> Institution:
            return Institution(id=f"{token}-{key}", name=name, kind=InstitutionKind.AGENCY)

        return GraphBatch(
            institutions=[inst("a", "A"), inst("b", "B"), inst("c", "C"), inst("d", name_of_d)],
            expertise=[Expertise(id=f"{token}-x", name="X"), Expertise(id=f"{token}-y", name="Y")],
            broader=[
                Broader(narrower_id=f"{token}-y", broader_id=under),
                Broader(narrower_id=f"{token}-x", broader_id=f"{token}-y"),
            ],
            events=[
                Event(
                    id=f"{token}-e", title="E", kind=EventKind.MEETING, start_date=date(2019, 1, 1)
                )
            ],
            organized=[
                Organized(institution_id=f"{token}-a", event_id=f"{token}-e"),
                Organized(institution_id=f"{token}-b", event_id=f"{token}-e"),
            ],
        )

    s, a, b, c, d = ldbc_store, *(f"{token}-{k}" for k in "abcd")
    await s.upsert_batch(batch("D"))
    [found_a] = await s.get_institutions([a])
    assert found_a is not None
    renamed = found_a.model_copy(update={"name": "A (corrected)"})
    await s.update_institution(renamed, part_of=None, change=system_change())
    await s.merge_reference(
        ReferenceKind.INSTITUTION, source_id=b, target_id=c, change=system_change()
    )  # the event is now organised by a and c
    [x] = await s.get_expertise([f"{token}-x"])
    assert x is not None
    await s.update_expertise(x, broader=[under], change=system_change())

    counts = await s.upsert_batch(batch("D (new name)"))
    assert (counts["institutions"], counts["expertise"], counts["broader"]) == (2, 1, 1)
    names = [i.name if i else None for i in await s.get_institutions([a, b, c, d])]
    assert names == ["A (corrected)", None, "C", "D (new name)"]
    assert await s.organizers_of([f"{token}-e"]) == [sorted([a, c])]
    assert await s.broader_of([f"{token}-x"]) == [[under]]

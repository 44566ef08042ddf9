"""Tables of a bulk load, the same for both stores (how they are written differs per adapter).

A bulk load is columnar: one pyarrow Table per node label and relationship type, in the stores'
column layout. Records (`GraphBatch`) become rows through `graph_db.properties`, then tables;
a `ColumnarBatch` brings its large parts as tables already, so 10M connections never exist as
Python objects (LadybugDB copies a Table as it is; Neo4j gets it in row chunks).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from graph_db import properties as P
from graph_db.core.search import expertise_text
from graph_db.records import ColumnarBatch, GraphBatch

Rows = list[dict[str, Any]]

NODE_PARTS: dict[str, str] = {
    "institutions": "Institution",
    "expertise": "Expertise",
    "events": "Event",
    "people": "CivilServant",
}
"""Node label of each `GraphBatch` part, in dependency order."""
EDGE_PARTS: dict[str, str] = {
    "broader": "BROADER",
    "organized": "ORGANIZED",
    "connections": "CONNECTED_TO",
    "employments": "WORKS_AT",
    "studies": "STUDIED_AT",
    "expertise_claims": "HAS_EXPERTISE",
    "participations": "PARTICIPATED_IN",
    "mentorships": "MENTORS",
}
"""Relationship type of each `GraphBatch` part; written after every node part."""

ROW_OF: dict[str, Callable[[Any], dict[str, Any]]] = {
    "institutions": P.institution_props,
    "expertise": P.expertise_props,
    "events": P.event_props,
    "people": P.person_props,
    "broader": lambda b: {"from": b.narrower_id, "to": b.broader_id},
    "organized": lambda o: {"from": o.institution_id, "to": o.event_id},
    "connections": lambda c: {"from": c.person_a, "to": c.person_b, "since": c.since},
    "employments": lambda e: {
        "from": e.person_id,
        "to": e.institution_id,
        "position": e.position,
        "since": e.since_year,
        "until": e.until_year,
    },
    "studies": lambda s: {
        "from": s.person_id,
        "to": s.institution_id,
        "year": s.year,
        "degree": s.degree,
    },
    "expertise_claims": lambda c: {
        "from": c.person_id,
        "to": c.expertise_id,
        "level": c.level,
        "years": c.years,
    },
    "participations": lambda p: {"from": p.person_id, "to": p.event_id, "role": p.role},
    "mentorships": P.mentors_row,
}
"""A record of each part as a row: node rows keyed in LadybugDB column order (`id` first),
relationship rows `from` and `to` first, then the properties in column order (LadybugDB's `COPY`
maps columns by position)."""


def _table(batch: ColumnarBatch, part: str) -> pa.Table | None:
    table = batch.columns.get(part)
    if table is None:
        rows = [ROW_OF[part](r) for r in getattr(batch.records, part)]
        table = pa.Table.from_pylist(rows) if rows else None
    return table if table is not None and table.num_rows else None


def row_chunks(table: pa.Table, size: int) -> Iterator[Rows]:
    """`table` as lists of at most `size` row dicts (Python values; timestamps aware, in UTC
    as `datetime.timezone.utc`, the way records hold them)."""
    utc = pa.schema(
        [
            f.with_type(pa.timestamp(f.type.unit, tz="+00:00"))
            if pa.types.is_timestamp(f.type)
            else f
            for f in table.schema
        ]
    )
    table = table.cast(utc)
    for start in range(0, table.num_rows, size):
        yield table.slice(start, size).to_pylist()


@dataclass(frozen=True, slots=True)
class BulkLoad:
    """A bulk load as an adapter writes it: every table ready, in dependency order.

    Attributes:
        dataset: the name recorded as `(:Dataset {id})` once everything is written.
        countries: country rows, merged without renaming existing ones (`MERGE_NEW_COUNTRIES`).
        nodes: a table per node label (nodes first: relationships refer to them).
        edges: a table per relationship type, columns `from`, `to`, then its properties.
    """

    dataset: str
    countries: Rows
    nodes: dict[str, pa.Table]
    edges: dict[str, pa.Table]

    @classmethod
    def of(cls, batch: GraphBatch | ColumnarBatch, dataset: str) -> BulkLoad:
        """The tables of `batch`, to be recorded as `dataset`."""
        if isinstance(batch, GraphBatch):
            batch = ColumnarBatch(records=batch)
        countries = [P.country_props(c) for c in batch.records.countries]
        nodes = {
            label: t for part, label in NODE_PARTS.items() if (t := _table(batch, part)) is not None
        }
        edges = {
            rel: t for part, rel in EDGE_PARTS.items() if (t := _table(batch, part)) is not None
        }
        return cls(dataset, countries, nodes, edges)

    def search_documents(self) -> dict[str, SearchDocuments]:
        """The search documents (`graph_db.core.search`) the load creates or changes, by label
        ("CivilServant", "Institution"): its people and institutions are created; people who
        exist already and gain expertise claims in it are changed."""
        out: dict[str, SearchDocuments] = {}
        for label in ("CivilServant", "Institution"):
            created: set[str] = set()
            if label in self.nodes:
                created.update(pc.unique(self.nodes[label].column("id")).to_pylist())
            touched = set(created)
            if label == "CivilServant" and "HAS_EXPERTISE" in self.edges:
                touched.update(pc.unique(self.edges["HAS_EXPERTISE"].column("from")).to_pylist())
            out[label] = SearchDocuments(sorted(created), sorted(touched - created))
        return out

    def claimed_areas(self) -> dict[str, list[str]]:
        """The expertise area ids each person the load creates claims in it, by person id (every
        created person, with an empty list for none; one id per claim, in table order). With
        the areas' names this is their search text (`search.expertise_text`) without reading
        it back from the store."""
        people = self.nodes.get("CivilServant")
        areas: dict[str, list[str]] = (
            {} if people is None else {p: [] for p in people.column("id").to_pylist()}
        )
        claims = self.edges.get("HAS_EXPERTISE")
        if claims is not None:
            for person, area in zip(
                claims.column("from").to_pylist(), claims.column("to").to_pylist(), strict=True
            ):
                if person in areas:
                    areas[person].append(area)
        return areas

    def area_names(self) -> dict[str, str]:
        """Name of each expertise area the load creates, by id (empty without `Expertise`)."""
        table = self.nodes.get("Expertise")
        if table is None:
            return {}
        ids, names = table.column("id").to_pylist(), table.column("name").to_pylist()
        return dict(zip(ids, names, strict=True))

    def expertise_texts(self, names: Mapping[str, str]) -> pa.Array:
        """The `searchExpertise` (`search.expertise_text`) of each person the load creates, in
        the order of its `CivilServant` table: the names of the areas each claims in the load,
        from `names` (area id → name; areas missing from it are left out).

        Raises:
            KeyError: the load creates no people.
        """
        claimed = self.claimed_areas()
        texts = [
            expertise_text(names[a] for a in claimed[p] if a in names)
            for p in self.nodes["CivilServant"].column("id").to_pylist()
        ]
        return pa.array(texts, pa.string())


@dataclass(frozen=True, slots=True)
class SearchDocuments:
    """The search documents of one label a bulk load touches, each list sorted by id.

    Attributes:
        created: documents of records the load creates (no postings to read or drop first).
        changed: documents of existing records whose text the load changes.
    """

    created: list[str]
    changed: list[str]

    @property
    def touched(self) -> list[str]:
        """Both lists, as one sorted list."""
        return sorted(self.created + self.changed)

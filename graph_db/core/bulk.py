"""Rows of a bulk load, the same for both stores (how they are written differs per adapter)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graph_db import properties as P
from graph_db.records import GraphBatch

Rows = list[dict[str, Any]]


def node_rows(batch: GraphBatch) -> dict[str, Rows]:
    """Node rows per label, in dependency order, keys in LadybugDB column order (`id` first)."""
    parts = {
        "Institution": [P.institution_props(i) for i in batch.institutions],
        "Expertise": [P.expertise_props(e) for e in batch.expertise],
        "Event": [P.event_props(e) for e in batch.events],
        "CivilServant": [P.person_props(p) for p in batch.people],
    }
    return {label: rows for label, rows in parts.items() if rows}


def edge_rows(batch: GraphBatch) -> dict[str, Rows]:
    """Relationship rows per type: `from` and `to` ids first, then the properties in column order."""
    parts: dict[str, Rows] = {
        "BROADER": [{"from": b.narrower_id, "to": b.broader_id} for b in batch.broader],
        "ORGANIZED": [{"from": o.institution_id, "to": o.event_id} for o in batch.organized],
        "CONNECTED_TO": [
            {"from": c.person_a, "to": c.person_b, "since": c.since} for c in batch.connections
        ],
        "WORKS_AT": [
            {
                "from": e.person_id,
                "to": e.institution_id,
                "position": e.position,
                "since": e.since_year,
                "until": e.until_year,
            }
            for e in batch.employments
        ],
        "STUDIED_AT": [
            {"from": s.person_id, "to": s.institution_id, "year": s.year, "degree": s.degree}
            for s in batch.studies
        ],
        "HAS_EXPERTISE": [
            {"from": c.person_id, "to": c.expertise_id, "level": c.level, "years": c.years}
            for c in batch.expertise_claims
        ],
        "PARTICIPATED_IN": [
            {"from": p.person_id, "to": p.event_id, "role": p.role} for p in batch.participations
        ],
        "MENTORS": [P.mentors_row(m) for m in batch.mentorships],
    }
    return {rel: rows for rel, rows in parts.items() if rows}


@dataclass(frozen=True, slots=True)
class BulkLoad:
    """A bulk load as an adapter writes it: every row ready, in dependency order.

    Attributes:
        dataset: the name recorded as `(:Dataset {id})` once everything is written.
        countries: country rows, merged without renaming existing ones (`MERGE_NEW_COUNTRIES`).
        nodes: `node_rows` of the batch.
        edges: `edge_rows` of the batch.
    """

    dataset: str
    countries: Rows
    nodes: dict[str, Rows]
    edges: dict[str, Rows]

    @classmethod
    def of(cls, batch: GraphBatch, dataset: str) -> BulkLoad:
        """The rows of `batch`, to be recorded as `dataset`."""
        countries = [P.country_props(c) for c in batch.countries]
        return cls(dataset, countries, node_rows(batch), edge_rows(batch))

"""Bulk data: a batch of records loaded in one go (imports and reference data), and its columnar
form for data sets too large to hold as records."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pyarrow as pa
from pydantic import BaseModel

from graph_db.records.people import CivilServant, Employment, ExpertiseClaim, Participation, Study
from graph_db.records.reference import Broader, Country, Event, Expertise, Institution, Organized
from graph_db.records.social import Connection, Mentorship


class GraphBatch(BaseModel):
    """Records to bulk-load in one go (imports and reference data). Empty lists are skipped."""

    countries: list[Country] = []
    institutions: list[Institution] = []
    expertise: list[Expertise] = []
    broader: list[Broader] = []
    events: list[Event] = []
    organized: list[Organized] = []
    people: list[CivilServant] = []
    connections: list[Connection] = []
    employments: list[Employment] = []
    studies: list[Study] = []
    expertise_claims: list[ExpertiseClaim] = []
    participations: list[Participation] = []
    mentorships: list[Mentorship] = []

    def counts(self) -> dict[str, int]:
        """Rows per part, e.g. `{"people": 1528, "connections": 14073, ...}`."""
        return {name: len(getattr(self, name)) for name in type(self).model_fields}


@dataclass(frozen=True)
class ColumnarBatch:
    """A bulk load too large for records (1M people and 10M connections would take ~10 GB as
    pydantic objects): the few parts as records, the many as columns.

    Attributes:
        records: parts given as records, as in any `GraphBatch` (countries, institutions, …).
        columns: parts given as pyarrow Tables, keyed by `GraphBatch` field name (`"people"`,
            `"connections"`, …), each in the stores' own column layout: a node part has the
            columns of its `graph_db.properties` function in that order (`person_props` for
            `"people"`), derived ones (`sortName`, `searchText`) included; a relationship part
            has `from`, `to`, then the relationship's properties, as `graph_db.core.bulk` writes
            them from records. A part given here must be empty in `records`.
    """

    records: GraphBatch = field(default_factory=GraphBatch)
    columns: Mapping[str, pa.Table] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """Rows per part, the same keys as `GraphBatch.counts`."""
        counts = self.records.counts()
        return {
            name: self.columns[name].num_rows if name in self.columns else n
            for name, n in counts.items()
        }

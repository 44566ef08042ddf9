"""Bulk data: a batch of records loaded in one go (imports and reference data)."""

from __future__ import annotations

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

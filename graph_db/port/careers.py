"""Editing a profile's structure: employments (WORKS_AT) and education (STUDIED_AT)."""

from __future__ import annotations

from typing import Protocol

from graph_db.audit import Change
from graph_db.records import CareerKey, Employment, EmploymentChange, Study, StudyChange


class CareerWrites(Protocol):
    """Adds, replaces and removes employments and studies, each in one transaction.

    An employment or study is named by its `CareerKey` (person, institution, start year); a
    person holds at most one per key.
    """

    async def add_employment(self, employment: EmploymentChange, *, change: Change) -> Employment:
        """Add a WORKS_AT. Raises `NotFound` (person or institution), `Conflict` (key taken)."""
        ...

    async def replace_employment(
        self, key: CareerKey, employment: EmploymentChange, *, change: Change
    ) -> Employment:
        """Replace the employment `key` by `employment` (whose key may differ: a new institution
        or start year). Raises `NotFound` (no such employment, or the new institution), `Conflict`
        (the new key is another employment's)."""
        ...

    async def remove_employment(self, key: CareerKey, *, change: Change) -> None:
        """Delete the employment `key`. Raises `NotFound`."""
        ...

    async def add_study(self, study: StudyChange, *, change: Change) -> Study:
        """Add a STUDIED_AT. Raises `NotFound` (person or institution), `Conflict` (key taken)."""
        ...

    async def replace_study(self, key: CareerKey, study: StudyChange, *, change: Change) -> Study:
        """Replace the study `key` by `study`; as `replace_employment`."""
        ...

    async def remove_study(self, key: CareerKey, *, change: Change) -> None:
        """Delete the study `key`. Raises `NotFound`."""
        ...

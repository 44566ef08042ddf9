"""Reference (catalogue) data: countries, institutions, expertise areas and events."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from graph_db.audit import Change
from graph_db.paging import Page, PageRequest
from graph_db.records import (
    Country,
    Employment,
    Event,
    Expertise,
    ExpertiseClaim,
    Institution,
    Participation,
    Reference,
    ReferenceFilter,
    ReferenceKind,
)


class ReferenceStore(Protocol):
    """The catalogue: countries, institutions, expertise areas (and their taxonomy) and events by id
    and in pages, who belongs to each, and the writes that add to it."""

    # ---- by id (batch, aligned) ----
    async def get_countries(self, ids: Sequence[str]) -> list[Country | None]: ...
    async def get_institutions(self, ids: Sequence[str]) -> list[Institution | None]: ...
    async def get_expertise(self, ids: Sequence[str]) -> list[Expertise | None]: ...
    async def get_events(self, ids: Sequence[str]) -> list[Event | None]: ...

    # ---- lists ----
    async def list_reference(
        self, *, kind: ReferenceKind, filter: ReferenceFilter, page: PageRequest
    ) -> Page[Reference]:
        """A keyset page of reference nodes, by folded name ascending (events: startDate descending)."""
        ...

    async def count_reference(self, *, kind: ReferenceKind, filter: ReferenceFilter) -> int: ...

    # ---- relationships (batch, aligned) ----
    async def participants_of(self, event_ids: Sequence[str]) -> list[list[Participation]]:
        """Each event's participants, by person id."""
        ...

    async def organizers_of(self, event_ids: Sequence[str]) -> list[list[str]]:
        """Institution ids that ORGANIZED each event, sorted."""
        ...

    async def broader_of(self, expertise_ids: Sequence[str]) -> list[list[str]]:
        """Ids of the directly broader areas of each area, sorted."""
        ...

    async def narrower_of(self, expertise_ids: Sequence[str]) -> list[list[str]]:
        """Ids of the directly narrower areas of each area, sorted."""
        ...

    async def member_counts(self, institution_ids: Sequence[str]) -> list[int]:
        """Number of WORKS_AT relationships into each institution (counts)."""
        ...

    async def expert_counts(self, expertise_ids: Sequence[str]) -> list[int]:
        """Number of people holding each area exactly (counts)."""
        ...

    async def members_of(
        self, institution_ids: Sequence[str], *, page: PageRequest
    ) -> list[Page[Employment]]:
        """Each institution's WORKS_AT relationships, by person id ascending. Keys: (person id, person id)."""
        ...

    async def experts_in(
        self, expertise_ids: Sequence[str], *, page: PageRequest
    ) -> list[Page[ExpertiseClaim]]:
        """People holding each area exactly (not narrower), by level descending, then person id.

        Keys: (level, person id).
        """
        ...

    # ---- taxonomy ----
    async def area_and_narrower(self, expertise_id: str) -> list[str]:
        """The area and every narrower one (taxonomy depth ≤ 10). Raises `NotFound`."""
        ...

    # ---- writes (each one transaction: all or nothing) ----
    async def create_institution(
        self, institution: Institution, *, part_of: str | None, change: Change
    ) -> Institution:
        """Insert an institution (optionally PART_OF another). Raises `Conflict`, `NotFound`."""
        ...

    async def create_expertise(
        self, expertise: Expertise, *, broader: str | None, change: Change
    ) -> Expertise:
        """Insert an expertise area under `broader`. Raises `Conflict` (id taken), `NotFound`."""
        ...

    async def create_event(
        self, event: Event, *, organizers: Sequence[str], change: Change
    ) -> Event:
        """Insert an event ORGANIZED by the given institutions. Raises `Conflict`, `NotFound`."""
        ...

"""Civil servants' profiles: reads and writes of people and what hangs off a profile."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from graph_db.audit import Change
from graph_db.paging import Page, PageRequest, PersonOrderField, SortDirection
from graph_db.records import (
    CivilServant,
    CivilServantUpdate,
    Employment,
    ExpertiseClaim,
    Participation,
    PersonFilter,
    PortfolioItem,
    Study,
)


class PeopleStore(Protocol):
    """Profiles: people by id and in keyset pages, their expertise claims, employments, studies,
    portfolio and events, and the writes that change them."""

    # ---- by id (batch, aligned) ----
    async def get_people(self, ids: Sequence[str]) -> list[CivilServant | None]: ...
    async def get_portfolio_items(self, ids: Sequence[str]) -> list[PortfolioItem | None]: ...

    # ---- lists ----
    async def list_people(
        self,
        *,
        filter: PersonFilter,
        order: PersonOrderField,
        direction: SortDirection,
        page: PageRequest,
    ) -> Page[CivilServant]:
        """A keyset page of civil servants. Keys: (sortName or joinedAt, id)."""
        ...

    async def count_people(self, *, filter: PersonFilter) -> int:
        """Number of civil servants matching `filter` (for `totalCount`)."""
        ...

    # ---- relationships (batch, aligned) ----
    async def expertise_of(self, person_ids: Sequence[str]) -> list[list[ExpertiseClaim]]:
        """Each person's expertise claims, by level descending then expertise id."""
        ...

    async def employments_of(self, person_ids: Sequence[str]) -> list[list[Employment]]:
        """Each person's WORKS_AT relationships, current first, then newest `since` first."""
        ...

    async def studies_of(self, person_ids: Sequence[str]) -> list[list[Study]]:
        """Each person's STUDIED_AT relationships, newest year first."""
        ...

    async def portfolio_of(self, person_ids: Sequence[str]) -> list[list[PortfolioItem]]:
        """Each person's authored portfolio items, newest year first, then id."""
        ...

    async def about_of(self, item_ids: Sequence[str]) -> list[list[str]]:
        """Expertise ids each portfolio item is ABOUT, sorted."""
        ...

    async def participations_of(self, person_ids: Sequence[str]) -> list[list[Participation]]:
        """Each person's events (PARTICIPATED_IN), by event id."""
        ...

    # ---- writes (each one transaction: all or nothing) ----
    async def create_civil_servant(self, person: CivilServant, *, change: Change) -> CivilServant:
        """Insert a civil servant. Raises `Conflict` if the id or email is taken."""
        ...

    async def update_civil_servant(
        self, person_id: str, update: CivilServantUpdate, *, change: Change
    ) -> CivilServant:
        """Apply a partial update atomically. Raises `NotFound`, `Conflict` (email taken)."""
        ...

    async def delete_civil_servant(self, person_id: str, *, change: Change) -> None:
        """Delete a civil servant with all their relationships and authored portfolio items.

        Raises `NotFound`.
        """
        ...

    async def set_expertise(self, claim: ExpertiseClaim, *, change: Change) -> ExpertiseClaim:
        """Create or change a HAS_EXPERTISE relationship. Raises `NotFound` (person or area)."""
        ...

    async def remove_expertise(self, person_id: str, expertise_id: str, *, change: Change) -> None:
        """Delete a HAS_EXPERTISE relationship. Raises `NotFound` if the person does not hold it."""
        ...

    async def add_portfolio_item(
        self, item: PortfolioItem, *, about: Sequence[str], change: Change
    ) -> PortfolioItem:
        """Insert an item AUTHORED by `item.author_id`, ABOUT the given areas. Raises `NotFound`."""
        ...

    async def record_participation(
        self, participation: Participation, *, change: Change
    ) -> Participation:
        """Create or update PARTICIPATED_IN. Raises `NotFound` (person or event)."""
        ...

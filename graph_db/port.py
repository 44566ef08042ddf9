"""The `GraphStore` port: every use case the API needs from a graph store, as async methods.

Both adapters (`graph_db.embedded.store.EmbeddedStore`, `graph_db.neo4j.store.Neo4jStore`)
implement all of it; `tests/contract/` proves they give the same answers. Batch methods take many
keys and return a list aligned to the keys (one entry per key, in key order, `None` or `[]` where
nothing was found), which is what per-request DataLoaders need.

Errors: methods raise only `graph_db.errors` exceptions (`NotFound`, `Conflict`, `InvalidInput`,
`StoreUnavailable`); driver exceptions never cross the port.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from graph_db.paging import Page, PageRequest, PersonOrderField, SortDirection
from graph_db.records import (
    CivilServant,
    CivilServantUpdate,
    ConnectionEdge,
    Country,
    Employment,
    Event,
    Expertise,
    ExpertiseClaim,
    GraphBatch,
    Institution,
    Participation,
    PersonFilter,
    PortfolioItem,
    ReferenceFilter,
    ReferenceKind,
    Study,
)

Reference = Country | Institution | Expertise | Event


class GraphStore(Protocol):
    """Async port to the graph. One instance per process, shared by all requests."""

    # ---- lifecycle ----
    async def migrate(self) -> list[str]:
        """Apply pending schema migrations idempotently; return the names applied now."""
        ...

    async def ping(self) -> None:
        """Run a trivial query. Raises `StoreUnavailable` when the store does not answer."""
        ...

    async def close(self) -> None:
        """Release the database / driver. Safe to call twice."""
        ...

    # ---- nodes by id (batch, aligned) ----
    async def get_people(self, ids: Sequence[str]) -> list[CivilServant | None]: ...
    async def get_countries(self, ids: Sequence[str]) -> list[Country | None]: ...
    async def get_institutions(self, ids: Sequence[str]) -> list[Institution | None]: ...
    async def get_expertise(self, ids: Sequence[str]) -> list[Expertise | None]: ...
    async def get_events(self, ids: Sequence[str]) -> list[Event | None]: ...
    async def get_portfolio_items(self, ids: Sequence[str]) -> list[PortfolioItem | None]: ...

    # ---- lists ----
    async def list_people(
        self, *, filter: PersonFilter, order: PersonOrderField, direction: SortDirection, page: PageRequest
    ) -> Page[CivilServant]:
        """A keyset page of civil servants. Keys: (sortName or joinedAt, id)."""
        ...

    async def count_people(self, *, filter: PersonFilter) -> int:
        """Number of civil servants matching `filter` (for `totalCount`)."""
        ...

    async def list_reference(
        self, *, kind: ReferenceKind, filter: ReferenceFilter, page: PageRequest
    ) -> Page[Reference]:
        """A keyset page of reference nodes, by folded name ascending (events: startDate descending)."""
        ...

    async def count_reference(self, *, kind: ReferenceKind, filter: ReferenceFilter) -> int: ...

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

    async def connections_of(
        self, person_ids: Sequence[str], *, page: PageRequest
    ) -> list[Page[ConnectionEdge]]:
        """Each person's connections, newest `since` first, then id ascending (LDBC IS3 order).

        Keys: (since, other person's id). The same page request applies to every person.
        """
        ...

    async def connection_counts(self, person_ids: Sequence[str]) -> list[int]:
        """Degree of each person in the connection graph (counts)."""
        ...

    async def member_counts(self, institution_ids: Sequence[str]) -> list[int]:
        """Number of WORKS_AT relationships into each institution (counts)."""
        ...

    async def expert_counts(self, expertise_ids: Sequence[str]) -> list[int]:
        """Number of people holding each area exactly (counts)."""
        ...

    async def members_of(self, institution_ids: Sequence[str], *, page: PageRequest) -> list[Page[Employment]]:
        """Each institution's WORKS_AT relationships, by person id ascending. Keys: (person id, person id)."""
        ...

    async def experts_in(self, expertise_ids: Sequence[str], *, page: PageRequest) -> list[Page[ExpertiseClaim]]:
        """People holding each area exactly (not narrower), by level descending, then person id.

        Keys: (level, person id).
        """
        ...

    # ---- writes (each one transaction: all or nothing) ----
    async def create_civil_servant(self, person: CivilServant) -> CivilServant:
        """Insert a civil servant. Raises `Conflict` if the id or email is taken."""
        ...

    async def update_civil_servant(self, person_id: str, update: CivilServantUpdate) -> CivilServant:
        """Apply a partial update atomically. Raises `NotFound`, `Conflict` (email taken)."""
        ...

    async def delete_civil_servant(self, person_id: str) -> None:
        """Delete a civil servant with all their relationships and authored portfolio items.

        Raises `NotFound`.
        """
        ...

    async def set_expertise(self, claim: ExpertiseClaim) -> ExpertiseClaim:
        """Create or change a HAS_EXPERTISE relationship. Raises `NotFound` (person or area)."""
        ...

    async def remove_expertise(self, person_id: str, expertise_id: str) -> None:
        """Delete a HAS_EXPERTISE relationship. Raises `NotFound` if the person does not hold it."""
        ...

    async def add_portfolio_item(self, item: PortfolioItem, *, about: Sequence[str]) -> PortfolioItem:
        """Insert an item AUTHORED by `item.author_id`, ABOUT the given areas. Raises `NotFound`."""
        ...

    async def create_institution(self, institution: Institution, *, part_of: str | None) -> Institution:
        """Insert an institution (optionally PART_OF another). Raises `Conflict`, `NotFound`."""
        ...

    async def create_expertise(self, expertise: Expertise, *, broader: str | None) -> Expertise:
        """Insert an expertise area under `broader`. Raises `Conflict` (id taken), `NotFound`."""
        ...

    async def create_event(self, event: Event, *, organizers: Sequence[str]) -> Event:
        """Insert an event ORGANIZED by the given institutions. Raises `Conflict`, `NotFound`."""
        ...

    async def record_participation(self, participation: Participation) -> Participation:
        """Create or update PARTICIPATED_IN. Raises `NotFound` (person or event)."""
        ...

    # ---- bulk ----
    async def upsert_batch(self, batch: GraphBatch) -> dict[str, int]:
        """Merge a small batch by id (reference data): running it twice changes nothing.

        Returns rows per part.
        """
        ...

    async def bulk_load(self, batch: GraphBatch, *, dataset: str) -> dict[str, int]:
        """Load a large batch of new records fast, once per `dataset` name.

        Countries are merged (they may exist from reference data); everything else is inserted.
        Raises `Conflict` if `dataset` was loaded before. Returns rows per part.
        """
        ...

    async def datasets(self) -> list[str]:
        """Names of the datasets loaded by `bulk_load`."""
        ...

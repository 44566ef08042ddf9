"""The `GraphStore` port: every use case the API needs from a graph store, as async methods.

Both adapters (`graph_db.embedded.store.EmbeddedStore`, `graph_db.neo4j.store.Neo4jStore`)
implement all of it; `tests/contract/` proves they give the same answers. Batch methods take many
keys and return a list aligned to the keys (one entry per key, in key order, `None` or `[]` where
nothing was found), which is what per-request DataLoaders need.

Errors: methods raise only `graph_db.errors` exceptions (`NotFound`, `Conflict`, `InvalidInput`,
`StoreUnavailable`); driver exceptions never cross the port.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Protocol

from graph_db.analytics.records import (
    AnalyticsRun,
    CoverageCount,
    EventCount,
    ExpertCount,
    GrowthKind,
    ItemCount,
    MentorCount,
    MonthCount,
    PairCount,
    PairKind,
    PeopleCount,
    PersonScore,
    Projection,
    Scope,
    ScoreMetric,
)
from graph_db.audit import AuditEntry
from graph_db.paging import Page, PageRequest, PersonOrderField, SortDirection
from graph_db.records import (
    CivilServant,
    CivilServantUpdate,
    ConnectionEdge,
    ConnectionOutcome,
    ConnectionRequest,
    Country,
    EgoEdge,
    EgoNode,
    Employment,
    Endorsement,
    Event,
    Expertise,
    ExpertiseClaim,
    GraphBatch,
    Institution,
    Mentorship,
    MentorshipStatus,
    NetworkFilter,
    NetworkRelationship,
    Participation,
    PersonFilter,
    PortfolioItem,
    RankedPerson,
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

    # ---- writes (each one transaction: all or nothing) ----
    async def create_civil_servant(self, person: CivilServant) -> CivilServant:
        """Insert a civil servant. Raises `Conflict` if the id or email is taken."""
        ...

    async def update_civil_servant(
        self, person_id: str, update: CivilServantUpdate
    ) -> CivilServant:
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

    async def add_portfolio_item(
        self, item: PortfolioItem, *, about: Sequence[str]
    ) -> PortfolioItem:
        """Insert an item AUTHORED by `item.author_id`, ABOUT the given areas. Raises `NotFound`."""
        ...

    async def create_institution(
        self, institution: Institution, *, part_of: str | None
    ) -> Institution:
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

    # ---- connections, endorsements, mentorships (each one transaction) ----
    async def request_connection(
        self, *, from_id: str, to_id: str, message: str | None, at: datetime
    ) -> ConnectionOutcome:
        """Ask to connect. If `to_id` had already asked `from_id`, connect them instead (CONNECTED).

        Repeating a request changes nothing (REQUESTED). Raises `NotFound` (either person),
        `InvalidInput` (`from_id == to_id`), `Conflict` (already connected).
        """
        ...

    async def accept_connection(
        self, *, person_id: str, requester_id: str, at: datetime
    ) -> ConnectionEdge:
        """Accept `requester_id`'s request to `person_id`. Raises `NotFound` (no such request)."""
        ...

    async def decline_connection(self, *, person_id: str, requester_id: str) -> None:
        """Delete `requester_id`'s request to `person_id`. Raises `NotFound`."""
        ...

    async def withdraw_connection_request(self, *, person_id: str, to_id: str) -> None:
        """Delete `person_id`'s own request to `to_id`. Raises `NotFound`."""
        ...

    async def remove_connection(self, *, person_id: str, other_id: str) -> None:
        """Delete the connection between the two. Raises `NotFound` (not connected)."""
        ...

    async def connection_requests(
        self, person_ids: Sequence[str], *, incoming: bool
    ) -> list[list[ConnectionRequest]]:
        """Pending requests to (incoming) or from each person, newest first."""
        ...

    async def endorse(self, endorsement: Endorsement) -> Endorsement:
        """Endorse a person for an area they hold; repeating it returns the first endorsement.

        Raises `InvalidInput` (self-endorsement), `NotFound` (person, or the area is not held).
        """
        ...

    async def withdraw_endorsement(
        self, *, endorser_id: str, endorsee_id: str, expertise_id: str
    ) -> None:
        """Delete an endorsement. Raises `NotFound`."""
        ...

    async def endorsements_of(self, person_ids: Sequence[str]) -> list[list[Endorsement]]:
        """Endorsements each person received, by area, newest first."""
        ...

    async def request_mentorship(self, mentorship: Mentorship) -> Mentorship:
        """Create a REQUESTED mentorship; if an open one (REQUESTED/ACTIVE) exists for the same mentor,
        mentee and area, return it instead. Raises `InvalidInput` (self), `NotFound`."""
        ...

    async def get_mentorships(self, mentorship_ids: Sequence[str]) -> list[Mentorship | None]:
        """Mentorships by id, aligned to the ids."""
        ...

    async def set_mentorship_status(
        self,
        mentorship_id: str,
        *,
        expected: Sequence[MentorshipStatus],
        status: MentorshipStatus,
        at: datetime,
    ) -> Mentorship:
        """Move a mentorship to `status` if it is in one of `expected` (ACTIVE sets `since`, COMPLETED
        and CANCELLED of an active one set `until`). Raises `NotFound`, `Conflict` (wrong state)."""
        ...

    async def mentorships_of(
        self, person_ids: Sequence[str], *, as_mentor: bool
    ) -> list[list[Mentorship]]:
        """Each person's mentorships as mentor (or as mentee), newest request first."""
        ...

    # ---- traversals (hop caps ≤ 6, row caps) ----
    async def reachable(
        self,
        person_id: str,
        *,
        rels: frozenset[NetworkRelationship],
        direction: str,
        hops: int,
        limit: int,
    ) -> list[EgoNode]:
        """People within `hops` of a person over `rels` (`direction`: both/out/in), by distance then id.

        At most `limit` rows. The person is not included.
        """
        ...

    async def edges_among(
        self, person_ids: Sequence[str], *, rels: frozenset[NetworkRelationship], limit: int
    ) -> list[EgoEdge]:
        """Relationships of the given kinds among a set of people, at most `limit` per kind."""
        ...

    async def shortest_path(
        self, from_id: str, to_id: str, *, rel: NetworkRelationship, directed: bool, max_hops: int
    ) -> list[str] | None:
        """Ids along one shortest path (both ends included), or None if none within `max_hops`."""
        ...

    async def filter_people(self, person_ids: Sequence[str], *, filter: NetworkFilter) -> set[str]:
        """Which of the people pass the network-search filter."""
        ...

    async def second_degree(self, person_id: str, *, limit: int) -> list[RankedPerson]:
        """People two hops away, not connected and with no pending request either way, with their
        mutual connections, shared expertise, institutions and events, and whether they are in
        another country. At most `limit`, most mutual connections first."""
        ...

    async def mentor_candidates(
        self, person_id: str, *, area_ids: Sequence[str], limit: int
    ) -> list[RankedPerson]:
        """People holding any of the areas at a higher level than the person does (not the person, not
        their active mentors), with their best level and endorsements in those areas."""
        ...

    async def area_and_narrower(self, expertise_id: str) -> list[str]:
        """The area and every narrower one (taxonomy depth ≤ 10). Raises `NotFound`."""
        ...

    # ---- audit trail (append-only: written by every audited write, see graph_db.audit) ----
    async def audit_trail(
        self, *, actor_id: str | None, action: str | None, page: PageRequest
    ) -> Page[AuditEntry]:
        """Audit entries newest first (by `at`, then id), optionally one actor's or one action's."""
        ...

    async def count_audit(self, *, actor_id: str | None, action: str | None) -> int:
        """Number of audit entries, optionally one actor's or one action's."""
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

    # ---- relationship analytics (grouped counts; see graph_db/analytics/) ----
    async def analytics_people(self, scope: Scope) -> list[PeopleCount]:
        """Civil servants by (country, verified, isExpert); `scope` dates apply to `joinedAt`."""
        ...

    async def analytics_pairs(
        self, kind: PairKind, scope: Scope, *, established: bool = False
    ) -> list[PairCount]:
        """Relationships of `kind` by (country of a, country of b, status), a → b as stored; with
        `established`, mentorships only ACTIVE or COMPLETED. Dates: see `PairKind`."""
        ...

    async def analytics_growth(self, kind: GrowthKind, scope: Scope) -> list[MonthCount]:
        """New people / connections / established mentorships per UTC calendar month, sorted."""
        ...

    async def analytics_events(self, *, start: date, end: date) -> list[EventCount]:
        """Events starting in `[start, end)` with their participants per country."""
        ...

    async def analytics_coverage(
        self, areas: Mapping[str, Sequence[str]], *, min_level: int
    ) -> list[CoverageCount]:
        """For each `area → [area and narrower ids]`: people holding any of them at `min_level` or
        above, by (country, best level)."""
        ...

    async def analytics_items(self, *, start_year: int, end_year: int) -> list[ItemCount]:
        """Portfolio items of years `start_year..end_year` (inclusive) per author country."""
        ...

    async def analytics_experts(
        self, *, countries: Sequence[str] | None, end: datetime
    ) -> list[ExpertCount]:
        """Experts who joined before `end` and the distinct areas they hold: first the total over
        `countries` (None = all), then one row per country."""
        ...

    async def top_mentors(
        self, *, countries: Sequence[str] | None, limit: int
    ) -> list[MentorCount]:
        """Mentors by direct mentees over established mentorships, most first, then id."""
        ...

    async def connection_projection(self) -> Projection:
        """Every civil servant (sorted by id) and every `CONNECTED_TO` as stored."""
        ...

    async def save_analytics_run(
        self, run: AnalyticsRun, scores: Sequence[PersonScore], *, keep: int
    ) -> None:
        """Store a run and its per-person scores; delete all but the newest `keep` runs. A run is
        visible to `analytics_runs` only once completely written."""
        ...

    async def analytics_runs(self, *, limit: int) -> list[AnalyticsRun]:
        """Stored runs, newest first."""
        ...

    async def top_scores(
        self, run_id: str, metric: ScoreMetric, *, limit: int
    ) -> list[PersonScore]:
        """A run's people by `metric` descending, then id."""
        ...

    async def scores_of(self, run_id: str, person_ids: Sequence[str]) -> list[PersonScore | None]:
        """Each person's scores in a run, aligned to the ids."""
        ...

    async def community_members(
        self, run_id: str, community: int, *, limit: int
    ) -> list[PersonScore]:
        """Members of one community of a run, by PageRank descending, then id."""
        ...

"""Records of the relationship-analytics reads and of stored analytics runs (they cross the port).

Aggregate reads return small grouped counts (one row per country, country pair, month, …), never a
row per person: the dashboards' figures are computed from them in `graph_db.analytics.figures`.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from graph_db.records import Frozen


class PairKind(StrEnum):
    """Relationships counted between countries (an allow-list for Cypher variants).

    CONNECTIONS: `CONNECTED_TO`, dated by `since`. MENTORSHIPS: `MENTORS`, dated by `requestedAt`,
    split by status. ENDORSEMENTS: `ENDORSED`, dated by `at`.
    """

    CONNECTIONS = "CONNECTIONS"
    MENTORSHIPS = "MENTORSHIPS"
    ENDORSEMENTS = "ENDORSEMENTS"


class GrowthKind(StrEnum):
    """What grows: PEOPLE (by `joinedAt`), CONNECTIONS (by `since`), MENTORSHIPS (established ones,
    ACTIVE or COMPLETED, by `since`, the day the mentor accepted); and expertise exchange, as the
    ASCC indicator report counts it: EXPERTISE_REQUESTS (posted, by `createdAt`, in the author's
    country), FULFILLED_REQUESTS (closed as FULFILLED, by `closedAt`, in the author's country),
    CROSS_BORDER_COLLABORATIONS (`COLLABORATES_ON` by `since` where helper and author both have a
    country and they differ; in scope when either is)."""

    PEOPLE = "PEOPLE"
    CONNECTIONS = "CONNECTIONS"
    MENTORSHIPS = "MENTORSHIPS"
    EXPERTISE_REQUESTS = "EXPERTISE_REQUESTS"
    FULFILLED_REQUESTS = "FULFILLED_REQUESTS"
    CROSS_BORDER_COLLABORATIONS = "CROSS_BORDER_COLLABORATIONS"


class Scope(Frozen):
    """Which part of the graph an aggregate covers.

    Attributes:
        countries: ISO codes; a person counts if their `countryCode` is one of them, a
            relationship if either end does. None = the whole graph.
        start / end: half-open UTC interval `[start, end)` on the relationship's or person's date;
            None = unbounded.
    """

    countries: tuple[str, ...] | None = None
    start: datetime | None = None
    end: datetime | None = None


class PeopleCount(Frozen):
    """Civil servants of one country with one (verified, isExpert) combination."""

    country: str | None
    verified: bool
    expert: bool
    count: int


class PairCount(Frozen):
    """Relationships from a person of `country_a` to one of `country_b` (as stored: connection
    `a → b`, mentor → mentee, endorser → endorsee), with the mentorship status ('' otherwise)."""

    country_a: str | None
    country_b: str | None
    status: str = ""
    count: int


class EventCount(Frozen):
    """Participants of one event from one country (`participant_country` None: no participants)."""

    event_id: str
    event_country: str | None
    start_date: date
    participant_country: str | None
    participants: int


class MonthCount(Frozen):
    """New things in one calendar month (UTC)."""

    year: int
    month: int
    count: int


class CoverageCount(Frozen):
    """People of `country` holding `area` or a narrower one, whose best level in it is `level`."""

    area_id: str
    country: str | None
    level: int
    count: int


class ItemCount(Frozen):
    """Portfolio items with an author from `country`, and how many of them also have an author from
    another country (collaborative; the API records one author per item, imports may add more)."""

    country: str | None
    items: int
    collaborative: int


class ExpertCount(Frozen):
    """Experts (`isExpert`) of `country` (None: all countries in scope together) and the distinct
    expertise areas they hold."""

    country: str | None
    experts: int
    areas: int


class MentorCount(Frozen):
    """A mentor and their direct mentees over established (ACTIVE/COMPLETED) mentorships."""

    person_id: str
    mentees: int


class Projection(Frozen):
    """The connection graph as stored, for graph algorithms.

    Attributes:
        person_ids: every civil servant, sorted by id (vertex `i` is `person_ids[i]`).
        countries: each person's country code, aligned with `person_ids`.
        edges: `CONNECTED_TO` as stored, `(from index, to index)`, sorted.
    """

    person_ids: tuple[str, ...]
    countries: tuple[str | None, ...]
    edges: tuple[tuple[int, int], ...]


class AnalyticsRun(Frozen):
    """One stored analytics run (`(:AnalyticsRun)`), its parameters and the graph's size.

    Attributes:
        id: ULID. started_at: UTC. duration_s: wall-clock seconds of the computation (reading the
        projection included, storing excluded). parameters: JSON text of what was computed with
        which settings (library, versions, damping, iterations, seed). nodes / edges: projection
        size. communities / modularity: of the community partition. community_sizes: every
        community's size, largest first (community ids are positions in this list).
    """

    id: str
    started_at: datetime
    duration_s: float
    parameters: str
    nodes: int
    edges: int
    communities: int
    modularity: float
    community_sizes: tuple[int, ...]


class ScoreMetric(StrEnum):
    """Per-person scores of a run (an allow-list for the `ORDER BY` column)."""

    DEGREE = "degree"
    PAGERANK = "pagerank"
    BETWEENNESS = "betweenness"


class PersonScore(Frozen):
    """One person's scores in a run: degree (connections, undirected), PageRank (stored direction),
    betweenness (undirected, normalised to [0, 1]) and community (index into `community_sizes`)."""

    person_id: str
    degree: int
    pagerank: float
    betweenness: float
    community: int

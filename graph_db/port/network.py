"""The network between civil servants, read: connections, requests, endorsements, mentorships,
traversals and candidates for recommendations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from graph_db.paging import Page, PageRequest
from graph_db.records import (
    CivilServant,
    ConnectionEdge,
    ConnectionRequest,
    ConnectionWeights,
    Country,
    EgoEdge,
    EgoNetwork,
    EgoNode,
    Employment,
    Endorsement,
    Expertise,
    ExpertiseClaim,
    Institution,
    Mentorship,
    NetworkFilter,
    NetworkRelationship,
    RankedPerson,
)


@dataclass(frozen=True, slots=True)
class Neighbourhood:
    """A person, one page of their connections, and what a profile page shows of each of them:
    the answer of `NetworkStore.neighbourhood`, the same records the batched reads give.

    Attributes:
        person: the person; None when the id names nobody (everything else is then empty).
        connections: the page, as `connections_of` gives it for the same page request.
        connection_count: the person's degree (count of connections).
        people: the person and everyone on the page, by id.
        employments: by person id, for every id in `people` (empty lists included), in
            `employments_of` order.
        expertise: by person id, for every id in `people`, in `expertise_of` order.
        institutions: every institution those employments name, by id.
        areas: every expertise area those claims name, by id.
        countries: the countries of everyone in `people`, by code.
    """

    person: CivilServant | None
    connections: Page[ConnectionEdge]
    connection_count: int
    people: dict[str, CivilServant]
    employments: dict[str, list[Employment]]
    expertise: dict[str, list[ExpertiseClaim]]
    institutions: dict[str, Institution]
    areas: dict[str, Expertise]
    countries: dict[str, Country]


@dataclass(frozen=True, slots=True)
class ReachedRead:
    """People a walk reached and their profiles: the answer of `NetworkStore.reachable_passing`.

    Attributes:
        nodes: the people reached, with their distance (hops), by distance then id (with
            `reachable_passing`'s `first`: in a network search's order).
        people: their profiles, in the order of `nodes`.
    """

    nodes: list[EgoNode]
    people: list[CivilServant]


@dataclass(frozen=True, slots=True)
class EgoNetworkRead:
    """An ego network and the profiles of its people: the answer of `NetworkStore.ego_network`.

    Attributes:
        network: centre (distance 0) then the people reached by distance (hops) then id, the
            relationships among them and whether the node cap cut people off.
        people: the profiles of `network.nodes` that exist (all of them, unless a person was
            removed while the network was read), in no particular order.
    """

    network: EgoNetwork
    people: list[CivilServant]


class NetworkStore(Protocol):
    """Reads of the network: each person's connections, pending requests, endorsements and
    mentorships (batch, aligned), and capped traversals around people."""

    # ---- relationships (batch, aligned) ----
    async def connections_of(
        self, person_ids: Sequence[str], *, page: PageRequest
    ) -> list[Page[ConnectionEdge]]:
        """Each person's connections, newest `since` first, then id ascending (LDBC IS3 order).

        Keys: (since, other person's id). The same page request applies to every person.
        """
        ...

    async def neighbourhood(self, person_id: str, *, page: PageRequest) -> Neighbourhood:
        """A profile page's reads at once: the person, one page of their connections (as
        `connections_of([person_id], page=page)`), their degree, and the employments, expertise,
        institutions, areas and countries of the person and of everyone on the page.

        One statement on Neo4j (one round trip where the batched reads take three rounds of
        about ten); the batched reads on the embedded store. An unknown id gives `person` None.
        """
        ...

    async def connection_counts(self, person_ids: Sequence[str]) -> list[int]:
        """Degree of each person in the connection graph (counts)."""
        ...

    async def connection_requests(
        self, person_ids: Sequence[str], *, incoming: bool
    ) -> list[list[ConnectionRequest]]:
        """Pending requests to (incoming) or from each person, newest first."""
        ...

    async def endorsements_of(self, person_ids: Sequence[str]) -> list[list[Endorsement]]:
        """Endorsements each person received, by area, newest first."""
        ...

    async def get_mentorships(self, mentorship_ids: Sequence[str]) -> list[Mentorship | None]:
        """Mentorships by id, aligned to the ids."""
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

    async def reachable_people(
        self,
        person_id: str,
        *,
        rels: frozenset[NetworkRelationship],
        direction: str,
        hops: int,
        limit: int,
    ) -> ReachedRead:
        """`reachable` with the profiles of the people reached, read by the walk's own
        statements (one on the embedded store, one per hop on Neo4j), not in a read after it.

        Raises:
            InvalidInput: `hops` outside 1..`cypher.MAX_TRAVERSAL_HOPS`, no `rels`, or an
                unknown `direction`.
        """
        ...

    async def edges_among(
        self, person_ids: Sequence[str], *, rels: frozenset[NetworkRelationship], limit: int
    ) -> list[EgoEdge]:
        """Relationships of the given kinds among a set of people, at most `limit` per kind."""
        ...

    async def ego_network(
        self,
        person_id: str,
        *,
        rels: frozenset[NetworkRelationship],
        hops: int,
        limit: int,
        edge_limit: int,
    ) -> EgoNetworkRead:
        """The people within `hops` of a person over `rels` (either direction) and the
        relationships among them, with their profiles.

        The same answer as `reachable(person_id, rels=rels, direction="both", hops=hops,
        limit=limit)` (truncated when it gives `limit` people), the centre and its first
        `limit - 1` people as nodes, `edges_among` those nodes with `limit=edge_limit`, and
        `get_people` of them; in one statement where the dialect has one (`Dialect.ego_network`:
        one round trip on Neo4j, where those reads took five). A centre that does not exist
        reaches nobody (a network of the centre alone, no profiles).

        Raises:
            InvalidInput: `hops` outside 1..6, or no `rels`.
        """
        ...

    async def shortest_path(
        self, from_id: str, to_id: str, *, rel: NetworkRelationship, directed: bool, max_hops: int
    ) -> list[str] | None:
        """Ids along one shortest path (both ends included), or None if none within `max_hops`."""
        ...

    async def path_people(
        self, from_id: str, to_id: str, *, rel: NetworkRelationship, directed: bool, max_hops: int
    ) -> list[CivilServant] | None:
        """The people along one shortest path (both ends included), as `shortest_path` finds
        it, or None if none within `max_hops`; in one statement where the dialect has one
        (`Dialect.path_people`: on Neo4j the path and its people are one round trip, not two).

        Raises:
            InvalidInput: `max_hops` outside 1..6.
            StoreUnavailable: someone on the path was removed while it was read (retry).
        """
        ...

    async def reachable_passing(
        self,
        person_id: str,
        *,
        hops: int,
        filter: NetworkFilter,
        limit: int,
        first: int | None = None,
    ) -> ReachedRead:
        """People within `hops` connections (either direction) of a person who pass `filter`,
        by distance then id, with their profiles: of the first `limit` people `reachable`
        gives, those who pass `filter`. The person is not included.

        With `first`, only the first `first` of those in a network search's order
        (`paging.network_search_key`: distance, last name, natural id), in that order: the
        embedded store then reads the profiles of those alone, after the walk (a node's whole
        record costs ~70 µs to read there, and on 1M people 2 hops reach ~1,600 people); on
        Neo4j the walk reads the profiles of those it keeps as it goes (one statement per hop),
        as without `first`. The embedded store's two reads are not one snapshot: someone removed
        between them is left out of the page, and a profile changed between them comes as it
        is now (in the place its earlier names gave it).

        Raises:
            InvalidInput: `hops` outside 1..`cypher.MAX_TRAVERSAL_HOPS`.
        """
        ...

    async def second_degree(
        self,
        person_id: str,
        *,
        limit: int,
        weights: ConnectionWeights = ConnectionWeights(),  # noqa: B008 (frozen)
        best: int | None = None,
    ) -> list[RankedPerson]:
        """People two hops away, not connected and with no pending request either way, with their
        mutual connections, shared expertise, institutions and events (distinct ids, sorted),
        whether they are in another country, and their `score` under `weights`.

        The `limit` with the most mutual connections (then lowest id) are scored; they come back
        highest score first (ties in no set order). With `best` (≥ 1), only those scoring at
        least the `best`-th highest score: the best `best` and everyone tied with the last of
        them, so a caller's own tie-break (natural id) stays exact.

        Raises:
            NotFound: nobody has the id `person_id`.
        """
        ...

    async def mentor_candidates(
        self, person_id: str, *, area_ids: Sequence[str], limit: int
    ) -> list[RankedPerson]:
        """People holding any of the areas at a higher level than the person does (not the person, not
        their active mentors), with their best level and endorsements in those areas."""
        ...

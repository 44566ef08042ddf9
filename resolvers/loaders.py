"""Per-request DataLoaders: one batched store call per field kind per tick, never N+1.

Loaders are plain functions `load_<things>_by_<key>(store, keys)` returning a list aligned to the
keys, wrapped in `Loaders`. A new `Loaders` is made for every request (aiodataloader binds the
running event loop, and caches must not outlive a request).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol, TypeVar

from aiodataloader import DataLoader

from graph_db.paging import Page, PageRequest
from graph_db.port import GraphStore, Neighbourhood
from graph_db.records import (
    CivilServant,
    ConnectionEdge,
    ConnectionRequest,
    Country,
    Employment,
    Endorsement,
    Event,
    Expertise,
    ExpertiseClaim,
    ExpertStatusChange,
    Institution,
    Introduction,
    Mentorship,
    Participation,
    PortfolioItem,
    Study,
    ViewerRelationship,
)
from graph_db.records.exchange import Collaboration, ExpertiseRequest, Offer

K = TypeVar("K")
V = TypeVar("V")
PagedKey = tuple[str, PageRequest]
"""A paginated relationship key: (node id, page request). Keys with the same page batch together."""


class PagedFetch(Protocol[V]):
    """A store method `(ids, *, page) -> one page per id`, e.g. `GraphStore.connections_of`."""

    def __call__(self, ids: Sequence[str], /, *, page: PageRequest) -> Awaitable[list[Page[V]]]: ...


async def load_paged(fetch: PagedFetch[V], keys: Sequence[PagedKey]) -> list[Page[V]]:
    """Batch paged keys: one store call per distinct page request, results aligned to `keys`.

    Args:
        fetch: a store method `(ids, *, page) -> list[Page]`.
        keys: `(id, page request)` pairs.
    """
    by_page: dict[PageRequest, list[str]] = defaultdict(list)
    for id_, page in keys:
        if id_ not in by_page[page]:
            by_page[page].append(id_)
    found: dict[PagedKey, Page[V]] = {}
    for page, ids in by_page.items():
        for id_, result in zip(ids, await fetch(ids, page=page), strict=True):
            found[(id_, page)] = result
    return [found[k] for k in keys]


async def _mentorships(
    store: GraphStore, as_mentor: bool, keys: Sequence[str]
) -> list[list[Mentorship]]:
    return await store.mentorships_of(keys, as_mentor=as_mentor)


async def _requests(
    store: GraphStore, incoming: bool, keys: Sequence[str]
) -> list[list[ConnectionRequest]]:
    return await store.connection_requests(keys, incoming=incoming)


async def _neighbours(store: GraphStore, keys: Sequence[str]) -> list[set[str]]:
    pages = await store.connections_of(keys, page=PageRequest(limit=MAX_NEIGHBOURS))
    return [{edge.person_id for edge in page.items} for page in pages]


async def _relationships(
    store: GraphStore, keys: Sequence[tuple[str, str]]
) -> list[ViewerRelationship]:
    by_viewer: dict[str, list[str]] = defaultdict(list)
    for viewer, person in keys:
        by_viewer[viewer].append(person)
    found: dict[tuple[str, str], ViewerRelationship] = {}
    for viewer, people in by_viewer.items():
        for person, rel in zip(people, await store.relationships_to(viewer, people), strict=True):
            found[(viewer, person)] = rel
    return [found[k] for k in keys]


async def _introductions(
    store: GraphStore, as_introducer: bool, keys: Sequence[str]
) -> list[list[Introduction]]:
    return await store.introductions_of(keys, as_introducer=as_introducer)


MAX_NEIGHBOURS = 10_000
"""Connections read to decide who may see a viewer's contact details (LDBC's maximum degree is 340)."""


def _loader(batch: Callable[[list[K]], Coroutine[Any, Any, list[V]]]) -> DataLoader[K, V]:
    return DataLoader(batch_load_fn=batch, max_batch_size=1000)


@dataclass(frozen=True, slots=True)
class Loaders:
    """The DataLoaders of one request. Values are domain records (or lists / pages of them)."""

    people: DataLoader[str, CivilServant | None]
    countries: DataLoader[str, Country | None]  # by country code
    institutions: DataLoader[str, Institution | None]
    expertise: DataLoader[str, Expertise | None]
    events: DataLoader[str, Event | None]
    portfolio_items: DataLoader[str, PortfolioItem | None]
    expertise_claims: DataLoader[str, list[ExpertiseClaim]]  # by person id
    employments: DataLoader[str, list[Employment]]  # by person id
    studies: DataLoader[str, list[Study]]  # by person id
    portfolio: DataLoader[str, list[PortfolioItem]]  # by person id
    about: DataLoader[str, list[str]]  # portfolio item id -> expertise ids
    participations: DataLoader[str, list[Participation]]  # by person id
    participants: DataLoader[str, list[Participation]]  # by event id
    organizers: DataLoader[str, list[str]]  # event id -> institution ids
    broader: DataLoader[str, list[str]]  # expertise id -> expertise ids
    narrower: DataLoader[str, list[str]]  # expertise id -> expertise ids
    connection_counts: DataLoader[str, int]  # by person id
    member_counts: DataLoader[str, int]  # by institution id
    expert_counts: DataLoader[str, int]  # by expertise id
    endorsements: DataLoader[str, list[Endorsement]]  # received, by person id
    mentorships_as_mentor: DataLoader[str, list[Mentorship]]  # by person id
    mentorships_as_mentee: DataLoader[str, list[Mentorship]]  # by person id
    requests_in: DataLoader[str, list[ConnectionRequest]]  # by person id
    requests_out: DataLoader[str, list[ConnectionRequest]]  # by person id
    mentorships: DataLoader[str, Mentorship | None]  # by mentorship id
    viewer_connections: DataLoader[str, set[str]]  # person id -> connected person ids
    connections: DataLoader[PagedKey, Page[ConnectionEdge]]  # by (person id, page)
    members: DataLoader[PagedKey, Page[Employment]]  # by (institution id, page)
    experts: DataLoader[PagedKey, Page[ExpertiseClaim]]  # by (expertise id, page)
    expertise_requests: DataLoader[str, ExpertiseRequest | None]
    offers: DataLoader[str, list[Offer]]  # by expertise request id
    collaborations: DataLoader[str, list[Collaboration]]  # by expertise request id
    relationships: DataLoader[tuple[str, str], ViewerRelationship]  # by (viewer id, person id)
    introductions: DataLoader[str, Introduction | None]  # by introduction id
    introductions_via: DataLoader[str, list[Introduction]]  # by introducer id
    introductions_asked: DataLoader[str, list[Introduction]]  # by requester id
    coauthors: DataLoader[str, list[str]]  # portfolio item id -> co-author ids
    coauthored: DataLoader[str, list[PortfolioItem]]  # by co-author id
    expert_history: DataLoader[str, list[ExpertStatusChange]]  # by person id
    parents: DataLoader[str, str | None]  # institution id -> the one it is part of
    units: DataLoader[PagedKey, Page[Institution]]  # by (institution id, page)
    unit_counts: DataLoader[str, int]  # by institution id

    def clear_all(self) -> None:
        """Forget everything cached (after a write that touches records of many kinds)."""
        for name in self.__slots__:
            getattr(self, name).clear_all()

    def prime_people(self, people: Sequence[CivilServant]) -> None:
        """Seed the people cache with records a list query already returned."""
        for person in people:
            self.people.prime(person.id, person)

    def prime_neighbourhood(self, found: Neighbourhood, page: PageRequest) -> None:
        """Seed the caches with what `GraphStore.neighbourhood(person, page=page)` returned, so
        the profile's fields and its connections' cards resolve without further store calls."""
        if found.person is None:
            return
        person_id = found.person.id
        self.connections.prime((person_id, page), found.connections)
        self.connection_counts.prime(person_id, found.connection_count)
        self.prime_people(list(found.people.values()))
        for id_, jobs in found.employments.items():
            self.employments.prime(id_, jobs)
        for id_, claims in found.expertise.items():
            self.expertise_claims.prime(id_, claims)
        for id_, place in found.institutions.items():
            self.institutions.prime(id_, place)
        for id_, area in found.areas.items():
            self.expertise.prime(id_, area)
        for code, country in found.countries.items():
            self.countries.prime(code, country)


def create_loaders(store: GraphStore) -> Loaders:
    """Make the DataLoaders for one request over `store` (call inside the request's event loop)."""
    return Loaders(
        people=_loader(store.get_people),
        countries=_loader(store.get_countries),
        institutions=_loader(store.get_institutions),
        expertise=_loader(store.get_expertise),
        events=_loader(store.get_events),
        portfolio_items=_loader(store.get_portfolio_items),
        expertise_claims=_loader(store.expertise_of),
        employments=_loader(store.employments_of),
        studies=_loader(store.studies_of),
        portfolio=_loader(store.portfolio_of),
        about=_loader(store.about_of),
        participations=_loader(store.participations_of),
        participants=_loader(store.participants_of),
        organizers=_loader(store.organizers_of),
        broader=_loader(store.broader_of),
        narrower=_loader(store.narrower_of),
        connection_counts=_loader(store.connection_counts),
        member_counts=_loader(store.member_counts),
        expert_counts=_loader(store.expert_counts),
        endorsements=_loader(store.endorsements_of),
        mentorships_as_mentor=_loader(partial(_mentorships, store, True)),
        mentorships_as_mentee=_loader(partial(_mentorships, store, False)),
        requests_in=_loader(partial(_requests, store, True)),
        requests_out=_loader(partial(_requests, store, False)),
        mentorships=_loader(store.get_mentorships),
        viewer_connections=_loader(partial(_neighbours, store)),
        connections=_loader(partial(load_paged, store.connections_of)),
        members=_loader(partial(load_paged, store.members_of)),
        experts=_loader(partial(load_paged, store.experts_in)),
        expertise_requests=_loader(store.get_expertise_requests),
        offers=_loader(store.offers_on),
        collaborations=_loader(store.collaborations_on),
        relationships=_loader(partial(_relationships, store)),
        introductions=_loader(store.get_introductions),
        introductions_via=_loader(partial(_introductions, store, True)),
        introductions_asked=_loader(partial(_introductions, store, False)),
        coauthors=_loader(store.coauthors_of),
        coauthored=_loader(store.coauthored_by),
        expert_history=_loader(store.expert_history),
        parents=_loader(store.parents_of),
        units=_loader(partial(load_paged, store.units_of)),
        unit_counts=_loader(store.unit_counts),
    )

"""Per-request DataLoaders: one batched store call per field kind per tick, never N+1.

Loaders are plain functions `load_<things>_by_<key>(store, keys)` returning a list aligned to the
keys, wrapped in `Loaders`. A new `Loaders` is made for every request (aiodataloader binds the
running event loop, and caches must not outlive a request).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from aiodataloader import DataLoader

from graph_db.paging import Page, PageRequest
from graph_db.port import GraphStore
from graph_db.records import CivilServant

K = TypeVar("K")
V = TypeVar("V")
PagedKey = tuple[str, PageRequest]
"""A paginated relationship key: (node id, page request). Keys with the same page batch together."""


async def load_paged(
    fetch: Callable[..., Awaitable[list[Page[V]]]], keys: Sequence[PagedKey]
) -> list[Page[V]]:
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


async def _mentorships(store: GraphStore, as_mentor: bool, keys: Sequence[str]) -> list[Any]:
    return await store.mentorships_of(keys, as_mentor=as_mentor)


async def _requests(store: GraphStore, incoming: bool, keys: Sequence[str]) -> list[Any]:
    return await store.connection_requests(keys, incoming=incoming)


async def _neighbours(store: GraphStore, keys: Sequence[str]) -> list[set[str]]:
    pages = await store.connections_of(keys, page=PageRequest(limit=MAX_NEIGHBOURS))
    return [{edge.person_id for edge in page.items} for page in pages]


MAX_NEIGHBOURS = 10_000
"""Connections read to decide who may see a viewer's contact details (LDBC's maximum degree is 340)."""


def _loader(batch: Callable[[list[Any]], Awaitable[list[Any]]]) -> DataLoader:
    return DataLoader(batch_load_fn=batch, max_batch_size=1000)


@dataclass(frozen=True, slots=True)
class Loaders:
    """The DataLoaders of one request. Values are domain records (or lists / pages of them)."""

    people: DataLoader  # id -> CivilServant | None
    countries: DataLoader  # code -> Country | None
    institutions: DataLoader  # id -> Institution | None
    expertise: DataLoader  # id -> Expertise | None
    events: DataLoader  # id -> Event | None
    portfolio_items: DataLoader  # id -> PortfolioItem | None
    expertise_claims: DataLoader  # person id -> list[ExpertiseClaim]
    employments: DataLoader  # person id -> list[Employment]
    studies: DataLoader  # person id -> list[Study]
    portfolio: DataLoader  # person id -> list[PortfolioItem]
    about: DataLoader  # portfolio item id -> list[expertise id]
    participations: DataLoader  # person id -> list[Participation]
    participants: DataLoader  # event id -> list[Participation]
    organizers: DataLoader  # event id -> list[institution id]
    broader: DataLoader  # expertise id -> list[expertise id]
    narrower: DataLoader  # expertise id -> list[expertise id]
    connection_counts: DataLoader  # person id -> int
    member_counts: DataLoader  # institution id -> int
    expert_counts: DataLoader  # expertise id -> int
    endorsements: DataLoader  # person id -> list[Endorsement] received
    mentorships_as_mentor: DataLoader  # person id -> list[Mentorship]
    mentorships_as_mentee: DataLoader  # person id -> list[Mentorship]
    requests_in: DataLoader  # person id -> list[ConnectionRequest]
    requests_out: DataLoader  # person id -> list[ConnectionRequest]
    mentorships: DataLoader  # mentorship id -> Mentorship | None
    viewer_connections: DataLoader  # person id -> set of connected person ids
    connections: DataLoader  # (person id, PageRequest) -> Page[ConnectionEdge]
    members: DataLoader  # (institution id, PageRequest) -> Page[Employment]
    experts: DataLoader  # (expertise id, PageRequest) -> Page[ExpertiseClaim]

    def prime_people(self, people: Sequence[CivilServant]) -> None:
        """Seed the people cache with records a list query already returned."""
        for person in people:
            self.people.prime(person.id, person)


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
    )

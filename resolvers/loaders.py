"""Per-request DataLoaders: one batched store call per field kind per tick, never N+1.

Loaders are plain functions `load_<things>_by_<key>(store, keys)` returning a list aligned to the
keys, wrapped in `Loaders`. A new `Loaders` is made for every request (aiodataloader binds the
running event loop, and caches must not outlive a request).
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Sequence
from functools import partial
from typing import Any, Final, Protocol, TypeVar

from aiodataloader import DataLoader
from cachetools import TTLCache

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


class Pending(enum.Enum):
    """The type of `PENDING`."""

    PENDING = "pending"


PENDING: Final = Pending.PENDING
"""What `SettledFirstLoader.settled` answers for a key whose value is not yet in hand."""


class SettledFirstLoader(DataLoader[K, V]):
    """aiodataloader's `DataLoader` that answers at once what it already holds.

    `load_many` answers at once when every key is already settled in the cache (a list primed
    from one read: an ego network's 500 people), instead of gathering a future per key (1.2 ms of
    a depth-2 ego network's request, cProfile, Neo4j 100k); otherwise, and for a key that failed,
    it is `DataLoader.load_many`. `settled` / `settled_many` give a settled value without a
    coroutine, so a resolver can return it as a plain value (see `schema.node.now_or_later`).
    """

    def settled(self, key: K) -> V | Pending:
        """The value of `key` if the cache holds it settled and successful, else `PENDING` (not
        asked yet, in flight, or failed: `load` it, which also raises a failure)."""
        if not self.cache:
            return PENDING
        future = self._cache.get(self.get_cache_key(key))
        if future is None or not future.done() or future.cancelled() or future.exception():
            return PENDING
        return future.result()

    def settled_many(self, keys: Iterable[K]) -> list[V] | Pending:
        """The values of `keys` in order if every one is `settled`, else `PENDING`."""
        found = []
        for key in keys:
            value = self.settled(key)
            if value is PENDING:
                return PENDING
            found.append(value)
        return found

    async def load_many(self, keys: Iterable[K]) -> list[V]:  # type: ignore[override]
        """The values of `keys`, in order (see the class)."""
        keys = list(keys)
        found = self.settled_many(keys)
        if found is not PENDING:
            return found
        return await super().load_many(keys)


def _loader(
    batch: Callable[[list[K]], Coroutine[Any, Any, list[V]]],
) -> SettledFirstLoader[K, V]:
    return SettledFirstLoader(batch_load_fn=batch, max_batch_size=1000)


class ReferenceRecords:
    """The countries, institutions and expertise areas this process read in the last `ttl_s`
    seconds: reference data, which admins change rarely and every page shows (a recommendation's
    shared areas and institutions were a store round trip each).

    Any mutation made through this process forgets them all (`forget_all`, from `Audited`);
    other API processes and the command line are seen within `ttl_s` (`EXPECS_REFERENCE_TTL_S`,
    0 = read the store every time). Holds at most `max_records` records.
    """

    def __init__(self, ttl_s: float, max_records: int = 50_000) -> None:
        self._found: TTLCache[tuple[str, str], Any] | None = (
            TTLCache(maxsize=max_records, ttl=ttl_s) if ttl_s > 0 else None
        )

    async def load(
        self, kind: str, fetch: Callable[[list[str]], Awaitable[list[V | None]]], ids: list[str]
    ) -> list[V | None]:
        """The records of `kind` with `ids` (None for unknown ids), aligned to `ids`: the ones
        remembered, and the rest from `fetch` (a store method), then remembered."""
        if self._found is None:
            return await fetch(ids)
        known = {i: self._found.get((kind, i)) for i in ids}
        missing = [i for i, record in known.items() if record is None]
        if missing:
            for i, record in zip(missing, await fetch(missing), strict=True):
                known[i] = record
                if record is not None:
                    self._found[(kind, i)] = record
        return [known[i] for i in ids]

    def forget_all(self) -> None:
        """Drop everything (after a mutation through this process)."""
        if self._found is not None:
            self._found.clear()


UNCACHED_REFERENCE = ReferenceRecords(ttl_s=0)
"""Reads the store every time (contexts built outside the app, e.g. in tests)."""


class Loaders:
    """The DataLoaders of one request. Values are domain records (or lists / pages of them).

    Each is made the first time the request uses it (`BATCH_FUNCTIONS`): a request uses a few of
    the 42, and making them all cost 0.3 ms of CPU a request.
    """

    people: SettledFirstLoader[str, CivilServant | None]
    countries: SettledFirstLoader[str, Country | None]  # by country code
    institutions: SettledFirstLoader[str, Institution | None]
    expertise: SettledFirstLoader[str, Expertise | None]
    events: SettledFirstLoader[str, Event | None]
    portfolio_items: SettledFirstLoader[str, PortfolioItem | None]
    expertise_claims: SettledFirstLoader[str, list[ExpertiseClaim]]  # by person id
    employments: SettledFirstLoader[str, list[Employment]]  # by person id
    studies: SettledFirstLoader[str, list[Study]]  # by person id
    portfolio: SettledFirstLoader[str, list[PortfolioItem]]  # by person id
    about: SettledFirstLoader[str, list[str]]  # portfolio item id -> expertise ids
    participations: SettledFirstLoader[str, list[Participation]]  # by person id
    participants: SettledFirstLoader[str, list[Participation]]  # by event id
    organizers: SettledFirstLoader[str, list[str]]  # event id -> institution ids
    broader: SettledFirstLoader[str, list[str]]  # expertise id -> expertise ids
    narrower: SettledFirstLoader[str, list[str]]  # expertise id -> expertise ids
    connection_counts: SettledFirstLoader[str, int]  # by person id
    member_counts: SettledFirstLoader[str, int]  # by institution id
    expert_counts: SettledFirstLoader[str, int]  # by expertise id
    endorsements: SettledFirstLoader[str, list[Endorsement]]  # received, by person id
    mentorships_as_mentor: SettledFirstLoader[str, list[Mentorship]]  # by person id
    mentorships_as_mentee: SettledFirstLoader[str, list[Mentorship]]  # by person id
    requests_in: SettledFirstLoader[str, list[ConnectionRequest]]  # by person id
    requests_out: SettledFirstLoader[str, list[ConnectionRequest]]  # by person id
    mentorships: SettledFirstLoader[str, Mentorship | None]  # by mentorship id
    viewer_connections: SettledFirstLoader[str, set[str]]  # person id -> connected person ids
    connections: SettledFirstLoader[PagedKey, Page[ConnectionEdge]]  # by (person id, page)
    members: SettledFirstLoader[PagedKey, Page[Employment]]  # by (institution id, page)
    experts: SettledFirstLoader[PagedKey, Page[ExpertiseClaim]]  # by (expertise id, page)
    expertise_requests: SettledFirstLoader[str, ExpertiseRequest | None]
    offers: SettledFirstLoader[str, list[Offer]]  # by expertise request id
    collaborations: SettledFirstLoader[str, list[Collaboration]]  # by expertise request id
    relationships: SettledFirstLoader[
        tuple[str, str], ViewerRelationship
    ]  # by (viewer id, person id)
    introductions: SettledFirstLoader[str, Introduction | None]  # by introduction id
    introductions_via: SettledFirstLoader[str, list[Introduction]]  # by introducer id
    introductions_asked: SettledFirstLoader[str, list[Introduction]]  # by requester id
    coauthors: SettledFirstLoader[str, list[str]]  # portfolio item id -> co-author ids
    coauthored: SettledFirstLoader[str, list[PortfolioItem]]  # by co-author id
    expert_history: SettledFirstLoader[str, list[ExpertStatusChange]]  # by person id
    parents: SettledFirstLoader[str, str | None]  # institution id -> the one it is part of
    units: SettledFirstLoader[PagedKey, Page[Institution]]  # by (institution id, page)
    unit_counts: SettledFirstLoader[str, int]  # by institution id

    def __init__(self, store: GraphStore, reference: ReferenceRecords = UNCACHED_REFERENCE) -> None:
        self._store = store
        self._reference = reference

    def __getattr__(self, name: str) -> Any:
        """Make the loader `name` (called only while the request has not used it yet).

        Raises:
            AttributeError: `name` is no loader.
        """
        batch = BATCH_FUNCTIONS.get(name)
        if batch is None:
            raise AttributeError(name)
        fetch = batch(self._store)
        if name in REFERENCE_KINDS:
            fetch = partial(self._reference.load, name, fetch)
        loader = _loader(fetch)
        setattr(self, name, loader)
        return loader

    def clear_all(self) -> None:
        """Forget everything cached (after a write that touches records of many kinds)."""
        for value in vars(self).values():
            if isinstance(value, DataLoader):
                value.clear_all()

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


BATCH_FUNCTIONS: dict[str, Callable[[GraphStore], Callable[[Any], Coroutine[Any, Any, Any]]]] = {
    "people": lambda s: s.get_people,
    "countries": lambda s: s.get_countries,
    "institutions": lambda s: s.get_institutions,
    "expertise": lambda s: s.get_expertise,
    "events": lambda s: s.get_events,
    "portfolio_items": lambda s: s.get_portfolio_items,
    "expertise_claims": lambda s: s.expertise_of,
    "employments": lambda s: s.employments_of,
    "studies": lambda s: s.studies_of,
    "portfolio": lambda s: s.portfolio_of,
    "about": lambda s: s.about_of,
    "participations": lambda s: s.participations_of,
    "participants": lambda s: s.participants_of,
    "organizers": lambda s: s.organizers_of,
    "broader": lambda s: s.broader_of,
    "narrower": lambda s: s.narrower_of,
    "connection_counts": lambda s: s.connection_counts,
    "member_counts": lambda s: s.member_counts,
    "expert_counts": lambda s: s.expert_counts,
    "endorsements": lambda s: s.endorsements_of,
    "mentorships_as_mentor": lambda s: partial(_mentorships, s, True),
    "mentorships_as_mentee": lambda s: partial(_mentorships, s, False),
    "requests_in": lambda s: partial(_requests, s, True),
    "requests_out": lambda s: partial(_requests, s, False),
    "mentorships": lambda s: s.get_mentorships,
    "viewer_connections": lambda s: partial(_neighbours, s),
    "connections": lambda s: partial(load_paged, s.connections_of),
    "members": lambda s: partial(load_paged, s.members_of),
    "experts": lambda s: partial(load_paged, s.experts_in),
    "expertise_requests": lambda s: s.get_expertise_requests,
    "offers": lambda s: s.offers_on,
    "collaborations": lambda s: s.collaborations_on,
    "relationships": lambda s: partial(_relationships, s),
    "introductions": lambda s: s.get_introductions,
    "introductions_via": lambda s: partial(_introductions, s, True),
    "introductions_asked": lambda s: partial(_introductions, s, False),
    "coauthors": lambda s: s.coauthors_of,
    "coauthored": lambda s: s.coauthored_by,
    "expert_history": lambda s: s.expert_history,
    "parents": lambda s: s.parents_of,
    "units": lambda s: partial(load_paged, s.units_of),
    "unit_counts": lambda s: s.unit_counts,
}
"""Each `Loaders` attribute's batch function over a store."""
REFERENCE_KINDS: Final = frozenset({"countries", "institutions", "expertise"})
"""Loaders answered from `ReferenceRecords` first."""


def create_loaders(store: GraphStore, reference: ReferenceRecords = UNCACHED_REFERENCE) -> Loaders:
    """Make the DataLoaders for one request over `store` (call inside the request's event loop;
    each loader is made when first used), reference data through `reference`."""
    return Loaders(store, reference)

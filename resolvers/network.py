"""Network queries: ego networks, shortest paths, mentorship lineage and network search.

Every traversal has a hop cap and a result cap (DESIGN.md); asking above a cap is LIMIT_EXCEEDED,
below 1 is BAD_USER_INPUT, an unknown person NOT_FOUND.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from enum import StrEnum

from graph_db.errors import NotFound
from graph_db.records import CivilServant, EgoNetwork, NetworkFilter, NetworkRelationship
from resolvers.context import Context
from resolvers.errors import BadUserInput, LimitExceeded
from resolvers.policy import is_profile_hidden, require_member
from resolvers.viewer import Forbidden

MAX_EGO_DEPTH = 3
MAX_EGO_NODES = 500
MAX_EGO_EDGES = 5_000
MAX_PATH_HOPS = 6
MAX_GENERATIONS = 6
MAX_LINEAGE_PEOPLE = 1_000
MAX_SEARCH_HOPS = 3
MAX_SEARCH_RESULTS = 100
REACH_CAP = 50_000
"""Rows a breadth-first search may return before filtering (the whole SF0.1 graph is 1,528)."""


class LineageDirection(StrEnum):
    """DESCENDANTS: mentees, their mentees, …; ANCESTORS: mentors, their mentors, …"""

    DESCENDANTS = "DESCENDANTS"
    ANCESTORS = "ANCESTORS"


def bounded(name: str, value: int, cap: int) -> int:
    """`value` if 1 ≤ value ≤ cap. Raises BadUserInput below 1, LimitExceeded above `cap`."""
    if value < 1:
        raise BadUserInput(f"{name} must be at least 1")
    if value > cap:
        raise LimitExceeded(f"{name} must be at most {cap}", {"limit": name, "max": cap})
    return value


async def require_people(ctx: Context, *ids: str) -> list[CivilServant]:
    """The people, through the loader, for a verified member (the network is members-only).

    Raises:
        Unauthenticated / Forbidden: see `require_member`. NotFound: naming the first unknown id.
    """
    # One loader batch for the viewer's access check and the people asked for.
    _, found = await asyncio.gather(require_member(ctx), ctx.loaders.people.load_many(list(ids)))
    people: list[CivilServant] = []
    for id_, person in zip(ids, found, strict=True):
        if person is None:
            raise NotFound(f"unknown civil servant: {id_}")
        people.append(person)
    return people


async def require_centre(ctx: Context, person_id: str) -> CivilServant:
    """The person a network query is centred on, whose network the caller may see.

    Raises:
        Unauthenticated / Forbidden / NotFound: as `require_people`; Forbidden also for a
        NETWORK-visibility profile of someone not connected to the caller (README, Access policy).
    """
    (person,) = await require_people(ctx, person_id)
    if await is_profile_hidden(ctx, person_id, person.profile_visibility):
        raise Forbidden("this civil servant shows their network to their connections only")
    return person


async def ego_network(
    ctx: Context, person_id: str, *, depth: int, kinds: frozenset[NetworkRelationship], limit: int
) -> EgoNetwork:
    """The people within `depth` hops over `kinds` (undirected) and the relationships among them.

    Nodes are the centre (distance 0), then by distance and id, `limit` in all; `truncated` tells
    whether the cap cut people off. Edges are capped at `MAX_EGO_EDGES` per kind.
    """
    bounded("depth", depth, MAX_EGO_DEPTH)
    bounded("limit", limit, MAX_EGO_NODES)
    if not kinds:
        raise BadUserInput("choose at least one relationship kind")
    # The caller is checked first; the centre's existence and visibility after the read, from
    # the profiles that came with the network (one round trip on Neo4j): a traversal from nobody
    # reaches nobody, and a hidden network is read but never returned.
    await require_member(ctx)
    read = await ctx.store.ego_network(
        person_id, rels=kinds, hops=depth, limit=limit, edge_limit=MAX_EGO_EDGES
    )
    ctx.loaders.prime_people(read.people)
    await require_centre(ctx, person_id)
    return read.network


async def shortest_path(
    ctx: Context, from_id: str, to_id: str, *, rel: NetworkRelationship, max_hops: int
) -> list[str] | None:
    """Ids along a shortest path (ends included): over connections (undirected) or down a chain of
    mentorships (directed, mentor → mentee). `[from_id]` for the same person; None beyond the cap."""
    bounded("maxHops", max_hops, MAX_PATH_HOPS)
    directed = rel is NetworkRelationship.MENTORS
    # The people along the path come with it (one round trip on Neo4j) and seed the loader, so
    # the check that both ends exist reads the store only when there is no path.
    await require_member(ctx)
    people = await ctx.store.path_people(
        from_id, to_id, rel=rel, directed=directed, max_hops=max_hops
    )
    if people is not None:
        ctx.loaders.prime_people(people)
    await require_people(ctx, from_id, to_id)
    return None if people is None else [p.id for p in people]


@dataclass(frozen=True)
class Lineage:
    """People by generation (1 = direct mentees or mentors); `truncated` if the people cap cut it."""

    generations: list[list[str]]
    truncated: bool


async def mentorship_lineage(
    ctx: Context, person_id: str, *, direction: LineageDirection, max_generations: int
) -> Lineage:
    """Mentees of mentees (or mentors of mentors) over established mentorships, safe on cycles:
    each person appears once, in the first generation that reaches them."""
    bounded("maxGenerations", max_generations, MAX_GENERATIONS)
    await require_member(ctx)
    # The walk reads the people it reaches (they seed the loader); the centre is checked after
    # it: a walk from nobody reaches nobody, and a hidden network is read but never returned.
    read = await ctx.store.reachable_people(
        person_id,
        rels=frozenset({NetworkRelationship.MENTORS}),
        direction="out" if direction is LineageDirection.DESCENDANTS else "in",
        hops=max_generations,
        limit=MAX_LINEAGE_PEOPLE + 1,
    )
    ctx.loaders.prime_people(read.people)
    await require_centre(ctx, person_id)
    reached = read.nodes
    truncated = len(reached) > MAX_LINEAGE_PEOPLE
    generations: list[list[str]] = [[] for _ in range(max_generations)]
    for node in reached[:MAX_LINEAGE_PEOPLE]:
        generations[node.distance - 1].append(node.person_id)
    while generations and not generations[-1]:
        generations.pop()
    return Lineage(generations=generations, truncated=truncated)


async def network_search(
    ctx: Context, person_id: str, *, max_hops: int, filter: NetworkFilter, limit: int
) -> list[tuple[CivilServant, int]]:
    """People within `max_hops` connections of a person who pass `filter`, with their distance,
    sorted by distance, last name (the single name where there is none), then id (LDBC IC1 order)."""
    bounded("maxHops", max_hops, MAX_SEARCH_HOPS)
    bounded("first", limit, MAX_SEARCH_RESULTS)
    await require_member(ctx)
    # The store reads the profiles of the page's people with the walk (they seed the loader);
    # the centre is checked after it: a walk from nobody finds nobody, and a hidden network is
    # read but never returned.
    read = await ctx.store.reachable_passing(
        person_id, hops=max_hops, filter=filter, limit=REACH_CAP, first=limit
    )
    ctx.loaders.prime_people(read.people)
    await require_centre(ctx, person_id)
    return [(p, n.distance) for p, n in zip(read.people, read.nodes, strict=True)]

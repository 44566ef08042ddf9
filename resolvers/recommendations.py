"""Connection and mentor recommendations, with the reasons behind each.

Connection score (documented for users and reviewers; `graph_db.records.ConnectionWeights`):

    score = mutual × w.mutual + shared areas × w.expertise + shared institutions × w.institution
            + shared events × w.event + (w.cross_border if the person is in another country)

The cross-border bonus exists because cross-border ties are the programme's aim (ACCSM, ASCC
blueprint indicators). Candidates are people two hops away, not connected and with no pending request
either way; the `CANDIDATE_CAP` with the most mutual connections are scored.

Mentors: people holding the area or a narrower one at a higher level than the person, not already
their active mentors, ranked by level, then endorsements in those areas, then closeness in the
connection network (hops, up to `CLOSENESS_HOPS`), then id.
"""

from __future__ import annotations

import asyncio

from graph_db.paging import natural_id
from graph_db.records import NetworkRelationship, RankedPerson
from resolvers.context import Context
from resolvers.network import bounded, require_centre
from resolvers.policy import require_member

MAX_RECOMMENDATIONS = 50
CANDIDATE_CAP = 500
CLOSENESS_HOPS = 3


async def recommended_connections(
    ctx: Context, person_id: str, *, first: int
) -> list[RankedPerson]:
    """The best `first` people to connect with, highest score first, then id; each with its reasons."""
    bounded("first", first, MAX_RECOMMENDATIONS)
    await require_member(ctx)
    # The store scores the candidates and sends back only the best `first` and those tied with
    # the last of them (the whole 500 cost 5.7 ms more of the API's CPU than theirs on Neo4j).
    candidates = await ctx.store.second_degree(
        person_id, limit=CANDIDATE_CAP, weights=ctx.weights, best=max(first, 1)
    )
    kept = sorted(candidates, key=lambda c: (-c.score, natural_id(c.person_id)))[:first]
    # The centre's check and the profiles the answer shows are one read of the people loader; a
    # hidden network is read but never returned.
    await asyncio.gather(
        require_centre(ctx, person_id), ctx.loaders.people.load_many([c.person_id for c in kept])
    )
    return kept


async def recommended_mentors(
    ctx: Context, person_id: str, expertise_id: str, *, first: int
) -> list[RankedPerson]:
    """The best `first` mentors for a person in an area (or a narrower one); see the module doc."""
    bounded("first", first, MAX_RECOMMENDATIONS)
    await require_centre(ctx, person_id)
    areas = await ctx.store.area_and_narrower(expertise_id)
    candidates = await ctx.store.mentor_candidates(person_id, area_ids=areas, limit=CANDIDATE_CAP)
    near = await ctx.store.reachable(
        person_id,
        rels=frozenset({NetworkRelationship.CONNECTED_TO}),
        direction="both",
        hops=CLOSENESS_HOPS,
        limit=100_000,
    )
    hops = {n.person_id: n.distance for n in near}
    far = CLOSENESS_HOPS + 1
    ranked = [c.model_copy(update={"distance": hops.get(c.person_id, far)}) for c in candidates]
    ranked.sort(
        key=lambda c: (-(c.level or 0), -c.endorsements, c.distance, natural_id(c.person_id))
    )
    return ranked[:first]

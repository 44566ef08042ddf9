"""The store's reads, written once for both adapters: look-ups, lists, relationships, the network.

Batch methods return lists aligned to their keys (the DataLoader contract, `graph_db.batching`).
Statements come from `graph_db.core.cypher`, or from the adapter's `Dialect` where the two stores
differ (look-ups by lists of ids, the traversals).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from graph_db import audit
from graph_db import properties as P
from graph_db.batching import align, group_rows, page_rows
from graph_db.core import cypher as C
from graph_db.core.base import StoreBase
from graph_db.errors import InvalidInput, NotFound, StoreUnavailable
from graph_db.paging import (
    Page,
    PageRequest,
    PersonOrderField,
    SortDirection,
    finish_page,
    network_search_key,
    walk_descending,
)
from graph_db.port.network import EgoNetworkRead, Neighbourhood, ReachedRead
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
    Event,
    Expertise,
    ExpertiseClaim,
    Institution,
    Mentorship,
    NetworkFilter,
    NetworkRelationship,
    Participation,
    PersonFilter,
    PortfolioItem,
    RankedPerson,
    ReferenceFilter,
    ReferenceKind,
    Study,
    fold,
    search_fold,
)

CONNECTIONS = frozenset({NetworkRelationship.CONNECTED_TO})
BALL_LIMIT = 10_000_000
"""Row cap of the balls of `Reads._meet_in_the_middle` (no cap in practice: a ball of 2 hops
holds the people near its end, a few thousand around the largest hubs)."""


@dataclass(frozen=True, slots=True)
class Walk:
    """A breadth-first walk as `Reads._reached` and `Reads._walk` run it.

    Attributes:
        types: relationship type names (`cypher.RELATIONSHIP_TYPES`), checked.
        direction: a key of `cypher.ARROWS`.
        hops: how far, 1..`cypher.MAX_TRAVERSAL_HOPS`.
        where: a condition on `n`, the person reached (`cypher.network_filter`): "true" keeps
            everyone, "" reads no profiles at all (`reachable`).
        params: the parameters `where` names.
    """

    types: frozenset[str]
    direction: str
    hops: int
    where: str = ""
    params: dict[str, Any] = field(default_factory=dict)


def employment_order(e: Employment) -> tuple[bool, int, str]:
    """Current employments first, then newest `since` first, then institution id."""
    return (e.until_year is not None, -(e.since_year or 0), e.institution_id)


def mentorship_from_row(r: Sequence[Any]) -> Mentorship:
    """A `Mentorship` from `id, mentor, mentee, expertiseId, goal, status, requestedAt, since, until`."""
    return Mentorship(
        id=r[0],
        mentor_id=r[1],
        mentee_id=r[2],
        expertise_id=r[3],
        goal=r[4],
        status=r[5],
        requested_at=r[6],
        since=r[7],
        until=r[8],
    )


class Reads(StoreBase):
    """Every read of the port except the analytics (see the port for each contract)."""

    async def _get(self, label: str, ids: Sequence[str]) -> list[Any]:
        rows = await self._read(C.GET_BY_IDS[label], {"ids": list(ids)})
        make = P.FROM_PROPS[label]
        return align(ids, {r[0]["id"]: make(r[0]) for r in rows})

    async def get_people(self, ids: Sequence[str]) -> list[CivilServant | None]:
        rows = await self._read(
            self.dialect.GET_PEOPLE, {"ids": list(ids)}, plain=self.dialect.PLAIN_PEOPLE
        )
        return align(ids, {r[0]["id"]: P.person_from_props(r[0]) for r in rows})

    async def get_countries(self, ids: Sequence[str]) -> list[Country | None]:
        return await self._get("Country", ids)

    async def get_institutions(self, ids: Sequence[str]) -> list[Institution | None]:
        return await self._get("Institution", ids)

    async def get_expertise(self, ids: Sequence[str]) -> list[Expertise | None]:
        return await self._get("Expertise", ids)

    async def get_events(self, ids: Sequence[str]) -> list[Event | None]:
        return await self._get("Event", ids)

    async def get_portfolio_items(self, ids: Sequence[str]) -> list[PortfolioItem | None]:
        rows = await self._read(C.GET_BY_IDS["PortfolioItem"], {"ids": list(ids)})
        authors = dict(await self._read(C.PORTFOLIO_AUTHORS, {"ids": list(ids)}))
        found = {r[0]["id"]: P.portfolio_from_props(r[0], authors[r[0]["id"]]) for r in rows}
        return align(ids, found)

    @staticmethod
    def _reference_filter(kind: ReferenceKind, f: ReferenceFilter) -> dict[str, Any]:
        params: dict[str, Any] = {"text": fold(f.name_contains) if f.name_contains else None}
        if kind in (ReferenceKind.INSTITUTION, ReferenceKind.EVENT):
            params["country"] = f.country_code
        if kind is ReferenceKind.EXPERTISE:
            params["topLevel"] = f.top_level
        return params

    async def audit_trail(
        self, *, actor_id: str | None, action: str | None, page: PageRequest
    ) -> Page[audit.AuditEntry]:
        rows = await self._read(
            audit.LIST[page.backward], {"actor": actor_id, "action": action} | self._after(page)
        )
        return finish_page(
            [(audit.entry_from_props(r[0]), (r[1], r[0]["id"])) for r in rows],
            page,
        )

    async def count_audit(self, *, actor_id: str | None, action: str | None) -> int:
        rows = await self._read(audit.COUNT, {"actor": actor_id, "action": action})
        return int(rows[0][0])

    async def list_reference(
        self, *, kind: ReferenceKind, filter: ReferenceFilter, page: PageRequest
    ) -> Page[Country | Institution | Expertise | Event]:
        query = C.LIST_REFERENCE[(kind, page.backward)]
        rows = await self._read(query, self._reference_filter(kind, filter) | self._after(page))
        make = P.REFERENCE_FROM_PROPS[kind]
        return finish_page([(make(r[0]), (r[1], r[0]["id"])) for r in rows], page)

    async def count_reference(self, *, kind: ReferenceKind, filter: ReferenceFilter) -> int:
        rows = await self._read(C.COUNT_REFERENCE[kind], self._reference_filter(kind, filter))
        return int(rows[0][0])

    async def expertise_of(self, person_ids: Sequence[str]) -> list[list[ExpertiseClaim]]:
        return _claims(person_ids, await self._read(C.EXPERTISE_OF, {"ids": list(person_ids)}))

    async def studies_of(self, person_ids: Sequence[str]) -> list[list[Study]]:
        rows = await self._read(C.STUDIES_OF, {"ids": list(person_ids)})
        grouped = group_rows(
            person_ids,
            rows,
            lambda r: Study.trusted(person_id=r[0], institution_id=r[1], year=r[2], degree=r[3]),
        )
        return [sorted(g, key=lambda s: (-(s.year or 0), s.institution_id)) for g in grouped]

    async def broader_of(self, expertise_ids: Sequence[str]) -> list[list[str]]:
        return group_rows(
            expertise_ids,
            await self._read(C.BROADER_OF, {"ids": list(expertise_ids)}),
            lambda r: r[1],
        )

    async def narrower_of(self, expertise_ids: Sequence[str]) -> list[list[str]]:
        return group_rows(
            expertise_ids,
            await self._read(C.NARROWER_OF, {"ids": list(expertise_ids)}),
            lambda r: r[1],
        )

    async def employments_of(self, person_ids: Sequence[str]) -> list[list[Employment]]:
        rows = await self._read(C.EMPLOYMENTS_OF, {"ids": list(person_ids)})
        return _employments(person_ids, rows)

    async def portfolio_of(self, person_ids: Sequence[str]) -> list[list[PortfolioItem]]:
        rows = await self._read(C.PORTFOLIO_OF, {"ids": list(person_ids)})
        grouped = group_rows(person_ids, rows, lambda r: P.portfolio_from_props(r[1], r[0]))
        return [sorted(g, key=lambda p: (-(p.year or 0), p.id)) for g in grouped]

    async def about_of(self, item_ids: Sequence[str]) -> list[list[str]]:
        return group_rows(
            item_ids,
            await self._read(C.ABOUT_OF, {"ids": list(item_ids)}),
            lambda r: r[1],
        )

    async def participations_of(self, person_ids: Sequence[str]) -> list[list[Participation]]:
        rows = await self._read(C.PARTICIPATIONS_OF, {"ids": list(person_ids)})
        return group_rows(
            person_ids, rows, lambda r: Participation(person_id=r[0], event_id=r[1], role=r[2])
        )

    async def participants_of(self, event_ids: Sequence[str]) -> list[list[Participation]]:
        rows = await self._read(C.PARTICIPANTS_OF, {"ids": list(event_ids)})
        return group_rows(
            event_ids, rows, lambda r: Participation(person_id=r[1], event_id=r[0], role=r[2])
        )

    async def organizers_of(self, event_ids: Sequence[str]) -> list[list[str]]:
        return group_rows(
            event_ids,
            await self._read(C.ORGANIZERS_OF, {"ids": list(event_ids)}),
            lambda r: r[1],
        )

    async def _counts(self, query: str, ids: Sequence[str]) -> list[int]:
        counts = {r[0]: int(r[1]) for r in await self._read(query, {"ids": list(ids)})}
        return [counts.get(k, 0) for k in ids]

    async def connection_counts(self, person_ids: Sequence[str]) -> list[int]:
        return await self._counts(C.CONNECTION_COUNTS, person_ids)

    async def member_counts(self, institution_ids: Sequence[str]) -> list[int]:
        return await self._counts(C.MEMBER_COUNTS, institution_ids)

    async def expert_counts(self, expertise_ids: Sequence[str]) -> list[int]:
        return await self._counts(C.EXPERT_COUNTS, expertise_ids)

    async def members_of(
        self, institution_ids: Sequence[str], *, page: PageRequest
    ) -> list[Page[Employment]]:
        rows = await self._read(
            C.MEMBERS_OF[page.backward],
            {"ids": list(institution_ids)} | self._after(page),
        )
        return page_rows(
            institution_ids,
            rows,
            page,
            lambda r: Employment.trusted(
                person_id=r[1], institution_id=r[0], position=r[2], since_year=r[3], until_year=r[4]
            ),
            lambda r: (r[1], r[1]),
        )

    async def experts_in(
        self, expertise_ids: Sequence[str], *, page: PageRequest
    ) -> list[Page[ExpertiseClaim]]:
        rows = await self._read(
            C.EXPERTS_IN[page.backward],
            {"ids": list(expertise_ids)} | self._after(page),
        )
        return page_rows(
            expertise_ids,
            rows,
            page,
            lambda r: ExpertiseClaim.trusted(
                person_id=r[1], expertise_id=r[0], level=r[2], years=r[3]
            ),
            lambda r: (r[2], r[1]),
        )

    async def datasets(self) -> list[str]:
        return [r[0] for r in await self._read(C.DATASETS)]

    # ---- networking reads ----
    async def connection_requests(
        self, person_ids: Sequence[str], *, incoming: bool
    ) -> list[list[ConnectionRequest]]:
        rows = await self._read(
            C.REQUESTS_TO if incoming else C.REQUESTS_FROM,
            {"ids": list(person_ids)},
        )
        return group_rows(
            person_ids,
            rows,
            lambda r: ConnectionRequest(from_id=r[1], to_id=r[2], at=r[3], message=r[4]),
        )

    async def endorsements_of(self, person_ids: Sequence[str]) -> list[list[Endorsement]]:
        rows = await self._read(C.ENDORSEMENTS_OF, {"ids": list(person_ids)})
        return group_rows(
            person_ids,
            rows,
            lambda r: Endorsement(endorser_id=r[1], endorsee_id=r[0], expertise_id=r[2], at=r[3]),
        )

    async def get_mentorships(self, mentorship_ids: Sequence[str]) -> list[Mentorship | None]:
        rows = await self._read(self.dialect.MENTORSHIPS_BY_IDS, {"ids": list(mentorship_ids)})
        return align(mentorship_ids, {r[0]: mentorship_from_row(r) for r in rows})

    async def mentorships_of(
        self, person_ids: Sequence[str], *, as_mentor: bool
    ) -> list[list[Mentorship]]:
        query = C.MENTORSHIPS_AS_MENTOR if as_mentor else C.MENTORSHIPS_AS_MENTEE
        rows = await self._read(query, {"ids": list(person_ids)})
        return group_rows(person_ids, rows, lambda r: mentorship_from_row(r[1:]))

    async def edges_among(
        self, person_ids: Sequence[str], *, rels: frozenset[NetworkRelationship], limit: int
    ) -> list[EgoEdge]:
        edges: list[EgoEdge] = []
        for rel in sorted(rels):
            if self.dialect.HASHES_ID_LISTS:
                rows = await self._read(C.out_among(rel.value), {"ids": list(person_ids)})
                pairs = sorted({(r[0], b) for r in rows for b in r[1]})
            else:
                rows = await self._read(
                    C.neighbour_keys(self.dialect.NODE_KEY, rel.value, "out"),
                    {"ids": list(person_ids)},
                )
                id_of = {r[1]: r[0] for r in rows}
                pairs = sorted({(r[0], id_of[k]) for r in rows for k in r[2] if k in id_of})
            edges += _edges(rel, pairs, limit)
        return edges

    async def ego_network(
        self,
        person_id: str,
        *,
        rels: frozenset[NetworkRelationship],
        hops: int,
        limit: int,
        edge_limit: int,
    ) -> EgoNetworkRead:
        if self.dialect.ego_network is None:
            reached = await self.reachable(
                person_id, rels=rels, direction="both", hops=hops, limit=limit
            )
            ids = [person_id, *[n.person_id for n in reached[: limit - 1]]]
            edges, found = await asyncio.gather(
                self.edges_among(ids, rels=rels, limit=edge_limit), self.get_people(ids)
            )
            people = [p for p in found if p is not None]
        else:
            types = _traversal_types(rels, "both", hops)
            rows = await self._read(
                self.dialect.ego_network(types, hops), {"id": person_id, "limit": limit}, plain=True
            )
            reached_rows, person_rows, out_rows = rows[0] if rows else ([], [], [])
            reached = [EgoNode(r[0], int(r[1])) for r in reached_rows]
            people = [P.person_from_props(m) for m in person_rows]
            edges = []
            for rel in sorted(rels):
                pairs = sorted({(r[1], b) for r in out_rows if r[0] == rel.value for b in r[2]})
                edges += _edges(rel, pairs, edge_limit)
        # Built as read: pydantic would check each of thousands of tuples over again.
        network = EgoNetwork.trusted(
            center_id=person_id,
            nodes=[EgoNode(person_id, 0), *reached[: limit - 1]],
            edges=edges,
            truncated=len(reached) >= limit,
        )
        return EgoNetworkRead(network=network, people=people)

    async def reachable_passing(
        self,
        person_id: str,
        *,
        hops: int,
        filter: NetworkFilter,
        limit: int,
        first: int | None = None,
    ) -> ReachedRead:
        types = _traversal_types(CONNECTIONS, "both", hops)
        active, params = await self._filter_params(filter)
        walk = Walk(types, "both", hops, C.network_filter(active), params)
        if first is None:
            return await self._reached(person_id, walk, limit)
        if self.dialect.reachable is not None:
            # Names alone, then the profiles of the first few (whole nodes cost ~70 µs each).
            query = self.dialect.reachable(types, "both", hops, walk.where, "names")
            rows = await self._read(query, params | {"id": person_id, "limit": limit})
            ranked = sorted(rows, key=lambda r: network_search_key(int(r[1]), r[2], r[3], r[0]))
            top = ranked[: max(first, 0)]
            found = await self.get_people([r[0] for r in top])
            kept = [(r, p) for r, p in zip(top, found, strict=True) if p is not None]
            return ReachedRead(
                nodes=[EgoNode(r[0], int(r[1])) for r, _ in kept], people=[p for _, p in kept]
            )
        read = await self._reached(person_id, walk, limit)
        page = sorted(
            zip(read.nodes, read.people, strict=True),
            key=lambda kept: network_search_key(
                kept[0].distance, kept[1].family_name, kept[1].given_name, kept[0].person_id
            ),
        )[: max(first, 0)]
        return ReachedRead(nodes=[n for n, _ in page], people=[p for _, p in page])

    async def _filter_params(self, filter: NetworkFilter) -> tuple[frozenset[str], dict[str, Any]]:
        """The `NETWORK_FILTERS` names `filter` sets, and their parameters (`$areas`: the area
        and every narrower one)."""
        params: dict[str, Any] = {
            "givenName": filter.given_name,
            "country": filter.country_code,
            "institution": filter.institution_id,
        }
        if filter.expertise_id:
            params["areas"] = await self.area_and_narrower(filter.expertise_id)
        if filter.works_in_country:
            params["worksIn"] = filter.works_in_country
            params["worksBefore"] = (
                filter.works_since_before if filter.works_since_before is not None else 10_000
            )
        params = {k: v for k, v in params.items() if v is not None}
        return frozenset(k for k in params if k != "worksBefore"), params

    async def mentor_candidates(
        self, person_id: str, *, area_ids: Sequence[str], limit: int
    ) -> list[RankedPerson]:
        own = await self._read(C.LEVEL_IN, {"id": person_id, "areas": list(area_ids)})
        min_level = int(own[0][0]) if own and own[0][0] is not None else 0
        rows = await self._read(
            C.MENTOR_CANDIDATES,
            {"id": person_id, "areas": list(area_ids), "minLevel": min_level, "limit": limit},
        )
        return [
            RankedPerson(person_id=r[0], distance=0, level=int(r[1]), endorsements=int(r[2]))
            for r in rows
        ]

    async def area_and_narrower(self, expertise_id: str) -> list[str]:
        rows = await self._read(C.AREA_AND_NARROWER, {"id": expertise_id})
        if not rows:
            raise NotFound(f"unknown expertise area: {expertise_id}")
        return [rows[0][0], *sorted(x for x in rows[0][1] if x)]

    # ---- people lists ----
    async def _person_filter(self, f: PersonFilter) -> dict[str, Any]:
        """Parameters of the filters `f` uses (their names pick the query variant)."""
        params: dict[str, Any] = {
            "country": f.country_code,
            "verified": f.verified,
            "text": search_fold(f.name_contains) if f.name_contains else None,
            "institution": f.institution_id,
        }
        if f.expertise_id:
            try:
                params["areas"] = await self.area_and_narrower(f.expertise_id)
            except NotFound:
                params["areas"] = []
        return {k: v for k, v in params.items() if v is not None}

    async def list_people(
        self,
        *,
        filter: PersonFilter,
        order: PersonOrderField,
        direction: SortDirection,
        page: PageRequest,
    ) -> Page[CivilServant]:
        params = await self._person_filter(filter)
        desc = walk_descending(direction, page)
        query = C.list_people(
            frozenset(params),
            order,
            desc,
            self.dialect.AREAS_FIRST,
            page.after is not None,
            self.dialect.PERSON_PROJECTION,
            self.dialect.TIES_BY_SEEK,
        )
        # Plain where people come as projections, but for the sort key: a `joinedAt` (DateTime).
        rows = await self._read(
            query,
            params | (self._after(page) if page.after else {"limit": page.limit + 1}),
            plain=self.dialect.PLAIN_PEOPLE and order is PersonOrderField.NAME,
        )
        return finish_page([(P.person_from_props(r[0]), (r[1], r[0]["id"])) for r in rows], page)

    async def count_people(self, *, filter: PersonFilter) -> int:
        params = await self._person_filter(filter)
        query = C.count_people(frozenset(params), self.dialect.AREAS_FIRST)
        return int((await self._read(query, params))[0][0])

    async def connections_of(
        self, person_ids: Sequence[str], *, page: PageRequest
    ) -> list[Page[ConnectionEdge]]:
        rows = await self._read(
            C.CONNECTIONS_OF[page.backward],
            {"ids": list(person_ids)} | self._after(page),
        )
        return _connection_pages(person_ids, rows, page)

    async def neighbourhood(self, person_id: str, *, page: PageRequest) -> Neighbourhood:
        statements = self.dialect.NEIGHBOURHOOD
        if statements is None:
            return await self._composed_neighbourhood(person_id, page)
        params = {"id": person_id, "size": page.limit} | self._after(page)
        found = await self._read(statements[page.backward], params, plain=True)
        if not found:
            return _no_neighbourhood(page)
        people, page_rows, degree, jobs, places, claims, areas, countries = found[0]
        edges = [[a, b, P.instant(since)] for a, b, since in page_rows]
        by_id = {n["id"]: P.person_from_props(n) for n in people}
        ids = list(by_id)
        return Neighbourhood(
            person=by_id[person_id],
            connections=_connection_pages([person_id], edges, page)[0],
            connection_count=int(degree),
            people=by_id,
            employments=dict(zip(ids, _employments(ids, jobs), strict=True)),
            expertise=dict(zip(ids, _claims(ids, claims), strict=True)),
            institutions={n["id"]: P.institution_from_props(n) for n in places},
            areas={n["id"]: P.expertise_from_props(n) for n in areas},
            countries={n["id"]: P.country_from_props(n) for n in countries},
        )

    async def _composed_neighbourhood(self, person_id: str, page: PageRequest) -> Neighbourhood:
        """`neighbourhood` from the batched reads, in three rounds (where they cost no trip)."""
        (me,), (edges,), (degree,) = await asyncio.gather(
            self.get_people([person_id]),
            self.connections_of([person_id], page=page),
            self.connection_counts([person_id]),
        )
        if me is None:
            return _no_neighbourhood(page)
        friends = [e.person_id for e in edges.items]
        ids = [person_id, *friends]
        people, jobs, claims = await asyncio.gather(
            self.get_people(friends), self.employments_of(ids), self.expertise_of(ids)
        )
        by_id = {p.id: p for p in [me, *people] if p is not None}
        institutions, areas, countries = await asyncio.gather(
            self.get_institutions(sorted({j.institution_id for js in jobs for j in js})),
            self.get_expertise(sorted({c.expertise_id for cs in claims for c in cs})),
            self.get_countries(sorted({p.country_code for p in by_id.values() if p.country_code})),
        )
        return Neighbourhood(
            person=me,
            connections=edges,
            connection_count=degree,
            people=by_id,
            employments=dict(zip(ids, jobs, strict=True)),
            expertise=dict(zip(ids, claims, strict=True)),
            institutions={i.id: i for i in institutions if i is not None},
            areas={a.id: a for a in areas if a is not None},
            countries={c.id: c for c in countries if c is not None},
        )

    # ---- traversals ----
    async def reachable(
        self,
        person_id: str,
        *,
        rels: frozenset[NetworkRelationship],
        direction: str,
        hops: int,
        limit: int,
    ) -> list[EgoNode]:
        types = _traversal_types(rels, direction, hops)
        if self.dialect.reachable is not None:
            query = self.dialect.reachable(types, direction, hops, "true", "")
            rows = await self._read(query, {"id": person_id, "limit": limit})
            return [EgoNode(r[0], int(r[1])) for r in rows]
        found, _ = await self._walk(person_id, Walk(types, direction, hops), limit)
        return found

    async def reachable_people(
        self,
        person_id: str,
        *,
        rels: frozenset[NetworkRelationship],
        direction: str,
        hops: int,
        limit: int,
    ) -> ReachedRead:
        types = _traversal_types(rels, direction, hops)
        return await self._reached(person_id, Walk(types, direction, hops, "true"), limit)

    async def _reached(self, person_id: str, walk: Walk, limit: int) -> ReachedRead:
        """Of the first `limit` people `reachable` gives, those satisfying `walk.where`, with
        their profiles, read by the walk's own
        statements: one on the embedded store, one per hop on Neo4j (walking, filtering and
        reading the people were separate statements before)."""
        if self.dialect.reachable is not None:
            # One statement: the people reached are filtered where they are (on 1M people, 1,568
            # reached within 2 hops were sent back and looked up again to be filtered).
            query = self.dialect.reachable(
                walk.types, walk.direction, walk.hops, walk.where, "node"
            )
            rows = await self._read(query, walk.params | {"id": person_id, "limit": limit})
            return ReachedRead(
                nodes=[EgoNode(r[0], int(r[1])) for r in rows],
                people=[P.person_from_props(r[2]) for r in rows],
            )
        found, kept = await self._walk(person_id, walk, limit)
        nodes = [n for n in found if n.person_id in kept]
        return ReachedRead(
            nodes=nodes, people=[P.person_from_props(kept[n.person_id]) for n in nodes]
        )

    async def _walk(
        self, person_id: str, walk: Walk, limit: int
    ) -> tuple[list[EgoNode], dict[str, dict[str, Any]]]:
        """`reachable` for dialects without an all-targets search: breadth-first, one statement
        per hop (`Dialect.reachable_step`), with a visited set: exact minimal distances. The
        first `limit` people reached, by distance then id; with `walk.where` (not "") also the
        profiles (`PERSON_PROJECTION` maps, by id) of the people reached who satisfy it."""
        assert self.dialect.reachable_step is not None  # a dialect has one or the other
        step = self.dialect.reachable_step(walk.types, walk.direction, walk.where)
        visited = {person_id}
        frontier = [person_id]
        found: list[EgoNode] = []
        kept: dict[str, dict[str, Any]] = {}
        for distance in range(1, walk.hops + 1):
            if not frontier or len(found) >= limit:
                break  # later layers are all farther than what `limit` already keeps
            rows = await self._read(
                step, walk.params | {"frontier": frontier}, plain=self.dialect.PLAIN_PEOPLE
            )
            frontier = sorted(set(rows[0][0]) - visited)
            visited.update(frontier)
            found += [EgoNode(p, distance) for p in frontier]
            for person in rows[0][1] if walk.where else ():
                kept.setdefault(person["id"], person)
        return found[: max(limit, 0)], kept

    async def shortest_path(
        self, from_id: str, to_id: str, *, rel: NetworkRelationship, directed: bool, max_hops: int
    ) -> list[str] | None:
        if from_id == to_id:
            return [from_id]
        _check_path_hops(max_hops)
        forward = "out" if directed else "both"
        if self.dialect.PATHS_MEET_IN_THE_MIDDLE and max_hops > 2:
            return await self._meet_in_the_middle(from_id, to_id, rel.value, directed, max_hops)
        return await self._path(rel.value, forward, from_id, to_id, max_hops)

    async def path_people(
        self, from_id: str, to_id: str, *, rel: NetworkRelationship, directed: bool, max_hops: int
    ) -> list[CivilServant] | None:
        if from_id == to_id:  # no path from someone who does not exist
            (person,) = await self.get_people([from_id])
            return None if person is None else [person]
        if self.dialect.path_people is not None:
            _check_path_hops(max_hops)
            query = self.dialect.path_people(rel.value, "out" if directed else "both", max_hops)
            rows = await self._read(query, {"from": from_id, "to": to_id}, plain=True)
            return [P.person_from_props(m) for m in rows[0][0]] if rows else None
        ids = await self.shortest_path(
            from_id, to_id, rel=rel, directed=directed, max_hops=max_hops
        )
        if ids is None:
            return None
        people = await self.get_people(ids)
        if any(p is None for p in people):  # removed between the two reads
            raise StoreUnavailable("the network changed while the path was being read; retry")
        return [p for p in people if p is not None]

    async def _path(
        self, rel: str, direction: str, from_id: str, to_id: str, hops: int
    ) -> list[str] | None:
        """One shortest path of at most `hops` by the dialect's statement, as ids; None if none."""
        if from_id == to_id:
            return [from_id]
        query = self.dialect.shortest_path(rel, direction, hops)
        rows = await self._read(query, {"from": from_id, "to": to_id})
        return list(rows[0][0]) if rows else None

    async def _ball(self, person_id: str, rel: str, direction: str, hops: int) -> dict[str, int]:
        """Everyone within `hops` of `person_id` (itself included) → distance in hops."""
        assert self.dialect.reachable is not None  # dialects that meet in the middle have it
        query = self.dialect.reachable(frozenset({rel}), direction, hops, "true", "")
        rows = await self._read(query, {"id": person_id, "limit": BALL_LIMIT})
        return {person_id: 0} | {r[0]: int(r[1]) for r in rows}

    async def _trace(
        self, ball: dict[str, int], person: str, rel: str, direction: str
    ) -> list[str]:
        """A shortest path from the centre of `ball` (`_ball`, distances ≤ 2) to `person` in it,
        as ids, centre first; at distance 2 through the lowest id one step from both. `direction`
        is the one the ball was grown in ("out": the path runs centre → person)."""
        centre = next(p for p, d in ball.items() if d == 0)
        distance = ball[person]
        if distance == 0:
            return [centre]
        if distance == 1:
            return [centre, person]
        near = sorted(p for p, d in ball.items() if d == 1)
        query = C.steps_to(self.dialect.NODE_KEY, rel, direction)
        rows = await self._read(query, {"ids": near, "node": person})
        if not rows:  # a relationship removed between the two reads (no transaction spans them)
            raise StoreUnavailable("the network changed while the path was being found; retry")
        return [centre, min(r[0] for r in rows), person]

    async def _meet_in_the_middle(
        self, from_id: str, to_id: str, rel: str, directed: bool, max_hops: int
    ) -> list[str] | None:
        """`shortest_path` for `max_hops` ≥ 3 as a bidirectional search, for stores whose own
        point-to-point search starts from one end (`Dialect.PATHS_MEET_IN_THE_MIDDLE`).

        Everyone one hop from each end (`cypher.near_ends`, one statement): the ends side by
        side or with someone next to both give a path of up to 2 hops. Then the end
        with fewer people one hop away is grown to 2 hops, so a hub next to the other end costs
        nothing when the path is 3 hops long (on 1M people, the benchmark's member has 1,568
        people within 2 hops, the newest member 874: the path took 12.9 ms with both grown,
        8.4 ms of it on the member's side). Then the other end is grown too: someone in both
        balls gives a path of up to 4 hops; else, for 5 hops, a relationship from one ball's
        outer layer to the other's (`neighbour_keys` on the smaller layer); else, for 6, the
        store's one-sided search. A ball without an outer layer holds its end's whole
        component, so no path is then known to exist. The path returned is one shortest path,
        chosen by the ids of the people where the two halves meet (lowest first; at 3 hops,
        the lowest of those one hop from the end not grown); each half is retraced inside its
        ball (`_trace`, one small read at distance 2), not searched for again (40 ms a half on
        1M people).
        """
        forward, backward = ("out", "in") if directed else ("both", "both")
        rows = await self._read(C.near_ends(rel, forward, backward), {"from": from_id, "to": to_id})
        if not rows:
            return None  # no path from or to someone who does not exist
        ball_a = {from_id: 0} | {p: 1 for p in rows[0][0] if p != from_id}
        ball_b = {to_id: 0} | {p: 1 for p in rows[0][1] if p != to_id}
        if to_id in ball_a:
            return [from_id, to_id]
        if len(ball_a) == 1 or len(ball_b) == 1:
            return None  # an end without neighbours (that way): nothing beyond it
        found = await self._meet(ball_a, ball_b, rel, forward, backward)  # up to 2 hops
        first_a = len(ball_a) <= len(ball_b)
        for grow_a in (first_a, not first_a):
            if found is not None:
                return found
            if grow_a:
                ball_a = await self._ball(from_id, rel, forward, 2)
            else:
                ball_b = await self._ball(to_id, rel, backward, 2)
            found = await self._meet(ball_a, ball_b, rel, forward, backward)  # 3, then 4 hops
            if max_hops < 4:  # growing the other end would only find paths of 4 hops
                return found
        if found is not None:
            return found
        outer_a = sorted(p for p, d in ball_a.items() if d == 2)
        outer_b = sorted(p for p, d in ball_b.items() if d == 2)
        if not outer_a or not outer_b or max_hops < 5:
            return None  # a ball without an outer layer holds its end's whole component
        # 5 hops: a relationship from one outer layer to the other, found from the smaller one.
        expand_a = len(outer_a) <= len(outer_b)
        near, far = (outer_a, outer_b) if expand_a else (outer_b, outer_a)
        key_rows = await self._read(C.keys_of(self.dialect.NODE_KEY), {"ids": far})
        far_by_key = {r[1]: r[0] for r in key_rows}
        rows = await self._read(
            C.neighbour_keys(self.dialect.NODE_KEY, rel, forward if expand_a else backward),
            {"ids": near},
        )
        bridges = sorted((r[0], far_by_key[k]) for r in rows for k in r[2] if k in far_by_key)
        if bridges:
            x, y = bridges[0] if expand_a else bridges[0][::-1]
            first = await self._trace(ball_a, x, rel, forward)
            second = await self._trace(ball_b, y, rel, backward)
            return first + second[::-1]
        if max_hops < 6:
            return None
        return await self._path(rel, forward, from_id, to_id, max_hops)

    async def _meet(
        self,
        ball_a: dict[str, int],
        ball_b: dict[str, int],
        rel: str,
        forward: str,
        backward: str,
    ) -> list[str] | None:
        """The shortest path through someone in both balls (`_ball`s of the two ends, grown
        `forward` and `backward`), through the lowest id among those on such paths, as ids
        from the first ball's centre; None when the balls share nobody."""
        meets = [(ball_a[m] + d, m) for m, d in ball_b.items() if m in ball_a]
        if not meets:
            return None
        _, middle = min(meets)
        first = await self._trace(ball_a, middle, rel, forward)
        second = await self._trace(ball_b, middle, rel, backward)
        return first + second[::-1][1:]

    async def second_degree(
        self,
        person_id: str,
        *,
        limit: int,
        weights: ConnectionWeights = ConnectionWeights(),  # noqa: B008 (frozen)
        best: int | None = None,
    ) -> list[RankedPerson]:
        if self.dialect.SECOND_DEGREE_WITH_TIES is not None:
            params = {"id": person_id, "limit": limit, "weights": weights.params(), "best": best}
            found = await self._read(self.dialect.SECOND_DEGREE_WITH_TIES, params, plain=True)
            if not found:
                raise NotFound("unknown civil servant")
            # Built without validation (store ids and lists): 500 validated candidates cost 5 ms.
            return [
                RankedPerson.trusted(
                    person_id=r[0],
                    distance=2,
                    cross_border=r[1],
                    mutual_ids=sorted(r[2]),
                    shared_expertise_ids=sorted(r[3]),
                    shared_institution_ids=sorted(r[4]),
                    shared_event_ids=sorted(r[5]),
                    score=r[6],
                )
                for r in found[0][0]
            ]
        me = await self._read(C.OWN_TIES, {"id": person_id})
        if not me:
            raise NotFound("unknown civil servant")
        my_country, *own = me[0]
        assert self.dialect.SECOND_DEGREE is not None  # a dialect has one or the other
        rows = await self._read(self.dialect.SECOND_DEGREE, {"id": person_id, "limit": limit})
        ids = [r[0] for r in rows]
        shared: dict[str, dict[str, list[str]]] = {}
        for (name, query), mine in zip(C.SHARED.items(), own, strict=True):
            found = (
                await self._read(query, {"ids": ids, "mine": list(mine)}) if mine and ids else []
            )
            shared[name] = {r[0]: sorted(r[1]) for r in found}
        ranked = []
        for r in rows:
            reasons = {name: shared[name].get(r[0], []) for name in C.SHARED}
            cross = bool(my_country and r[1] and r[1] != my_country)
            score = weights.score(
                len(r[2]),
                len(reasons["shared_expertise_ids"]),
                len(reasons["shared_institution_ids"]),
                len(reasons["shared_event_ids"]),
                cross,
            )
            ranked.append(
                RankedPerson.trusted(
                    person_id=r[0],
                    distance=2,
                    mutual_ids=sorted(r[2]),
                    cross_border=cross,
                    score=score,
                    **reasons,
                )
            )
        ranked.sort(key=lambda c: -c.score)
        if best is not None and len(ranked) >= best:
            least = ranked[best - 1].score
            return [c for c in ranked if c.score >= least]
        return ranked


def _claims(person_ids: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[list[ExpertiseClaim]]:
    """`EXPERTISE_OF` rows as each person's claims, aligned to `person_ids`.

    These relationship records (claims, employments, studies) are built without validation
    (`Frozen.trusted`), as people are: each was validated on its way into the store."""
    return group_rows(
        person_ids,
        rows,
        lambda r: ExpertiseClaim.trusted(person_id=r[0], expertise_id=r[1], level=r[2], years=r[3]),
    )


def _employments(
    person_ids: Sequence[str], rows: Sequence[Sequence[Any]]
) -> list[list[Employment]]:
    """`EMPLOYMENTS_OF` rows as each person's employments, current and newest first."""
    grouped = group_rows(
        person_ids,
        rows,
        lambda r: Employment.trusted(
            person_id=r[0], institution_id=r[1], position=r[2], since_year=r[3], until_year=r[4]
        ),
    )
    return [sorted(g, key=employment_order) for g in grouped]


def _connection_pages(
    person_ids: Sequence[str], rows: Sequence[Sequence[Any]], page: PageRequest
) -> list[Page[ConnectionEdge]]:
    """`CONNECTIONS_OF` rows `(person, other, since)` as one page per person."""
    return page_rows(
        person_ids,
        rows,
        page,
        lambda r: ConnectionEdge(person_id=r[1], since=r[2]),
        lambda r: (r[2], r[1]),
    )


def _traversal_types(
    rels: frozenset[NetworkRelationship], direction: str, hops: int
) -> frozenset[str]:
    """The relationship types of a traversal (`cypher.RELATIONSHIP_TYPES` names), its arguments
    checked. Raises InvalidInput: `hops` outside 1..`MAX_TRAVERSAL_HOPS`, no `rels`, or a
    `direction` not in `cypher.ARROWS`."""
    if not 1 <= hops <= C.MAX_TRAVERSAL_HOPS:
        raise InvalidInput(f"hops must be 1..{C.MAX_TRAVERSAL_HOPS}")
    if not rels:
        raise InvalidInput("choose at least one relationship kind")
    if direction not in C.ARROWS:
        raise InvalidInput(f"direction must be one of {', '.join(C.ARROWS)}")
    return frozenset(r.value for r in rels)


def _check_path_hops(max_hops: int) -> None:
    """Raises InvalidInput unless a path's `max_hops` is 1..`MAX_TRAVERSAL_HOPS`."""
    if not 1 <= max_hops <= C.MAX_TRAVERSAL_HOPS:
        raise InvalidInput(f"max_hops must be 1..{C.MAX_TRAVERSAL_HOPS}")


def _edges(rel: NetworkRelationship, pairs: Sequence[tuple[str, str]], limit: int) -> list[EgoEdge]:
    """The first `limit` of sorted `(source, target)` id pairs as `rel` edges."""
    return [EgoEdge(a, b, rel) for a, b in pairs[: max(limit, 0)]]


def _no_neighbourhood(page: PageRequest) -> Neighbourhood:
    return Neighbourhood(
        person=None,
        connections=finish_page([], page),
        connection_count=0,
        people={},
        employments={},
        expertise={},
        institutions={},
        areas={},
        countries={},
    )

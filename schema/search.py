"""GraphQL `search`: ranked hits (people and institutions) with facet counts."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from graph_db import records
from resolvers import search as use_case
from resolvers.pagination import PageArgs
from resolvers.search import SearchListing
from resolvers.validation import FILTER_NAMES, validated
from schema.civil_servant import CivilServant
from schema.country import Country
from schema.expertise import Expertise
from schema.ids import decode_id
from schema.info import Info
from schema.institution import Institution
from schema.pagination import Connection, page_info

SearchKind = records.SearchKind
strawberry.enum(SearchKind, description="What a search hit is.")

SearchResult = Annotated[
    CivilServant | Institution,
    strawberry.union("SearchResult", description="A search hit: a person or an institution."),
]


@strawberry.input(description="Filters on search hits; all given must hold.")
class SearchFilter:
    kinds: list[SearchKind] | None = strawberry.field(
        default=None, description="Only hits of these kinds (default: both)."
    )
    country: str | None = strawberry.field(
        default=None, description="ISO country code of the person or institution."
    )
    expertise: relay.GlobalID | None = strawberry.field(
        default=None,
        description="People who hold this area themselves, as the expertise facet counts them.",
    )


def search_filter(f: SearchFilter | None) -> records.SearchFilter:
    """GraphQL filter → domain filter (global id decoded, country code validated)."""
    if f is None:
        return records.SearchFilter()
    return validated(
        records.SearchFilter,
        {
            "kinds": frozenset(f.kinds) if f.kinds else None,
            "country_code": f.country,
            "expertise_id": decode_id(f.expertise, "Expertise") if f.expertise else None,
        },
        names=FILTER_NAMES,
    )


@strawberry.type(description="A search hit with its cursor and relevance.")
class SearchEdge:
    cursor: str = strawberry.field(description="Opaque keyset cursor of this edge.")
    score: float = strawberry.field(
        description="Relevance, higher first; comparable within one result list only."
    )
    node: SearchResult


@strawberry.type(description="How many hits are from one country.")
class CountryFacet:
    code: str = strawberry.field(description="ISO country code.")
    count: int = strawberry.field(description="Hits from this country.")

    @strawberry.field(description="The country; null if the reference data lacks the code.")
    async def country(self, info: Info) -> Country | None:
        return await Country.load(info, self.code)


@strawberry.type(description="How many people among the hits hold one expertise area.")
class ExpertiseFacet:
    slug: str = strawberry.field(description="The area's slug id.")
    count: int = strawberry.field(description="People among the hits who hold the area.")

    @strawberry.field(description="The area; null if it was removed since.")
    async def expertise(self, info: Info) -> Expertise | None:
        return await Expertise.load(info, self.slug)


@strawberry.type(description="Counts over every hit of the query and filter, not only one page.")
class SearchFacets:
    countries: list[CountryFacet] = strawberry.field(
        description="Hits per country, most first (at most 50 countries)."
    )
    expertise: list[ExpertiseFacet] = strawberry.field(
        description="People among the hits per expertise area they hold, most first (at most 50)."
    )


@strawberry.type(description="A page of search hits, most relevant first, with facet counts.")
class SearchConnection(Connection[SearchEdge]):
    found: strawberry.Private[SearchListing]

    @strawberry.field(
        description="Hits per country and per expertise area (one store read, shared with "
        "totalCount; only when selected)."
    )
    async def facets(self) -> SearchFacets:
        found = await self.found.facets()
        return SearchFacets(
            countries=[CountryFacet(code=c.value, count=c.count) for c in found.countries],
            expertise=[ExpertiseFacet(slug=e.value, count=e.count) for e in found.expertise],
        )


def _node(hit: records.SearchHit) -> CivilServant | Institution:
    if hit.person is not None:
        return CivilServant.from_domain(hit.person)
    assert hit.institution is not None
    return Institution.from_domain(hit.institution)


@strawberry.type
class SearchQuery:
    @strawberry.field(
        description="People (names, position, bio, expertise areas held) and institutions (name, "
        "acronym) holding every word of `query`, ignoring case and accents, most relevant first "
        "(ties by id). Verified members only. `query`: 1–200 characters, 1–12 words."
    )
    async def search(
        self,
        info: Info,
        query: str,
        filter: SearchFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> SearchConnection | None:
        found = await use_case.search(
            info.context, text=query, filter=search_filter(filter), args=PageArgs(first, after)
        )
        page = found.listing
        edges = [
            SearchEdge(cursor=c, score=h.score, node=_node(h))
            for h, c in zip(page.page.items, page.cursors, strict=True)
        ]
        return SearchConnection(
            edges=edges, page_info=page_info(page), count=page.count, found=found
        )

"""Ranked search over people and institutions (`graph_db.core.search`)."""

from __future__ import annotations

from typing import Protocol

from graph_db.paging import Page, PageRequest
from graph_db.records import SearchFacets, SearchFilter, SearchHit, SearchQuery, SearchViewer


class SearchStore(Protocol):
    """Ranked search reads; every write that changes a document keeps the index in step."""

    async def search(
        self,
        *,
        query: SearchQuery,
        filter: SearchFilter,
        viewer: SearchViewer,
        page: PageRequest,
    ) -> Page[SearchHit]:
        """A page of the people and institutions holding every word of `query`, by score
        descending, then id (keys `(score, id)`; forward pages only). A NETWORK profile outside
        the viewer's network matches only on its names. One store round trip."""
        ...

    async def search_facets(
        self, *, query: SearchQuery, filter: SearchFilter, viewer: SearchViewer
    ) -> SearchFacets:
        """The number of hits of `search` in all, by country and by expertise area held. One
        store round trip."""
        ...

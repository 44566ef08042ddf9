"""Expertise exchange: requests for expertise, offers of help, the collaborations they start, the
facts matching ranks with, and activity counts for analytics (`graph_db.core.exchange`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol

from graph_db.audit import Change
from graph_db.paging import Page, PageRequest
from graph_db.records import PortfolioItem
from graph_db.records.exchange import (
    Collaboration,
    ExchangeCount,
    ExpertCandidate,
    ExpertiseRequest,
    ExpertiseRequestFilter,
    MatchingRequest,
    Offer,
    RequestClosure,
)


class ExchangeStore(Protocol):
    """Reads and writes of expertise requests, offers and collaborations.

    Visibility: a NETWORK request is visible to its author, the author's connections and admins;
    an EVERYONE request to every caller the API lets through. Lists leave out what the viewer may
    not see.
    """

    async def get_expertise_requests(self, ids: Sequence[str]) -> list[ExpertiseRequest | None]:
        """Requests by id, aligned to `ids` (None where unknown); no visibility check."""
        ...

    async def offers_on(self, request_ids: Sequence[str]) -> list[list[Offer]]:
        """Offers on each request, oldest first (then helper id), aligned to `request_ids`."""
        ...

    async def collaborations_on(self, request_ids: Sequence[str]) -> list[list[Collaboration]]:
        """Collaborations on each request, by `since` then helper id, aligned to `request_ids`."""
        ...

    async def list_expertise_requests(
        self,
        *,
        filter: ExpertiseRequestFilter,
        viewer_id: str | None,
        admin: bool,
        page: PageRequest,
    ) -> Page[ExpertiseRequest]:
        """One keyset page of the requests `viewer_id` may see (all of them for `admin`) that pass
        `filter`, newest first (keys `(created_at, id)`, both descending).

        Raises:
            InvalidInput: a backward page (these lists page forward only).
        """
        ...

    async def count_expertise_requests(
        self, *, filter: ExpertiseRequestFilter, viewer_id: str | None, admin: bool
    ) -> int:
        """How many requests `list_expertise_requests` walks with the same arguments."""
        ...

    async def broader_areas(self, expertise_ids: Sequence[str]) -> list[str]:
        """Every broader area (up to 10 levels up) of `expertise_ids`, sorted, without them."""
        ...

    async def expert_candidates(
        self, *, area_ids: Sequence[str], exclude: Sequence[str], limit: int
    ) -> list[ExpertCandidate]:
        """Verified holders of any of `area_ids`, except `exclude`: their highest level there and
        the endorsements they received there; by level, then endorsements (descending), then id,
        at most `limit`."""
        ...

    async def fulfilled_collaboration_counts(self, person_ids: Sequence[str]) -> list[int]:
        """Per person, how many collaborations they had on requests closed as FULFILLED."""
        ...

    async def requests_for_expert(
        self, person_id: str, *, area_ids: Sequence[str], today: date, limit: int
    ) -> list[MatchingRequest]:
        """Requests still taking offers that need any of `area_ids`: not the person's own, not
        offered on by them, visible to them, with no deadline before `today`; the newest `limit`,
        newest first, with the areas matched and the author's country."""
        ...

    async def exchange_activity(self, *, start: datetime, end: datetime) -> list[ExchangeCount]:
        """Grouped counts of `[start, end)`: requests posted and fulfilled per author country, and
        collaborations started per (requester country, helper country)."""
        ...

    async def post_expertise_request(
        self, request: ExpertiseRequest, *, change: Change
    ) -> ExpertiseRequest:
        """Create `request` (POSTED by its author, NEEDS each area).

        Raises:
            NotFound: unknown author, area, institution or country; nothing is written.
        """
        ...

    async def offer_help(self, offer: Offer, *, change: Change) -> Offer:
        """Record a PENDING offer and tell the request's author (OFFER_RECEIVED).

        Raises:
            NotFound: unknown helper or request. Conflict: the helper is the author, the request
            is closed, or the helper already offered; nothing is written.
        """
        ...

    async def accept_offer(
        self, request_id: str, helper_id: str, *, at: datetime, change: Change
    ) -> Collaboration:
        """Accept the helper's offer: the offer becomes ACCEPTED, a `COLLABORATES_ON {since: at}`
        starts, an OPEN request becomes IN_PROGRESS, and the helper is told (OFFER_ACCEPTED).

        Raises:
            NotFound: no such request, or no offer from the helper. Conflict: the request is
            closed or the offer already accepted.
        """
        ...

    async def close_expertise_request(
        self,
        request_id: str,
        *,
        closure: RequestClosure,
        outcome: str | None,
        portfolio_item: PortfolioItem | None,
        at: datetime,
        change: Change,
    ) -> ExpertiseRequest:
        """Close a request at `at`: every collaboration ends (`until`, `outcome`); a FULFILLED one
        may record a portfolio item, AUTHORED by the author and every helper, ABOUT its areas.

        Raises:
            NotFound: no such request. Conflict: already closed, an id taken, or FULFILLED
            without an accepted offer. InvalidInput: an outcome or item for a WITHDRAWN request.
        """
        ...

"""Sharing and exchanging expertise: requests for expertise, offers of help, and the
collaborations they start (issue #16).

Stored as `(:CivilServant)-[:POSTED]->(:ExpertiseRequest)-[:NEEDS]->(:Expertise)`,
`(:CivilServant)-[:OFFERED {message, at, status}]->(:ExpertiseRequest)` and, once an offer is
accepted, `(:CivilServant)-[:COLLABORATES_ON {since, until, outcome}]->(:ExpertiseRequest)`.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints, field_validator

from graph_db.records.base import Frozen, as_utc
from graph_db.records.fields import MULTI_LINE, CountryCode, Name

MAX_REQUEST_AREAS = 10
"""Expertise areas one request may name."""
MAX_OUTCOME_CHARS = 2000

RequestText = Annotated[str, StringConstraints(max_length=5000), MULTI_LINE]
"""A request's description."""
OfferMessage = Annotated[str, StringConstraints(max_length=2000), MULTI_LINE]
"""An offer's message."""
OutcomeText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_OUTCOME_CHARS),
    MULTI_LINE,
]  # fmt: skip
"""The short text that says what a collaboration achieved."""


class ExpertiseRequestKind(StrEnum):
    """What kind of help a request asks for."""

    ADVICE = "ADVICE"
    REVIEW = "REVIEW"
    CO_AUTHORING = "CO_AUTHORING"
    SHORT_ASSIGNMENT = "SHORT_ASSIGNMENT"
    SPEAKING = "SPEAKING"


class RequestVisibility(StrEnum):
    """Who sees a request: every verified member, or only the author's connections."""

    EVERYONE = "EVERYONE"
    NETWORK = "NETWORK"


class ExpertiseRequestStatus(StrEnum):
    """Lifecycle: OPEN → IN_PROGRESS (an offer accepted) → CLOSED; OPEN → CLOSED (withdrawn)."""

    OPEN = "OPEN"
    IN_PROGRESS = "IN_PROGRESS"
    CLOSED = "CLOSED"


ACTIVE_REQUEST = (ExpertiseRequestStatus.OPEN, ExpertiseRequestStatus.IN_PROGRESS)
"""Statuses in which a request still takes offers."""


class RequestClosure(StrEnum):
    """Why a request was closed."""

    FULFILLED = "FULFILLED"
    WITHDRAWN = "WITHDRAWN"


class OfferStatus(StrEnum):
    """An offer waits for the author (PENDING) until accepted (ACCEPTED)."""

    PENDING = "PENDING"
    ACCEPTED = "ACCEPTED"


class ExpertiseRequest(Frozen):
    """A request for expertise posted by a member.

    Attributes:
        id: ULID.
        author_id: who posted it.
        title: one line.
        description: free text (up to 5,000 characters).
        area_ids: the expertise areas it needs (1..`MAX_REQUEST_AREAS`, sorted).
        kind: the help asked for.
        visibility: EVERYONE or the author's NETWORK (their connections).
        country_code: the country it is for (the institution's, else the author's, by default).
        institution_id: the institution it is for, if any.
        deadline: the last day help is useful, if any (never in the past when posted).
        status: OPEN, IN_PROGRESS or CLOSED.
        closure: FULFILLED or WITHDRAWN once CLOSED.
        outcome: what it achieved (fulfilled requests).
        portfolio_item_id: the portfolio item co-authored by author and helpers, if one was made.
        created_at / closed_at: aware UTC.
    """

    id: str
    author_id: str
    title: Name
    description: RequestText | None = None
    area_ids: tuple[str, ...] = Field(min_length=1, max_length=MAX_REQUEST_AREAS)
    kind: ExpertiseRequestKind
    visibility: RequestVisibility = RequestVisibility.EVERYONE
    country_code: CountryCode | None = None
    institution_id: str | None = None
    deadline: date | None = None
    status: ExpertiseRequestStatus = ExpertiseRequestStatus.OPEN
    closure: RequestClosure | None = None
    outcome: OutcomeText | None = None
    portfolio_item_id: str | None = None
    created_at: datetime
    closed_at: datetime | None = None

    @field_validator("created_at", "closed_at")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return as_utc(value) if value else None

    @field_validator("area_ids")
    @classmethod
    def _sorted(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(sorted(set(value)))


class Offer(Frozen):
    """`(helper)-[:OFFERED {message, at, status}]->(request)`: once per helper and request."""

    request_id: str
    helper_id: str
    message: OfferMessage | None = None
    at: datetime
    status: OfferStatus = OfferStatus.PENDING

    @field_validator("at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return as_utc(value)


class Collaboration(Frozen):
    """`(helper)-[:COLLABORATES_ON {since, until, outcome}]->(request)`, made by accepting an offer;
    `until` and `outcome` are set when the request closes."""

    request_id: str
    helper_id: str
    since: datetime
    until: datetime | None = None
    outcome: str | None = None

    @field_validator("since", "until")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return as_utc(value) if value else None


class ExpertiseRequestFilter(Frozen):
    """Filters of `list_expertise_requests`; every one optional.

    Attributes:
        area_ids: requests needing any of these areas (the caller expands an area to its
            narrower ones).
        country_code: requests for this country.
        kind: requests of this kind.
        author_id: requests posted by this person.
        statuses: requests in these statuses (default: those still taking offers).
    """

    area_ids: tuple[str, ...] | None = None
    country_code: CountryCode | None = None
    kind: ExpertiseRequestKind | None = None
    author_id: str | None = None
    statuses: tuple[ExpertiseRequestStatus, ...] = ACTIVE_REQUEST


class ExpertCandidate(Frozen):
    """A person holding a request's areas (or narrower ones), with the facts ranking uses.

    Attributes:
        person_id: the candidate.
        level: their highest level in those areas (1-5).
        endorsements: endorsements they received in those areas.
    """

    person_id: str
    level: int
    endorsements: int


class MatchingRequest(Frozen):
    """An open request that fits a member's expertise (`requests_for_expert`).

    Attributes:
        request: the request.
        author_country: the author's country code (None if unknown).
        matched_area_ids: the request's areas the member holds or holds a narrower area of.
    """

    request: ExpertiseRequest
    author_country: str | None = None
    matched_area_ids: tuple[str, ...] = ()


class ExchangeCount(Frozen):
    """One grouped count of exchange activity in a period (analytics).

    Attributes:
        measure: `posted` (requests created, by author country), `fulfilled` (requests closed as
            fulfilled, by author country) or `collaborations` (collaborations started, by
            requester and helper country).
        country: the (requester's) country code, None if unknown.
        other_country: the helper's country for `collaborations`; None otherwise.
        count: how many.
    """

    measure: str
    country: str | None = None
    other_country: str | None = None
    count: int

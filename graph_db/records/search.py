"""Ranked search over people and institutions: the query, its filter, hits and facet counts."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints, field_validator

from graph_db.records.base import Frozen
from graph_db.records.fields import CountryCode
from graph_db.records.people import CivilServant
from graph_db.records.reference import Institution
from graph_db.records.text import search_fold, search_tokens

MAX_QUERY_CHARS = 200
"""Longest search query, in characters (a page of a few sentences is not a search)."""
MAX_QUERY_WORDS = 12
"""Most words in a search query (each is a required clause on both stores)."""


class SearchKind(StrEnum):
    """What a search hit is."""

    CIVIL_SERVANT = "CIVIL_SERVANT"
    INSTITUTION = "INSTITUTION"


class SearchQuery(Frozen):
    """What the user typed. Every word must match (AND), ignoring case and accents.

    Attributes:
        text: 1–`MAX_QUERY_CHARS` characters with at least one word (`search_tokens`) and at most
            `MAX_QUERY_WORDS` of them; invalid → `ValidationError` (the API's BAD_USER_INPUT).
    """

    text: Annotated[str, StringConstraints(max_length=MAX_QUERY_CHARS)]

    @field_validator("text")
    @classmethod
    def _has_words(cls, text: str) -> str:
        words = search_tokens(text)
        if not words:
            raise ValueError("type at least one word (letters or digits)")
        if len(words) > MAX_QUERY_WORDS:
            raise ValueError(f"at most {MAX_QUERY_WORDS} words")
        return text

    @property
    def tokens(self) -> list[str]:
        """The distinct folded words, in the order typed (`search_tokens`)."""
        return list(dict.fromkeys(search_tokens(self.text)))

    @property
    def pieces(self) -> list[str]:
        """The whitespace-separated pieces of the folded text (`search_fold`: lower case, so no
        piece is a Lucene operator such as `OR`), without pieces that hold no word; what a Lucene
        analyzer is given, each escaped."""
        return list(dict.fromkeys(p for p in search_fold(self.text).split() if search_tokens(p)))


class SearchFilter(Frozen):
    """Filters on search hits; all given must hold.

    Attributes:
        kinds: only hits of these kinds (None: both).
        country_code: the person's or institution's country.
        expertise_id: people who hold this area themselves (as the expertise facet counts them;
            institutions never do).
    """

    kinds: frozenset[SearchKind] | None = None
    country_code: CountryCode | None = None
    expertise_id: str | None = None


class SearchViewer(Frozen):
    """Whose search it is, for the profile-visibility rule (README, "Access policy").

    Attributes:
        person_id: the caller's civil-servant id (None for an admin without a profile).
        sees_all: admins see every profile whole.
    """

    person_id: str | None = None
    sees_all: bool = False


class SearchHit(Frozen):
    """One ranked hit: a person or an institution and its relevance score (higher is better)."""

    score: float
    person: CivilServant | None = None
    institution: Institution | None = None

    @property
    def id(self) -> str:
        """The hit's node id."""
        node = self.person or self.institution
        assert node is not None
        return node.id


class FacetCount(Frozen):
    """How many hits have one facet value (a country code or an expertise-area id)."""

    value: str
    count: int = Field(ge=0)


class SearchFacets(Frozen):
    """Counts over every hit of a query and filter, not only one page.

    Attributes:
        total: hits in all.
        countries: hits per country code, most first, then by code (hits without a country are
            not counted here).
        expertise: people among the hits per expertise area they hold, most first, then by id.
    """

    total: int
    countries: list[FacetCount]
    expertise: list[FacetCount]

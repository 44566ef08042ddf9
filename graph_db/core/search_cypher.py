"""The ranked search's openCypher that both stores parse alike (how hits are found differs:
each dialect's `SEARCH_HITS` / `SEARCH_MATCHES`; see `graph_db.core.search`).

A dialect's hits part ends with `n` (a CivilServant or Institution node) and `score` bound (the
unscored form with `n` only); everything after it (filters, the profile-visibility rule, the
keyset, the page and the facet counts) is here, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Final, LiteralString

from graph_db.core.cypher import per_key
from graph_db.keyset import keyset_fragments
from graph_db.records import SearchKind

SEARCH_LABELS: Final = ("CivilServant", "Institution")
"""The labels of search documents."""
LABEL_OF_KIND: Final = {
    SearchKind.CIVIL_SERVANT: "CivilServant",
    SearchKind.INSTITUTION: "Institution",
}

SEARCH_DOCUMENTS: Final[dict[str, str]] = {
    "CivilServant": per_key(
        "(n:CivilServant {id: key})",
        "(n)-[:HAS_EXPERTISE]->(e:Expertise)",
        "RETURN n.id, n.displayName, n.givenName, n.familyName, n.position, n.bio, collect(e.name)",
    ).replace(" WITH * WHERE e IS NOT NULL", ""),
    "Institution": "UNWIND $ids AS key MATCH (n:Institution {id: key}) RETURN n.id, n.name, n.acronym",
}
"""The indexed fields of each document by `$ids` (people with the names of the areas they hold;
a person without areas has an empty list). Ids that name nothing give no row."""
ALL_DOCUMENT_IDS: Final[dict[str, str]] = {
    label: f"MATCH (n:{label}) RETURN n.id ORDER BY n.id" for label in SEARCH_DOCUMENTS
}
HOLDERS_OF: Final = (
    "UNWIND $ids AS key MATCH (e:Expertise {id: key}) OPTIONAL MATCH (e)<-[:HAS_EXPERTISE]-(p:CivilServant)"
    " WITH p WHERE p IS NOT NULL RETURN DISTINCT p.id"
)
"""The people who hold any of the areas `$ids` (their documents hold the areas' names)."""
EXPERTISE_NAMES: Final = "UNWIND $ids AS key MATCH (e:Expertise {id: key}) RETURN e.id, e.name"

SEARCH_FILTERS: Final[dict[str, str]] = {
    "kinds": "{label} IN $kinds",
    "country": "n.countryCode = $country",
    "expertise": "EXISTS { MATCH (n)-[:HAS_EXPERTISE]->(x:Expertise) WHERE x.id = $expertise }",
}
"""One fragment per filter of `SearchFilter`; a statement holds only those a request uses."""

VISIBLE: Final = (
    "(coalesce(n.profileVisibility, 'PUBLIC') <> 'NETWORK' OR $seesAll OR n.id = $viewer"
    " OR all(w IN $words WHERE n.searchText CONTAINS w)"
    " OR EXISTS { MATCH (n)-[:CONNECTED_TO]-(v:CivilServant) WHERE v.id = $viewer })"
)
"""The profile-visibility rule (README, "Access policy"): a NETWORK profile shows only its names to
members outside its network, so for them it matches only when every word is in its names (the
folded `searchText`, as the `nameContains` filter compares); institutions have no visibility."""

FACETS_TAIL: Final = (
    " WITH n OPTIONAL MATCH (n)-[:HAS_EXPERTISE]->(e:Expertise)"
    " WITH n.id AS id, n.countryCode AS country, e.id AS area"
    " UNWIND [0, 1] AS facet"
    " WITH facet, CASE WHEN facet = 0 THEN country ELSE area END AS value, id"
    " RETURN facet, value, count(DISTINCT id)"
)
"""Facet counts of the hits in one statement: rows `[0, country code, hits]` (a null code counts
hits without a country; these rows sum to the total) and `[1, area id, people holding it]`."""


def _where(filters: frozenset[str], label: str) -> str:
    parts = [SEARCH_FILTERS[f].replace("{label}", label) for f in sorted(filters)]
    return " AND ".join([*parts, VISIBLE])


@cache
def search_page(hits: str, label: str, filters: frozenset[str]) -> str:
    """A page of hits by score descending, then id; `$limit` rows after `($afterKey, $afterId)`.

    Args:
        hits: the dialect's hits part (binds `n` and `score`).
        label: the dialect's label expression of `{var}`.
        filters: keys of `SEARCH_FILTERS` the request uses.
    """
    keyset, _ = keyset_fragments("score", "n.id", key_desc=True, id_desc=False)
    where = f"{_where(filters, label.format(var='n'))} AND {keyset}"
    return (
        f"{hits} WITH n, score WHERE {where}"
        f" RETURN n, {label.format(var='n')}, score ORDER BY score DESC, n.id LIMIT $limit"
    )


@cache
def search_facets(matches: str, label: str, filters: frozenset[str]) -> str:
    """The facet counts (`FACETS_TAIL`) of every hit of the dialect's unscored `matches`."""
    return f"{matches} WITH n WHERE {_where(filters, label.format(var='n'))}{FACETS_TAIL}"


@dataclass(frozen=True, slots=True)
class SearchPostings:
    """The statements that keep an in-store index (`INDEXED_AS` / `SearchTerm`), per label where
    they name one; a dialect with a full-text index has none (`Dialect.SEARCH_POSTINGS`)."""

    posted_terms: dict[str, LiteralString]
    """The words of the documents `$ids`, one row per posting."""
    unpost: dict[str, LiteralString]
    """Delete the postings of the documents `$ids`."""
    adjust_df: LiteralString
    """Add `d` to the `df` of each word in `$rows` ({term, d}), creating missing words."""
    drop_unused: LiteralString
    """Delete the words of `$terms` that no document holds any more."""
    post: dict[str, LiteralString]
    """Write the postings in `$frame` (columns `from`, `to`, then the field counts)."""
    create: dict[str, LiteralString]
    """Write the postings in `$rows` (keys `from`, `to`, then the field counts), one by one."""
    copy_from: int
    """Postings written with `post` (COPY) from this many on, else with `create`."""

"""Ranked search over people and institutions, and keeping its index in step with every write.

Documents: a civil servant's names (display, given, family), `position`, `bio` and the names of the
expertise areas they hold; an institution's name and acronym. Words are `search_tokens` (folded:
case, accents and Unicode form ignored) and every word of a query must match (AND).

Ranking (one rule, two engines):
- Field weights `FIELD_WEIGHTS`: a word in a name counts 3, in the position or an area name 2, in
  the bio 1, so a name match ranks above a bio-only match.
- LadybugDB (no full-text index offline): BM25F (Robertson & Zaragoza, "The Probabilistic
  Relevance Framework: BM25 and Beyond", 2009, §3.5) without length normalisation (b = 0):
  score = Σ over query words t of idf(t) · tf̃·(k1 + 1) / (tf̃ + k1), tf̃ = Σ_fields w_f · tf_f,
  k1 = `K1`, idf(t) = ln(1 + (N − df + 0.5) / (df + 0.5)) (Lucene's BM25 idf), with N the number
  of documents and df the documents holding t, both read from the store in the same statement
  (N is kept as the `df` of the empty word, `DOCUMENTS`).
  The index lives in the store: `(:CivilServant|Institution)-[:INDEXED_AS {name, position, bio,
  expertise}]->(:SearchTerm {term, df})`, one relationship per document and word, the per-field
  counts on it; `_index` rewrites a document's relationships and the words' `df` in the
  transaction of the write that changed it.
- Neo4j: its FULLTEXT index `search_documents` (Lucene, analyzer `standard-folding`) and Lucene's
  BM25 with the same weights as query boosts (`lucene_query`). Lucene normalises by field length,
  so the two stores' scores differ; the orders agree on what the tests check (all words, name
  above bio, folding). The index reads node properties, so the only thing kept in step by hand is
  `searchExpertise` (the names of a person's areas).

Scores are floats compared exactly by the keyset (score descending, then id): cursors hold the
score as read, so pages neither repeat nor skip hits while the index is unchanged.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any, Final

import pandas as pd

from graph_db import properties as P
from graph_db.core import search_cypher as S
from graph_db.core.base import Dialect, StoreBase, Transaction
from graph_db.core.search_cypher import SearchPostings
from graph_db.paging import Page, PageRequest, SortValue, finish_page
from graph_db.records import (
    FacetCount,
    SearchFacets,
    SearchFilter,
    SearchHit,
    SearchQuery,
    SearchViewer,
    search_tokens,
)

K1: Final = 1.2
"""BM25's term-frequency saturation (Lucene's default)."""

FIELD_WEIGHTS: Final[dict[str, float]] = {
    "name": 3.0,
    "position": 2.0,
    "expertise": 2.0,
    "bio": 1.0,
}
"""How much one occurrence of a word counts in each field (both stores)."""
LUCENE_FIELDS: Final[dict[str, str]] = {
    "displayName": "name",
    "givenName": "name",
    "familyName": "name",
    "name": "name",
    "acronym": "name",
    "position": "position",
    "searchExpertise": "expertise",
    "bio": "bio",
}
"""The Neo4j index's properties and the field (weight) each stands for."""
INDEX_PROPERTIES: Final = frozenset({"searchExpertise"})
"""Node properties that exist only for the Neo4j index (copies of other data, not the model)."""
MAX_FACET_VALUES: Final = 50
"""Facet values returned per facet (the most frequent; counts are over all hits)."""
DOCUMENTS: Final = ""
"""The in-store index's word whose `df` is the number of documents (N); no document holds it
(`search_tokens` never yields an empty word)."""
INDEX_CHUNK: Final = 20_000
"""Documents indexed per statement (and per transaction when rebuilding)."""
INDEXED_PERSON_PROPERTIES: Final = frozenset(
    {"displayName", "givenName", "familyName", "position", "bio"}
)
"""Stored person properties that are part of the search document."""

_LUCENE_SPECIAL = re.compile(r'([+\-!(){}\[\]^"~*?:\\/&|])')


def lucene_escape(text: str) -> str:
    """`text` with every character of Lucene's classic query syntax escaped by a backslash."""
    return _LUCENE_SPECIAL.sub(r"\\\1", text)


def lucene_query(query: SearchQuery) -> str:
    """The Lucene query for Neo4j's index: every piece of the query required in some field, each
    field boosted by `FIELD_WEIGHTS`. Pieces are folded (so `AND`/`OR`/`NOT` are plain words) and
    escaped; the query travels as a parameter."""
    clauses = []
    for piece in query.pieces:
        escaped = lucene_escape(piece)
        fields = " ".join(
            f"{prop}:{escaped}^{FIELD_WEIGHTS[field]:g}" for prop, field in LUCENE_FIELDS.items()
        )
        clauses.append(f"+({fields})")
    return " ".join(clauses)


def _counts(*texts: str | None) -> Counter[str]:
    return Counter(t for text in texts for t in search_tokens(text))


def person_fields(row: Sequence[Any]) -> dict[str, Counter[str]]:
    """Word counts per field of a person's `SEARCH_DOCUMENTS` row."""
    _, display, given, family, position, bio, areas = row
    return {
        "name": _counts(display) | _counts(given, family),  # the larger count of either spelling
        "position": _counts(position),
        "bio": _counts(bio),
        "expertise": _counts(*sorted(areas or ())),
    }


def institution_fields(row: Sequence[Any]) -> dict[str, Counter[str]]:
    """Word counts per field of an institution's `SEARCH_DOCUMENTS` row."""
    _, name, acronym = row
    return {"name": _counts(name, acronym)}


FIELDS_OF = {"CivilServant": person_fields, "Institution": institution_fields}


def postings(label: str, rows: Sequence[Sequence[Any]]) -> dict[str, list[Any]]:
    """One posting per (document, word), as columns: `from` (document id), `to` (word), then
    the word's count in each field of `FIELD_WEIGHTS`; documents in row order, words sorted."""
    columns: dict[str, list[Any]] = {"from": [], "to": [], **{f: [] for f in FIELD_WEIGHTS}}
    none: Counter[str] = Counter()
    for row in rows:
        fields = FIELDS_OF[label](row)
        terms = sorted(set().union(*fields.values()))
        columns["from"] += [row[0]] * len(terms)
        columns["to"] += terms
        for f in FIELD_WEIGHTS:
            counts = fields.get(f, none)
            columns[f] += [counts.get(t, 0) for t in terms]
    return columns


class Search(StoreBase):
    """`graph_db.port.search.SearchStore` and the index upkeep every write calls."""

    def _search_params(
        self, query: SearchQuery, filter: SearchFilter, viewer: SearchViewer, *, scored: bool
    ) -> tuple[frozenset[str], dict[str, Any]]:
        params: dict[str, Any] = {
            "kinds": sorted(S.LABEL_OF_KIND[k] for k in filter.kinds) if filter.kinds else None,
            "country": filter.country_code,
            "expertise": filter.expertise_id,
        }
        active = frozenset(k for k, v in params.items() if v is not None)
        params = {k: v for k, v in params.items() if v is not None}
        params |= {
            "words": query.tokens,
            "viewer": viewer.person_id or "",
            "seesAll": viewer.sees_all,
        }
        return active, params | self.dialect.search_params(query, scored=scored)

    async def search(
        self,
        *,
        query: SearchQuery,
        filter: SearchFilter,
        viewer: SearchViewer,
        page: PageRequest,
    ) -> Page[SearchHit]:
        active, params = self._search_params(query, filter, viewer, scored=True)
        statement = S.search_page(self.dialect.SEARCH_HITS, self.dialect.LABEL, active)
        rows = await self._read(statement, params | self._after(page))
        hits: list[tuple[SearchHit, tuple[SortValue, str]]] = []
        for node, label, score in rows:
            hit = (
                SearchHit(score=score, person=P.person_from_props(node))
                if label == "CivilServant"
                else SearchHit(score=score, institution=P.institution_from_props(node))
            )
            hits.append((hit, (float(score), node["id"])))
        return finish_page(hits, page)

    async def search_facets(
        self, *, query: SearchQuery, filter: SearchFilter, viewer: SearchViewer
    ) -> SearchFacets:
        active, params = self._search_params(query, filter, viewer, scored=False)
        statement = S.search_facets(self.dialect.SEARCH_MATCHES, self.dialect.LABEL, active)
        rows = await self._read(statement, params)
        by_facet: list[list[FacetCount]] = [[], []]
        total = 0
        for facet, value, count in rows:
            total += int(count) if facet == 0 else 0
            if value is not None:
                by_facet[int(facet)].append(FacetCount(value=value, count=int(count)))
        countries, expertise = (
            sorted(f, key=lambda c: (-c.count, c.value))[:MAX_FACET_VALUES] for f in by_facet
        )
        return SearchFacets(total=total, countries=countries, expertise=expertise)

    async def rebuild_search_index(self) -> None:
        """Index every person and institution, `INDEX_CHUNK` per transaction (migration 0011's
        back-fill; idempotent)."""
        for label in S.SEARCH_DOCUMENTS:
            ids = [r[0] for r in await self._read(S.ALL_DOCUMENT_IDS[label])]
            for start in range(0, len(ids), INDEX_CHUNK):
                chunk = ids[start : start + INDEX_CHUNK]

                async def work(
                    tx: Transaction, label: str = label, chunk: list[str] = chunk
                ) -> None:
                    await index_documents(tx, self.dialect, label, chunk)

                await self._write(work, change=None)


# ---- keeping the index in step (called inside the transaction of every write that changes a
# document) ----
async def index_documents(
    tx: Transaction,
    dialect: Dialect,
    label: str,
    ids: Sequence[str],
    *,
    new: bool = False,
    areas: bool = True,
) -> None:
    """Re-index the documents `ids` of `label` as they are now in `tx`.

    Ids that name nothing any more lose their postings, so call it before deleting a node too
    (with the node still there it is re-indexed, and then `unindex_documents`). `new`: the
    documents were created in `tx` (a bulk load's), so they have no postings to read or drop.
    `areas=False`: only the nodes' own properties changed, not the areas they hold. A store whose
    full-text index reads the properties itself (`SEARCH_POSTINGS` None) then has nothing to do,
    nor for any institution (two statements of a profile update saved on Neo4j).
    """
    if dialect.SEARCH_POSTINGS is None and not (areas and label == "CivilServant"):
        return
    for start in range(0, len(ids), INDEX_CHUNK):
        chunk = sorted(set(ids[start : start + INDEX_CHUNK]))
        rows = await tx.run(S.SEARCH_DOCUMENTS[label], {"ids": chunk})
        if dialect.SEARCH_POSTINGS is not None:
            await _post(tx, dialect.SEARCH_POSTINGS, label, chunk, rows, new=new)
        elif label == "CivilServant" and dialect.SET_SEARCH_EXPERTISE is not None:
            texts = [{"id": r[0], "text": expertise_text(r[6] or ())} for r in rows]
            await tx.run(dialect.SET_SEARCH_EXPERTISE, {"rows": texts})


def expertise_text(names: Iterable[str]) -> str:
    """A person's `searchExpertise` (where a full-text index reads the names of the areas they
    hold): the names sorted, joined by " ; " (one name per claim; "" without claims)."""
    return " ; ".join(sorted(names))


async def unindex_documents(
    tx: Transaction, dialect: Dialect, label: str, ids: Sequence[str]
) -> None:
    """Drop the documents `ids` from an in-store index (before their nodes are deleted)."""
    if dialect.SEARCH_POSTINGS is not None:
        await _post(tx, dialect.SEARCH_POSTINGS, label, sorted(set(ids)), [])


async def index_holders(tx: Transaction, dialect: Dialect, expertise_ids: Sequence[str]) -> None:
    """Re-index everyone who holds one of the areas (after an area's name changed)."""
    if expertise_ids:
        rows = await tx.run(S.HOLDERS_OF, {"ids": list(expertise_ids)})
        await index_documents(tx, dialect, "CivilServant", [r[0] for r in rows])


async def _post(
    tx: Transaction,
    statements: SearchPostings,
    label: str,
    ids: list[str],
    rows: Sequence[Sequence[Any]],
    *,
    new: bool = False,
) -> None:
    """Replace the postings of `ids` with those of `rows`, adjusting each word's `df`. `new`:
    the documents have no postings yet (nothing to read or drop)."""
    posted = [] if new else await tx.run(statements.posted_terms[label], {"ids": ids})
    old = Counter(r[1] for r in posted)
    if old:
        await tx.run(statements.unpost[label], {"ids": ids})
    fresh = postings(label, rows)
    delta = Counter(fresh["to"])
    delta.subtract(old)
    delta[DOCUMENTS] += len(set(fresh["from"])) - len({r[0] for r in posted})
    changed = [{"term": t, "d": d} for t, d in sorted(delta.items()) if d]
    if changed:
        await tx.run(statements.adjust_df, {"rows": changed})
    count = len(fresh["to"])
    if count >= statements.copy_from:
        await tx.run(statements.post[label], {"frame": pd.DataFrame(fresh)})
    elif count:
        names = list(fresh)
        rows_ = [dict(zip(names, row, strict=True)) for row in zip(*fresh.values(), strict=True)]
        await tx.run(statements.create[label], {"rows": rows_})
    if dropped := sorted(t for t, d in delta.items() if d < 0):
        await tx.run(statements.drop_unused, {"terms": dropped})

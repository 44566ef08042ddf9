"""Text folding for matching and sorting: the stored `sortName` / `searchText` and search input."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


def fold(text: str) -> str:
    """Normalise text for case- and form-insensitive matching: NFKC, then casefold.

    Used for the stored `sortName` / `searchText` properties and for search input, so that
    "Nguyễn" typed in NFD form finds a name stored in NFC form.
    """
    return unicodedata.normalize("NFKC", text).casefold()


_UNACCENTED = str.maketrans({"đ": "d", "Đ": "d", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o"})


def search_fold(text: str) -> str:
    """`fold`, then without accents: what person search compares ("nguyen" finds "Nguyễn").

    NFKD splits letters from their combining marks (category Mn), which are dropped; letters that
    do not decompose (Vietnamese đ, …) are mapped; then NFKC and casefold as in `fold`. Used for the
    stored `searchText` and for the search input alike, so typing with or without accents, in NFC
    or NFD, finds the same people. Scripts whose vowels are combining marks (Thai, Myanmar) match
    on their consonants, which widens a search without losing a match.
    """
    if text.isascii():  # nothing to decompose or map: the same answer, much sooner
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNACCENTED))
    bare = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFKC", bare).casefold()


def sort_name(given_name: str, family_name: str | None) -> str:
    """Sort key for people: family name if there is one, else the single given name, then given name.

    Many Indonesian and Myanmar civil servants have a single name (DESIGN.md), so sorting never
    assumes a family name: "Suharto" sorts under S, "Mahinda Perera" under P.
    """
    primary = family_name if family_name else given_name
    return f"{fold(primary)}\x1f{fold(given_name)}"


def search_text(*parts: str | None) -> str:
    """Folded concatenation of the searchable names of a record (see `search_fold`)."""
    return " ".join(search_fold(p) for p in parts if p)


_WORD = re.compile(r"\w+")


def search_tokens(text: str | None) -> list[str]:
    """The words of `text` as ranked search indexes and compares them: `search_fold`, then each
    run of letters, digits or underscores ("Nguyễn-Thị, Finance" → `["nguyen", "thi", "finance"]`).

    Everything else (punctuation, Lucene or Cypher syntax, spaces of any script) separates words,
    so no input can be anything but words.
    """
    return list(_tokens(text)) if text else []


@lru_cache(maxsize=65_536)
def _tokens(text: str) -> tuple[str, ...]:
    # Cached: names, positions and area names repeat across documents (a bulk load indexes
    # each person's area names once per holder).
    return tuple(_WORD.findall(search_fold(text)))

"""`search_fold`'s ASCII shortcut gives what the full Unicode path gives."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from graph_db.records.text import search_fold


def unicode_path(text: str) -> str:
    """`search_fold` without its shortcut (NFKD, drop combining marks, NFKC, casefold)."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFKC", bare).casefold()


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_the_ascii_shortcut_changes_nothing(text: str) -> None:
    assert search_fold(text) == unicode_path(text)


def test_other_text_still_takes_the_unicode_path() -> None:
    assert search_fold("Nguyễn Đức ÆSIR ﬁnance") == "nguyen duc æsir finance"

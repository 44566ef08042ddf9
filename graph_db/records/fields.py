"""Constrained field types shared by the records: length caps, text rules (README, "Text input"), patterns."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

MAX_NAME_CHARS = 200
MAX_TEXT_CHARS = 10_000
MAX_LEVEL = 5
MAX_LANGUAGES = 20


BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
"""Characters in a visible category that draw nothing (Hangul fillers, the blank Braille pattern):
a name of only these renders blank, so they do not count as visible."""

EMBEDDINGS = frozenset("\u202a\u202b\u202d\u202e")
"""LRE, RLE, LRO, RLO: closed by PDF (U+202C)."""
ISOLATES = frozenset("\u2066\u2067\u2068")
"""LRI, RLI, FSI: closed by PDI (U+2069)."""
PDF, PDI = "\u202c", "\u2069"
PARAGRAPH_BREAKS = re.compile("[\n\r\x1c-\x1e\x85\u2029]")
"""Unicode bidi class B: the bidirectional algorithm closes every embedding at these (UAX #9)."""


def has_visible_character(text: str) -> bool:
    """Whether `text` has a character that draws something: a letter, number, symbol or
    punctuation (Unicode categories L*, N*, S*, P*), not counting `BLANK_LETTERS`.

    Spaces (Z*), format characters (Cf: zero-width space and joiners, soft hyphen, BOM, bidi
    controls), controls and combining marks (M*) alone draw nothing, or nothing of their own.

    Args:
        text: any string.

    Returns:
        True if at least one character is visible.
    """
    return any(unicodedata.category(c)[0] in "LNSP" and c not in BLANK_LETTERS for c in text)


def bidi_problem(text: str) -> str | None:
    """The first unbalanced bidirectional control in `text`, described; None if balanced.

    Within each paragraph (bidi class B ends one), every embedding or override (LRE, RLE, LRO,
    RLO) must be closed by a PDF and every isolate (LRI, RLI, FSI) by a PDI, innermost first; a
    PDF or PDI with nothing of its kind open is refused as well. An unclosed U+202E (RLO) reverses
    whatever a page shows after the text (e.g. the next names of a list). Marks (LRM, RLM, ALM)
    change no state and are always allowed.

    Args:
        text: any string.

    Returns:
        None, or a sentence naming the offending code point.
    """
    if not any(c in EMBEDDINGS or c in ISOLATES or c in (PDF, PDI) for c in text):
        return None
    for paragraph in PARAGRAPH_BREAKS.split(text):
        open_: list[str] = []
        for c in paragraph:
            if c in EMBEDDINGS or c in ISOLATES:
                open_.append(c)
            elif c in (PDF, PDI):
                kinds = EMBEDDINGS if c == PDF else ISOLATES
                if not open_ or open_[-1] not in kinds:
                    return f"U+{ord(c):04X} ({unicodedata.name(c)}) closes nothing open"
                open_.pop()
        if open_:
            c = open_[-1]
            return (
                f"the bidirectional control U+{ord(c):04X} ({unicodedata.name(c)}) is never "
                f"closed (with U+{ord(PDF if c in EMBEDDINGS else PDI):04X})"
            )
    return None


def _text_rules(*, single_line: bool) -> AfterValidator:
    """A validator for one-line (`single_line`) or free text.

    Both refuse C0/C1 control characters (free text allows tab, CR and LF), lone surrogates and
    unbalanced bidirectional controls (`bidi_problem`). One-line text also refuses line and
    paragraph separators (U+2028, U+2029) and, when not empty, must have a visible character
    (`has_visible_character`). Everything else is kept exactly as sent: NFC and NFD forms, emoji,
    right-to-left text and zero-width characters (ZWJ and ZWNJ are part of emoji and of Persian,
    Indic, Khmer and Myanmar spelling; zero-width spaces separate Thai and Khmer words).
    """
    allowed = "" if single_line else "\t\n\r"
    refused = ("Cc", "Cs", "Zl", "Zp") if single_line else ("Cc", "Cs")

    def check(value: str) -> str:
        for char in value:
            if unicodedata.category(char) in refused and char not in allowed:
                kind = "control" if unicodedata.category(char)[0] == "C" else "line-breaking"
                raise ValueError(f"must not contain the {kind} character U+{ord(char):04X}")
        problem = bidi_problem(value)
        if problem is not None:
            raise ValueError(f"unbalanced bidirectional text: {problem}")
        if single_line and value and not has_visible_character(value):
            raise ValueError(
                "must contain a visible character (a letter, number, symbol or punctuation), "
                "not only spaces, joiners, format characters or combining marks"
            )
        return value

    return AfterValidator(check)


SINGLE_LINE = _text_rules(single_line=True)
"""Names, titles and other one-line text: no control or line-breaking characters, a visible
character when not empty, balanced bidirectional controls."""
MULTI_LINE = _text_rules(single_line=False)
"""Bios, messages and other free text: tabs and line breaks allowed; balanced bidirectional
controls within each paragraph."""


Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_NAME_CHARS),
    SINGLE_LINE,
]
DisplayName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=2 * MAX_NAME_CHARS + 1),
    SINGLE_LINE,
]
"""How a person is shown: by default given + family name, so up to two names and a space."""
Line = Annotated[str, StringConstraints(max_length=MAX_NAME_CHARS), SINGLE_LINE]
"""Optional one-line text such as a city or position (up to MAX_NAME_CHARS)."""
Text = Annotated[str, StringConstraints(max_length=MAX_TEXT_CHARS), MULTI_LINE]
Message = Annotated[str, StringConstraints(max_length=1000), MULTI_LINE]
"""A connection request's message."""
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")]
Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=320, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,99}$")]
Level = Annotated[int, Field(ge=1, le=MAX_LEVEL)]
Year = Annotated[int, Field(ge=1900, le=2100)]
Phone = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9][0-9 ()-]{4,29}$")
]

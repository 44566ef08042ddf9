"""Constrained field types shared by the records: length caps, control-character checks, patterns."""

from __future__ import annotations

import unicodedata
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

MAX_NAME_CHARS = 200
MAX_TEXT_CHARS = 10_000
MAX_LEVEL = 5
MAX_LANGUAGES = 20


def _refuse_control_characters(allowed: str) -> AfterValidator:
    """A validator refusing C0/C1 control characters (except `allowed`) and lone surrogates.

    Everything else is kept exactly as sent: NFC and NFD forms, emoji, right-to-left text and
    zero-width characters (ZWJ and ZWNJ are part of emoji and of Persian and Indic spelling).
    """

    def check(value: str) -> str:
        for char in value:
            if unicodedata.category(char) in ("Cc", "Cs") and char not in allowed:
                raise ValueError(f"must not contain the control character U+{ord(char):04X}")
        return value

    return AfterValidator(check)


SINGLE_LINE = _refuse_control_characters("")
"""Names, titles and other one-line text: no control characters at all."""
MULTI_LINE = _refuse_control_characters("\t\n\r")
"""Bios, messages and other free text: tabs and line breaks allowed."""


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

"""Names that always render (README, "Text input"): a visible character, balanced bidi controls,
and real names in every script kept exactly as sent."""

from __future__ import annotations

import unicodedata

import pytest
from pydantic import TypeAdapter, ValidationError

from graph_db.records import CivilServantCreate, Line, Name, Text, utc_now
from graph_db.records.fields import bidi_problem, has_visible_character

REAL_NAMES = [
    "ស្រីមុំ ចាន់ធា",  # Khmer: subscript consonants (coeng U+17D2), vowel signs
    "សុខ\u200bចាន់ធា",  # Khmer words separated by a zero-width space, as Khmer is written
    "អ៊ុំ សុផល",  # Khmer register shifter (combining)
    "အောင်ဆန်းစုကြည်",  # Myanmar: medials, asat and tone marks (combining)
    "ဒေါ်ခင်ခင်ဝင်း",
    "မြ\u200cသီတာ",  # Myanmar with a zero-width non-joiner
    "ประยุทธ์ จันทร์โอชา",  # Thai: combining vowels and tone marks
    "สม\u200bชาย ใจดี",  # Thai word break as a zero-width space
    "Nguyễn Thị Minh Khai",
    unicodedata.normalize("NFD", "Nguyễn Thị Minh Khai"),  # NFD: combining accents
    "محمد\u200cرضا",  # Persian with ZWNJ
    "क्\u200dष",  # Devanagari with ZWJ
    "Siti 👩🏽\u200d💼",  # emoji ZWJ sequence with a skin tone
    "👨\u200d👩\u200d👧",  # a name of emoji alone (symbols are visible)
    "🏳️\u200d🌈 Lim",  # variation selector + ZWJ
    "\u2067مريم الحسن\u2069 (Lim)",  # right-to-left name in a balanced isolate
    "\u202eevil\u202c",  # an override closed by its PDF
    "A\u200e",  # a left-to-right mark changes no state
]

INVISIBLE = [
    "\u200b\u200c\u200d",  # zero-width space, ZWNJ, ZWJ
    "\ufeff",  # BOM / zero-width no-break space
    "\u00ad",  # soft hyphen
    "\u2060\u180e",  # word joiner, Mongolian vowel separator
    "\u0301\u0302",  # combining marks with nothing to combine with
    "\u3164",  # Hangul filler: a "letter" that draws nothing
    "\u115f\u1160\uffa0",
    "\u2800",  # blank Braille pattern
    "\u200e\u200f",  # direction marks only
    "\U000e0041\U000e0042",  # tag characters
    "\u2066\u2069",  # an empty isolate
]

UNBALANCED = [
    "\u202e",  # a lone right-to-left override: reverses whatever follows it
    "Ana\u202e",
    "\u202eevil",
    "Ana\u202c",  # PDF closing nothing
    "\u2067مريم",  # an isolate never closed
    "مريم\u2069",  # PDI closing nothing
    "\u202e\u2066x\u202c\u2069",  # crossed: the override closed inside the isolate
    "\u2066\u202ex\u2069\u202c",  # crossed the other way
    "\u202a\u202bx\u202c",  # two embeddings, one PDF
]


@pytest.mark.parametrize("name", REAL_NAMES)
def test_real_names_are_kept_exactly(name: str) -> None:
    person = CivilServantCreate(given_name=name, family_name=name).to_record(
        id="p", joined_at=utc_now()
    )
    assert person.given_name == name and person.family_name == name
    assert [ord(c) for c in person.given_name] == [ord(c) for c in name]
    assert person.display_name == f"{name} {name}"


@pytest.mark.parametrize("value", INVISIBLE)
def test_names_of_invisible_characters_are_refused(value: str) -> None:
    assert not has_visible_character(value)
    for field in ("given_name", "family_name", "display_name", "city", "position", "grade"):
        data = {"given_name": "Ana", field: value}
        with pytest.raises(ValidationError) as raised:
            CivilServantCreate.model_validate(data)
        (error,) = raised.value.errors()
        assert error["loc"] == (field,) and "visible character" in error["msg"], error


@pytest.mark.parametrize("value", UNBALANCED)
def test_unbalanced_bidi_controls_are_refused(value: str) -> None:
    assert bidi_problem(value) is not None
    for kind in (Name, Line, Text):
        with pytest.raises(ValidationError, match="bidirectional"):
            TypeAdapter(kind).validate_python(value)


def test_free_text_is_balanced_per_paragraph() -> None:
    text = TypeAdapter(Text)
    assert text.validate_python("one \u202eowt\u202c\nthree\n") == "one \u202eowt\u202c\nthree\n"
    with pytest.raises(ValidationError, match="never closed"):  # a line break ends an embedding
        text.validate_python("one \u202eowt\n\u202cthree")
    assert text.validate_python("\u200b") == "\u200b"  # free text may be anything visible or not


def test_one_line_text_refuses_line_separators_but_may_be_empty() -> None:
    line = TypeAdapter(Line)
    assert line.validate_python("") == ""
    for value in ("a\u2028b", "a\u2029b"):
        with pytest.raises(ValidationError, match="line-breaking"):
            line.validate_python(value)

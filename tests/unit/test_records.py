"""Domain rules that live in the records: sorting without family names, partial updates."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from graph_db.records import CivilServantCreate, CivilServantUpdate, RankedPerson, fold, sort_name


def test_single_name_sorts_by_that_name() -> None:
    names = [("Suharto", None), ("Mahinda", "Perera"), ("Aung", "San"), ("Thein", None)]
    ordered = sorted(names, key=lambda n: sort_name(*n))
    assert ordered == [("Mahinda", "Perera"), ("Aung", "San"), ("Suharto", None), ("Thein", None)]


def test_fold_matches_nfd_input_to_nfc_names() -> None:
    nfc, nfd = "Nguy\u1ec5n", "Nguye\u0302\u0303n"
    assert nfc != nfd
    assert fold(nfd) == fold(nfc) == "nguyễn"


def test_update_changes_only_given_fields() -> None:
    person = CivilServantCreate(given_name="Siti", family_name="Rahma", city="Bogor").to_record(
        id="p1", joined_at=datetime(2020, 1, 1, tzinfo=UTC)
    )
    updated = CivilServantUpdate.model_validate({"city": None, "family_name": ""}).apply(person)
    assert updated.city is None
    assert updated.family_name is None
    assert updated.display_name == "Siti"
    assert updated.given_name == "Siti"


@pytest.mark.parametrize("name", ["", "   ", "x" * 201])
def test_given_name_must_be_real(name: str) -> None:
    with pytest.raises(ValidationError):
        CivilServantUpdate.model_validate({"given_name": name})


# ---- null clears, and the display name follows the names ----
visible_names = st.text(alphabet=st.characters(categories=("L", "N")), min_size=1, max_size=12)
profile_updates = st.fixed_dictionaries(
    {},
    optional={
        "given_name": visible_names,
        "family_name": st.one_of(st.none(), st.just(""), visible_names),
        "display_name": st.one_of(st.none(), visible_names),
        "city": st.one_of(st.none(), visible_names),
        "languages": st.one_of(st.none(), st.just(["id", "en"])),
    },
)


@settings(max_examples=300, deadline=None)
@given(
    first=st.fixed_dictionaries(
        {"given_name": visible_names},
        optional={"family_name": visible_names, "display_name": visible_names},
    ),
    updates=st.lists(profile_updates, max_size=6),
)
def test_any_updates_leave_the_display_name_of_a_fresh_profile(
    first: dict[str, str], updates: list[dict[str, object]]
) -> None:
    """After any sequence of updates, the display name is the one a fresh registration with the
    same names would get: the chosen one if the last change of names (or of the display name
    itself) chose one, else given + family name. Nulls clear."""
    joined = datetime(2020, 1, 1, tzinfo=UTC)
    person = CivilServantCreate.model_validate(first).to_record(id="p", joined_at=joined)
    model: dict[str, object] = {"family_name": None, "display_name": None} | first
    for update in updates:
        person = CivilServantUpdate.model_validate(update).apply(person)
        for field in ("given_name", "family_name", "city"):
            if field in update:
                model[field] = update[field] or None
        if "display_name" in update:
            model["display_name"] = update["display_name"]
        elif {"given_name", "family_name"} & update.keys():
            model["display_name"] = None  # new names, no chosen display name: derived again
        if "languages" in update:
            model["languages"] = update["languages"] or ()
        fresh = CivilServantCreate.model_validate(model).to_record(id="p", joined_at=joined)
        assert person == fresh, (update, model)


@pytest.mark.parametrize("field", ["given_name", "profile_visibility"])
def test_fields_that_always_have_a_value_refuse_null(field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        CivilServantUpdate.model_validate({field: None})
    assert raised.value.errors()[0]["loc"] == (field,)


@given(
    mutual=st.lists(st.text(min_size=1, max_size=5), max_size=4),
    distance=st.integers(min_value=1, max_value=6),
    cross_border=st.booleans(),
    with_score=st.booleans(),
)
def test_a_trusted_record_is_the_validated_one(
    mutual: list[str], distance: int, cross_border: bool, with_score: bool
) -> None:
    """`Frozen.trusted` (records read back from the store) builds what validation builds: the
    same fields in the same order, defaults filled in, mutable defaults not shared."""
    values: dict[str, Any] = {"person_id": "p1", "distance": distance, "mutual_ids": mutual}
    values |= {"cross_border": cross_border} | ({"score": 1.5} if with_score else {})
    trusted, validated = RankedPerson.trusted(**values), RankedPerson(**values)
    assert trusted == validated
    assert list(trusted.model_dump()) == list(validated.model_dump())
    assert trusted.model_fields_set == validated.model_fields_set
    other = RankedPerson.trusted(person_id="p2", distance=1)
    assert other.shared_event_ids == [] and other.shared_event_ids is not trusted.shared_event_ids
    with pytest.raises(ValidationError):
        other.distance = 3  # type: ignore[misc]  # frozen


def test_a_trusted_record_refuses_an_unknown_field() -> None:
    with pytest.raises(AssertionError):
        RankedPerson.trusted(person_id="p1", distance=1, mutual=["x"])

"""Domain rules that live in the records: sorting without family names, partial updates."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from graph_db.records import CivilServantCreate, CivilServantUpdate, fold, sort_name


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

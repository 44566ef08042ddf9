"""Commands that edit a profile's structure: employments (WORKS_AT) and education (STUDIED_AT).

An employment or a study has no id of its own in the graph; it is named by its key, the person,
the institution and its start year (`since` for an employment, `year` for a study), which is
unique per person (adding a second one with the same key is a `Conflict`). The API shows the key
as an opaque id (`CareerKey.encode`).
"""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import ValidationInfo, field_validator

from graph_db.records.base import Frozen
from graph_db.records.fields import Line, Year


def this_year() -> int:
    """The current year (UTC): start and end years may not be later."""
    return datetime.now(UTC).year


def _not_future(value: int | None) -> int | None:
    if value is not None and value > this_year():
        raise ValueError(f"must not be in the future (after {this_year()})")
    return value


class CareerKey(Frozen):
    """What names one employment or study: `(person, institution, start year)`.

    Attributes:
        person_id: the civil servant.
        institution_id: the institution.
        year: `since` of an employment, `year` of a study; None where it was not recorded.
    """

    person_id: str
    institution_id: str
    year: int | None = None

    def encode(self) -> str:
        """`person|institution|year` (the year empty when None); `decode` reverses it."""
        return f"{self.person_id}|{self.institution_id}|{'' if self.year is None else self.year}"

    @classmethod
    def decode(cls, text: str) -> CareerKey:
        """Inverse of `encode`. Raises ValueError for text that is not a key."""
        person, institution, year = text.rsplit("|", 2)
        if not person or not institution:
            raise ValueError("not an employment or study id")
        return cls(person_id=person, institution_id=institution, year=int(year) if year else None)


class EmploymentChange(Frozen):
    """An employment as added or as it becomes after an update (all its fields).

    Raises (pydantic `ValidationError`, by field): `sinceYear` or `untilYear` outside 1900–2100 or
    in the future; `untilYear` before `sinceYear`; `position` not one line.
    """

    person_id: str
    institution_id: str
    position: Line | None = None
    since_year: Year
    until_year: Year | None = None

    _future = field_validator("since_year", "until_year")(_not_future)

    @field_validator("until_year")
    @classmethod
    def _after_start(cls, value: int | None, info: ValidationInfo) -> int | None:
        since = info.data.get("since_year")
        if value is not None and since is not None and value < since:
            raise ValueError(f"must not be before sinceYear ({since})")
        return value

    @property
    def key(self) -> CareerKey:
        """The key this employment is stored under."""
        return CareerKey(
            person_id=self.person_id, institution_id=self.institution_id, year=self.since_year
        )


class StudyChange(Frozen):
    """A study (education) as added or as it becomes after an update.

    Raises (pydantic `ValidationError`, by field): `year` outside 1900–2100 or in the future;
    `degree` not one line.
    """

    person_id: str
    institution_id: str
    degree: Line | None = None
    year: Year

    _future = field_validator("year")(_not_future)

    @property
    def key(self) -> CareerKey:
        """The key this study is stored under."""
        return CareerKey(
            person_id=self.person_id, institution_id=self.institution_id, year=self.year
        )

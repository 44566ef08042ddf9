"""Civil servants' profiles and what hangs off them: portfolio, expertise, work, study, events."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Final

from pydantic import Field, StringConstraints, ValidationError, field_validator

from graph_db.errors import InvalidInput
from graph_db.records.base import Frozen, as_utc
from graph_db.records.fields import (
    MAX_LANGUAGES,
    MAX_NAME_CHARS,
    SINGLE_LINE,
    CountryCode,
    DisplayName,
    Email,
    Level,
    Line,
    Name,
    Phone,
    Text,
    Year,
)


class ProfileVisibility(StrEnum):
    """Who sees a profile beyond its name and country: every verified member, or only connections."""

    PUBLIC = "PUBLIC"
    NETWORK = "NETWORK"


class PortfolioKind(StrEnum):
    """Kinds of portfolio items on a civil servant's profile."""

    PUBLICATION = "PUBLICATION"
    PROJECT = "PROJECT"
    POLICY = "POLICY"
    TRAINING = "TRAINING"
    TALK = "TALK"


class CivilServant(Frozen):
    """A civil servant's profile. `email` and `phone` are private; `family_name` is optional
    (single names)."""

    id: str
    given_name: Name
    family_name: str | None = None
    display_name: DisplayName
    email: Email | None = None
    country_code: CountryCode | None = None
    city: str | None = None
    position: str | None = None
    grade: str | None = None
    bio: Text | None = None
    languages: tuple[str, ...] = ()
    photo_url: str | None = None
    joined_at: datetime
    verified: bool = False
    is_expert: bool = False
    phone: Phone | None = None
    profile_visibility: ProfileVisibility = ProfileVisibility.PUBLIC

    @field_validator("joined_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return as_utc(value)


class CivilServantCreate(Frozen):
    """Fields to register a civil servant; the store assigns `id` and `joined_at`."""

    given_name: Name
    family_name: (
        Annotated[
            str, StringConstraints(strip_whitespace=True, max_length=MAX_NAME_CHARS), SINGLE_LINE
        ]
        | None
    ) = None
    display_name: DisplayName | None = None
    email: Email | None = None
    country_code: CountryCode | None = None
    city: Line | None = None
    position: Line | None = None
    grade: Annotated[str, StringConstraints(max_length=50), SINGLE_LINE] | None = None
    bio: Text | None = None
    languages: Annotated[
        tuple[
            Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")], ...
        ],
        Field(max_length=MAX_LANGUAGES),
    ] = ()
    photo_url: Annotated[str, StringConstraints(max_length=2000, pattern=r"^https?://")] | None = (
        None
    )
    phone: Phone | None = None
    profile_visibility: ProfileVisibility = ProfileVisibility.PUBLIC

    @field_validator("languages", mode="before")
    @classmethod
    def _no_languages(cls, value: object) -> object:
        """`languages: null` is no languages (an empty list), at registration and in updates."""
        return () if value is None else value

    @field_validator("languages")
    @classmethod
    def _distinct(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(value))

    @field_validator("profile_visibility", mode="before")
    @classmethod
    def _default_visibility(cls, value: object) -> object:
        """`profileVisibility: null` at registration is the default, PUBLIC."""
        return ProfileVisibility.PUBLIC if value is None else value

    @field_validator("email")
    @classmethod
    def _lower(cls, value: str | None) -> str | None:
        """Emails are kept in lower case, so uniqueness ignores case (`Anura@` = `anura@`)."""
        return value.lower() if value is not None else None

    def to_record(self, *, id: str, joined_at: datetime) -> CivilServant:
        """Build the stored record; `display_name` defaults to `default_display_name`."""
        family = self.family_name or None
        display = self.display_name or default_display_name(self.given_name, family)
        return CivilServant(
            id=id,
            joined_at=joined_at,
            **self.model_dump(exclude={"display_name", "family_name"}),
            family_name=family,
            display_name=display,
        )


def default_display_name(given_name: str, family_name: str | None) -> str:
    """How a person is shown unless they chose otherwise: given name, then family name if any.

    Args:
        given_name: the (non-empty) given or single name.
        family_name: the family name, or None / "" for people with a single name.

    Returns:
        "Siti Rahma", or "Suharto" for a single name.
    """
    return " ".join(p for p in (given_name, family_name) if p)


STANDALONE_FIELDS: Final = frozenset(
    {"city", "position", "grade", "bio", "languages", "photo_url", "phone", "profile_visibility"}
)
"""Profile fields an update sets on their own: no other field is derived from them (the names give
the display and sort names) and no rule reads the stored profile for them (an email must be
unique; verifying notifies the person). An update of only these needs no read of the profile."""

NOT_CLEARABLE = ("given_name", "profile_visibility")
"""Profile fields that always have a value: an update may change them but not set them null."""


def _not_cleared(value: object) -> object:
    if value is None:
        raise ValueError("cannot be cleared (null): give a value or leave the field out")
    return value


class CivilServantUpdate(CivilServantCreate):
    """A partial profile update: only the fields explicitly set (`model_fields_set`) change.

    Setting a field to None clears it (`languages` to none, `family_name` "" as None), except
    `NOT_CLEARABLE` ones, which refuse None. The display name is derived, as at registration,
    whenever it is not chosen: a `display_name` of None, or a change of `given_name` or
    `family_name` without a `display_name`, sets it to `default_display_name` of the new names.
    So a profile after any sequence of updates shows the name a fresh registration with its
    names (and its chosen display name, if the last name change chose one) would show.
    """

    given_name: Name | None = None  # type: ignore[assignment]  # optional in an update only
    profile_visibility: ProfileVisibility | None = None  # type: ignore[assignment]  # ditto
    verified: bool | None = None
    is_expert: bool | None = None

    @field_validator("given_name", mode="before")
    @classmethod
    def _given_name_kept(cls, value: object) -> object:
        return _not_cleared(value)

    @field_validator("profile_visibility", mode="before")
    @classmethod
    def _default_visibility(cls, value: object) -> object:
        """Overrides registration's rule: in an update, null is refused, not the default."""
        return _not_cleared(value)

    def apply(self, current: CivilServant) -> CivilServant:
        """Return `current` with this update applied (the whole record, validated again).

        Raises:
            InvalidInput: the updated profile is invalid as a whole (no single field is).
        """
        changes = {k: getattr(self, k) for k in self.model_fields_set}
        if "family_name" in changes and not changes["family_name"]:
            changes["family_name"] = None
        for flag in ("verified", "is_expert"):
            if flag in changes and changes[flag] is None:
                changes.pop(flag)
        merged = current.model_dump() | changes
        names_changed = bool({"given_name", "family_name"} & self.model_fields_set)
        if merged.get("display_name") is None or (
            names_changed and "display_name" not in self.model_fields_set
        ):
            merged["display_name"] = default_display_name(
                merged["given_name"], merged["family_name"]
            )
        try:
            return CivilServant.model_validate(merged)
        except ValidationError as exc:  # a combination no single field's check could refuse
            raise InvalidInput(f"the updated profile is invalid: {exc.errors()[0]['msg']}") from exc


class PortfolioItem(Frozen):
    """A publication, project, policy, training or talk authored by one civil servant."""

    id: str
    author_id: str
    kind: PortfolioKind
    title: Name
    year: Year | None = None
    url: str | None = None
    summary: Text | None = None


class ExpertiseClaim(Frozen):
    """`(CivilServant)-[:HAS_EXPERTISE {level, years}]->(Expertise)`."""

    person_id: str
    expertise_id: str
    level: Level
    years: int | None = None


class Employment(Frozen):
    """`(CivilServant)-[:WORKS_AT {position, since, until}]->(Institution)`; years, `until` None = current."""

    person_id: str
    institution_id: str
    position: str | None = None
    since_year: int | None = None
    until_year: int | None = None


class Study(Frozen):
    """`(CivilServant)-[:STUDIED_AT {year, degree}]->(Institution)`."""

    person_id: str
    institution_id: str
    year: int | None = None
    degree: str | None = None


class Participation(Frozen):
    """`(CivilServant)-[:PARTICIPATED_IN {role}]->(Event)`."""

    person_id: str
    event_id: str
    role: Line | None = None


class PersonFilter(Frozen):
    """Filters for lists of civil servants; all given filters must hold (AND).

    Attributes:
        country_code: ISO alpha-2 code of the person's country.
        institution_id: the person works (or worked) at this institution.
        expertise_id: the person has this expertise area or a narrower one (taxonomy depth ≤ 10).
        name_contains: folded substring of given, family or display name (see `fold`).
        verified: only verified (True) or unverified (False) civil servants.
    """

    country_code: CountryCode | None = None
    institution_id: str | None = None
    expertise_id: str | None = None
    name_contains: str | None = None
    verified: bool | None = None

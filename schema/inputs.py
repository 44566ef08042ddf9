"""GraphQL input types and their conversion to plain dicts for the resolvers' validation."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import TYPE_CHECKING, Any

import strawberry
from strawberry import relay

from schema.enums import (
    CivilServantOrderField,
    EventKind,
    InstitutionKind,
    PortfolioKind,
    ProfileVisibility,
    SortDirection,
)

if TYPE_CHECKING:
    from _typeshed import DataclassInstance


CLIENT_MUTATION_ID = (
    "Your id for this attempt (1–100 characters): sending it again returns the first result "
    "instead of creating a second record. Kept for 24 hours (`REPLAY_RETENTION`)."
)
ECHOED_CLIENT_MUTATION_ID = (
    "The input's `clientMutationId`, echoed (Relay); null when none was sent."
)


def input_data(obj: DataclassInstance, *, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """Fields the client set (UNSET ones left out), by their Python (snake_case) names."""
    return {
        f.name: getattr(obj, f.name)
        for f in dataclasses.fields(obj)
        if f.name not in exclude and getattr(obj, f.name) is not strawberry.UNSET
    }


@strawberry.input(description="Filters on civil servants; all given filters must hold.")
class CivilServantFilter:
    country: str | None = strawberry.field(default=None, description="ISO country code, e.g. ID.")
    institution: relay.GlobalID | None = strawberry.field(
        default=None, description="Works or worked there."
    )
    expertise: relay.GlobalID | None = strawberry.field(
        default=None, description="Holds this area or a narrower one."
    )
    name_contains: str | None = strawberry.field(
        default=None,
        description="Substring of the name, ignoring case, accents and Unicode normalisation "
        "form (for ranked search over names, positions, bios and expertise: `search`).",
    )
    verified: bool | None = None


@strawberry.input(description="Sort order of civil servants; the id breaks ties.")
class CivilServantOrder:
    field: CivilServantOrderField = CivilServantOrderField.NAME
    direction: SortDirection = SortDirection.ASC


@strawberry.input(description="Filters on reference lists (each list uses the ones that apply).")
class ReferenceFilter:
    name_contains: str | None = None
    country: str | None = strawberry.field(
        default=None, description="Institutions and events: ISO code."
    )
    top_level: bool | None = strawberry.field(
        default=None, description="Expertise: only roots of the taxonomy."
    )


@strawberry.input(description="Profile fields a civil servant fills in.")
class ProfileFieldsInput:
    family_name: str | None = strawberry.UNSET
    display_name: str | None = strawberry.UNSET
    email: str | None = strawberry.UNSET
    country_code: str | None = strawberry.UNSET
    city: str | None = strawberry.UNSET
    position: str | None = strawberry.UNSET
    grade: str | None = strawberry.UNSET
    bio: str | None = strawberry.UNSET
    languages: list[str] | None = strawberry.UNSET
    photo_url: str | None = strawberry.UNSET
    phone: str | None = strawberry.UNSET
    profile_visibility: ProfileVisibility | None = strawberry.UNSET


@strawberry.input
class RegisterCivilServantInput(ProfileFieldsInput):
    given_name: str


@strawberry.input(
    description="Only the fields given change; null clears a field (languages: none). givenName "
    "and profileVisibility always have a value and refuse null. displayName null, or new names "
    "without a displayName, derive it from the names again, as at registration."
)
class UpdateCivilServantInput(ProfileFieldsInput):
    id: relay.GlobalID
    given_name: str | None = strawberry.UNSET


@strawberry.input
class SetExpertiseInput:
    civil_servant_id: relay.GlobalID
    expertise_id: relay.GlobalID
    level: int = strawberry.field(description="1 (interest) to 5 (authority).")
    years: int | None = None


@strawberry.input
class RemoveExpertiseInput:
    civil_servant_id: relay.GlobalID
    expertise_id: relay.GlobalID


@strawberry.input
class AddPortfolioItemInput:
    author_id: relay.GlobalID
    kind: PortfolioKind
    title: str
    year: int | None = strawberry.UNSET
    url: str | None = strawberry.UNSET
    summary: str | None = strawberry.UNSET
    about: list[relay.GlobalID] = strawberry.field(
        default_factory=list, description="Expertise areas."
    )
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.input
class CreateInstitutionInput:
    name: str
    kind: InstitutionKind
    acronym: str | None = strawberry.UNSET
    country_code: str | None = strawberry.UNSET
    part_of: relay.GlobalID | None = strawberry.UNSET
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.input
class CreateExpertiseAreaInput:
    name: str
    description: str | None = strawberry.UNSET
    broader: relay.GlobalID | None = strawberry.UNSET


@strawberry.input
class CreateEventInput:
    title: str
    kind: EventKind
    start_date: date
    end_date: date | None = strawberry.UNSET
    place: str | None = strawberry.UNSET
    country_code: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    organizers: list[relay.GlobalID] = strawberry.field(
        default_factory=list, description="Institutions."
    )
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.input
class RecordParticipationInput:
    civil_servant_id: relay.GlobalID
    event_id: relay.GlobalID
    role: str | None = None

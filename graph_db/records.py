"""Domain records: what crosses the `GraphStore` port, in both directions.

Records are frozen pydantic v2 models. Timestamps are timezone-aware UTC `datetime`s, dates are
`date`s, years are plain `int`s. Ids are strings: ULIDs for things created through the API, slugs
for reference data (`graph_db/reference/accsm.yaml`), and LDBC ids unchanged for imported data.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
)
from ulid import ULID

from graph_db.errors import InvalidInput

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


def new_id() -> str:
    """Return a new ULID as its 26-character Crockford base32 string."""
    return str(ULID())


def utc_now() -> datetime:
    """Return the current time as a timezone-aware UTC datetime, truncated to milliseconds.

    Both stores keep millisecond precision at most (LadybugDB TIMESTAMP is microseconds, LDBC
    data is milliseconds); truncating here makes a written value read back equal.
    """
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


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


class Frozen(BaseModel):
    """Base of all records: immutable, no unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class CountryGroup(StrEnum):
    """Where a country stands in ACCSM (see `shared/reference/accsm.md`)."""

    ASEAN_MEMBER = "ASEAN_MEMBER"
    PLUS_THREE = "PLUS_THREE"
    OTHER = "OTHER"


class InstitutionKind(StrEnum):
    """Kinds of institutions; LDBC universities and companies map to UNIVERSITY and COMPANY."""

    MINISTRY = "MINISTRY"
    AGENCY = "AGENCY"
    ACADEMY = "ACADEMY"
    UNIVERSITY = "UNIVERSITY"
    INTERNATIONAL_BODY = "INTERNATIONAL_BODY"
    COMPANY = "COMPANY"


class PortfolioKind(StrEnum):
    """Kinds of portfolio items on a civil servant's profile."""

    PUBLICATION = "PUBLICATION"
    PROJECT = "PROJECT"
    POLICY = "POLICY"
    TRAINING = "TRAINING"
    TALK = "TALK"


class EventKind(StrEnum):
    """Kinds of ACCSM events."""

    WORKSHOP = "WORKSHOP"
    MEETING = "MEETING"
    PROGRAMME = "PROGRAMME"
    CONFERENCE = "CONFERENCE"
    TRAINING = "TRAINING"


class Country(Frozen):
    """A country; `id` is its ISO 3166-1 alpha-2 code."""

    id: CountryCode
    name: Name
    group: CountryGroup = CountryGroup.OTHER


class Expertise(Frozen):
    """An expertise area; `id` is a slug. Taxonomy edges are `BROADER` relationships."""

    id: str
    name: Name
    description: Text | None = None


class Institution(Frozen):
    """A ministry, agency, academy, university, company or international body."""

    id: str
    name: Name
    acronym: Line | None = None
    kind: InstitutionKind
    country_code: CountryCode | None = None


class Event(Frozen):
    """An ACCSM workshop, meeting or programme."""

    id: str
    title: Name
    kind: EventKind
    start_date: date
    end_date: date | None = None
    place: Line | None = None
    country_code: CountryCode | None = None
    description: Text | None = None


class PortfolioItem(Frozen):
    """A publication, project, policy, training or talk authored by one civil servant."""

    id: str
    author_id: str
    kind: PortfolioKind
    title: Name
    year: Year | None = None
    url: str | None = None
    summary: Text | None = None


class ProfileVisibility(StrEnum):
    """Who sees a profile beyond its name and country: every verified member, or only connections."""

    PUBLIC = "PUBLIC"
    NETWORK = "NETWORK"


Phone = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9][0-9 ()-]{4,29}$")
]


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


def as_utc(value: datetime) -> datetime:
    """Return `value` as an aware UTC datetime; naive values (LadybugDB's TIMESTAMP) are UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# ---- relationships, as seen from one end -------------------------------------------------------


class ConnectionEdge(Frozen):
    """An undirected `CONNECTED_TO` relationship seen from one person: the other one and `since`."""

    person_id: str
    since: datetime


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


class Connection(Frozen):
    """A `CONNECTED_TO` relationship as stored (once per pair), for bulk loads."""

    person_a: str
    person_b: str
    since: datetime


class Broader(Frozen):
    """`(narrower:Expertise)-[:BROADER]->(broader:Expertise)`."""

    narrower_id: str
    broader_id: str


class Organized(Frozen):
    """`(Institution)-[:ORGANIZED]->(Event)`."""

    institution_id: str
    event_id: str


# ---- commands -----------------------------------------------------------------------------------


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

    @field_validator("languages")
    @classmethod
    def _distinct(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(value))

    @field_validator("email")
    @classmethod
    def _lower(cls, value: str | None) -> str | None:
        """Emails are kept in lower case, so uniqueness ignores case (`Anura@` = `anura@`)."""
        return value.lower() if value is not None else None

    def to_record(self, *, id: str, joined_at: datetime) -> CivilServant:
        """Build the stored record; `display_name` defaults to given + family name."""
        family = self.family_name or None
        display = self.display_name or " ".join(p for p in (self.given_name, family) if p)
        return CivilServant(
            id=id,
            joined_at=joined_at,
            **self.model_dump(exclude={"display_name", "family_name"}),
            family_name=family,
            display_name=display,
        )


class CivilServantUpdate(CivilServantCreate):
    """A partial profile update: only the fields explicitly set (`model_fields_set`) change.

    `given_name` may be omitted but never set empty; other text fields may be set to None to clear.
    """

    given_name: Name | None = None  # type: ignore[assignment]
    verified: bool | None = None
    is_expert: bool | None = None

    def apply(self, current: CivilServant) -> CivilServant:
        """Return `current` with this update applied (the whole record, validated again)."""
        changes = {k: getattr(self, k) for k in self.model_fields_set}
        if changes.get("given_name", current.given_name) is None:
            changes.pop("given_name")
        if "family_name" in changes and not changes["family_name"]:
            changes["family_name"] = None
        for flag in ("profile_visibility", "verified", "is_expert"):
            if flag in changes and changes[flag] is None:
                changes.pop(flag)
        merged = current.model_dump() | changes
        if "display_name" not in self.model_fields_set and (
            {"given_name", "family_name"} & self.model_fields_set
        ):
            merged["display_name"] = " ".join(
                p for p in (merged["given_name"], merged["family_name"]) if p
            )
        elif merged.get("display_name") is None:
            merged["display_name"] = current.display_name
        try:
            return CivilServant.model_validate(merged)
        except ValidationError as exc:  # a combination no single field's check could refuse
            raise InvalidInput(f"the updated profile is invalid: {exc.errors()[0]['msg']}") from exc


# ---- filters and bulk data ----------------------------------------------------------------------


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


class ReferenceKind(StrEnum):
    """The reference (catalogue) node kinds listed by `GraphStore.list_reference`."""

    COUNTRY = "Country"
    INSTITUTION = "Institution"
    EXPERTISE = "Expertise"
    EVENT = "Event"


class ReferenceFilter(Frozen):
    """Filters for reference lists. `country_code` applies to institutions and events; `top_level`
    (no broader area) to expertise; `name_contains` to every kind (folded, see `fold`)."""

    name_contains: str | None = None
    country_code: CountryCode | None = None
    top_level: bool | None = None


class GraphBatch(BaseModel):
    """Records to bulk-load in one go (imports and reference data). Empty lists are skipped."""

    countries: list[Country] = []
    institutions: list[Institution] = []
    expertise: list[Expertise] = []
    broader: list[Broader] = []
    events: list[Event] = []
    organized: list[Organized] = []
    people: list[CivilServant] = []
    connections: list[Connection] = []
    employments: list[Employment] = []
    studies: list[Study] = []
    expertise_claims: list[ExpertiseClaim] = []
    participations: list[Participation] = []
    mentorships: list[Mentorship] = []

    def counts(self) -> dict[str, int]:
        """Rows per part, e.g. `{"people": 1528, "connections": 14073, ...}`."""
        return {name: len(getattr(self, name)) for name in type(self).model_fields}


# ---- networking: requests, endorsements, mentorships --------------------------------------------


class ConnectionRequest(Frozen):
    """A pending `CONNECTION_REQUEST {at, message}` from `from_id` to `to_id`."""

    from_id: str
    to_id: str
    at: datetime
    message: Message | None = None

    @field_validator("at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return as_utc(value)


class ConnectionOutcome(StrEnum):
    """What `request_connection` did: a new request, or a connection (the other side had asked)."""

    REQUESTED = "REQUESTED"
    CONNECTED = "CONNECTED"


class Endorsement(Frozen):
    """`(endorser)-[:ENDORSED {expertiseId, at}]->(endorsee)`: once per endorser, endorsee and area."""

    endorser_id: str
    endorsee_id: str
    expertise_id: str
    at: datetime

    @field_validator("at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return as_utc(value)


class MentorshipStatus(StrEnum):
    """Lifecycle: REQUESTED → ACTIVE → COMPLETED; REQUESTED → DECLINED; REQUESTED/ACTIVE → CANCELLED."""

    REQUESTED = "REQUESTED"
    ACTIVE = "ACTIVE"
    COMPLETED = "COMPLETED"
    DECLINED = "DECLINED"
    CANCELLED = "CANCELLED"


OPEN_MENTORSHIP = (MentorshipStatus.REQUESTED, MentorshipStatus.ACTIVE)


class Mentorship(Frozen):
    """`(mentor)-[:MENTORS {id, expertiseId, goal, status, requestedAt, since, until}]->(mentee)`."""

    id: str
    mentor_id: str
    mentee_id: str
    expertise_id: str
    goal: Annotated[str, StringConstraints(max_length=2000), MULTI_LINE] | None = None
    status: MentorshipStatus
    requested_at: datetime
    since: datetime | None = None
    until: datetime | None = None

    @field_validator("requested_at", "since", "until")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return as_utc(value) if value else None


# ---- network queries ----------------------------------------------------------------------------


class NetworkRelationship(StrEnum):
    """Relationship kinds an ego network may follow (an allow-list for Cypher relationship types)."""

    CONNECTED_TO = "CONNECTED_TO"
    MENTORS = "MENTORS"
    ENDORSED = "ENDORSED"


class EgoNode(Frozen):
    """A person in an ego network and their distance (hops) from the centre."""

    person_id: str
    distance: int


class EgoEdge(Frozen):
    """A relationship between two people of an ego network (`source` → `target` as stored)."""

    source: str
    target: str
    kind: NetworkRelationship


class EgoNetwork(Frozen):
    """People within `depth` hops and the relationships among them; `truncated` if the node cap cut it."""

    center_id: str
    nodes: list[EgoNode]
    edges: list[EgoEdge]
    truncated: bool


class NetworkFilter(Frozen):
    """Filters of a network search around a person (all given must hold).

    `works_in_country` with `works_since_before`: works at an institution in that country since
    before that year (LDBC IC11's "job referral").
    """

    given_name: str | None = None
    expertise_id: str | None = None
    institution_id: str | None = None
    country_code: CountryCode | None = None
    works_in_country: CountryCode | None = None
    works_since_before: int | None = None


class RankedPerson(Frozen):
    """A person found near someone: hops away, and for recommendations a score and its reasons."""

    person_id: str
    distance: int
    score: float = 0.0
    mutual_ids: list[str] = []
    shared_expertise_ids: list[str] = []
    shared_institution_ids: list[str] = []
    shared_event_ids: list[str] = []
    cross_border: bool = False
    level: int | None = None
    endorsements: int = 0

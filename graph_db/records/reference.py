"""Reference (catalogue) data: countries, institutions, expertise areas, events, and their lists."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from graph_db.records.base import Frozen
from graph_db.records.fields import CountryCode, Line, Name, Text


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


class Broader(Frozen):
    """`(narrower:Expertise)-[:BROADER]->(broader:Expertise)`."""

    narrower_id: str
    broader_id: str


class Organized(Frozen):
    """`(Institution)-[:ORGANIZED]->(Event)`."""

    institution_id: str
    event_id: str


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


Reference = Country | Institution | Expertise | Event
"""Any reference node: what `ReferenceStore.list_reference` pages through."""


class MergeOutcome(Frozen):
    """What merging one reference node into another did.

    Attributes:
        moved: relationships (and references by id: endorsements' and mentorships' areas) now on
            the target that were on the source.
        folded: source relationships dropped as duplicates of the target's (their properties
            folded into the target's), as loops between the two, or as a second parent.
    """

    moved: int
    folded: int

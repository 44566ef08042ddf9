"""Records to and from graph properties (camelCase), shared by both adapters.

The stores keep the same property names; only their value types differ at the edges (LadybugDB
returns naive UTC datetimes, Neo4j its own temporal types), which each adapter's `mapping` handles
before calling `*_from_props`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Final, cast

from graph_db.records import (
    CivilServant,
    CivilServantUpdate,
    Country,
    CountryGroup,
    Event,
    Expertise,
    Institution,
    InstitutionKind,
    Mentorship,
    PortfolioItem,
    ProfileVisibility,
    Reference,
    ReferenceKind,
    fold,
    search_text,
    sort_name,
)
from graph_db.records.people import STANDALONE_FIELDS

Props = dict[str, Any]


def person_props(p: CivilServant) -> Props:
    """Stored properties of a civil servant, with the derived `sortName` and `searchText`.

    The key order is the LadybugDB table's column order (bulk loads copy DataFrames by position).
    """
    return {
        "id": p.id,
        "givenName": p.given_name,
        "familyName": p.family_name,
        "displayName": p.display_name,
        "email": p.email,
        "countryCode": p.country_code,
        "city": p.city,
        "position": p.position,
        "grade": p.grade,
        "bio": p.bio,
        "languages": list(p.languages),
        "photoUrl": p.photo_url,
        "joinedAt": p.joined_at,
        "verified": p.verified,
        "isExpert": p.is_expert,
        "sortName": sort_name(p.given_name, p.family_name),
        "searchText": search_text(p.display_name, p.given_name, p.family_name),
        "phone": p.phone,
        "profileVisibility": p.profile_visibility.value,
    }


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

_BLANK_PERSON: Final = CivilServant.trusted(
    id="", given_name="-", display_name="-", joined_at=EPOCH
)


def standalone_props(update: CivilServantUpdate) -> Props:
    """The stored properties an update of `records.people.STANDALONE_FIELDS` alone sets, as
    {property: value} converted as `person_props` converts them (languages as a list, the
    visibility by name), without the stored profile: those values depend on nothing else.

    Raises:
        ValueError: the update sets a field outside `STANDALONE_FIELDS`.
        InvalidInput: the values are invalid (as `CivilServantUpdate.apply` raises).
    """
    if not update.model_fields_set <= STANDALONE_FIELDS:
        raise ValueError(f"not standalone: {sorted(update.model_fields_set - STANDALONE_FIELDS)}")
    stored = person_props(update.apply(_BLANK_PERSON))
    return {_PROPERTY_OF[f]: stored[_PROPERTY_OF[f]] for f in update.model_fields_set}


_PROPERTY_OF: Final = {
    re.sub(r"[A-Z]", lambda m: "_" + m[0].lower(), name): name
    for name in person_props(_BLANK_PERSON)
}
"""Stored property by `CivilServant` field name (`photo_url` → `photoUrl`)."""


def instant(value: datetime | int | None) -> datetime | None:
    """A stored instant as read (an aware UTC datetime, or None), or from integer microseconds
    since 1970: what Neo4j projections send (the dialect's `PERSON_PROJECTION`), because the
    driver decodes a `DateTime` in pure Python at about 70 µs each."""
    if isinstance(value, int):
        return EPOCH + timedelta(microseconds=value)
    return value


def person_from_props(d: Props) -> CivilServant:
    """Inverse of `person_props` (derived properties are dropped).

    Built without validation (`Frozen.trusted`): every stored profile was validated on its way
    in, and the text rules (`records.fields`) cost ~18 µs a person, 9 ms for an ego network's
    500 people. Each value is given in the type the record holds (tuple, enum, bool)."""
    return CivilServant.trusted(
        id=d["id"],
        given_name=d["givenName"],
        family_name=d.get("familyName"),
        display_name=d["displayName"],
        email=d.get("email"),
        country_code=d.get("countryCode"),
        city=d.get("city"),
        position=d.get("position"),
        grade=d.get("grade"),
        bio=d.get("bio"),
        languages=tuple(d.get("languages") or ()),
        photo_url=d.get("photoUrl"),
        # Always stored; a missing one fails only the `joinedAt` field, not the whole read.
        joined_at=cast(datetime, instant(d["joinedAt"])),
        verified=bool(d.get("verified")),
        is_expert=bool(d.get("isExpert")),
        phone=d.get("phone"),
        profile_visibility=_VISIBILITY[d.get("profileVisibility") or "PUBLIC"],
    )


_VISIBILITY: Final = {v.value: v for v in ProfileVisibility}
"""`ProfileVisibility` by stored value: a dict look-up where calling the enum costs 2.6 µs (1.3 ms
for an ego network's 500 people)."""


def country_props(c: Country) -> Props:
    return {"id": c.id, "name": c.name, "countryGroup": c.group.value, "sortName": fold(c.name)}


def country_from_props(d: Props) -> Country:
    """Inverse of `country_props`; built without validation, as `person_from_props`."""
    return Country.trusted(
        id=d["id"], name=d["name"], group=CountryGroup(d.get("countryGroup") or "OTHER")
    )


def institution_props(i: Institution) -> Props:
    return {
        "id": i.id,
        "name": i.name,
        "acronym": i.acronym,
        "kind": i.kind.value,
        "countryCode": i.country_code,
        "sortName": fold(i.name),
    }


def institution_from_props(d: Props) -> Institution:
    """Inverse of `institution_props`; built without validation, as `person_from_props`."""
    return Institution.trusted(
        id=d["id"],
        name=d["name"],
        acronym=d.get("acronym"),
        kind=InstitutionKind(d["kind"]),
        country_code=d.get("countryCode"),
    )


def expertise_props(e: Expertise) -> Props:
    return {"id": e.id, "name": e.name, "description": e.description, "sortName": fold(e.name)}


def expertise_from_props(d: Props) -> Expertise:
    """Inverse of `expertise_props`; built without validation, as `person_from_props`."""
    return Expertise.trusted(id=d["id"], name=d["name"], description=d.get("description"))


def event_props(e: Event) -> Props:
    return {
        "id": e.id,
        "title": e.title,
        "kind": e.kind.value,
        "startDate": e.start_date,
        "endDate": e.end_date,
        "place": e.place,
        "countryCode": e.country_code,
        "description": e.description,
        "sortName": fold(e.title),
    }


def event_from_props(d: Props) -> Event:
    return Event(
        id=d["id"],
        title=d["title"],
        kind=d["kind"],
        start_date=d["startDate"],
        end_date=d.get("endDate"),
        place=d.get("place"),
        country_code=d.get("countryCode"),
        description=d.get("description"),
    )


def portfolio_props(p: PortfolioItem) -> Props:
    """Stored properties of a portfolio item; the author is the AUTHORED relationship, not a property."""
    return {
        "id": p.id,
        "kind": p.kind.value,
        "title": p.title,
        "year": p.year,
        "url": p.url,
        "summary": p.summary,
    }


def portfolio_from_props(d: Props, author_id: str) -> PortfolioItem:
    return PortfolioItem(
        id=d["id"],
        author_id=author_id,
        kind=d["kind"],
        title=d["title"],
        year=d.get("year"),
        url=d.get("url"),
        summary=d.get("summary"),
    )


REFERENCE_FROM_PROPS: dict[ReferenceKind, Callable[[Props], Reference]] = {
    ReferenceKind.COUNTRY: country_from_props,
    ReferenceKind.INSTITUTION: institution_from_props,
    ReferenceKind.EXPERTISE: expertise_from_props,
    ReferenceKind.EVENT: event_from_props,
}
FROM_PROPS: dict[str, Callable[[Props], CivilServant | Reference]] = {
    "CivilServant": person_from_props,
    **{kind.value: make for kind, make in REFERENCE_FROM_PROPS.items()},
}
"""Record builders by node label."""


def mentors_row(m: Mentorship) -> Props:
    """A `(mentor)-[:MENTORS]->(mentee)` row for bulk loads: the ends and the properties."""
    return {
        "from": m.mentor_id,
        "to": m.mentee_id,
        "id": m.id,
        "expertiseId": m.expertise_id,
        "goal": m.goal,
        "status": m.status.value,
        "requestedAt": m.requested_at,
        "since": m.since,
        "until": m.until,
    }

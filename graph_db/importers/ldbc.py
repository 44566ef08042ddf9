"""Read the LDBC SNB Interactive v1 CsvBasic files (as in `shared/data/ldbc-snb/sf0.1`) into records.

Mapping (DESIGN.md, "Mapping the LDBC sample"):
- Person → CivilServant: firstName/lastName → givenName/familyName, creationDate → joinedAt, the city
  it is located in → city, that city's country → countryCode. LDBC ids are kept unchanged. Imported
  people are `verified` (the sample stands for an already-vetted pool). browserUsed, locationIP,
  gender and birthday are not part of the civil-service model and are dropped.
- knows → CONNECTED_TO with `since` = creationDate (stored once per pair, as in the files).
- Organisation → Institution (University → UNIVERSITY, Company → COMPANY), with its country
  (a university's city's country; a company's country).
- studyAt → STUDIED_AT {year = classYear}; workAt → WORKS_AT {since = workFrom}.
- Tag → Expertise `tag-<id>`, TagClass → Expertise `tagclass-<id>`; hasType and isSubclassOf →
  BROADER; hasInterest → HAS_EXPERTISE with level 1 (an interest, the lowest level).
- LDBC Country places → Country with an ISO 3166-1 alpha-2 id (pycountry), or the ISO 3166-2 code
  for the UK's constituent countries, which LDBC lists as countries of their own.
DBpedia-style underscores in names become spaces.

Dates in these files are integers `yyyyMMddHHmmssSSS` in UTC (SOURCE.md §3).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pycountry

from graph_db.records import (
    Broader,
    CivilServant,
    Connection,
    Country,
    CountryGroup,
    Employment,
    Expertise,
    ExpertiseClaim,
    GraphBatch,
    Institution,
    InstitutionKind,
    Study,
)

DATASET_NAME = "ldbc-snb-sf0.1"
INTEREST_LEVEL = 1

# Names pycountry does not resolve exactly, or that ISO 3166-1 does not list as countries.
COUNTRY_CODE_OVERRIDES = {
    "Republic of Ireland": "IE",
    "Republic of Macedonia": "MK",
    "Swaziland": "SZ",
    "Burma": "MM",
    "Democratic Republic of the Congo": "CD",
    "Turkey": "TR",
    "Russia": "RU",
    "England": "GB-ENG",
    "Scotland": "GB-SCT",
    "Wales": "GB-WLS",
    "Northern Ireland": "GB-NIR",
}
ASEAN = {"BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN", "TL"}
PLUS_THREE = {"CN", "JP", "KR"}


class LdbcFormatError(ValueError):
    """A file is missing or a row does not have the expected columns."""


def ldbc_name(raw: str) -> str:
    """DBpedia-style `Malév_Hungarian_Airlines` → `Malév Hungarian Airlines`."""
    return raw.replace("_", " ")


def country_code(name: str) -> str:
    """ISO code of an LDBC country name (underscores or spaces), e.g. `Republic_of_Macedonia` → `MK`.

    Raises:
        LookupError: the name is not a country pycountry or the overrides know.
    """
    name = ldbc_name(name)
    if name in COUNTRY_CODE_OVERRIDES:
        return COUNTRY_CODE_OVERRIDES[name]
    return str(pycountry.countries.lookup(name).alpha_2)


def country_group(code: str) -> CountryGroup:
    """ACCSM group of a country code (shared/reference/accsm.md)."""
    if code in ASEAN:
        return CountryGroup.ASEAN_MEMBER
    if code in PLUS_THREE:
        return CountryGroup.PLUS_THREE
    return CountryGroup.OTHER


def ldbc_datetime(value: str) -> datetime:
    """`20100214153210447` → 2010-02-14T15:32:10.447Z."""
    return (
        datetime.strptime(value, "%Y%m%d%H%M%S%f").replace(tzinfo=UTC)
        if len(value) == 17
        else _bad(value)
    )


def _bad(value: str) -> datetime:
    raise LdbcFormatError(f"not a yyyyMMddHHmmssSSS timestamp: {value!r}")


def _rows(path: Path) -> Iterator[list[str]]:
    """Rows of a `|`-separated file, skipping a Neo4j-import style header if there is one."""
    if not path.exists():
        raise LdbcFormatError(f"missing LDBC file: {path}")
    with path.open(encoding="utf-8", newline="") as f:
        for i, row in enumerate(csv.reader(f, delimiter="|", quoting=csv.QUOTE_NONE)):
            if i == 0 and row and ("(" in row[0] or ":" in row[0]):
                continue
            if row:
                yield row


def _files(root: Path, stem: str) -> list[Path]:
    found = sorted(root.glob(f"{stem}.csv")) + sorted(root.glob(f"{stem}_[0-9]*.csv"))
    if not found:
        raise LdbcFormatError(f"missing LDBC file: {root / stem}.csv")
    return found


def read_ldbc(directory: Path, progress: Callable[[str, int], None] | None = None) -> GraphBatch:
    """Read an LDBC SNB CsvBasic directory (with `static/` and `dynamic/`) into one batch.

    Args:
        directory: the scale-factor folder, e.g. `shared/data/ldbc-snb/sf0.1`.
        progress: called as `progress(part, rows)` after each part is read (for a progress bar).

    Returns:
        A `GraphBatch` of countries, institutions, expertise (+ BROADER), people, connections,
        employments, studies and expertise claims. Counts for SF0.1 are in SOURCE.md §2.

    Raises:
        LdbcFormatError: a file is missing or malformed.
        LookupError: a country name cannot be mapped to an ISO code.
    """
    static, dynamic = directory / "static", directory / "dynamic"
    note = progress or (lambda part, n: None)

    places: dict[str, tuple[str, str]] = {
        r[0]: (ldbc_name(r[1]), r[3]) for r in _rows(static / "Place.csv")
    }
    part_of = {r[0]: r[1] for r in _rows(static / "Place_isPartOf_Place.csv")}
    codes = {pid: country_code(name) for pid, (name, kind) in places.items() if kind == "Country"}
    countries = [
        Country(id=codes[pid], name=places[pid][0], group=country_group(codes[pid]))
        for pid in codes
    ]
    note("countries", len(countries))

    def country_of(place_id: str) -> str | None:
        while place_id not in codes and place_id in part_of:
            place_id = part_of[place_id]
        return codes.get(place_id)

    org_place = {r[0]: r[1] for r in _rows(static / "Organisation_isLocatedIn_Place.csv")}
    institutions = [
        Institution(
            id=r[0],
            name=ldbc_name(r[2]),
            kind=InstitutionKind.UNIVERSITY if r[1] == "University" else InstitutionKind.COMPANY,
            country_code=country_of(org_place[r[0]]) if r[0] in org_place else None,
        )
        for r in _rows(static / "Organisation.csv")
    ]
    note("institutions", len(institutions))

    expertise = [
        Expertise(id=f"tagclass-{r[0]}", name=ldbc_name(r[1]))
        for r in _rows(static / "TagClass.csv")
    ]
    expertise += [
        Expertise(id=f"tag-{r[0]}", name=ldbc_name(r[1])) for r in _rows(static / "Tag.csv")
    ]
    broader = [
        Broader(narrower_id=f"tagclass-{r[0]}", broader_id=f"tagclass-{r[1]}")
        for r in _rows(static / "TagClass_isSubclassOf_TagClass.csv")
    ]
    broader += [
        Broader(narrower_id=f"tag-{r[0]}", broader_id=f"tagclass-{r[1]}")
        for r in _rows(static / "Tag_hasType_TagClass.csv")
    ]
    note("expertise areas", len(expertise))

    located = {r[0]: r[1] for r in _rows(dynamic / "Person_isLocatedIn_Place.csv")}
    people = []
    for r in _rows(dynamic / "Person.csv"):
        pid, first, last = r[0], r[1], r[2]
        city = located.get(pid)
        people.append(
            CivilServant(
                id=pid,
                given_name=first,
                family_name=last or None,
                display_name=f"{first} {last}".strip(),
                city=places[city][0] if city else None,
                country_code=country_of(city) if city else None,
                joined_at=ldbc_datetime(r[5]),
                verified=True,
            )
        )
    note("people", len(people))

    connections = [
        Connection(person_a=r[0], person_b=r[1], since=ldbc_datetime(r[2]))
        for path in _files(dynamic, "Person_knows_Person")
        for r in _rows(path)
    ]
    note("connections", len(connections))
    studies = [
        Study(person_id=r[0], institution_id=r[1], year=int(r[2]))
        for r in _rows(dynamic / "Person_studyAt_Organisation.csv")
    ]
    employments = [
        Employment(person_id=r[0], institution_id=r[1], since_year=int(r[2]))
        for r in _rows(dynamic / "Person_workAt_Organisation.csv")
    ]
    note("studies and employments", len(studies) + len(employments))
    claims = [
        ExpertiseClaim(person_id=r[0], expertise_id=f"tag-{r[1]}", level=INTEREST_LEVEL)
        for r in _rows(dynamic / "Person_hasInterest_Tag.csv")
    ]
    note("expertise claims", len(claims))
    return GraphBatch(
        countries=countries,
        institutions=institutions,
        expertise=expertise,
        broader=broader,
        people=people,
        connections=connections,
        employments=employments,
        studies=studies,
        expertise_claims=claims,
    )

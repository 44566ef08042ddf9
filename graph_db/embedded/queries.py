"""Cypher for LadybugDB. Every statement is a constant with `$parameters`; variants that differ in
structure (sort key, walk direction, label) are built once at import from fixed allow-lists.

Dialect notes (DESIGN.md): typed tables, no `SET n += $map`, `ORDER BY` in `WITH` needs `LIMIT`, and a
parameter takes its type from its first use, so `x = $p OR $p IS NULL` (not the reverse).
"""

from __future__ import annotations

from functools import cache
from typing import Final

from graph_db.keyset import WALKS, keyset_fragments
from graph_db.paging import PersonOrderField
from graph_db.records import ReferenceKind

PING: Final = "RETURN 1"

# ---- migrations and datasets ----
APPLIED_MIGRATIONS: Final = "MATCH (m:Migration) RETURN m.id"
RECORD_MIGRATION: Final = "CREATE (:Migration {id: $id, appliedAt: current_timestamp()})"
DATASETS: Final = "MATCH (d:Dataset) RETURN d.id ORDER BY d.id"
RECORD_DATASET: Final = "CREATE (:Dataset {id: $id, loadedAt: current_timestamp()})"

# ---- nodes by id ----
NODE_LABELS: Final = ("CivilServant", "Country", "Institution", "Expertise", "Event", "PortfolioItem")
GET_BY_IDS: Final[dict[str, str]] = {
    label: f"UNWIND $ids AS key MATCH (n:{label} {{id: key}}) RETURN n" for label in NODE_LABELS
}
PORTFOLIO_AUTHORS: Final = (
    "UNWIND $ids AS key MATCH (a:CivilServant)-[:AUTHORED]->(n:PortfolioItem {id: key}) RETURN n.id, a.id"
)
EXISTING_IDS: Final[dict[str, str]] = {
    label: f"UNWIND $ids AS key MATCH (n:{label} {{id: key}}) RETURN n.id" for label in (*NODE_LABELS, "Dataset")
}

# ---- people lists ----
# One fragment per filter; a query holds only the fragments of the filters a request uses (an
# unused `x = $p OR $p IS NULL` still costs a scan and blocks index use). Keys are the parameters.
PERSON_FILTERS: Final[dict[str, str]] = {
    "country": "n.countryCode = $country",
    "verified": "n.verified = $verified",
    "text": "n.searchText CONTAINS $text",
    "institution": "EXISTS { MATCH (n)-[:WORKS_AT]->(i:Institution) WHERE i.id = $institution }",
    "areas": "EXISTS { MATCH (n)-[:HAS_EXPERTISE]->(e:Expertise) WHERE e.id IN $areas }",
}
AREA_AND_NARROWER: Final = (
    "MATCH (x:Expertise {id: $id}) OPTIONAL MATCH (e:Expertise)-[:BROADER*1..10]->(x) RETURN x.id, collect(e.id)"
)
PERSON_SORT_KEYS: Final = {PersonOrderField.NAME: "n.sortName", PersonOrderField.JOINED_AT: "n.joinedAt"}


def _person_where(active: frozenset[str]) -> str:
    return " AND ".join(PERSON_FILTERS[name] for name in sorted(active)) or "true"


@cache
def list_people(active: frozenset[str], field: PersonOrderField, desc: bool) -> str:
    """The page query for the filters in `active` (keys of PERSON_FILTERS), sort field and direction."""
    key = PERSON_SORT_KEYS[field]
    where, order = keyset_fragments(key, "n.id", key_desc=desc, id_desc=desc)
    return (
        f"MATCH (n:CivilServant) WHERE {_person_where(active)} AND {where}"
        f" RETURN n, {key} ORDER BY {order} LIMIT $limit"
    )


@cache
def count_people(active: frozenset[str]) -> str:
    """The count query for the filters in `active`."""
    return f"MATCH (n:CivilServant) WHERE {_person_where(active)} RETURN count(n)"


# ---- reference lists ----
_REFERENCE_FILTER: Final[dict[ReferenceKind, str]] = {
    ReferenceKind.COUNTRY: "(n.sortName CONTAINS $text OR $text IS NULL)",
    ReferenceKind.INSTITUTION: "(n.sortName CONTAINS $text OR $text IS NULL)"
    " AND (n.countryCode = $country OR $country IS NULL)",
    ReferenceKind.EXPERTISE: "(n.sortName CONTAINS $text OR $text IS NULL)"
    " AND ((NOT EXISTS { MATCH (n)-[:BROADER]->(:Expertise) }) = $topLevel OR $topLevel IS NULL)",
    ReferenceKind.EVENT: "(n.sortName CONTAINS $text OR $text IS NULL)"
    " AND (n.countryCode = $country OR $country IS NULL)",
}
REFERENCE_SORT: Final[dict[ReferenceKind, tuple[str, bool]]] = {
    ReferenceKind.COUNTRY: ("n.sortName", False),
    ReferenceKind.INSTITUTION: ("n.sortName", False),
    ReferenceKind.EXPERTISE: ("n.sortName", False),
    ReferenceKind.EVENT: ("n.startDate", True),
}


def _list_reference(kind: ReferenceKind, backward: bool) -> str:
    key, desc = REFERENCE_SORT[kind]
    where, order = keyset_fragments(key, "n.id", key_desc=desc != backward, id_desc=desc != backward)
    return (
        f"MATCH (n:{kind.value}) WHERE {_REFERENCE_FILTER[kind]} AND {where}"
        f" RETURN n, {key} ORDER BY {order} LIMIT $limit"
    )


LIST_REFERENCE: Final[dict[tuple[ReferenceKind, bool], str]] = {
    (kind, backward): _list_reference(kind, backward) for kind in ReferenceKind for backward in WALKS
}
COUNT_REFERENCE: Final[dict[ReferenceKind, str]] = {
    kind: f"MATCH (n:{kind.value}) WHERE {_REFERENCE_FILTER[kind]} RETURN count(n)" for kind in ReferenceKind
}

# ---- relationships, batched by key; rows come back grouped by key ----
EXPERTISE_OF: Final = (
    "UNWIND $ids AS key MATCH (p:CivilServant {id: key})-[h:HAS_EXPERTISE]->(e:Expertise)"
    " RETURN key, e.id, h.level, h.years ORDER BY h.level DESC, e.id"
)
EMPLOYMENTS_OF: Final = (
    "UNWIND $ids AS key MATCH (p:CivilServant {id: key})-[w:WORKS_AT]->(i:Institution)"
    " RETURN key, i.id, w.position, w.since, w.until"
)
STUDIES_OF: Final = (
    "UNWIND $ids AS key MATCH (p:CivilServant {id: key})-[s:STUDIED_AT]->(i:Institution)"
    " RETURN key, i.id, s.year, s.degree"
)
PORTFOLIO_OF: Final = (
    "UNWIND $ids AS key MATCH (p:CivilServant {id: key})-[:AUTHORED]->(n:PortfolioItem) RETURN key, n"
)
ABOUT_OF: Final = (
    "UNWIND $ids AS key MATCH (n:PortfolioItem {id: key})-[:ABOUT]->(e:Expertise) RETURN key, e.id ORDER BY e.id"
)
PARTICIPATIONS_OF: Final = (
    "UNWIND $ids AS key MATCH (p:CivilServant {id: key})-[r:PARTICIPATED_IN]->(e:Event)"
    " RETURN key, e.id, r.role ORDER BY e.id"
)
PARTICIPANTS_OF: Final = (
    "UNWIND $ids AS key MATCH (p:CivilServant)-[r:PARTICIPATED_IN]->(e:Event {id: key})"
    " RETURN key, p.id, r.role ORDER BY p.id"
)
ORGANIZERS_OF: Final = (
    "UNWIND $ids AS key MATCH (i:Institution)-[:ORGANIZED]->(e:Event {id: key}) RETURN key, i.id ORDER BY i.id"
)
BROADER_OF: Final = (
    "UNWIND $ids AS key MATCH (e:Expertise {id: key})-[:BROADER]->(b:Expertise) RETURN key, b.id ORDER BY b.id"
)
NARROWER_OF: Final = (
    "UNWIND $ids AS key MATCH (n:Expertise)-[:BROADER]->(e:Expertise {id: key}) RETURN key, n.id ORDER BY n.id"
)
CONNECTION_COUNTS: Final = (
    "UNWIND $ids AS key OPTIONAL MATCH (p:CivilServant {id: key})-[:CONNECTED_TO]-(f:CivilServant)"
    " RETURN key, count(f)"
)

MEMBER_COUNTS: Final = (
    "UNWIND $ids AS key OPTIONAL MATCH (p:CivilServant)-[w:WORKS_AT]->(i:Institution {id: key})"
    " RETURN key, count(w)"
)
EXPERT_COUNTS: Final = (
    "UNWIND $ids AS key OPTIONAL MATCH (p:CivilServant)-[h:HAS_EXPERTISE]->(e:Expertise {id: key})"
    " RETURN key, count(h)"
)


def _connections_of(backward: bool) -> str:
    # LDBC IS3 order: since descending, then id ascending.
    where, order = keyset_fragments("k.since", "f.id", key_desc=not backward, id_desc=backward)
    return (
        "UNWIND $ids AS key MATCH (p:CivilServant {id: key})-[k:CONNECTED_TO]-(f:CivilServant)"
        f" WHERE {where} RETURN key, f.id, k.since ORDER BY key, {order}"
    )


CONNECTIONS_OF: Final = {backward: _connections_of(backward) for backward in WALKS}


def _members_of(backward: bool) -> str:
    where, order = keyset_fragments("p.id", "p.id", key_desc=backward, id_desc=backward)
    return (
        "UNWIND $ids AS key MATCH (p:CivilServant)-[w:WORKS_AT]->(i:Institution {id: key})"
        f" WHERE {where} RETURN key, p.id, w.position, w.since, w.until ORDER BY key, {order}"
    )


MEMBERS_OF: Final = {backward: _members_of(backward) for backward in WALKS}


def _experts_in(backward: bool) -> str:
    where, order = keyset_fragments("h.level", "p.id", key_desc=not backward, id_desc=backward)
    return (
        "UNWIND $ids AS key MATCH (p:CivilServant)-[h:HAS_EXPERTISE]->(e:Expertise {id: key})"
        f" WHERE {where} RETURN key, p.id, h.level, h.years ORDER BY key, {order}"
    )


EXPERTS_IN: Final = {backward: _experts_in(backward) for backward in WALKS}

# ---- writes ----
_PERSON_PROPS: Final = (
    "givenName: $givenName, familyName: $familyName, displayName: $displayName, email: $email,"
    " countryCode: $countryCode, city: $city, position: $position, grade: $grade, bio: $bio,"
    " languages: $languages, photoUrl: $photoUrl, joinedAt: $joinedAt, verified: $verified,"
    " isExpert: $isExpert, sortName: $sortName, searchText: $searchText"
)
CREATE_PERSON: Final = f"CREATE (n:CivilServant {{id: $id, {_PERSON_PROPS}}})"
UPDATE_PERSON: Final = (
    "MATCH (n:CivilServant {id: $id}) SET n.givenName = $givenName, n.familyName = $familyName,"
    " n.displayName = $displayName, n.email = $email, n.countryCode = $countryCode, n.city = $city,"
    " n.position = $position, n.grade = $grade, n.bio = $bio, n.languages = $languages,"
    " n.photoUrl = $photoUrl, n.verified = $verified, n.isExpert = $isExpert,"
    " n.sortName = $sortName, n.searchText = $searchText"
)
DELETE_PERSON: Final = (
    "MATCH (n:CivilServant {id: $id}) OPTIONAL MATCH (n)-[:AUTHORED]->(item:PortfolioItem)"
    " DETACH DELETE item, n"
)
EMAIL_TAKEN: Final = (
    "MATCH (n:CivilServant) WHERE n.email = $email AND n.id <> $id RETURN count(n)"
)
SET_EXPERTISE: Final = (
    "MATCH (p:CivilServant {id: $personId}), (e:Expertise {id: $expertiseId})"
    " MERGE (p)-[h:HAS_EXPERTISE]->(e) SET h.level = $level, h.years = $years RETURN h.level"
)
REMOVE_EXPERTISE: Final = (
    "MATCH (p:CivilServant {id: $personId})-[h:HAS_EXPERTISE]->(e:Expertise {id: $expertiseId})"
    " DELETE h RETURN count(*)"
)
CREATE_PORTFOLIO_ITEM: Final = (
    "MATCH (a:CivilServant {id: $authorId})"
    " CREATE (a)-[:AUTHORED]->(n:PortfolioItem {id: $id, kind: $kind, title: $title, year: $year,"
    " url: $url, summary: $summary})"
)
LINK_ABOUT: Final = (
    "MATCH (n:PortfolioItem {id: $id}) UNWIND $about AS eid"
    " MATCH (e:Expertise {id: eid}) CREATE (n)-[:ABOUT]->(e)"
)
RECORD_PARTICIPATION: Final = (
    "MATCH (p:CivilServant {id: $personId}), (e:Event {id: $eventId})"
    " MERGE (p)-[r:PARTICIPATED_IN]->(e) SET r.role = $role RETURN r.role"
)

# MERGE by id, then set every property: running twice changes nothing (reference data, countries).
MERGE_NODES: Final[dict[str, str]] = {
    "Country": "UNWIND $rows AS r MERGE (n:Country {id: r.id})"
    " SET n.name = r.name, n.countryGroup = r.countryGroup, n.sortName = r.sortName",
    "Institution": "UNWIND $rows AS r MERGE (n:Institution {id: r.id})"
    " SET n.name = r.name, n.acronym = r.acronym, n.kind = r.kind, n.countryCode = r.countryCode,"
    " n.sortName = r.sortName",
    "Expertise": "UNWIND $rows AS r MERGE (n:Expertise {id: r.id})"
    " SET n.name = r.name, n.description = r.description, n.sortName = r.sortName",
    "Event": "UNWIND $rows AS r MERGE (n:Event {id: r.id})"
    " SET n.title = r.title, n.kind = r.kind, n.startDate = r.startDate, n.endDate = r.endDate,"
    " n.place = r.place, n.countryCode = r.countryCode, n.description = r.description,"
    " n.sortName = r.sortName",
}
# Imports add countries without renaming the ones reference data already named.
MERGE_NEW_COUNTRIES: Final = (
    "UNWIND $rows AS r MERGE (n:Country {id: r.id})"
    " ON CREATE SET n.name = r.name, n.countryGroup = r.countryGroup, n.sortName = r.sortName"
)
MERGE_EDGES: Final[dict[str, str]] = {
    "BROADER": "UNWIND $rows AS r MATCH (a:Expertise {id: r.from}), (b:Expertise {id: r.to})"
    " MERGE (a)-[:BROADER]->(b)",
    "ORGANIZED": "UNWIND $rows AS r MATCH (a:Institution {id: r.from}), (b:Event {id: r.to})"
    " MERGE (a)-[:ORGANIZED]->(b)",
    "PART_OF": "UNWIND $rows AS r MATCH (a:Institution {id: r.from}), (b:Institution {id: r.to})"
    " MERGE (a)-[:PART_OF]->(b)",
}
COPY_FROM_FRAME: Final[dict[str, str]] = {
    table: f"COPY {table} FROM $frame"
    for table in (
        "CivilServant", "Institution", "Expertise", "Event", "CONNECTED_TO", "WORKS_AT", "STUDIED_AT",
        "HAS_EXPERTISE", "BROADER", "ORGANIZED", "PARTICIPATED_IN",
    )
}

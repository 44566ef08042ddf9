"""Cypher for Neo4j 5.26. Every statement is a constant with `$parameters`; variants that differ in
structure (sort key, walk direction, label) are built once at import from fixed allow-lists.

Nodes come back as `properties(n)` maps (no driver `Node` leaves the adapter). Optional filters are
written `$p IS NULL OR ...` so the cheap test comes first (Neo4j types parameters per value, unlike
LadybugDB). Writes that read before writing lock a node first with `SET n.id = n.id`: the kernel
takes the node's exclusive lock on any property write, even one that changes nothing.
"""

from __future__ import annotations

from typing import Final

from graph_db.keyset import WALKS, keyset_fragments
from graph_db.paging import PersonOrderField
from graph_db.records import ReferenceKind

PING: Final = "RETURN 1"

# ---- migrations and datasets ----
APPLIED_MIGRATIONS: Final = "MATCH (m:Migration) RETURN m.id"
RECORD_MIGRATION: Final = "MERGE (m:Migration {id: $id}) ON CREATE SET m.appliedAt = datetime()"
DATASETS: Final = "MATCH (d:Dataset) RETURN d.id ORDER BY d.id"
RECORD_DATASET: Final = "CREATE (:Dataset {id: $id, loadedAt: datetime()})"

# ---- nodes by id ----
NODE_LABELS: Final = (
    "CivilServant",
    "Country",
    "Institution",
    "Expertise",
    "Event",
    "PortfolioItem",
)
GET_BY_IDS: Final[dict[str, str]] = {
    label: f"UNWIND $ids AS key MATCH (n:{label} {{id: key}}) RETURN properties(n)"
    for label in NODE_LABELS
}
PORTFOLIO_AUTHORS: Final = "UNWIND $ids AS key MATCH (a:CivilServant)-[:AUTHORED]->(n:PortfolioItem {id: key}) RETURN n.id, a.id"
EXISTING_IDS: Final[dict[str, str]] = {
    label: f"UNWIND $ids AS key MATCH (n:{label} {{id: key}}) RETURN n.id"
    for label in (*NODE_LABELS, "Dataset")
}

# ---- people lists ----
_PERSON_FILTER: Final = (
    "($country IS NULL OR n.countryCode = $country)"
    " AND ($verified IS NULL OR n.verified = $verified)"
    " AND ($text IS NULL OR n.searchText CONTAINS $text)"
    " AND ($institution IS NULL"
    " OR EXISTS { MATCH (n)-[:WORKS_AT]->(i:Institution) WHERE i.id = $institution })"
)
# The expertise filter is a structural variant, not an `EXISTS {}` per person: planned as a
# subquery, Neo4j seeks the area and expands its whole subtree once per person (15 s a page for
# the LDBC root class); walking the subtree once, then to its holders, takes milliseconds.
_PEOPLE_MATCH: Final[dict[bool, str]] = {
    False: "MATCH (n:CivilServant)",
    True: "MATCH (:Expertise {id: $expertise})<-[:BROADER*0..10]-(:Expertise)<-[:HAS_EXPERTISE]-(n:CivilServant)"
    " WITH DISTINCT n",
}
PERSON_SORT_KEYS: Final = {
    PersonOrderField.NAME: "n.sortName",
    PersonOrderField.JOINED_AT: "n.joinedAt",
}


def _list_people(key: str, desc: bool, by_expertise: bool) -> str:
    where, order = keyset_fragments(key, "n.id", key_desc=desc, id_desc=desc)
    return (
        f"{_PEOPLE_MATCH[by_expertise]} WHERE {_PERSON_FILTER} AND {where}"
        f" RETURN properties(n), {key} ORDER BY {order} LIMIT $limit"
    )


LIST_PEOPLE: Final[dict[tuple[PersonOrderField, bool, bool], str]] = {
    (field, desc, by_expertise): _list_people(key, desc, by_expertise)
    for field, key in PERSON_SORT_KEYS.items()
    for desc in WALKS
    for by_expertise in (False, True)
}
"""Keyed by (sort field, walk descending, filtered by expertise)."""
COUNT_PEOPLE: Final[dict[bool, str]] = {
    by_expertise: f"{match} WHERE {_PERSON_FILTER} RETURN count(n)"
    for by_expertise, match in _PEOPLE_MATCH.items()
}
"""Keyed by: filtered by expertise."""

# ---- reference lists ----
_REFERENCE_FILTER: Final[dict[ReferenceKind, str]] = {
    ReferenceKind.COUNTRY: "($text IS NULL OR n.sortName CONTAINS $text)",
    ReferenceKind.INSTITUTION: "($text IS NULL OR n.sortName CONTAINS $text)"
    " AND ($country IS NULL OR n.countryCode = $country)",
    ReferenceKind.EXPERTISE: "($text IS NULL OR n.sortName CONTAINS $text)"
    " AND ($topLevel IS NULL OR (NOT EXISTS { MATCH (n)-[:BROADER]->(:Expertise) }) = $topLevel)",
    ReferenceKind.EVENT: "($text IS NULL OR n.sortName CONTAINS $text)"
    " AND ($country IS NULL OR n.countryCode = $country)",
}
REFERENCE_SORT: Final[dict[ReferenceKind, tuple[str, bool]]] = {
    ReferenceKind.COUNTRY: ("n.sortName", False),
    ReferenceKind.INSTITUTION: ("n.sortName", False),
    ReferenceKind.EXPERTISE: ("n.sortName", False),
    ReferenceKind.EVENT: ("n.startDate", True),
}


def _list_reference(kind: ReferenceKind, backward: bool) -> str:
    key, desc = REFERENCE_SORT[kind]
    where, order = keyset_fragments(
        key, "n.id", key_desc=desc != backward, id_desc=desc != backward
    )
    return (
        f"MATCH (n:{kind.value}) WHERE {_REFERENCE_FILTER[kind]} AND {where}"
        f" RETURN properties(n), {key} ORDER BY {order} LIMIT $limit"
    )


LIST_REFERENCE: Final[dict[tuple[ReferenceKind, bool], str]] = {
    (kind, backward): _list_reference(kind, backward)
    for kind in ReferenceKind
    for backward in WALKS
}
COUNT_REFERENCE: Final[dict[ReferenceKind, str]] = {
    kind: f"MATCH (n:{kind.value}) WHERE {_REFERENCE_FILTER[kind]} RETURN count(n)"
    for kind in ReferenceKind
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
    "UNWIND $ids AS key MATCH (p:CivilServant {id: key})-[:AUTHORED]->(n:PortfolioItem)"
    " RETURN key, properties(n)"
)
ABOUT_OF: Final = "UNWIND $ids AS key MATCH (n:PortfolioItem {id: key})-[:ABOUT]->(e:Expertise) RETURN key, e.id ORDER BY e.id"
PARTICIPATIONS_OF: Final = (
    "UNWIND $ids AS key MATCH (p:CivilServant {id: key})-[r:PARTICIPATED_IN]->(e:Event)"
    " RETURN key, e.id, r.role ORDER BY e.id"
)
PARTICIPANTS_OF: Final = (
    "UNWIND $ids AS key MATCH (p:CivilServant)-[r:PARTICIPATED_IN]->(e:Event {id: key})"
    " RETURN key, p.id, r.role ORDER BY p.id"
)
ORGANIZERS_OF: Final = "UNWIND $ids AS key MATCH (i:Institution)-[:ORGANIZED]->(e:Event {id: key}) RETURN key, i.id ORDER BY i.id"
BROADER_OF: Final = "UNWIND $ids AS key MATCH (e:Expertise {id: key})-[:BROADER]->(b:Expertise) RETURN key, b.id ORDER BY b.id"
NARROWER_OF: Final = "UNWIND $ids AS key MATCH (n:Expertise)-[:BROADER]->(e:Expertise {id: key}) RETURN key, n.id ORDER BY n.id"
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
LOCK_PERSON: Final = "MATCH (n:CivilServant {id: $id}) SET n.id = n.id RETURN properties(n)"
"""Take the person's write lock for the rest of the transaction and read it; no row if unknown."""

CREATE_PERSON: Final = "CREATE (n:CivilServant) SET n = $props"
UPDATE_PERSON: Final = (
    "MATCH (n:CivilServant {id: $id}) SET n.givenName = $givenName, n.familyName = $familyName,"
    " n.displayName = $displayName, n.email = $email, n.countryCode = $countryCode, n.city = $city,"
    " n.position = $position, n.grade = $grade, n.bio = $bio, n.languages = $languages,"
    " n.photoUrl = $photoUrl, n.verified = $verified, n.isExpert = $isExpert,"
    " n.sortName = $sortName, n.searchText = $searchText, n.phone = $phone,"
    " n.profileVisibility = $profileVisibility"
)
DELETE_PERSON: Final = (
    "MATCH (n:CivilServant {id: $id}) OPTIONAL MATCH (n)-[:AUTHORED]->(item:PortfolioItem)"
    " DETACH DELETE item, n"
)
EMAIL_TAKEN: Final = "MATCH (n:CivilServant {email: $email}) WHERE n.id <> $id RETURN count(n)"
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
    " CREATE (a)-[:AUTHORED]->(n:PortfolioItem) SET n = $props"
)
LINK_ABOUT: Final = (
    "MATCH (n:PortfolioItem {id: $id}) UNWIND $about AS eid"
    " MATCH (e:Expertise {id: eid}) CREATE (n)-[:ABOUT]->(e)"
)
RECORD_PARTICIPATION: Final = (
    "MATCH (p:CivilServant {id: $personId}), (e:Event {id: $eventId})"
    " MERGE (p)-[r:PARTICIPATED_IN]->(e) SET r.role = $role RETURN r.role"
)
# Single creates use CREATE (not MERGE) so that two concurrent creates of one id meet the
# uniqueness constraint (-> Conflict) instead of the second silently overwriting the first.
CREATE_NODE: Final[dict[str, str]] = {
    label: f"CREATE (n:{label}) SET n = $props" for label in ("Institution", "Expertise", "Event")
}

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

# ---- bulk inserts, run per chunk of rows ----
BULK_NODE_LABELS: Final = ("Institution", "Expertise", "Event", "CivilServant")
CREATE_NODES: Final[dict[str, str]] = {
    label: f"UNWIND $rows AS r CREATE (n:{label}) SET n = r" for label in BULK_NODE_LABELS
}
BULK_EDGES: Final[dict[str, tuple[str, str, str]]] = {
    # type: (from label, to label, properties set from the row)
    "BROADER": ("Expertise", "Expertise", ""),
    "ORGANIZED": ("Institution", "Event", ""),
    "CONNECTED_TO": ("CivilServant", "CivilServant", " {since: r.since}"),
    "WORKS_AT": (
        "CivilServant",
        "Institution",
        " {position: r.position, since: r.since, until: r.until}",
    ),
    "STUDIED_AT": ("CivilServant", "Institution", " {year: r.year, degree: r.degree}"),
    "HAS_EXPERTISE": ("CivilServant", "Expertise", " {level: r.level, years: r.years}"),
    "PARTICIPATED_IN": ("CivilServant", "Event", " {role: r.role}"),
    "MENTORS": (
        "CivilServant",
        "CivilServant",
        " {id: r.id, expertiseId: r.expertiseId, goal: r.goal, status: r.status,"
        " requestedAt: r.requestedAt, since: r.since, until: r.until}",
    ),
}
CREATE_EDGES: Final[dict[str, str]] = {
    rel: f"UNWIND $rows AS r MATCH (a:{a} {{id: r.from}}) MATCH (b:{b} {{id: r.to}})"
    f" CREATE (a)-[:{rel}{props}]->(b) RETURN count(*)"
    for rel, (a, b, props) in BULK_EDGES.items()
}

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
NODE_LABELS: Final = (
    "CivilServant",
    "Country",
    "Institution",
    "Expertise",
    "Event",
    "PortfolioItem",
)
GET_BY_IDS: Final[dict[str, str]] = {
    label: f"UNWIND $ids AS key MATCH (n:{label} {{id: key}}) RETURN n" for label in NODE_LABELS
}
PORTFOLIO_AUTHORS: Final = "UNWIND $ids AS key MATCH (a:CivilServant)-[:AUTHORED]->(n:PortfolioItem {id: key}) RETURN n.id, a.id"
EXISTING_IDS: Final[dict[str, str]] = {
    label: f"UNWIND $ids AS key MATCH (n:{label} {{id: key}}) RETURN n.id"
    for label in (*NODE_LABELS, "Dataset")
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
AREA_AND_NARROWER: Final = "MATCH (x:Expertise {id: $id}) OPTIONAL MATCH (e:Expertise)-[:BROADER*1..10]->(x) RETURN x.id, collect(e.id)"
PERSON_SORT_KEYS: Final = {
    PersonOrderField.NAME: "n.sortName",
    PersonOrderField.JOINED_AT: "n.joinedAt",
}


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
    where, order = keyset_fragments(
        key, "n.id", key_desc=desc != backward, id_desc=desc != backward
    )
    return (
        f"MATCH (n:{kind.value}) WHERE {_REFERENCE_FILTER[kind]} AND {where}"
        f" RETURN n, {key} ORDER BY {order} LIMIT $limit"
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
PORTFOLIO_OF: Final = "UNWIND $ids AS key MATCH (p:CivilServant {id: key})-[:AUTHORED]->(n:PortfolioItem) RETURN key, n"
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
    # `WHERE p.id IN $ids` then expand: LadybugDB looks the people up first and follows their
    # relationships. `UNWIND $ids AS key MATCH (p {id: key})-[k]-(f)` scanned every CONNECTED_TO
    # instead (87 ms vs 3 ms for one person on a 10k-people / 100k-connection graph; seconds at 1M).
    return (
        "MATCH (p:CivilServant) WHERE p.id IN $ids"
        " MATCH (p)-[k:CONNECTED_TO]-(f:CivilServant)"
        f" WHERE {where} RETURN p.id AS key, f.id, k.since ORDER BY key, {order}"
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
    " isExpert: $isExpert, sortName: $sortName, searchText: $searchText, phone: $phone,"
    " profileVisibility: $profileVisibility"
)
CREATE_PERSON: Final = f"CREATE (n:CivilServant {{id: $id, {_PERSON_PROPS}}})"
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
EMAIL_TAKEN: Final = "MATCH (n:CivilServant) WHERE n.email = $email AND n.id <> $id RETURN count(n)"
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
    " SET n.title = r.title, n.kind = r.kind, n.startDate = r.startDate, n.endDate = CAST(r.endDate AS DATE),"
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
        "CivilServant",
        "Institution",
        "Expertise",
        "Event",
        "CONNECTED_TO",
        "WORKS_AT",
        "STUDIED_AT",
        "HAS_EXPERTISE",
        "BROADER",
        "ORGANIZED",
        "PARTICIPATED_IN",
        "MENTORS",
    )
}

# ---- connections, endorsements, mentorships ----
CONNECTED: Final = "MATCH (a:CivilServant {id: $a})-[k:CONNECTED_TO]-(b:CivilServant {id: $b}) RETURN k.since LIMIT 1"
REQUEST_BETWEEN: Final = (
    "MATCH (a:CivilServant {id: $from})-[r:CONNECTION_REQUEST]->(b:CivilServant {id: $to})"
    " RETURN r.at, r.message LIMIT 1"
)
CREATE_REQUEST: Final = (
    "MATCH (a:CivilServant {id: $from}), (b:CivilServant {id: $to})"
    " CREATE (a)-[:CONNECTION_REQUEST {at: $at, message: $message}]->(b)"
)
DELETE_REQUEST: Final = "MATCH (a:CivilServant {id: $from})-[r:CONNECTION_REQUEST]->(b:CivilServant {id: $to}) DELETE r RETURN count(*)"
CREATE_CONNECTION: Final = "MATCH (a:CivilServant {id: $a}), (b:CivilServant {id: $b}) CREATE (a)-[:CONNECTED_TO {since: $since}]->(b)"
# LadybugDB deletes only directed relationships, so the stored direction is matched each way.
DELETE_CONNECTION: Final = "MATCH (a:CivilServant {id: $a})-[k:CONNECTED_TO]->(b:CivilServant {id: $b}) DELETE k RETURN count(*)"
REQUESTS_TO: Final = (
    "UNWIND $ids AS key MATCH (a:CivilServant)-[r:CONNECTION_REQUEST]->(b:CivilServant {id: key})"
    " RETURN key, a.id, b.id, r.at, r.message ORDER BY r.at DESC, a.id"
)
REQUESTS_FROM: Final = (
    "UNWIND $ids AS key MATCH (a:CivilServant {id: key})-[r:CONNECTION_REQUEST]->(b:CivilServant)"
    " RETURN key, a.id, b.id, r.at, r.message ORDER BY r.at DESC, b.id"
)
ENDORSEMENT: Final = (
    "MATCH (a:CivilServant {id: $endorser})-[e:ENDORSED]->(b:CivilServant {id: $endorsee})"
    " WHERE e.expertiseId = $expertiseId RETURN e.at LIMIT 1"
)
HOLDS_EXPERTISE: Final = "MATCH (p:CivilServant {id: $personId})-[h:HAS_EXPERTISE]->(e:Expertise {id: $expertiseId}) RETURN h.level"
CREATE_ENDORSEMENT: Final = (
    "MATCH (a:CivilServant {id: $endorser}), (b:CivilServant {id: $endorsee})"
    " CREATE (a)-[:ENDORSED {expertiseId: $expertiseId, at: $at}]->(b)"
)
DELETE_ENDORSEMENT: Final = (
    "MATCH (a:CivilServant {id: $endorser})-[e:ENDORSED]->(b:CivilServant {id: $endorsee})"
    " WHERE e.expertiseId = $expertiseId DELETE e RETURN count(*)"
)
ENDORSEMENTS_OF: Final = (
    "UNWIND $ids AS key MATCH (a:CivilServant)-[e:ENDORSED]->(b:CivilServant {id: key})"
    " RETURN key, a.id, e.expertiseId, e.at ORDER BY e.expertiseId, e.at DESC, a.id"
)
_MENTORSHIP_RETURN: Final = (
    " RETURN m.id, a.id, b.id, m.expertiseId, m.goal, m.status, m.requestedAt, m.since, m.until"
)
MENTORSHIP_BY_ID: Final = (
    "MATCH (a:CivilServant)-[m:MENTORS]->(b:CivilServant) WHERE m.id = $id" + _MENTORSHIP_RETURN
)
MENTORSHIPS_BY_IDS: Final = (
    "MATCH (a:CivilServant)-[m:MENTORS]->(b:CivilServant) WHERE m.id IN $ids" + _MENTORSHIP_RETURN
)
OPEN_MENTORSHIP: Final = (
    "MATCH (a:CivilServant {id: $mentorId})-[m:MENTORS]->(b:CivilServant {id: $menteeId})"
    " WHERE m.expertiseId = $expertiseId AND m.status IN ['REQUESTED', 'ACTIVE']"
    + _MENTORSHIP_RETURN
)
CREATE_MENTORSHIP: Final = (
    "MATCH (a:CivilServant {id: $mentorId}), (b:CivilServant {id: $menteeId})"
    " CREATE (a)-[:MENTORS {id: $id, expertiseId: $expertiseId, goal: $goal, status: $status,"
    " requestedAt: $requestedAt, since: $since, until: $until}]->(b)"
)
SET_MENTORSHIP_STATUS: Final = (
    "MATCH (a:CivilServant)-[m:MENTORS]->(b:CivilServant) WHERE m.id = $id"
    " SET m.status = $status, m.since = $since, m.until = $until"
)
MENTORSHIPS_AS_MENTOR: Final = (
    "UNWIND $ids AS key MATCH (a:CivilServant {id: key})-[m:MENTORS]->(b:CivilServant)"
    " RETURN key, m.id, a.id, b.id, m.expertiseId, m.goal, m.status, m.requestedAt, m.since, m.until"
    " ORDER BY m.requestedAt DESC, m.id"
)
MENTORSHIPS_AS_MENTEE: Final = (
    "UNWIND $ids AS key MATCH (a:CivilServant)-[m:MENTORS]->(b:CivilServant {id: key})"
    " RETURN key, m.id, a.id, b.id, m.expertiseId, m.goal, m.status, m.requestedAt, m.since, m.until"
    " ORDER BY m.requestedAt DESC, m.id"
)

# ---- traversals (every one with a hop cap in the pattern and a row cap) ----
# LadybugDB's `* SHORTEST 1..k` from one source to every reachable node is a breadth-first search:
# one row per reached person with its distance. Hop caps are written into the pattern (LadybugDB
# needs literal bounds), so there is one query per relationship set, direction and cap.
_RELS: Final[dict[frozenset[str], str]] = {
    frozenset({"CONNECTED_TO"}): "CONNECTED_TO",
    frozenset({"MENTORS"}): "MENTORS",
    frozenset({"ENDORSED"}): "ENDORSED",
    frozenset({"CONNECTED_TO", "MENTORS"}): "CONNECTED_TO|MENTORS",
    frozenset({"CONNECTED_TO", "ENDORSED"}): "CONNECTED_TO|ENDORSED",
    frozenset({"MENTORS", "ENDORSED"}): "MENTORS|ENDORSED",
    frozenset({"CONNECTED_TO", "MENTORS", "ENDORSED"}): "CONNECTED_TO|MENTORS|ENDORSED",
}
MAX_TRAVERSAL_HOPS: Final = 6
_ARROWS: Final = {"both": ("-", "-"), "out": ("-", "->"), "in": ("<-", "-")}
# Only established mentorships (ACTIVE or COMPLETED) are edges of the network; requests are not.
_ESTABLISHED: Final = " (r, n | WHERE label(r) <> 'MENTORS' OR r.status IN ['ACTIVE', 'COMPLETED'])"


def _recursive(rels: frozenset[str], hops: int) -> str:
    established = _ESTABLISHED if "MENTORS" in rels else ""
    return f"[:{_RELS[rels]}* SHORTEST 1..{hops}{established}]"


@cache
def reachable(rels: frozenset[str], direction: str, hops: int) -> str:
    """People within `hops` of `$id` over `rels`, with their distance; capped by `$limit` rows."""
    left, right = _ARROWS[direction]
    return (
        f"MATCH p = (a:CivilServant {{id: $id}}){left}{_recursive(rels, hops)}{right}(b:CivilServant)"
        " WHERE b.id <> $id RETURN b.id, length(p) AS d ORDER BY d, b.id LIMIT $limit"
    )


@cache
def shortest_path(rel: str, direction: str, hops: int) -> str:
    """One shortest path from `$from` to `$to` over `rel` (an allow-listed type), at most `hops` long."""
    left, right = _ARROWS[direction]
    return (
        f"MATCH p = (a:CivilServant {{id: $from}}){left}{_recursive(frozenset({rel}), hops)}{right}"
        "(b:CivilServant {id: $to}) RETURN properties(nodes(p), 'id') LIMIT 1"
    )


EDGES_AMONG: Final[dict[str, str]] = {
    # The people first, then their relationships (see `_connections_of`): 30% faster on 500 people.
    rel: f"MATCH (a:CivilServant) WHERE a.id IN $ids MATCH (a)-[r:{rel}]->(b:CivilServant) WHERE b.id IN $ids{extra}"
    " RETURN DISTINCT a.id, b.id ORDER BY a.id, b.id LIMIT $limit"
    for rel, extra in (
        ("CONNECTED_TO", ""),
        ("MENTORS", " AND r.status IN ['ACTIVE', 'COMPLETED']"),
        ("ENDORSED", ""),
    )
}

# Network search: filters on the people reached (keys are parameter names).
NETWORK_FILTERS: Final[dict[str, str]] = {
    "givenName": "lower(n.givenName) = lower($givenName)",
    "country": "n.countryCode = $country",
    "institution": "EXISTS { MATCH (n)-[:WORKS_AT]->(i:Institution) WHERE i.id = $institution }",
    "areas": "EXISTS { MATCH (n)-[:HAS_EXPERTISE]->(e:Expertise) WHERE e.id IN $areas }",
    "worksIn": "EXISTS { MATCH (n)-[w:WORKS_AT]->(i:Institution) WHERE i.countryCode = $worksIn"
    " AND w.since < $worksBefore }",
}


@cache
def filter_people(active: frozenset[str]) -> str:
    """Which of `$ids` pass the network filters in `active`."""
    where = " AND ".join(NETWORK_FILTERS[name] for name in sorted(active)) or "true"
    return f"UNWIND $ids AS key MATCH (n:CivilServant {{id: key}}) WHERE {where} RETURN n.id"


# Recommendation facts: second-degree people with their mutual connections, and what they share.
SECOND_DEGREE: Final = (
    "MATCH (a:CivilServant {id: $id})-[:CONNECTED_TO]-(m:CivilServant)-[:CONNECTED_TO]-(c:CivilServant)"
    " WHERE c.id <> $id AND NOT EXISTS { MATCH (a)-[:CONNECTED_TO]-(c) }"
    " AND NOT EXISTS { MATCH (a)-[:CONNECTION_REQUEST]-(c) }"
    " RETURN c.id, c.countryCode, collect(DISTINCT m.id) AS mutual ORDER BY size(mutual) DESC, c.id LIMIT $limit"
)
SHARED_EXPERTISE: Final = (
    "MATCH (a:CivilServant {id: $id})-[:HAS_EXPERTISE]->(e:Expertise)<-[:HAS_EXPERTISE]-(c:CivilServant)"
    " WHERE c.id IN $ids RETURN c.id, collect(e.id)"
)
SHARED_INSTITUTIONS: Final = (
    "MATCH (a:CivilServant {id: $id})-[:WORKS_AT|STUDIED_AT]->(i:Institution)<-[:WORKS_AT|STUDIED_AT]-(c:CivilServant)"
    " WHERE c.id IN $ids RETURN c.id, collect(DISTINCT i.id)"
)
SHARED_EVENTS: Final = (
    "MATCH (a:CivilServant {id: $id})-[:PARTICIPATED_IN]->(v:Event)<-[:PARTICIPATED_IN]-(c:CivilServant)"
    " WHERE c.id IN $ids RETURN c.id, collect(v.id)"
)
MENTOR_CANDIDATES: Final = (
    "MATCH (c:CivilServant)-[h:HAS_EXPERTISE]->(e:Expertise) WHERE e.id IN $areas AND c.id <> $id"
    " AND h.level > $minLevel"
    " AND NOT EXISTS { MATCH (c)-[m:MENTORS]->(me:CivilServant {id: $id}) WHERE m.status = 'ACTIVE' }"
    " WITH c, max(h.level) AS level"
    " OPTIONAL MATCH (:CivilServant)-[en:ENDORSED]->(c) WHERE en.expertiseId IN $areas"
    " RETURN c.id, level, count(en) AS endorsements ORDER BY level DESC, endorsements DESC, c.id LIMIT $limit"
)
LEVEL_IN: Final = "MATCH (p:CivilServant {id: $id})-[h:HAS_EXPERTISE]->(e:Expertise) WHERE e.id IN $areas RETURN max(h.level)"

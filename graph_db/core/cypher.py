"""The openCypher that Neo4j 5.26 and LadybugDB parse alike: every statement once, for both stores.

Each statement is a constant with `$parameters`; variants that differ in structure (sort key, walk
direction, label, relationship type) are built once at import, or cached, from fixed allow-lists in
this module, never from input. What really differs between the dialects (recursive patterns,
look-ups that one planner serves from an index and the other scans for, date casts, bulk loads,
migrations) lives in each adapter's `dialect.py`, with a comment naming the difference; the
contract suite (`tests/contract/`) runs every statement here on both stores.

Portable forms used throughout: a parameter is typed at its first use on LadybugDB, so optional
filters read `x = $p OR $p IS NULL`; nodes come back whole (`RETURN n`) and each adapter turns them
into plain property maps; no `SET n += $map` and no `datetime()` (timestamps come in as parameters).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Final

from graph_db.audit import APPEND_FROM_MAP
from graph_db.keyset import WALKS, keyset_fragments
from graph_db.paging import PersonOrderField
from graph_db.records import ReferenceKind

PING: Final = "RETURN 1"

# ---- migrations and datasets ----
APPLIED_MIGRATIONS: Final = "MATCH (m:Migration) RETURN m.id"
RECORD_MIGRATIONS: Final = (
    "UNWIND $ids AS id MERGE (m:Migration {id: id}) ON CREATE SET m.appliedAt = $at"
)
DATASETS: Final = "MATCH (d:Dataset) RETURN d.id ORDER BY d.id"
RECORD_DATASET: Final = "CREATE (:Dataset {id: $id, loadedAt: $at})"

# ---- nodes by id ----
NODE_LABELS: Final = (
    "CivilServant",
    "Country",
    "Institution",
    "Expertise",
    "Event",
    "PortfolioItem",
)


def per_key(anchor: str, expansion: str, tail: str) -> str:
    """A batched statement: look each of `$ids` up by id (`key`), then expand from it.

    Args:
        anchor: the node looked up, with `{id: key}` (e.g. `(p:CivilServant {id: key})`).
        expansion: the pattern from it, optionally with a `WHERE` (e.g. `(p)-[h:HAS_EXPERTISE]->(e)`).
        tail: `RETURN …` (and `ORDER BY …`) over the anchor, the expansion's variables and `key`.

    The last variable of `expansion` must be bound for a row to count: keys without a match give
    no rows. Why the `OPTIONAL MATCH`: LadybugDB plans `UNWIND $ids AS key MATCH (p {id: key})-[h]->(e)`
    as a scan of every relationship joined to the keys (57 ms for 15 keys on 100k people, 1M
    connections), but an `OPTIONAL MATCH` after the look-up as an expansion from each node found
    (1.6 ms; 9 ms for 500 keys vs 178 ms for `WHERE p.id IN $ids`); Neo4j plans both forms as an
    index seek and an expansion.
    """
    end = re.findall(r"\((\w+)[:)]", expansion.split(" WHERE ")[0])[-1]
    return (
        f"UNWIND $ids AS key MATCH {anchor} OPTIONAL MATCH {expansion}"
        f" WITH * WHERE {end} IS NOT NULL {tail}"
    )


GET_BY_IDS: Final[dict[str, str]] = {
    label: f"UNWIND $ids AS key MATCH (n:{label} {{id: key}}) RETURN n" for label in NODE_LABELS
}
PORTFOLIO_AUTHORS: Final = per_key(
    "(n:PortfolioItem {id: key})", "(n)<-[:AUTHORED]-(a:CivilServant)", "RETURN n.id, a.id"
)
EXISTING_IDS: Final[dict[str, str]] = {
    label: f"UNWIND $ids AS key MATCH (n:{label} {{id: key}}) RETURN n.id"
    for label in (*NODE_LABELS, "Dataset")
}

# ---- people lists ----
# One fragment per filter; a query holds only the fragments of the filters a request uses (an
# unused `x = $p OR $p IS NULL` still costs a scan and blocks index use). Keys are parameter names.
PERSON_FILTERS: Final[dict[str, str]] = {
    "country": "n.countryCode = $country",
    "verified": "n.verified = $verified",
    "text": "n.searchText CONTAINS $text",
    "institution": "EXISTS { MATCH (n)-[:WORKS_AT]->(i:Institution) WHERE i.id = $institution }",
    "areas": "EXISTS { MATCH (n)-[:HAS_EXPERTISE]->(e:Expertise) WHERE e.id IN $areas }",
}
# Neo4j plans the `areas` filter better as a structural variant: from the areas to their holders
# (once), instead of a subquery per person (15 s a page for the LDBC root class when measured).
PEOPLE_BY_AREAS: Final = (
    "MATCH (e:Expertise) WHERE e.id IN $areas"
    " MATCH (e)<-[:HAS_EXPERTISE]-(n:CivilServant) WITH DISTINCT n"
)
PERSON_SORT_KEYS: Final = {
    PersonOrderField.NAME: "n.sortName",
    PersonOrderField.JOINED_AT: "n.joinedAt",
}
AREA_AND_NARROWER: Final = (
    "MATCH (x:Expertise {id: $id}) OPTIONAL MATCH (e:Expertise)-[:BROADER*1..10]->(x)"
    " RETURN x.id, collect(e.id)"
)


def _people(active: frozenset[str], areas_first: bool) -> str:
    where = [PERSON_FILTERS[name] for name in sorted(active - {"areas"} if areas_first else active)]
    match = PEOPLE_BY_AREAS if areas_first and "areas" in active else "MATCH (n:CivilServant)"
    return f"{match} WHERE {' AND '.join(where) or 'true'}"


IN_KEY_ORDER: Final = frozenset({"country", "verified"})
"""Filters under which a page is read in sort-key order from an index and stops at `$limit`.
Under the others (a text, an institution, areas) that walk can pass most people to find a few
(95,000 index entries for a family name late in the alphabet, 100k generated), so there the
matches are found first and sorted."""


@cache
def list_people(
    active: frozenset[str],
    field: PersonOrderField,
    desc: bool,
    areas_first: bool,
    after: bool,
    person: str,
    ties_by_seek: bool = False,
) -> str:
    """The page query for the filters in `active` (keys of PERSON_FILTERS), sort field and direction.

    Args:
        areas_first: start from the expertise areas (the dialect's choice, see `PEOPLE_BY_AREAS`).
        after: the page starts after a cursor (`$afterKey`, `$afterId`); else they are not
            parameters of the statement.
        person: the dialect's `PERSON_PROJECTION` (an expression of `{var}`).
        ties_by_seek: the dialect's `TIES_BY_SEEK` (below).

    Rows: `[person map, sort key]`, at most `$limit`. Under `IN_KEY_ORDER` filters the key gets a
    bound an index can seek (`key >= $afterKey`, or `IS NOT NULL` on a first page: every person
    has both keys) and the country leads the order (constant under its filter), so Neo4j reads
    the page in order from `(countryCode, key)` or `(key)` and stops at `$limit`.

    Under the other filters the matches are sorted. With `ties_by_seek` (and people matched by
    label, not from areas) they are cut to `$limit` by the key alone, then everyone matching with
    the cut's last key is found again by the key's index and the union ordered by key and id: the
    same page as sorting every match by key and id (all with a key before the last are in the cut;
    of those on the last key, all are there), without reading every match's id.
    """
    key = PERSON_SORT_KEYS[field]
    past, order = keyset_fragments(key, "n.id", key_desc=desc, id_desc=desc)
    where = past if after else "true"  # a first page has no cursor to compare with
    people = _people(active, areas_first)
    answer = f"RETURN {person.format(var='n')}, {key}"
    if active <= IN_KEY_ORDER:
        bound = f"{key} {'<=' if desc else '>='} $afterKey" if after else f"{key} IS NOT NULL"
        where = f"{bound} AND {where}"
        if "country" in active:
            order = f"n.countryCode {'DESC' if desc else 'ASC'}, {order}"
    elif ties_by_seek and not (areas_first and "areas" in active):
        last, before = ("min", ">") if desc else ("max", "<")
        return (
            f"{people} AND {where} WITH n, {key} AS k ORDER BY k {'DESC' if desc else 'ASC'}"
            f" LIMIT $limit WITH collect(n) AS top, {last}(k) AS last"
            f" {people} AND {where} AND {key} = last WITH top, last, collect(n) AS ties"
            f" UNWIND [n IN top WHERE {key} {before} last] + ties AS n"
            f" WITH n ORDER BY {order} LIMIT $limit {answer}"
        )
    return f"{people} AND {where} WITH n ORDER BY {order} LIMIT $limit {answer}"


@cache
def count_people(active: frozenset[str], areas_first: bool) -> str:
    """The count query for the filters in `active`."""
    return f"{_people(active, areas_first)} RETURN count(n)"


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
    flip = desc != backward
    where, order = keyset_fragments(key, "n.id", key_desc=flip, id_desc=flip)
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
PERSON: Final = "(p:CivilServant {id: key})"
EXPERTISE_OF: Final = per_key(
    PERSON,
    "(p)-[h:HAS_EXPERTISE]->(e:Expertise)",
    "RETURN key, e.id, h.level, h.years ORDER BY h.level DESC, e.id",
)
EMPLOYMENTS_OF: Final = per_key(
    PERSON, "(p)-[w:WORKS_AT]->(i:Institution)", "RETURN key, i.id, w.position, w.since, w.until"
)
STUDIES_OF: Final = per_key(
    PERSON, "(p)-[s:STUDIED_AT]->(i:Institution)", "RETURN key, i.id, s.year, s.degree"
)
PORTFOLIO_OF: Final = per_key(PERSON, "(p)-[:AUTHORED]->(n:PortfolioItem)", "RETURN key, n")
ABOUT_OF: Final = per_key(
    "(n:PortfolioItem {id: key})", "(n)-[:ABOUT]->(e:Expertise)", "RETURN key, e.id ORDER BY e.id"
)
PARTICIPATIONS_OF: Final = per_key(
    PERSON, "(p)-[r:PARTICIPATED_IN]->(e:Event)", "RETURN key, e.id, r.role ORDER BY e.id"
)
PARTICIPANTS_OF: Final = per_key(
    "(e:Event {id: key})",
    "(e)<-[r:PARTICIPATED_IN]-(p:CivilServant)",
    "RETURN key, p.id, r.role ORDER BY p.id",
)
ORGANIZERS_OF: Final = per_key(
    "(e:Event {id: key})", "(e)<-[:ORGANIZED]-(i:Institution)", "RETURN key, i.id ORDER BY i.id"
)
BROADER_OF: Final = per_key(
    "(e:Expertise {id: key})", "(e)-[:BROADER]->(b:Expertise)", "RETURN key, b.id ORDER BY b.id"
)
NARROWER_OF: Final = per_key(
    "(e:Expertise {id: key})", "(e)<-[:BROADER]-(n:Expertise)", "RETURN key, n.id ORDER BY n.id"
)
# Counts: keys without a row count 0 (`Reads._counts`).
CONNECTION_COUNTS: Final = per_key(
    PERSON, "(p)-[:CONNECTED_TO]-(f:CivilServant)", "RETURN key, count(f)"
)
MEMBER_COUNTS: Final = per_key(
    "(i:Institution {id: key})", "(i)<-[w:WORKS_AT]-(p:CivilServant)", "RETURN key, count(w)"
)
EXPERT_COUNTS: Final = per_key(
    "(e:Expertise {id: key})", "(e)<-[h:HAS_EXPERTISE]-(p:CivilServant)", "RETURN key, count(h)"
)


def _connections_of(backward: bool) -> str:
    where, order = keyset_fragments("k.since", "f.id", key_desc=not backward, id_desc=backward)
    return per_key(
        PERSON,
        f"(p)-[k:CONNECTED_TO]-(f:CivilServant) WHERE {where}",
        f"RETURN p.id, f.id, k.since ORDER BY p.id, {order}",
    )


CONNECTIONS_OF: Final = {backward: _connections_of(backward) for backward in WALKS}
"""A page of connections per person, both walks. Order (LDBC IS3): since descending, then id."""


def neighbourhood(backward: bool, person: str, micros: str) -> str:
    """One statement for `Reads.neighbourhood` where the store has `CALL (vars) { … }`
    subqueries (Neo4j 5.23+; LadybugDB has none): the person `$id`, one page of their connections
    (the walk and order of `CONNECTIONS_OF`, `$limit` rows past the cursor, of which the first
    `$size` are the page), their degree, and for the person and each one on the page their
    employments (`EMPLOYMENTS_OF` columns) and expertise (`EXPERTISE_OF` columns and order), with
    every institution, area and country those name.

    Args:
        backward: walk the connections backward (`last` / `before`).
        person: the dialect's `PERSON_PROJECTION` (an expression of `{var}`).
        micros: an expression of `{value}` (a datetime) giving integer microseconds since 1970.

    Returns one row `[people, page, degree, jobs, places, claims, areas, countries]`: person
    maps, page rows `[id, other id, since in microseconds]`, then rows and property maps, only
    plain values (`_read(plain=True)`: 42 `DateTime`s of a 20-connection page cost the driver
    about 3 ms to decode); or no row when `$id` names nobody.
    """
    where, order = keyset_fragments("k.since", "f.id", key_desc=not backward, id_desc=backward)
    return (
        "MATCH (p:CivilServant {id: $id}) "
        "CALL (p) { "
        f"MATCH (p)-[k:CONNECTED_TO]-(f:CivilServant) WHERE {where} "
        f"WITH p, k, f ORDER BY {order} LIMIT $limit "
        f"RETURN collect([p.id, f.id, {micros.format(value='k.since')}]) AS page,"
        " collect(f)[0..$size] AS friends } "
        "WITH p, page, [p] + friends AS people, "
        "COUNT { (p)-[:CONNECTED_TO]-(:CivilServant) } AS degree "
        "CALL (people) { UNWIND people AS q MATCH (q)-[w:WORKS_AT]->(i:Institution) "
        "RETURN collect([q.id, i.id, w.position, w.since, w.until]) AS jobs, "
        "collect(DISTINCT i {.*}) AS places } "
        "CALL (people) { UNWIND people AS q MATCH (q)-[h:HAS_EXPERTISE]->(e:Expertise) "
        "WITH q, h, e ORDER BY q.id, h.level DESC, e.id "
        "RETURN collect([q.id, e.id, h.level, h.years]) AS claims, collect(DISTINCT e {.*}) AS areas } "
        "CALL (people) { UNWIND people AS q MATCH (c:Country {id: q.countryCode}) "
        "RETURN collect(DISTINCT c {.*}) AS countries } "
        f"RETURN [q IN people | {person.format(var='q')}], page, degree, jobs, places, claims,"
        " areas, countries"
    )


def _members_of(backward: bool) -> str:
    where, order = keyset_fragments("p.id", "p.id", key_desc=backward, id_desc=backward)
    return per_key(
        "(i:Institution {id: key})",
        f"(i)<-[w:WORKS_AT]-(p:CivilServant) WHERE {where}",
        f"RETURN key, p.id, w.position, w.since, w.until ORDER BY key, {order}",
    )


MEMBERS_OF: Final = {backward: _members_of(backward) for backward in WALKS}


def _experts_in(backward: bool) -> str:
    where, order = keyset_fragments("h.level", "p.id", key_desc=not backward, id_desc=backward)
    return per_key(
        "(e:Expertise {id: key})",
        f"(e)<-[h:HAS_EXPERTISE]-(p:CivilServant) WHERE {where}",
        f"RETURN key, p.id, h.level, h.years ORDER BY key, {order}",
    )


EXPERTS_IN: Final = {backward: _experts_in(backward) for backward in WALKS}


# ---- writes ----
def _props(*names: str) -> str:
    return ", ".join(f"{name}: ${name}" for name in names)


PERSON_PROPERTIES: Final = (
    "givenName", "familyName", "displayName", "email", "countryCode", "city", "position", "grade",
    "bio", "languages", "photoUrl", "joinedAt", "verified", "isExpert", "sortName", "searchText",
    "phone", "profileVisibility",
)  # fmt: skip
CREATE_PERSON: Final = f"CREATE (n:CivilServant {{id: $id, {_props(*PERSON_PROPERTIES)}}})"


@cache
def update_person(
    names: frozenset[str], *, returning: str | None = None, audited: bool = False
) -> str:
    """SET the properties `names` (a subset of `PERSON_PROPERTIES`) of `$id` to `$<name>`;
    `returning`: then answer the person as stored, in this projection of `{var}` (the dialect's
    `PERSON_PROJECTION`: on Neo4j a map with `joinedAt` as microseconds, which the driver reads
    without decoding a `DateTime`), one row, none if nobody has the id;
    `audited`: and append the audit entry `$audit` (`audit.APPEND_FROM_MAP`) when, and only
    when, the person is found.

    Only what changed is written: on LadybugDB every column written keeps memory until the next
    checkpoint (~25 KiB per column per transaction when measured).
    """
    if not names <= set(PERSON_PROPERTIES):
        raise ValueError(f"not person properties: {sorted(names - set(PERSON_PROPERTIES))}")
    sets = ", ".join(f"n.{name} = ${name}" for name in sorted(names))
    return (
        f"MATCH (n:CivilServant {{id: $id}}) SET {sets}"
        + (f" {APPEND_FROM_MAP}" if audited else "")
        + (f" RETURN {returning.format(var='n')}" if returning else "")
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
    f" CREATE (a)-[:AUTHORED]->(n:PortfolioItem {{{_props('id', 'kind', 'title', 'year', 'url', 'summary')}}})"
)
LINK_ABOUT: Final = (
    "MATCH (n:PortfolioItem {id: $id}) UNWIND $about AS eid"
    " MATCH (e:Expertise {id: eid}) CREATE (n)-[:ABOUT]->(e)"
)
RECORD_PARTICIPATION: Final = (
    "MATCH (p:CivilServant {id: $personId}), (e:Event {id: $eventId})"
    " MERGE (p)-[r:PARTICIPATED_IN]->(e) SET r.role = $role RETURN r.role"
)
REFERENCE_PROPERTIES: Final[dict[str, tuple[str, ...]]] = {
    "Country": ("name", "countryGroup", "sortName"),
    "Institution": ("name", "acronym", "kind", "countryCode", "sortName"),
    "Expertise": ("name", "description", "sortName"),
    "Event": (
        "title", "kind", "startDate", "endDate", "place", "countryCode", "description", "sortName",
    ),
}  # fmt: skip
"""Stored properties of each reference label besides `id` (LadybugDB column order)."""

# Single creates use CREATE (not MERGE): two concurrent creates of one id meet Neo4j's uniqueness
# constraint (-> Conflict) instead of the second silently overwriting the first.
CREATE_NODE: Final[dict[str, str]] = {
    label: f"CREATE (n:{label} {{id: $id, {_props(*names)}}})"
    for label, names in REFERENCE_PROPERTIES.items()
}


def merge_nodes(label: str, cast: dict[str, str]) -> str:
    """MERGE rows `$rows` by id, then set every property: running twice changes nothing.

    Args:
        label: a key of `REFERENCE_PROPERTIES`.
        cast: per property, a format with `{}` for the row value (the dialect's casts, e.g. a date
            that may be null in a list of rows).
    """
    sets = ", ".join(
        f"n.{name} = {cast.get(name, '{}').format('r.' + name)}"
        for name in REFERENCE_PROPERTIES[label]
    )
    return f"UNWIND $rows AS r MERGE (n:{label} {{id: r.id}}) SET {sets}"


# Imports add countries without renaming the ones reference data already named.
MERGE_NEW_COUNTRIES: Final = (
    "UNWIND $rows AS r MERGE (n:Country {id: r.id})"
    " ON CREATE SET n.name = r.name, n.countryGroup = r.countryGroup, n.sortName = r.sortName"
)
RELATIONSHIPS: Final[dict[str, tuple[str, str, tuple[str, ...]]]] = {
    "CONNECTED_TO": ("CivilServant", "CivilServant", ("since",)),
    "WORKS_AT": ("CivilServant", "Institution", ("position", "since", "until")),
    "STUDIED_AT": ("CivilServant", "Institution", ("year", "degree")),
    "HAS_EXPERTISE": ("CivilServant", "Expertise", ("level", "years")),
    "BROADER": ("Expertise", "Expertise", ()),
    "PART_OF": ("Institution", "Institution", ()),
    "AUTHORED": ("CivilServant", "PortfolioItem", ()),
    "ABOUT": ("PortfolioItem", "Expertise", ()),
    "PARTICIPATED_IN": ("CivilServant", "Event", ("role",)),
    "ORGANIZED": ("Institution", "Event", ()),
    "CONNECTION_REQUEST": ("CivilServant", "CivilServant", ("at", "message")),
    "ENDORSED": ("CivilServant", "CivilServant", ("expertiseId", "at")),
    "MENTORS": ("CivilServant", "CivilServant", (
        "id", "expertiseId", "goal", "status", "requestedAt", "since", "until",
    )),
    "SCORED": ("AnalyticsRun", "CivilServant", ("degree", "pagerank", "betweenness", "community")),
    "NOTIFIED": ("CivilServant", "Notification", ()),
    "INTRODUCTION_PARTY": ("Introduction", "CivilServant", ("role",)),
    "CO_AUTHORED": ("CivilServant", "PortfolioItem", ()),
    "EXPERT_STATUS_CHANGED": ("CivilServant", "ExpertStatusChange", ()),
    "POSTED": ("CivilServant", "ExpertiseRequest", ()),
    "NEEDS": ("ExpertiseRequest", "Expertise", ()),
    "OFFERED": ("CivilServant", "ExpertiseRequest", ("message", "at", "status")),
    "COLLABORATES_ON": ("CivilServant", "ExpertiseRequest", ("since", "until", "outcome")),
}  # fmt: skip
"""Every relationship type of the model: `(start label, end label, properties)`, as LadybugDB's
REL TABLEs declare them (`tests/contract/test_reference_corrections_contract.py` compares the two).
Merging two reference nodes moves every type that touches their label (`catalogue_cypher`)."""
INDEX_RELATIONSHIPS: Final = frozenset({"INDEXED_AS"})
"""Relationship tables of the embedded search index (`graph_db.core.search`), not of the model:
a merge re-indexes the nodes instead of moving their postings."""
EDGE_ENDS: Final[dict[str, tuple[str, str]]] = {
    rel: RELATIONSHIPS[rel][:2]
    for rel in (
        "BROADER", "ORGANIZED", "PART_OF", "CONNECTED_TO", "WORKS_AT", "STUDIED_AT",
        "HAS_EXPERTISE", "PARTICIPATED_IN", "MENTORS",
    )
}  # fmt: skip
"""Labels at the two ends of each relationship type that bulk loads and merges write."""
MERGE_EDGES: Final[dict[str, str]] = {
    rel: f"UNWIND $rows AS r MATCH (a:{a} {{id: r.from}}), (b:{b} {{id: r.to}}) MERGE (a)-[:{rel}]->(b)"
    for rel, (a, b) in EDGE_ENDS.items()
    if rel in ("BROADER", "ORGANIZED", "PART_OF")
}

# ---- connections, endorsements, mentorships ----
CONNECTED: Final = (
    "MATCH (a:CivilServant {id: $a})-[k:CONNECTED_TO]-(b:CivilServant {id: $b})"
    " RETURN k.since LIMIT 1"
)
REQUEST_BETWEEN: Final = (
    "MATCH (a:CivilServant {id: $from})-[r:CONNECTION_REQUEST]->(b:CivilServant {id: $to})"
    " RETURN r.at, r.message LIMIT 1"
)
CREATE_REQUEST: Final = (
    "MATCH (a:CivilServant {id: $from}), (b:CivilServant {id: $to})"
    " CREATE (a)-[:CONNECTION_REQUEST {at: $at, message: $message}]->(b)"
)
DELETE_REQUEST: Final = (
    "MATCH (a:CivilServant {id: $from})-[r:CONNECTION_REQUEST]->(b:CivilServant {id: $to})"
    " DELETE r RETURN count(*)"
)
CREATE_CONNECTION: Final = (
    "MATCH (a:CivilServant {id: $a}), (b:CivilServant {id: $b})"
    " CREATE (a)-[:CONNECTED_TO {since: $since}]->(b)"
)
# LadybugDB deletes only directed relationships, so the stored direction is matched each way.
DELETE_CONNECTION: Final = (
    "MATCH (a:CivilServant {id: $a})-[k:CONNECTED_TO]->(b:CivilServant {id: $b})"
    " DELETE k RETURN count(*)"
)
REQUESTS_TO: Final = per_key(
    "(b:CivilServant {id: key})",
    "(b)<-[r:CONNECTION_REQUEST]-(a:CivilServant)",
    "RETURN key, a.id, b.id, r.at, r.message ORDER BY r.at DESC, a.id",
)
REQUESTS_FROM: Final = per_key(
    "(a:CivilServant {id: key})",
    "(a)-[r:CONNECTION_REQUEST]->(b:CivilServant)",
    "RETURN key, a.id, b.id, r.at, r.message ORDER BY r.at DESC, b.id",
)
HOLDS_EXPERTISE: Final = (
    "MATCH (p:CivilServant {id: $personId})-[h:HAS_EXPERTISE]->(e:Expertise {id: $expertiseId})"
    " RETURN h.level"
)
ENDORSEMENT: Final = (
    "MATCH (a:CivilServant {id: $endorser})-[e:ENDORSED]->(b:CivilServant {id: $endorsee})"
    " WHERE e.expertiseId = $expertiseId RETURN e.at LIMIT 1"
)
CREATE_ENDORSEMENT: Final = (
    "MATCH (a:CivilServant {id: $endorser}), (b:CivilServant {id: $endorsee})"
    " CREATE (a)-[:ENDORSED {expertiseId: $expertiseId, at: $at}]->(b)"
)
DELETE_ENDORSEMENT: Final = (
    "MATCH (a:CivilServant {id: $endorser})-[e:ENDORSED]->(b:CivilServant {id: $endorsee})"
    " WHERE e.expertiseId = $expertiseId DELETE e RETURN count(*)"
)
ENDORSEMENTS_OF: Final = per_key(
    "(b:CivilServant {id: key})",
    "(b)<-[e:ENDORSED]-(a:CivilServant)",
    "RETURN key, a.id, e.expertiseId, e.at ORDER BY e.expertiseId, e.at DESC, a.id",
)
MENTORSHIP_COLUMNS: Final = (
    "m.id, a.id, b.id, m.expertiseId, m.goal, m.status, m.requestedAt, m.since, m.until"
)
"""What `mentorship_from_row` reads, with `a` the mentor and `b` the mentee."""
MENTORSHIP_BY_ID: Final = (
    "MATCH (a:CivilServant)-[m:MENTORS {id: $id}]->(b:CivilServant)"
    f" RETURN {MENTORSHIP_COLUMNS} LIMIT 1"
)
OPEN_MENTORSHIP: Final = (
    "MATCH (a:CivilServant {id: $mentorId})-[m:MENTORS]->(b:CivilServant {id: $menteeId})"
    " WHERE m.expertiseId = $expertiseId AND m.status IN ['REQUESTED', 'ACTIVE']"
    f" RETURN {MENTORSHIP_COLUMNS} LIMIT 1"
)
CREATE_MENTORSHIP: Final = (
    "MATCH (a:CivilServant {id: $mentorId}), (b:CivilServant {id: $menteeId})"
    " CREATE (a)-[:MENTORS {id: $id, expertiseId: $expertiseId, goal: $goal, status: $status,"
    " requestedAt: $requestedAt, since: $since, until: $until}]->(b)"
)
SET_MENTORSHIP_STATUS: Final = (
    "MATCH (:CivilServant)-[m:MENTORS {id: $id}]->(:CivilServant)"
    " SET m.status = $status, m.since = $since, m.until = $until"
)
MENTORSHIPS_AS_MENTOR: Final = per_key(
    "(a:CivilServant {id: key})",
    "(a)-[m:MENTORS]->(b:CivilServant)",
    f"RETURN key, {MENTORSHIP_COLUMNS} ORDER BY m.requestedAt DESC, m.id",
)
MENTORSHIPS_AS_MENTEE: Final = per_key(
    "(b:CivilServant {id: key})",
    "(b)<-[m:MENTORS]-(a:CivilServant)",
    f"RETURN key, {MENTORSHIP_COLUMNS} ORDER BY m.requestedAt DESC, m.id",
)

# ---- traversals: allow-lists for the parts of a pattern that vary ----
MAX_TRAVERSAL_HOPS: Final = 6
RELATIONSHIP_TYPES: Final = frozenset({"CONNECTED_TO", "MENTORS", "ENDORSED"})
ARROWS: Final = {"both": ("-", "-"), "out": ("-", "->"), "in": ("<-", "-")}
REVERSED: Final = {"both": "both", "out": "in", "in": "out"}
ESTABLISHED_STATUSES: Final = "['ACTIVE', 'COMPLETED']"
"""Only established mentorships are edges of the network; requests are not."""


def rel_types(rels: frozenset[str]) -> str:
    """`A|B` for a non-empty subset of `RELATIONSHIP_TYPES`; raises ValueError otherwise."""
    if not rels or not rels <= RELATIONSHIP_TYPES:
        raise ValueError(f"relationship types must be a non-empty subset of {RELATIONSHIP_TYPES}")
    return "|".join(sorted(rels))


REL_FILTERS: Final = {
    "CONNECTED_TO": "",
    "MENTORS": f" WHERE r.status IN {ESTABLISHED_STATUSES}",
    "ENDORSED": "",
}
"""What a relationship must satisfy to count in traversals: mentorships once established."""


@cache
def neighbour_keys(node_key: str, rel: str, direction: str) -> str:
    """Each person of `$ids` with its store key and the store keys of the people one `rel` away
    in `direction` (`ARROWS`; established mentorships only): rows `id, key, [key]`.

    `node_key` is the dialect's `NODE_KEY`. Keys, not ids, because the far ends' `id` property is
    read per relationship: on 100k people a depth-2 ego network's 500 people have 50k outgoing
    connections (hubs), and `WHERE b.id IN $ids` took 127 ms on LadybugDB where collecting keys
    and comparing them in Python took 17 ms. Used for the edges among a set of people
    (`Reads.edges_among`) and for the meeting step of `Reads.shortest_path`.
    """
    a, b = node_key.format(var="a"), node_key.format(var="b")
    left, right = ARROWS[direction]
    return (
        "UNWIND $ids AS key MATCH (a:CivilServant {id: key})"
        f" OPTIONAL MATCH (a){left}[r:{rel}]{right}(b:CivilServant){REL_FILTERS[rel]}"
        f" WITH a, collect({b}) AS out RETURN a.id, {a}, out"
    )


@cache
def out_among(rel: str) -> str:
    """Each person of `$ids` with the ids of those of `$ids` one outgoing `rel` away
    (established mentorships only): rows `id, [id]`, people without any left out. For stores
    where `b.id IN $ids` is a hash look-up (`Dialect.HASHES_ID_LISTS`): on Neo4j a depth-2 ego
    network's 500 people read 5,000 edges this way, where `neighbour_keys` sent 50k element ids
    (the driver's decoding of them was 15 ms of the request)."""
    where = REL_FILTERS[rel] + (" AND" if REL_FILTERS[rel] else " WHERE") + " b.id IN $ids"
    return per_key(
        "(a:CivilServant {id: key})",
        f"(a)-[r:{rel}]->(b:CivilServant){where}",
        "RETURN a.id, collect(b.id)",
    )


@cache
def steps_to(node_key: str, rel: str, direction: str) -> str:
    """Those of `$ids` with a `rel` one step to the person `$node` (`direction`, `ARROWS`, read
    from each of `$ids` toward `$node`; established mentorships only): rows `id`.

    `node_key` is the dialect's `NODE_KEY`. The store keys of `$node`'s neighbours are collected
    (keys, not ids: no property read per relationship, so a hub of 7,500 connections costs
    0.6 ms on 1M people), then `$ids` are looked up and kept if among them. Used to retrace a
    shortest path inside the balls `Reads._meet_in_the_middle` has found: the store's own search
    between two bound people took 40 ms for 2 hops on 1M people, and a look-up of `$ids`
    expanded toward a bound `$node` was planned as a scan (200 ms)."""
    left, right = ARROWS[REVERSED[direction]]
    return (
        f"MATCH (m:CivilServant {{id: $node}}) OPTIONAL MATCH (m){left}[r:{rel}]{right}"
        f"(x:CivilServant){REL_FILTERS[rel]} WITH collect({node_key.format(var='x')}) AS around"
        " UNWIND $ids AS key MATCH (y:CivilServant {id: key})"
        f" WHERE {node_key.format(var='y')} IN around RETURN y.id"
    )


@cache
def near_ends(rel: str, forward: str, backward: str) -> str:
    """The ids of the people one `rel` from `$from` going `forward` and from `$to` going
    `backward` (`ARROWS`; established mentorships only): one row of two lists (each without
    repeats); no row when either end does not exist. The first step of `Reads.shortest_path`'s
    search from both ends, one statement for both (two searches of one hop took 1.1 ms each
    on 100k people, LadybugDB)."""
    a_left, a_right = ARROWS[forward]
    b_left, b_right = ARROWS[backward]
    return (
        f"MATCH (a:CivilServant {{id: $from}}) OPTIONAL MATCH (a){a_left}[r:{rel}]{a_right}"
        f"(x:CivilServant){REL_FILTERS[rel]} WITH collect(DISTINCT x.id) AS near"
        f" MATCH (b:CivilServant {{id: $to}}) OPTIONAL MATCH (b){b_left}[r:{rel}]{b_right}"
        f"(y:CivilServant){REL_FILTERS[rel]} RETURN near, collect(DISTINCT y.id)"
    )


@cache
def keys_of(node_key: str) -> str:
    """Rows `id, key` for the people of `$ids` (`node_key`: the dialect's `NODE_KEY`)."""
    return f"UNWIND $ids AS key MATCH (n:CivilServant {{id: key}}) RETURN n.id, {node_key.format(var='n')}"


# Network search: filters on the people reached (keys are parameter names).
NETWORK_FILTERS: Final[dict[str, str]] = {
    "givenName": "toLower(n.givenName) = toLower($givenName)",
    "country": "n.countryCode = $country",
    "institution": "EXISTS { MATCH (n)-[:WORKS_AT]->(i:Institution) WHERE i.id = $institution }",
    "areas": "EXISTS { MATCH (n)-[:HAS_EXPERTISE]->(e:Expertise) WHERE e.id IN $areas }",
    "worksIn": "EXISTS { MATCH (n)-[w:WORKS_AT]->(i:Institution) WHERE i.countryCode = $worksIn"
    " AND w.since < $worksBefore }",
}


@cache
def network_filter(active: frozenset[str]) -> str:
    """The condition on `n` of the network filters named in `active` (keys of `NETWORK_FILTERS`;
    none: `true`)."""
    return " AND ".join(NETWORK_FILTERS[name] for name in sorted(active)) or "true"


# ---- recommendation facts ----
def second_degree_candidates(start: str, *, excluded_by_list: bool) -> str:
    """People two hops from `a` (`$id`), not connected to them and with no request either way:
    binds `c` and `mutual` (their distinct mutual connections' ids), most mutual first, then
    id, at most `$limit`; the dialect adds how the rows come back.

    Args:
        start: the pattern that binds `a`: `(a:CivilServant {id: $id})`, or `(a)` where it
            is bound already.
        excluded_by_list: rule out the person's connections and requests by a list of their
            ids read first (Neo4j: 8.4 → 5.5 ms of CPU for (e)'s statement at 100k, where a
            check per candidate expanded 30k relationships); otherwise by a check per
            candidate, made after the mutual connections are collected so each candidate is
            checked once (LadybugDB: the list made it 6–10× slower).
    """
    if excluded_by_list:
        return (
            f"MATCH {start} OPTIONAL MATCH (a)-[:CONNECTED_TO|CONNECTION_REQUEST]-(x:CivilServant)"
            " WITH a, collect(x.id) AS near"
            " MATCH (a)-[:CONNECTED_TO]-(m:CivilServant)-[:CONNECTED_TO]-(c:CivilServant)"
            " WHERE c.id <> $id AND NOT c.id IN near WITH c, collect(DISTINCT m.id) AS mutual"
            " ORDER BY size(mutual) DESC, c.id LIMIT $limit"
        )
    return (
        f"MATCH {start}-[:CONNECTED_TO]-(m:CivilServant)"
        "-[:CONNECTED_TO]-(c:CivilServant) WHERE c.id <> $id"
        " WITH a, c, collect(DISTINCT m.id) AS mutual"
        " WHERE NOT EXISTS { MATCH (a)-[:CONNECTED_TO]-(c) }"
        " AND NOT EXISTS { MATCH (a)-[:CONNECTION_REQUEST]-(c) }"
        " WITH c, mutual ORDER BY size(mutual) DESC, c.id LIMIT $limit"
    )


CONNECTION_SCORE: Final = (
    "size(mutual) * $weights.mutual + size(sharedAreas) * $weights.expertise"
    " + size(sharedPlaces) * $weights.institution + size(sharedEvents) * $weights.event"
    " + CASE WHEN crossBorder THEN $weights.crossBorder ELSE 0.0 END"
)
"""`ConnectionWeights.score` as a Cypher expression (the same sum in the same order) of lists
`mutual`, `sharedAreas`, `sharedPlaces`, `sharedEvents` (distinct ids) and boolean
`crossBorder`, with `$weights` from `ConnectionWeights.params`."""
OWN_TIES: Final = (
    "MATCH (a:CivilServant {id: $id})"
    " OPTIONAL MATCH (a)-[:HAS_EXPERTISE]->(x:Expertise) WITH a, collect(DISTINCT x.id) AS areas"
    " OPTIONAL MATCH (a)-[:WORKS_AT|STUDIED_AT]->(i:Institution)"
    " WITH a, areas, collect(DISTINCT i.id) AS places"
    " OPTIONAL MATCH (a)-[:PARTICIPATED_IN]->(v:Event)"
    " RETURN a.countryCode, areas, places, collect(DISTINCT v.id)"
)
"""A person's country and their own areas, institutions and events (the columns after the
country follow `SHARED`'s order): what candidates can share with them; no row if unknown."""
SHARED: Final[dict[str, str]] = {
    name: per_key(
        "(c:CivilServant {id: key})",
        f"(c)-[:{rels}]->(x:{label}) WHERE x.id IN $mine",
        "RETURN key, collect(DISTINCT x.id)",
    )
    for name, rels, label in (
        ("shared_expertise_ids", "HAS_EXPERTISE", "Expertise"),
        ("shared_institution_ids", "WORKS_AT|STUDIED_AT", "Institution"),
        ("shared_event_ids", "PARTICIPATED_IN", "Event"),
    )
}
"""What each of `$ids` shares of `$mine` (the person's own, from `OWN_TIES`), by `RankedPerson`
field; candidates without anything shared give no row. Not run when `$mine` is empty (most
people have no events): 8 ms a kind for 500 candidates on 100k people, embedded."""
LEVEL_IN: Final = (
    "MATCH (p:CivilServant {id: $id})-[h:HAS_EXPERTISE]->(e:Expertise) WHERE e.id IN $areas"
    " RETURN max(h.level)"
)
MENTOR_CANDIDATES: Final = (
    "MATCH (e:Expertise) WHERE e.id IN $areas"
    " MATCH (c:CivilServant)-[h:HAS_EXPERTISE]->(e) WHERE c.id <> $id AND h.level > $minLevel"
    " AND NOT EXISTS { MATCH (c)-[m:MENTORS]->(me:CivilServant {id: $id})"
    " WHERE m.status = 'ACTIVE' }"
    " WITH c, max(h.level) AS level"
    " OPTIONAL MATCH (:CivilServant)-[en:ENDORSED]->(c) WHERE en.expertiseId IN $areas"
    " RETURN c.id, level, count(en) AS endorsements"
    " ORDER BY level DESC, endorsements DESC, c.id LIMIT $limit"
)


# ---- notifications (the inbox and its outbox tail; graph_db.core.notifications) ----
# A notification hangs off its recipient, `(:CivilServant)-[:NOTIFIED]->(:Notification)`, so an
# inbox is an expansion from one person found by primary key on both stores (LadybugDB has no
# secondary index on `recipientId`); `recipientId` is kept on the node for the outbox tail.
CREATE_NOTIFICATION: Final = (
    "MATCH (p:CivilServant {id: $recipientId})"
    " CREATE (p)-[:NOTIFIED]->(:Notification {id: $id, recipientId: $recipientId, kind: $kind,"
    " actorId: $actorId, subjectIds: $subjectIds, createdAt: $createdAt})"
)
_INBOX: Final = "MATCH (:CivilServant {id: $recipientId})-[:NOTIFIED]->(n:Notification)"


def _notifications(backward: bool) -> str:
    # Newest first: descending on (createdAt, id) unless paging backward.
    where, order = keyset_fragments(
        "n.createdAt", "n.id", key_desc=not backward, id_desc=not backward
    )
    return (
        f"{_INBOX} WHERE (n.readAt IS NULL OR NOT $unreadOnly) AND {where}"
        f" RETURN n, n.createdAt ORDER BY {order} LIMIT $limit"
    )


NOTIFICATIONS: Final = {backward: _notifications(backward) for backward in WALKS}
"""A recipient's notifications newest first (`$unreadOnly`), one keyset page."""
COUNT_NOTIFICATIONS: Final = f"{_INBOX} WHERE n.readAt IS NULL OR NOT $unreadOnly RETURN count(n)"
NOTIFICATIONS_AFTER: Final = f"{_INBOX} WHERE n.id > $afterId RETURN n ORDER BY n.id LIMIT $limit"
"""A recipient's notifications with an id after `$afterId` (ULIDs sort by time), oldest first."""
RECENT_NOTIFICATIONS: Final = (
    "MATCH (n:Notification) WHERE n.createdAt >= $since AND NOT n.id IN $seen"
    " RETURN n ORDER BY n.createdAt, n.id LIMIT $limit"
)
"""Everyone's notifications created since `$since` except the ids in `$seen` (the outbox tail;
served by the `createdAt` index on Neo4j)."""
_OWN: Final = ("(n:Notification {id: key})", "(n)<-[:NOTIFIED]-(c:CivilServant {id: $recipientId})")
OWN_NOTIFICATIONS: Final = per_key(*_OWN, "RETURN n.id")
MARK_NOTIFICATIONS_READ: Final = per_key(*_OWN, "SET n.readAt = coalesce(n.readAt, $at) RETURN n")
MARK_ALL_NOTIFICATIONS_READ: Final = (
    f"{_INBOX} WHERE n.readAt IS NULL SET n.readAt = $at RETURN count(n)"
)
DELETE_NOTIFICATIONS_OF: Final = f"{_INBOX} DETACH DELETE n"
PRUNE_READ_NOTIFICATIONS: Final = (
    "MATCH (n:Notification) WHERE n.readAt < $before WITH n LIMIT $limit"
    " DETACH DELETE n RETURN count(*)"
)


# ---- the viewer's relationship to people; introductions (graph_db.core.relationships) ----
NEIGHBOURS_OF: Final = per_key(
    PERSON, "(p)-[:CONNECTED_TO]-(m:CivilServant)", "RETURN p.id, collect(DISTINCT m.id)"
)
"""Each of `$ids` with the ids of everyone connected to them (one row per person that has any)."""


LINKED_TO: Final = {
    return_start: per_key(
        "(a:CivilServant {id: key})",
        "(a)-[:CONNECTED_TO]-(b:CivilServant) WHERE b.id IN $others",
        f"RETURN DISTINCT {'a.id' if return_start else 'b.id'}",
    )
    for return_start in (True, False)
}
"""Which of `$ids` (`True`), or which of `$others` (`False`), is connected to someone in the
other list; walks from `$ids`, so callers pass the smaller list there."""


REQUESTS_WITH: Final = (
    "MATCH (v:CivilServant {id: $id})-[:CONNECTION_REQUEST]->(p:CivilServant) WHERE p.id IN $ids"
    " RETURN p.id AS id, true AS sent"
    " UNION ALL MATCH (p:CivilServant)-[:CONNECTION_REQUEST]->(v:CivilServant {id: $id})"
    " WHERE p.id IN $ids RETURN p.id AS id, false AS sent"
)
"""Pending requests between `$id` and each of `$ids`: `sent` when `$id` asked."""
INTRODUCTION_ROLES: Final = ("requester", "via", "to")
"""`role` of the three `(:Introduction)-[:INTRODUCTION_PARTY]->(:CivilServant)` relationships."""
CREATE_INTRODUCTION: Final = (
    "MATCH (a:CivilServant {id: $requesterId}), (v:CivilServant {id: $viaId}),"
    " (t:CivilServant {id: $toId})"
    " CREATE (i:Introduction {id: $id, requesterId: $requesterId, viaId: $viaId, toId: $toId,"
    " message: $message, status: $status, requestedAt: $requestedAt, decidedAt: $decidedAt})"
    " CREATE (i)-[:INTRODUCTION_PARTY {role: 'requester'}]->(a)"
    " CREATE (i)-[:INTRODUCTION_PARTY {role: 'via'}]->(v)"
    " CREATE (i)-[:INTRODUCTION_PARTY {role: 'to'}]->(t)"
)
GET_INTRODUCTIONS: Final = "UNWIND $ids AS key MATCH (i:Introduction {id: key}) RETURN i"
OPEN_INTRODUCTION: Final = (
    "MATCH (:CivilServant {id: $requesterId})<-[r:INTRODUCTION_PARTY]-(i:Introduction)"
    " WHERE r.role = 'requester' AND i.viaId = $viaId AND i.toId = $toId"
    " AND i.status = 'REQUESTED' RETURN i LIMIT 1"
)


INTRODUCTIONS_OF: Final = per_key(
    PERSON,
    "(p)<-[r:INTRODUCTION_PARTY]-(i:Introduction) WHERE r.role = $role",
    "RETURN p.id, i ORDER BY p.id, i.requestedAt DESC, i.id",
)
"""Introductions in which each of `$ids` has the role `$role`, newest first, then by id."""


SET_INTRODUCTION_STATUS: Final = (
    "MATCH (i:Introduction {id: $id}) SET i.status = $status, i.decidedAt = $decidedAt"
)
DELETE_INTRODUCTIONS_OF: Final = (
    "MATCH (:CivilServant {id: $id})<-[:INTRODUCTION_PARTY]-(i:Introduction) DETACH DELETE i"
)
"""A person's introductions, in every role, go with them (`delete_civil_servant`)."""


# ---- employments and education, edited (graph_db.core.careers) ----
CAREER_PROPERTIES: Final[dict[str, tuple[str, tuple[str, ...]]]] = {
    "WORKS_AT": ("since", ("position", "since", "until")),
    "STUDIED_AT": ("year", ("degree", "year")),
}
"""Per relationship type: the property holding the start year (part of the key), and every
property the API writes."""


def _career_match(rel: str) -> str:
    year = CAREER_PROPERTIES[rel][0]
    return (
        f"MATCH (p:CivilServant {{id: $personId}})-[r:{rel}]->(i:Institution {{id: $institutionId}})"
        f" WHERE r.{year} = $year OR (r.{year} IS NULL AND $year IS NULL)"
    )


CAREER_EXISTS: Final[dict[str, str]] = {
    rel: f"{_career_match(rel)} RETURN count(r)" for rel in CAREER_PROPERTIES
}
DELETE_CAREER: Final[dict[str, str]] = {
    rel: f"{_career_match(rel)} DELETE r RETURN count(*)" for rel in CAREER_PROPERTIES
}
CREATE_CAREER: Final[dict[str, str]] = {
    rel: "MATCH (p:CivilServant {id: $personId}), (i:Institution {id: $institutionId})"
    f" CREATE (p)-[:{rel} {{{_props(*names)}}}]->(i)"
    for rel, (_, names) in CAREER_PROPERTIES.items()
}


# ---- portfolio editing and co-authors (graph_db.core.portfolio) ----
# A co-author is `(:CivilServant)-[:CO_AUTHORED]->(:PortfolioItem)`; the author stays the one
# AUTHORED relationship, so every reader of the author is unchanged.
UPDATE_PORTFOLIO_ITEM: Final = (
    "MATCH (n:PortfolioItem {id: $id})"
    " SET n.kind = $kind, n.title = $title, n.year = $year, n.url = $url, n.summary = $summary"
)
UNLINK_ABOUT: Final = "MATCH (n:PortfolioItem {id: $id})-[r:ABOUT]->(:Expertise) DELETE r"
UNLINK_COAUTHORS: Final = (
    "MATCH (:CivilServant)-[r:CO_AUTHORED]->(n:PortfolioItem {id: $id}) DELETE r"
)
LINK_COAUTHORS: Final = (
    "MATCH (n:PortfolioItem {id: $id}) UNWIND $coAuthors AS pid"
    " MATCH (p:CivilServant {id: pid}) CREATE (p)-[:CO_AUTHORED]->(n)"
)
DELETE_PORTFOLIO_ITEM: Final = "MATCH (n:PortfolioItem {id: $id}) DETACH DELETE n"
COAUTHORS_OF: Final = per_key(
    "(n:PortfolioItem {id: key})",
    "(n)<-[:CO_AUTHORED]-(p:CivilServant)",
    "RETURN key, p.id ORDER BY p.id",
)


COAUTHORED_BY: Final = per_key(
    PERSON,
    "(p)-[:CO_AUTHORED]->(n:PortfolioItem)<-[:AUTHORED]-(a:CivilServant)",
    "RETURN p.id, n, a.id",
)
"""Items each of `$ids` co-authored, with their author's id."""


# ---- expert status, granted and revoked by admins (graph_db.core.expert_status) ----
SET_EXPERT: Final = "MATCH (n:CivilServant {id: $id}) SET n.isExpert = $isExpert RETURN n"
CREATE_EXPERT_STATUS_CHANGE: Final = (
    "MATCH (p:CivilServant {id: $personId})"
    " CREATE (p)-[:EXPERT_STATUS_CHANGED]->(:ExpertStatusChange {id: $id, personId: $personId,"
    " isExpert: $isExpert, reason: $reason, actorId: $actorId, at: $at})"
)


EXPERT_HISTORY_OF: Final = per_key(
    PERSON,
    "(p)-[:EXPERT_STATUS_CHANGED]->(c:ExpertStatusChange)",
    "RETURN p.id, c ORDER BY p.id, c.at DESC, c.id DESC",
)
"""Each of `$ids`'s expert status changes, newest first."""


DELETE_EXPERT_HISTORY_OF: Final = (
    "MATCH (:CivilServant {id: $id})-[:EXPERT_STATUS_CHANGED]->(c:ExpertStatusChange)"
    " DETACH DELETE c"
)


# ---- data export (resolvers/export.py) ----
ENDORSEMENTS_GIVEN: Final = per_key(
    PERSON,
    "(p)-[e:ENDORSED]->(b:CivilServant)",
    "RETURN key, b.id, e.expertiseId, e.at ORDER BY e.at DESC, b.id, e.expertiseId",
)

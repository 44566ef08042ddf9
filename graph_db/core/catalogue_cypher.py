"""Statements of the institution hierarchy and of reference-data corrections (updates, merges),
which Neo4j and LadybugDB parse alike (`graph_db.core.catalogue` runs them).

Merging moves every relationship of a node, in both directions and of every type, without APOC
(Neo4j Community here has none) and with LadybugDB's typed relationship tables, where a pattern
names one type: so the statements are built per relationship type, from the model's table of
types (`cypher.RELATIONSHIPS`), three per type and direction (fold duplicates, copy onto the
target, delete the source's), and run one after another in one transaction. Labels and types
come from those tables only; ids travel as `$source`, `$target`, `$id`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from graph_db.core.cypher import REFERENCE_PROPERTIES, RELATIONSHIPS, per_key
from graph_db.keyset import WALKS, keyset_fragments

MERGEABLE: Final = ("Institution", "Expertise", "Event")
"""Labels whose nodes admins update and merge (countries are fixed by ISO 3166)."""

MAX_HIERARCHY_DEPTH: Final = 10
"""The longest chain of PART_OF (institutions) or BROADER (expertise areas) steps: every check
and traversal of a hierarchy is bounded by it, and a change that would make a chain longer is
refused."""

HIERARCHY: Final[dict[str, str]] = {"Institution": "PART_OF", "Expertise": "BROADER"}
"""Per label, the relationship from a node to its parent (institution) or broader area."""

LINKS: Final[dict[str, tuple[str, bool]]] = {
    "Institution": ("PART_OF", True),
    "Expertise": ("BROADER", True),
    "Event": ("ORGANIZED", False),
}
"""Per label, the relationship an update may replace, and whether the node is its start."""

# ---- how duplicates fold when a merge brings two relationships together ----
KEYS: Final[dict[str, tuple[str, ...]]] = {"WORKS_AT": ("since",), "STUDIED_AT": ("year",)}
"""Properties that tell two relationships of a type between the same two nodes apart (an
employment is keyed by its start year, as the careers API keys it); every other type has at
most one relationship between two nodes. A moved relationship that matches one the target
already has is a duplicate."""
GREATEST: Final[dict[str, tuple[str, ...]]] = {"HAS_EXPERTISE": ("level", "years")}
"""Properties a duplicate folds by keeping the greater value (a person's claimed level and years
in two merged areas); every other property keeps the target's value, or the source's where the
target's is null."""
ONE_PER_NODE: Final = frozenset({"PART_OF"})
"""Types a node has at most one of as its start (an institution's parent): the source's is
dropped when the target has one."""


def _edge(node: str, rel_var: str, other: str, rel: str, outgoing: bool, props: str = "") -> str:
    inner = f"[{rel_var}:{rel}{props}]"
    return f"({node})-{inner}->({other})" if outgoing else f"({other})-{inner}->({node})"


def _same(a: str, b: str, names: tuple[str, ...]) -> str:
    return " AND ".join(
        f"({a}.{k} = {b}.{k} OR ({a}.{k} IS NULL AND {b}.{k} IS NULL))" for k in names
    )


@dataclass(frozen=True)
class Move:
    """The statements that move one relationship type, in one direction, from `$source` to
    `$target` (run in this order, in the merge's transaction).

    Attributes:
        rel: the relationship type.
        fold: folds each source relationship into the target's duplicate of it (`KEYS`,
            `GREATEST`); None where the type has no properties.
        copy: creates a copy of each other source relationship on the target, with its
            properties; returns the number copied.
        delete: deletes the source's relationships of the type; returns the number deleted.
    """

    rel: str
    fold: str | None
    copy: str
    delete: str


def _move(label: str, rel: str, outgoing: bool) -> Move:
    start, end, props = RELATIONSHIPS[rel]
    other = end if outgoing else start
    source = f"x:{label} {{id: $source}}"
    keys = KEYS.get(rel, ())
    fold = None
    if props:
        sets = ", ".join(
            f"t.{p} = CASE WHEN t.{p} IS NULL OR s.{p} > t.{p} THEN s.{p} ELSE t.{p} END"
            if p in GREATEST.get(rel, ())
            else f"t.{p} = coalesce(t.{p}, s.{p})"
            for p in props
            if p not in keys
        )
        where = f" WHERE {_same('t', 's', keys)}" if keys else ""
        fold = (
            f"MATCH {_edge(source, 's', f'o:{other}', rel, outgoing)}"
            f" MATCH {_edge(f'y:{label} {{id: $target}}', 't', 'o', rel, outgoing)}{where}"
            f" SET {sets}"
        )
    duplicate = f" WHERE {_same('d', 's', keys)}" if keys else ""
    conditions = [f"NOT EXISTS {{ MATCH {_edge('t', 'd', 'o', rel, outgoing)}{duplicate} }}"]
    if other == label:  # a relationship between the two would become a loop on the target
        conditions.append("o.id <> $source AND o.id <> $target")
    if outgoing and rel in ONE_PER_NODE:
        conditions.append(f"NOT EXISTS {{ MATCH (t)-[:{rel}]->(:{other}) }}")
    copied = ", ".join(f"{p}: s.{p}" for p in props)
    copy = (
        f"MATCH {_edge(source, 's', f'o:{other}', rel, outgoing)}"
        f" MATCH (t:{label} {{id: $target}}) WHERE {' AND '.join(conditions)}"
        f" CREATE {_edge('t', '', 'o', rel, outgoing, f' {{{copied}}}' if props else '')}"
        " RETURN count(*)"
    )
    delete = f"MATCH {_edge(source, 's', f':{other}', rel, outgoing)} DELETE s RETURN count(*)"
    return Move(rel, fold, copy, delete)


MOVES: Final[dict[str, tuple[Move, ...]]] = {
    label: tuple(
        _move(label, rel, outgoing)
        for rel, (start, end, _) in RELATIONSHIPS.items()
        for outgoing, node_end in ((True, start), (False, end))
        if node_end == label
    )
    for label in MERGEABLE
}
"""Per mergeable label, the moves of every relationship type touching it, each direction."""

# ---- properties that name a reference node by id (not relationships, so moved by name) ----
# The exchange keeps a request's institution and areas as properties too, and endorsements and
# mentorships name their area: a merge renames them, so nothing is left pointing at the source.
RENAME_REQUEST_INSTITUTION: Final = (
    "MATCH (r:ExpertiseRequest) WHERE r.institutionId = $source"
    " SET r.institutionId = $target RETURN count(*)"
)
DROP_DUPLICATE_ENDORSEMENTS: Final = (
    "MATCH (a:CivilServant)-[e:ENDORSED]->(b:CivilServant) WHERE e.expertiseId = $source"
    " AND EXISTS { MATCH (a)-[f:ENDORSED]->(b) WHERE f.expertiseId = $target }"
    " DELETE e RETURN count(*)"
)
"""An endorsement for the source area by someone who endorsed the same person for the target
area already is a duplicate: the target's (earlier or later) one is kept."""
RENAME_ENDORSEMENTS: Final = (
    "MATCH (:CivilServant)-[e:ENDORSED]->(:CivilServant) WHERE e.expertiseId = $source"
    " SET e.expertiseId = $target RETURN count(*)"
)
RENAME_MENTORSHIPS: Final = (
    "MATCH (:CivilServant)-[m:MENTORS]->(:CivilServant) WHERE m.expertiseId = $source"
    " SET m.expertiseId = $target RETURN count(*)"
)
"""Mentorships are records with their own ids and history: they are renamed, never folded."""
REQUESTS_NEEDING: Final = (
    "MATCH (r:ExpertiseRequest)-[:NEEDS]->(:Expertise {id: $source}) RETURN r.id, r.areaIds"
)
SET_REQUEST_AREAS: Final = (
    "UNWIND $rows AS row MATCH (r:ExpertiseRequest {id: row.id}) SET r.areaIds = row.areaIds"
)
DELETE_NODE: Final[dict[str, str]] = {
    label: f"MATCH (n:{label} {{id: $id}}) DELETE n" for label in MERGEABLE
}
"""Deletes a node that has no relationships left, and fails on one that has (not DETACH: a type
the table missed fails the merge rather than vanish with the source)."""

# ---- what admins corrected: seeding leaves it alone ----
# A `Correction` per record an admin updated or merged away (`id` = "Label:id"; `intoId` the
# target of a merge), so `expecs seed`, which runs at every `make run`, neither reverts a
# correction nor brings a merged record back (migration 0010).
RECORD_CORRECTION: Final = "MERGE (c:Correction {id: $id}) SET c.at = $at"
RECORD_MERGE: Final = "MERGE (c:Correction {id: $id}) SET c.at = $at, c.intoId = $intoId"
CORRECTED: Final = "UNWIND $ids AS key MATCH (c:Correction {id: key}) RETURN c.id, c.intoId"

# ---- updates ----
UPDATE_NODE: Final[dict[str, str]] = {
    label: f"MATCH (n:{label} {{id: $id}}) SET "
    + ", ".join(f"n.{name} = ${name}" for name in REFERENCE_PROPERTIES[label])
    for label in MERGEABLE
}
UNLINK: Final[dict[str, str]] = {
    label: f"MATCH {_edge(f'n:{label} {{id: $id}}', 'r', ':' + other, rel, outgoing)} DELETE r"
    for label, (rel, outgoing) in LINKS.items()
    for other in [RELATIONSHIPS[rel][1] if outgoing else RELATIONSHIPS[rel][0]]
}
"""Removes every relationship of the label's `LINKS` type (its parent, broader areas, organizers)."""

# ---- the hierarchy: checks (bounded by MAX_HIERARCHY_DEPTH) ----
ANCESTORS: Final[dict[str, str]] = {
    label: per_key(
        f"(x:{label} {{id: key}})",
        f"(x)-[:{rel}*1..{MAX_HIERARCHY_DEPTH}]->(a:{label})",
        "RETURN DISTINCT a.id",
    )
    for label, rel in HIERARCHY.items()
}
"""The ids of every node above any of `$ids` (to lock them before a hierarchy change)."""
IN_CYCLE: Final[dict[str, str]] = {
    label: f"MATCH (x:{label} {{id: $id}})-[:{rel}*1..{MAX_HIERARCHY_DEPTH + 2}]->(y:{label})"
    " WHERE y.id = $id RETURN y.id LIMIT 1"
    for label, rel in HIERARCHY.items()
}
"""A row if `$id` is above itself. Exact after one change, as chains were at most
`MAX_HIERARCHY_DEPTH` long before it and a change adds at most two steps to a cycle."""
CHAIN: Final[dict[tuple[str, bool], str]] = {
    (label, up): f"MATCH p = (x:{label} {{id: $id}})"
    f"{'-' if up else '<-'}[:{rel}*1..{MAX_HIERARCHY_DEPTH + 1}]{'->' if up else '-'}(:{label})"
    " RETURN max(length(p))"
    for label, rel in HIERARCHY.items()
    for up in (True, False)
}
"""The longest chain of steps above (`up`) or below `$id`, up to one step past the cap (null
when there is none)."""

# ---- the hierarchy: reads ----
PARENTS_OF: Final = per_key(
    "(i:Institution {id: key})", "(i)-[:PART_OF]->(p:Institution)", "RETURN key, p.id ORDER BY p.id"
)
UNIT_COUNTS: Final = per_key(
    "(i:Institution {id: key})", "(i)<-[:PART_OF]-(u:Institution)", "RETURN key, count(u)"
)


def _units_of(backward: bool) -> str:
    where, order = keyset_fragments("u.sortName", "u.id", key_desc=backward, id_desc=backward)
    return per_key(
        "(i:Institution {id: key})",
        f"(i)<-[:PART_OF]-(u:Institution) WHERE {where}",
        f"RETURN key, u, u.sortName ORDER BY key, {order}",
    )


UNITS_OF: Final = {backward: _units_of(backward) for backward in WALKS}
"""The institutions directly PART_OF each of `$ids`, by folded name then id, past the cursor."""

"""The openCypher of expertise exchange (`graph_db.core.exchange`), shared by both stores.

Same rules as `graph_db.core.cypher`: every statement once, values as `$parameters`, variants
built at import (or cached) from fixed allow-lists in this module. The graph:

    (:CivilServant)-[:POSTED]->(r:ExpertiseRequest)-[:NEEDS]->(:Expertise)
    (:CivilServant)-[:OFFERED {message, at, status}]->(r)
    (:CivilServant)-[:COLLABORATES_ON {since, until, outcome}]->(r)

The request keeps `authorId` and `areaIds` as properties too (they never change after posting), so
a request reads back from its node alone.
"""

from __future__ import annotations

from functools import cache
from typing import Final

from graph_db.core.cypher import per_key
from graph_db.keyset import keyset_fragments

REQUEST_PROPERTIES: Final = (
    "authorId", "title", "description", "areaIds", "kind", "visibility", "countryCode",
    "institutionId", "deadline", "status", "closure", "outcome", "portfolioItemId", "createdAt",
    "closedAt",
)  # fmt: skip
"""Stored properties of an `ExpertiseRequest` besides `id` (LadybugDB column order)."""

CREATE_REQUEST: Final = (
    "MATCH (a:CivilServant {id: $authorId})"
    " CREATE (a)-[:POSTED]->(r:ExpertiseRequest {id: $id, "
    + ", ".join(f"{name}: ${name}" for name in REQUEST_PROPERTIES)
    + "}) WITH r UNWIND $areaIds AS area MATCH (e:Expertise {id: area}) CREATE (r)-[:NEEDS]->(e)"
)
REQUESTS_BY_IDS: Final = "UNWIND $ids AS key MATCH (r:ExpertiseRequest {id: key}) RETURN r"
# Neo4j takes the node's write lock on SET, so check-then-write on one request serialises; the
# value read afterwards (a second statement) is the committed one. LadybugDB's single writer
# already serialises every write transaction. (`id` itself cannot be SET on LadybugDB: it is the
# primary key.)
LOCK_REQUEST: Final = "MATCH (r:ExpertiseRequest {id: $id}) SET r.status = r.status RETURN r.id"
SET_REQUEST_STATUS: Final = (
    "MATCH (r:ExpertiseRequest {id: $id}) SET r.status = $status, r.closure = $closure,"
    " r.outcome = $outcome, r.portfolioItemId = $portfolioItemId, r.closedAt = $closedAt"
)
DELETE_REQUESTS_OF: Final = (
    "MATCH (:CivilServant {id: $id})-[:POSTED]->(r:ExpertiseRequest) DETACH DELETE r"
)

OFFER_COLUMNS: Final = "r.id, h.id, o.message, o.at, o.status"
OFFER_OF: Final = (
    "MATCH (h:CivilServant {id: $helperId})-[o:OFFERED]->(r:ExpertiseRequest {id: $id})"
    f" RETURN {OFFER_COLUMNS}"
)
CREATE_OFFER: Final = (
    "MATCH (h:CivilServant {id: $helperId}), (r:ExpertiseRequest {id: $id})"
    " CREATE (h)-[:OFFERED {message: $message, at: $at, status: 'PENDING'}]->(r)"
)
ACCEPT_OFFER: Final = (
    "MATCH (h:CivilServant {id: $helperId})-[o:OFFERED]->(r:ExpertiseRequest {id: $id})"
    " SET o.status = 'ACCEPTED'"
    " CREATE (h)-[:COLLABORATES_ON {since: $since, until: $until, outcome: $outcome}]->(r)"
)
OFFERS_ON: Final = per_key(
    "(r:ExpertiseRequest {id: key})",
    "(r)<-[o:OFFERED]-(h:CivilServant)",
    f"RETURN key, {OFFER_COLUMNS} ORDER BY o.at, h.id",
)
COLLABORATION_COLUMNS: Final = "r.id, h.id, k.since, k.until, k.outcome"
COLLABORATIONS_ON: Final = per_key(
    "(r:ExpertiseRequest {id: key})",
    "(r)<-[k:COLLABORATES_ON]-(h:CivilServant)",
    f"RETURN key, {COLLABORATION_COLUMNS} ORDER BY k.since, h.id",
)
CLOSE_COLLABORATIONS: Final = (
    "MATCH (h:CivilServant)-[k:COLLABORATES_ON]->(r:ExpertiseRequest {id: $id})"
    " SET k.until = $until, k.outcome = $outcome RETURN h.id ORDER BY h.id"
)
# The co-authored portfolio item of a fulfilled request: AUTHORED by the author and every helper.
LINK_AUTHORS: Final = (
    "MATCH (n:PortfolioItem {id: $itemId}) UNWIND $authorIds AS aid"
    " MATCH (a:CivilServant {id: aid}) MERGE (a)-[:AUTHORED]->(n)"
)

# ---- lists and matching ----
STATUS_VALUES: Final = ("OPEN", "IN_PROGRESS", "CLOSED")

# Visible to `$viewer`: the author, admins (`$admin`), everyone for EVERYONE requests, and the
# author's connections for NETWORK ones (`a` is the author).
VISIBLE: Final = (
    "($admin OR r.visibility = 'EVERYONE' OR a.id = $viewer"
    " OR EXISTS { MATCH (a)-[:CONNECTED_TO]-(v:CivilServant) WHERE v.id = $viewer })"
)
REQUEST_FILTERS: Final[dict[str, str]] = {
    "areas": "EXISTS { MATCH (r)-[:NEEDS]->(e:Expertise) WHERE e.id IN $areas }",
    "country": "r.countryCode = $country",
    "kind": "r.kind = $kind",
    "author": "a.id = $author",
}
"""One fragment per filter, by parameter name; a query holds only the fragments it uses."""


def _requests(active: frozenset[str]) -> str:
    where = [REQUEST_FILTERS[name] for name in sorted(active)]
    where += ["r.status IN $statuses", VISIBLE]
    return f"MATCH (a:CivilServant)-[:POSTED]->(r:ExpertiseRequest) WHERE {' AND '.join(where)}"


@cache
def list_requests(active: frozenset[str]) -> str:
    """Requests visible to `$viewer` passing the filters in `active` (keys of `REQUEST_FILTERS`),
    newest first (`createdAt`, then id, descending), one keyset page of `$limit` rows."""
    where, order = keyset_fragments("r.createdAt", "r.id", key_desc=True, id_desc=True)
    return f"{_requests(active)} AND {where} RETURN r, r.createdAt ORDER BY {order} LIMIT $limit"


@cache
def count_requests(active: frozenset[str]) -> str:
    """How many requests `list_requests(active)` walks."""
    return f"{_requests(active)} RETURN count(r)"


ANCESTOR_AREAS: Final = per_key(
    "(x:Expertise {id: key})", "(x)-[:BROADER*1..10]->(b:Expertise)", "RETURN DISTINCT b.id"
)
"""The broader areas (up to 10 levels) of the areas `$ids`."""

EXPERT_CANDIDATES: Final = (
    "MATCH (e:Expertise) WHERE e.id IN $areas"
    " MATCH (c:CivilServant)-[h:HAS_EXPERTISE]->(e)"
    " WHERE c.verified = true AND NOT c.id IN $exclude"
    " WITH c, max(h.level) AS level"
    " OPTIONAL MATCH (:CivilServant)-[en:ENDORSED]->(c) WHERE en.expertiseId IN $areas"
    " RETURN c.id, level, count(en) AS endorsements"
    " ORDER BY level DESC, endorsements DESC, c.id LIMIT $limit"
)
"""Verified holders of `$areas` not in `$exclude`: highest level there, endorsements there."""

FULFILLED_COLLABORATIONS: Final = per_key(
    "(c:CivilServant {id: key})",
    "(c)-[:COLLABORATES_ON]->(r:ExpertiseRequest) WHERE r.closure = 'FULFILLED'",
    "RETURN key, count(r)",
)
"""Per person, collaborations on requests that were fulfilled (their track record as helpers)."""

REQUESTS_FOR_EXPERT: Final = (
    "MATCH (e:Expertise) WHERE e.id IN $areas"
    " MATCH (a:CivilServant)-[:POSTED]->(r:ExpertiseRequest)-[:NEEDS]->(e)"
    " WHERE r.status IN ['OPEN', 'IN_PROGRESS'] AND a.id <> $viewer"
    " AND (r.deadline IS NULL OR r.deadline >= $today)"
    " AND NOT EXISTS { MATCH (me:CivilServant)-[:OFFERED]->(r) WHERE me.id = $viewer }"
    f" AND {VISIBLE}"
    " WITH r, a, collect(e.id) AS matched"
    " RETURN r, a.countryCode, matched ORDER BY r.createdAt DESC, r.id DESC LIMIT $limit"
)
"""Requests still taking offers that need one of `$areas`, not `$viewer`'s own, not offered on
by them, visible to them, deadline not passed: the newest `$limit`, with the areas matched."""

# ---- the daily digest of matching requests ----
DIGEST_RECIPIENTS: Final = (
    "MATCH (e:Expertise) WHERE e.id IN $areas"
    " MATCH (c:CivilServant)-[h:HAS_EXPERTISE]->(e)"
    " WHERE c.verified = true AND c.id <> $authorId AND (NOT $networkOnly"
    " OR EXISTS { MATCH (c)-[:CONNECTED_TO]-(a:CivilServant) WHERE a.id = $authorId })"
    " WITH c, max(h.level) AS level RETURN c.id ORDER BY level DESC, c.id LIMIT $limit"
)
"""Who a new request fits (verified holders of `$areas`, its areas and narrower ones, who may see
it), highest level first, at most `$limit`."""
LATEST_DIGEST: Final = (
    "MATCH (:CivilServant {id: $recipientId})-[:NOTIFIED]->(n:Notification)"
    " WHERE n.kind = $kind AND n.createdAt >= $since"
    " RETURN n.id, n.subjectIds ORDER BY n.createdAt DESC LIMIT 1"
)
"""The recipient's digest created at or after `$since`, if any."""
SET_DIGEST_SUBJECTS: Final = "MATCH (n:Notification {id: $id}) SET n.subjectIds = $subjectIds"

# ---- analytics: grouped counts for a period [$start, $until) (`$end` is a keyword) ----
# A request belongs to its author's country (`a.countryCode`); a collaboration joins the author
# `a` of request `r` and helper `h` (`k`: the `COLLABORATES_ON`, dated by `k.since`). The
# dashboards' growth series (`graph_db.analytics.cypher.growth`) count with the same patterns.
POSTED_PATTERN: Final = "(a:CivilServant)-[:POSTED]->(r:ExpertiseRequest)"
COLLABORATION_PATTERN: Final = f"{POSTED_PATTERN}<-[k:COLLABORATES_ON]-(h:CivilServant)"
FULFILLED: Final = "r.closure = 'FULFILLED'"
"""A request closed as fulfilled (dated by `r.closedAt`)."""
POSTED_BY_COUNTRY: Final = (
    f"MATCH {POSTED_PATTERN}"
    " WHERE r.createdAt >= $start AND r.createdAt < $until"
    " RETURN a.countryCode, count(r)"
)
FULFILLED_BY_COUNTRY: Final = (
    f"MATCH {POSTED_PATTERN}"
    f" WHERE {FULFILLED} AND r.closedAt >= $start AND r.closedAt < $until"
    " RETURN a.countryCode, count(r)"
)
COLLABORATIONS_BY_COUNTRIES: Final = (
    f"MATCH {COLLABORATION_PATTERN}"
    " WHERE k.since >= $start AND k.since < $until"
    " RETURN a.countryCode, h.countryCode, count(k)"
)

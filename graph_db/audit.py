"""The append-only audit trail of accepted mutations: who did what, when, to which ids.

An entry is an `(:AuditEvent {id, at, actorId, roles, action, subjectIds, requestId})` node with no
relationships, so deleting a person never deletes what they did or what was done to them. It is
written **inside the same write transaction** as the change it records: both commit or neither
does, and a transaction the Neo4j driver retries writes its entry once, when it commits.

How an entry reaches the transaction: the API layer makes one `Change` per mutation and passes it
to every store write (`change=`, a required keyword of each writing port method); the store core's
single write path appends the entry inside the transaction and marks it recorded after COMMIT. A
mutation rejected before any write (bad input, policy) leaves no entry; one that writes several
times records one entry, with its first commit. Ids made during the mutation (a new portfolio
item, mentorship, …) are added with `Change.note_subject`.

The port has no way to change or delete an entry (append-only); `audit_trail` reads them newest
first. The queries below are valid in both Cypher dialects and take only parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

from pydantic import field_validator

from graph_db.keyset import WALKS, keyset_fragments
from graph_db.records import Frozen, as_utc, new_id, utc_now

if TYPE_CHECKING:
    from graph_db.records import Notification


class AuditEntry(Frozen):
    """One accepted mutation.

    Attributes:
        id: ULID of the entry.
        at: when the mutation was accepted (aware UTC).
        actor_id: the signed-in civil servant's id; None for an admin token without a person.
        roles: the caller's roles, e.g. `("member",)` or `("member", "admin")`.
        action: the GraphQL mutation field, e.g. `"updateProfile"`.
        subject_ids: the ids it acted on, as `"<Type>:<id>"` (e.g. `"CivilServant:933"`).
        request_id: the request id the API logged and returned (`X-Request-Id`).
    """

    id: str
    at: datetime
    actor_id: str | None
    roles: tuple[str, ...] = ()
    action: str
    subject_ids: tuple[str, ...] = ()
    request_id: str

    @field_validator("at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return as_utc(value)


@dataclass(slots=True)
class Change:
    """One accepted mutation as the store sees it: its audit entry and its notifications.

    Every port method that writes on a caller's behalf takes `change=` (keyword-only, required), so
    no write can skip its audit entry. The store core appends the entry inside the first write
    transaction of the mutation that commits, and then sets `recorded` (a mutation that writes
    several times records one entry; a retried Neo4j transaction appends it once, when it commits).

    Notifications the write rules make (`graph_db.core.notify.notify`) are written in the same
    transaction; `pending` holds those of the transaction attempt under way (emptied when an
    attempt starts, so a retried Neo4j transaction counts its notifications once) and they move to
    `notifications` when it commits.

    Attributes:
        audit: the entry to append.
        recorded: True once a transaction carrying the entry has committed.
        pending: notifications written by the transaction attempt under way.
        notifications: notifications committed by this mutation, in creation order.
        replay_key: set for a mutation sent with a `clientMutationId` (`graph_db.core.replay`):
            its first commit records the key with the entry's subjects, and a repeat finds them
            and writes nothing.
    """

    audit: AuditEntry
    recorded: bool = False
    pending: list[Notification] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)
    replay_key: str | None = None

    def note_subject(self, type_name: str, node_id: str) -> None:
        """Add an id made during the mutation (e.g. a new portfolio item) to the entry's subjects.

        Args:
            type_name: the GraphQL type, e.g. `"PortfolioItem"`.
            node_id: the store id.
        """
        subject = f"{type_name}:{node_id}"
        if not self.recorded and subject not in self.audit.subject_ids:
            subjects = (*self.audit.subject_ids, subject)
            self.audit = self.audit.model_copy(update={"subject_ids": subjects})


def append_params(entry: AuditEntry) -> dict[str, Any]:
    """The parameters of `APPEND` for `entry`."""
    return {
        "id": entry.id,
        "at": entry.at,
        "actorId": entry.actor_id,
        "roles": list(entry.roles),
        "action": entry.action,
        "subjectIds": list(entry.subject_ids),
        "requestId": entry.request_id,
    }


def entry_from_props(d: dict[str, Any]) -> AuditEntry:
    """An `AuditEntry` from an `AuditEvent` node's properties."""
    return AuditEntry(
        id=d["id"],
        at=d["at"],
        actor_id=d.get("actorId"),
        roles=tuple(d.get("roles") or ()),
        action=d["action"],
        subject_ids=tuple(d.get("subjectIds") or ()),
        request_id=d.get("requestId") or "",
    )


_ENTRY_PROPERTIES: Final = ("id", "at", "actorId", "roles", "action", "subjectIds", "requestId")
APPEND: Final = "CREATE (:AuditEvent {" + ", ".join(f"{p}: ${p}" for p in _ENTRY_PROPERTIES) + "})"
"""Append an entry from the parameters `append_params` gives."""
APPEND_FROM_MAP: Final = (
    "CREATE (:AuditEvent {" + ", ".join(f"{p}: $audit.{p}" for p in _ENTRY_PROPERTIES) + "})"
)
"""`APPEND` from one map parameter `$audit` (`append_params`), as a clause of a statement that
has parameters of its own (`id`, …)."""


def _list(backward: bool) -> str:
    # Newest first: the walk is descending on (at, id) unless paging backward.
    where, order = keyset_fragments("a.at", "a.id", key_desc=not backward, id_desc=not backward)
    return (
        "MATCH (a:AuditEvent) WHERE (a.actorId = $actor OR $actor IS NULL)"
        " AND (a.action = $action OR $action IS NULL)"
        f" AND {where} RETURN a, a.at ORDER BY {order} LIMIT $limit"
    )


LIST: Final = {backward: _list(backward) for backward in WALKS}
"""Audit entries newest first, filtered by `$actor` and `$action` (either may be null)."""

COUNT: Final = (
    "MATCH (a:AuditEvent) WHERE (a.actorId = $actor OR $actor IS NULL)"
    " AND (a.action = $action OR $action IS NULL) RETURN count(a)"
)


def system_change(action: str = "system") -> Change:
    """A `Change` for writes that no API caller makes (tests, benchmarks, maintenance scripts).

    Its entry has no actor, the role `system` and the request id `system`.
    """
    entry = AuditEntry(
        id=new_id(),
        at=utc_now(),
        actor_id=None,
        roles=("system",),
        action=action,
        request_id="system",
    )
    return Change(entry)

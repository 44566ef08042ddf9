"""Notifications, written once for both stores: the `notify` rule the write rules call, and the
inbox reads and writes (`graph_db.port.notifications.NotificationStore`).

A notification is an outbox row: `notify` writes it with `tx.run` inside the write rule's own
transaction, so it commits with the change or not at all, and a Neo4j transaction the driver
retries writes it once (the retried attempt runs the whole transaction function again, and
`StoreBase._write` empties `Change.pending` at the start of each attempt). After the commit the
store hands the committed notifications to its listeners (the API's live feed), at once and in
process; other processes find them by tailing the store (`recent_notifications`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from ulid import ULID

from graph_db.audit import Change
from graph_db.core import cypher as C
from graph_db.core.base import StoreBase, Transaction
from graph_db.errors import NotFound
from graph_db.paging import Page, PageRequest, finish_page
from graph_db.records import Notification, NotificationKind, utc_now

NotificationListener = Callable[[Sequence[Notification]], None]
"""Called (synchronously, on the event loop) with the notifications of each commit."""

PRUNE_BATCH = 10_000
"""Notifications deleted per transaction when pruning."""

_last_id = ULID.from_int(0)


def _next_id(at: datetime) -> str:
    """A ULID for a notification created at `at`, above every one this process made before, so
    that within a process id order is creation order even inside one millisecond (ULIDs are
    ordered by millisecond only)."""
    global _last_id
    candidate = ULID.from_datetime(at)
    if candidate <= _last_id:
        candidate = ULID.from_int(int(_last_id) + 1)
    _last_id = candidate
    return str(candidate)


async def notify(
    tx: Transaction,
    change: Change,
    *,
    recipient_id: str,
    kind: NotificationKind,
    subject_ids: Sequence[str] = (),
) -> Notification | None:
    """Write one notification in the transaction `tx` of the mutation `change`.

    The actor is the mutation's caller (`change.audit`); the time is now (in the transaction), and
    the id a ULID of that time, so id order and `createdAt` order agree. Nobody is told about
    their own action: when the recipient is the actor nothing is written.

    Args:
        tx: the write rule's transaction.
        change: the mutation (the notification joins `change.pending`).
        recipient_id: the civil servant to tell (must exist; else nothing is written).
        kind: what happened.
        subject_ids: what it is about, as `"<Type>:<id>"`.

    Returns:
        The notification, or None when the recipient is the actor.
    """
    actor = change.audit.actor_id
    if recipient_id == actor:
        return None
    now = utc_now()
    notification = Notification(
        id=_next_id(now),
        recipient_id=recipient_id,
        kind=kind,
        actor_id=actor,
        subject_ids=tuple(subject_ids),
        created_at=now,
    )
    await tx.run(C.CREATE_NOTIFICATION, _props(notification))
    change.pending.append(notification)
    return notification


def _props(n: Notification) -> dict[str, Any]:
    return {
        "id": n.id,
        "recipientId": n.recipient_id,
        "kind": n.kind.value,
        "actorId": n.actor_id,
        "subjectIds": list(n.subject_ids),
        "createdAt": n.created_at,
    }


def notification_from_props(d: dict[str, Any]) -> Notification:
    """A `Notification` from a `Notification` node's properties."""
    return Notification(
        id=d["id"],
        recipient_id=d["recipientId"],
        kind=NotificationKind(d["kind"]),
        actor_id=d.get("actorId"),
        subject_ids=tuple(d.get("subjectIds") or ()),
        created_at=d["createdAt"],
        read_at=d.get("readAt"),
    )


class Notifications(StoreBase):
    """The inbox and the outbox tail (see the port, `NotificationStore`, for each contract)."""

    _notification_listeners: list[NotificationListener]

    def add_notification_listener(self, listener: NotificationListener) -> None:
        if not hasattr(self, "_notification_listeners"):
            self._notification_listeners = []
        self._notification_listeners.append(listener)

    def remove_notification_listener(self, listener: NotificationListener) -> None:
        listeners = getattr(self, "_notification_listeners", [])
        if listener in listeners:
            listeners.remove(listener)

    def _committed(self, notifications: list[Notification]) -> None:
        for listener in list(getattr(self, "_notification_listeners", ())):
            listener(notifications)

    async def notifications(
        self, recipient_id: str, *, unread_only: bool, page: PageRequest
    ) -> Page[Notification]:
        rows = await self._read(
            C.NOTIFICATIONS[page.backward],
            {"recipientId": recipient_id, "unreadOnly": unread_only} | self._after(page),
        )
        return finish_page(
            [(notification_from_props(r[0]), (r[1], r[0]["id"])) for r in rows], page
        )

    async def count_notifications(self, recipient_id: str, *, unread_only: bool) -> int:
        rows = await self._read(
            C.COUNT_NOTIFICATIONS, {"recipientId": recipient_id, "unreadOnly": unread_only}
        )
        return int(rows[0][0])

    async def notifications_after(
        self, recipient_id: str, *, after_id: str, limit: int
    ) -> list[Notification]:
        rows = await self._read(
            C.NOTIFICATIONS_AFTER,
            {"recipientId": recipient_id, "afterId": after_id, "limit": limit},
        )
        return [notification_from_props(r[0]) for r in rows]

    async def recent_notifications(
        self, *, since: datetime, seen: Sequence[str], limit: int
    ) -> list[Notification]:
        rows = await self._read(
            C.RECENT_NOTIFICATIONS, {"since": since, "seen": list(seen), "limit": limit}
        )
        return [notification_from_props(r[0]) for r in rows]

    async def mark_notifications_read(
        self, recipient_id: str, ids: Sequence[str], *, at: datetime, change: Change
    ) -> list[Notification]:
        wanted = sorted(set(ids))

        async def work(tx: Transaction) -> list[Notification]:
            params = {"recipientId": recipient_id, "ids": wanted}
            own = {r[0] for r in await tx.run(C.OWN_NOTIFICATIONS, params)}
            if missing := set(wanted) - own:
                raise NotFound(f"unknown notification: {', '.join(sorted(missing))}")
            rows = await tx.run(C.MARK_NOTIFICATIONS_READ, params | {"at": at})
            return [notification_from_props(r[0]) for r in rows]

        marked = await self._write(work, change=change)
        order = {id_: i for i, id_ in enumerate(ids)}
        return sorted(marked, key=lambda n: order[n.id])

    async def mark_all_notifications_read(
        self, recipient_id: str, *, at: datetime, change: Change
    ) -> int:
        async def work(tx: Transaction) -> int:
            rows = await tx.run(
                C.MARK_ALL_NOTIFICATIONS_READ, {"recipientId": recipient_id, "at": at}
            )
            return int(rows[0][0])

        return await self._write(work, change=change)

    async def prune_notifications(self, *, read_before: datetime) -> int:
        total = 0
        while True:
            rows = await self._write_statement(
                C.PRUNE_READ_NOTIFICATIONS, {"before": read_before, "limit": PRUNE_BATCH}
            )
            deleted = int(rows[0][0]) if rows else 0
            total += deleted
            if deleted < PRUNE_BATCH:
                return total

"""Notifications: each member's inbox, written with the changes that cause them, and the outbox
tail by which every API process delivers them live (`graph_db.core.notifications`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol

from graph_db.audit import Change
from graph_db.paging import Page, PageRequest
from graph_db.records import Notification


class NotificationStore(Protocol):
    """Reads and writes of inbox notifications.

    Notifications are created only by the write rules, in the transaction of the change that
    causes them (kinds: `graph_db.records.NotificationKind`); nobody is notified of their own
    action.
    """

    def add_notification_listener(self, listener: Callable[[Sequence[Notification]], None]) -> None:
        """Call `listener` with the notifications of every later commit of this store object,
        right after the commit, on the event loop (it must not block or raise)."""
        ...

    def remove_notification_listener(
        self, listener: Callable[[Sequence[Notification]], None]
    ) -> None:
        """Stop calling `listener` (no-op if it was not added)."""
        ...

    async def notifications(
        self, recipient_id: str, *, unread_only: bool, page: PageRequest
    ) -> Page[Notification]:
        """One keyset page of a recipient's notifications, newest first (by `createdAt`, then id
        descending; keys `(created_at, id)`), optionally unread ones only."""
        ...

    async def count_notifications(self, recipient_id: str, *, unread_only: bool) -> int:
        """How many notifications the recipient has (unread ones only, if asked)."""
        ...

    async def notifications_after(
        self, recipient_id: str, *, after_id: str, limit: int
    ) -> list[Notification]:
        """At most `limit` of the recipient's notifications whose id sorts after `after_id`,
        oldest first (ULIDs sort by creation time): what a reconnecting subscriber missed."""
        ...

    async def recent_notifications(
        self, *, since: datetime, seen: Sequence[str], limit: int
    ) -> list[Notification]:
        """At most `limit` notifications of anyone created at or after `since` whose id is not
        in `seen`, oldest first: one poll of the outbox tail."""
        ...

    async def mark_notifications_read(
        self, recipient_id: str, ids: Sequence[str], *, at: datetime, change: Change
    ) -> list[Notification]:
        """Mark the recipient's notifications `ids` read at `at` (those already read keep their
        time); return them in the order of `ids`.

        Raises:
            NotFound: an id is unknown or another person's; nothing is changed.
        """
        ...

    async def mark_all_notifications_read(
        self, recipient_id: str, *, at: datetime, change: Change
    ) -> int:
        """Mark every unread notification of the recipient read at `at`; return how many."""
        ...

    async def prune_notifications(self, *, read_before: datetime) -> int:
        """Delete notifications read before `read_before` (a system write, not audited); return
        how many. Unread notifications are never pruned."""
        ...

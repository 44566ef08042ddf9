"""The live notification feed of one API process: fans committed notifications out to the
subscriptions open in this process, through one bounded queue per subscription.

Notifications arrive two ways, de-duplicated by id:

1. **In process, at once.** The store calls `NotificationFeed.publish` right after each commit
   that wrote notifications (`GraphStore.add_notification_listener`).
2. **The outbox tail** (`NotificationFeed.tail`, Neo4j only): every `poll_interval_s` one query
   per process reads the notifications created in the last `lookback_s` that it has not seen yet
   (`GraphStore.recent_notifications`). That is how a notification committed by another API
   process on the same Neo4j reaches this one's subscribers. The look-back window, not a
   "newer than the newest id seen" cursor, covers notifications whose transaction committed
   after a later-created one (a slow or retried transaction, clocks of other processes), which
   a cursor on id or time would skip for ever. The embedded store is opened by one process only
   (a file lock), so there every commit is seen in process and the tail does not run.

A subscriber that does not read its queue is dropped when the queue is full: its queue is
emptied (memory stays bounded), it is marked `overflowed`, and its stream ends so the socket can
be closed with `SLOW_CONSUMER_CLOSE`; the client resumes with the last id it saw.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from graph_db.errors import StoreError
from graph_db.port import GraphStore
from graph_db.records import Notification, utc_now

log = logging.getLogger("expecs.feed")

SLOW_CONSUMER_CLOSE = 4413
"""WebSocket close code for a subscriber whose queue overflowed (it stopped reading)."""
STORE_GONE = object()
"""Queued to every subscriber when the store stops answering the tail."""
OVERFLOW = object()
"""Queued (alone) to a subscriber whose queue overflowed."""
TOUCHED = object()
"""Queued when the recipient's unread count may have changed without a new notification."""

Item = Notification | object


@dataclass(eq=False)
class Subscriber:
    """One open subscription of `recipient_id`: a bounded queue of notifications (and markers).

    Attributes:
        recipient_id: whose notifications it receives.
        queue: bounded; the feed never blocks on it.
        overflowed: the queue filled up; the subscription must end.
        on_overflow: called once when it overflows (closes the socket).
    """

    recipient_id: str
    queue: asyncio.Queue[Item]
    overflowed: bool = False
    on_overflow: Callable[[], None] | None = None

    def offer(self, item: Item) -> None:
        """Queue `item` without waiting; on a full queue drop everything and end the stream."""
        if self.overflowed:
            return
        try:
            self.queue.put_nowait(item)
        except asyncio.QueueFull:
            self.overflowed = True
            while not self.queue.empty():
                self.queue.get_nowait()
            self.queue.put_nowait(OVERFLOW)
            if self.on_overflow is not None:
                self.on_overflow()


@dataclass
class NotificationFeed:
    """Fan-out of committed notifications to this process's subscribers.

    Args:
        store: the process's store (for the tail).
        queue_size: capacity of each subscriber's queue (items).
        poll_interval_s: seconds between two polls of the outbox tail; None: no tail.
        lookback_s: how far back (seconds before now) each poll looks for late commits.
        poll_limit: rows per poll (a burst is read over several polls).
    """

    store: GraphStore
    queue_size: int = 256
    poll_interval_s: float | None = None
    lookback_s: float = 30.0
    poll_limit: int = 1_000
    on_count: Callable[[int], None] | None = None
    """Told +1 when a subscription opens and -1 when it closes (the open-subscriptions metric)."""
    _subscribers: dict[str, set[Subscriber]] = field(default_factory=dict)
    _seen: OrderedDict[str, datetime] = field(default_factory=OrderedDict)

    def publish(self, notifications: Sequence[Notification]) -> None:
        """Deliver notifications to their recipients' subscribers (each id once per process)."""
        for n in notifications:
            if n.id in self._seen:
                continue
            self._seen[n.id] = n.created_at
            for subscriber in list(self._subscribers.get(n.recipient_id, ())):
                subscriber.offer(n)
        self._forget_old()

    def touch(self, recipient_id: str) -> None:
        """Tell `recipient_id`'s subscribers their unread count may have changed (read marks)."""
        for subscriber in list(self._subscribers.get(recipient_id, ())):
            subscriber.offer(TOUCHED)

    def subscribe(
        self, recipient_id: str, on_overflow: Callable[[], None] | None = None
    ) -> Subscriber:
        """Open a subscription; `unsubscribe` it when the stream ends."""
        subscriber = Subscriber(recipient_id, asyncio.Queue(self.queue_size), False, on_overflow)
        self._subscribers.setdefault(recipient_id, set()).add(subscriber)
        if self.on_count is not None:
            self.on_count(1)
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        """Close a subscription (idempotent)."""
        group = self._subscribers.get(subscriber.recipient_id)
        if group is not None and subscriber in group:
            group.discard(subscriber)
            if self.on_count is not None:
                self.on_count(-1)
            if not group:
                del self._subscribers[subscriber.recipient_id]

    @property
    def subscriber_count(self) -> int:
        """Open subscriptions in this process."""
        return sum(len(group) for group in self._subscribers.values())

    def _forget_old(self) -> None:
        # Ids older than twice the look-back cannot come back from the tail: forget them, so the
        # de-duplication set stays as small as the traffic of one window.
        horizon = utc_now() - timedelta(seconds=2 * self.lookback_s)
        while self._seen:
            oldest_id, created = next(iter(self._seen.items()))
            if created >= horizon:
                break
            self._seen.pop(oldest_id)

    async def poll(self) -> int:
        """One poll of the outbox tail; deliver what is new. Returns how many were new.

        Raises:
            StoreUnavailable: the store did not answer.
        """
        since = utc_now() - timedelta(seconds=self.lookback_s)
        seen = [i for i, created in self._seen.items() if created >= since]
        found = await self.store.recent_notifications(since=since, seen=seen, limit=self.poll_limit)
        self.publish(found)
        return len(found)

    async def tail(self, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        """Poll the outbox every `poll_interval_s` until cancelled. When the store fails, every
        open stream ends with STORE_UNAVAILABLE (clients resume with their last id); polling
        goes on, so streams opened after the store is back are served."""
        assert self.poll_interval_s is not None
        failing = False
        while True:
            try:
                while await self.poll() >= self.poll_limit:
                    pass
                failing = False
            except StoreError as exc:
                if not failing:
                    log.warning("notification tail: store unavailable: %s", exc)
                failing = True
                for group in list(self._subscribers.values()):
                    for subscriber in list(group):
                        subscriber.offer(STORE_GONE)
            await sleep(self.poll_interval_s)


@dataclass
class LiveSocket:
    """What the resolvers know of the WebSocket connection they run on.

    Attributes:
        expires_at: when the connection's token stops being valid (Unix seconds, leeway
            included); None before `connection_init`.
        person_id: the authenticated caller; None before `connection_init`.
        close: closes the socket with a code and a reason (no-op once closed).
    """

    close: Callable[[int, str], Coroutine[object, object, None]]
    expires_at: float | None = None
    person_id: str | None = None
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    def drop(self, code: int, reason: str) -> None:
        """Close the socket soon, from synchronous code (e.g. the feed's fan-out)."""
        task: asyncio.Task[None] = asyncio.get_running_loop().create_task(self.close(code, reason))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

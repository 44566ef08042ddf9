"""The live feed's fan-out: one delivery per id, bounded queues, slow subscribers dropped."""

from __future__ import annotations

from typing import cast

from graph_db.port import GraphStore
from graph_db.records import Notification, NotificationKind, new_id, utc_now
from resolvers.feed import OVERFLOW, TOUCHED, NotificationFeed

# The fan-out never touches the store (only `poll` does); none is needed here.
NO_STORE = cast(GraphStore, None)


def notification(recipient: str) -> Notification:
    return Notification(
        id=new_id(), recipient_id=recipient, kind=NotificationKind.ENDORSED, created_at=utc_now()
    )


def test_each_notification_reaches_its_recipients_subscribers_once() -> None:
    feed = NotificationFeed(NO_STORE)
    ana1, ana2, budi = feed.subscribe("ana"), feed.subscribe("ana"), feed.subscribe("budi")
    n = notification("ana")
    feed.publish([n])
    feed.publish([n])  # the same id again (e.g. from the outbox tail): not delivered twice
    assert [ana1.queue.qsize(), ana2.queue.qsize(), budi.queue.qsize()] == [1, 1, 0]
    assert ana1.queue.get_nowait() == n
    feed.touch("budi")
    assert budi.queue.get_nowait() is TOUCHED
    feed.unsubscribe(ana1)
    feed.unsubscribe(ana1)
    assert feed.subscriber_count == 2


def test_a_subscriber_that_stops_reading_is_dropped_with_bounded_memory() -> None:
    feed = NotificationFeed(NO_STORE, queue_size=8)
    dropped: list[bool] = []
    slow = feed.subscribe("ana", on_overflow=lambda: dropped.append(True))
    for _ in range(1_000):
        feed.publish([notification("ana")])
    assert slow.overflowed and dropped == [True]
    assert slow.queue.qsize() == 1 and slow.queue.get_nowait() is OVERFLOW

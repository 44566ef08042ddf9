"""The viewer's inbox (pages, unread count, read marks) and the two live streams behind the
`notifications` and `unreadNotificationCount` subscriptions.

Only the recipient sees or marks a notification: every use case here acts on the viewer's own.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncGenerator
from datetime import datetime

from graph_db.errors import StoreUnavailable
from graph_db.records import Notification, utc_now
from resolvers.context import Context
from resolvers.errors import BadUserInput, LimitExceeded
from resolvers.feed import OVERFLOW, SLOW_CONSUMER_CLOSE, STORE_GONE, Subscriber
from resolvers.lists import Listing
from resolvers.pagination import PageArgs, cursors, page_request
from resolvers.viewer import Forbidden, Unauthenticated

MAX_MARK_IDS = 100
"""Most ids one `markNotificationsRead` takes."""
REPLAY_PAGE = 500
"""Missed notifications read per store query when a subscriber resumes."""
COUNT_RECHECK_S = 10.0
"""An unread-count stream re-reads the count at least this often (seconds), so read marks made
through another API process show up too."""
_ULID = re.compile(r"[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{1,26}")


def _own(ctx: Context, person_id: str | None = None) -> str:
    """The viewer's id; Forbidden when `person_id` is given and is someone else."""
    me = ctx.viewer.require_person()
    if person_id is not None and person_id != me:
        raise Forbidden("only the recipient sees their notifications")
    return me


async def inbox(
    ctx: Context, person_id: str, args: PageArgs, *, unread_only: bool
) -> Listing[Notification]:
    """A page of `person_id`'s notifications, newest first (lazy `totalCount`).

    Raises:
        Unauthenticated: anonymous. Forbidden: `person_id` is not the viewer.
        BadUserInput: a bad cursor. LimitExceeded: `first`/`last` over the cap.
    """
    me = _own(ctx, person_id)
    ordering = f"notifications:{'UNREAD' if unread_only else 'ALL'}"
    request = page_request(ordering, args, ctx.page_sizes, key_type=datetime)
    page = await ctx.store.notifications(me, unread_only=unread_only, page=request)
    return Listing(
        page,
        cursors(ordering, page),
        lambda: ctx.store.count_notifications(me, unread_only=unread_only),
    )


async def unread_count(ctx: Context, person_id: str) -> int:
    """How many unread notifications `person_id` (the viewer) has. Raises as `inbox`."""
    return await ctx.store.count_notifications(_own(ctx, person_id), unread_only=True)


async def mark_read(ctx: Context, ids: list[str]) -> list[Notification]:
    """Mark the viewer's notifications `ids` read (1–100 ids; read ones keep their time).

    Raises:
        Unauthenticated: anonymous. BadUserInput: no ids, or over `MAX_MARK_IDS`.
        NotFound: an id is unknown or someone else's (nothing is changed).
    """
    me = _own(ctx)
    if not ids:
        raise BadUserInput("give at least one notification id")
    if len(ids) > MAX_MARK_IDS:
        raise BadUserInput(f"at most {MAX_MARK_IDS} ids at once")
    for id_ in dict.fromkeys(ids):
        ctx.change.note_subject("Notification", id_)
    marked = await ctx.store.mark_notifications_read(me, ids, at=utc_now(), change=ctx.change)
    if ctx.feed is not None:
        ctx.feed.touch(me)
    return marked


async def mark_all_read(ctx: Context) -> int:
    """Mark every unread notification of the viewer read; return how many. Raises Unauthenticated."""
    me = _own(ctx)
    count = await ctx.store.mark_all_notifications_read(me, at=utc_now(), change=ctx.change)
    if ctx.feed is not None:
        ctx.feed.touch(me)
    return count


def _subscribe(ctx: Context) -> tuple[str, Subscriber]:
    me = _own(ctx)
    if ctx.feed is None or ctx.socket is None:
        raise BadUserInput("subscriptions are served over WebSocket only")
    socket = ctx.socket
    subscriber = ctx.feed.subscribe(
        me,
        on_overflow=lambda: socket.drop(
            SLOW_CONSUMER_CLOSE, "subscriber too slow; reconnect and resume with the last id"
        ),
    )
    return me, subscriber


async def _next(ctx: Context, subscriber: Subscriber, recheck_s: float | None = None) -> object:
    """The subscriber's next item; None when `recheck_s` seconds pass first.

    Raises:
        Unauthenticated: the connection's token expired (the stream ends).
        LimitExceeded: the subscriber's queue overflowed. StoreUnavailable: the store went away.
    """
    assert ctx.socket is not None
    left = None if ctx.socket.expires_at is None else ctx.socket.expires_at - time.time()
    if left is not None and left <= 0:
        raise Unauthenticated("the token has expired; reconnect with a new one")
    wait = left if recheck_s is None else (recheck_s if left is None else min(left, recheck_s))
    try:
        item = await asyncio.wait_for(subscriber.queue.get(), wait)
    except TimeoutError:
        if recheck_s is not None and (left is None or recheck_s < left):
            return None
        raise Unauthenticated("the token has expired; reconnect with a new one") from None
    if item is OVERFLOW:
        raise LimitExceeded("subscriber too slow; resume with the last id", {"limit": "queue"})
    if item is STORE_GONE:
        raise StoreUnavailable("the store is unavailable; resume with the last id")
    return item


async def notification_stream(
    ctx: Context, after: str | None
) -> AsyncGenerator[Notification, None]:
    """The viewer's new notifications as they commit; with `after` (the id of the last one seen),
    first every later one from the store, oldest first.

    Raises (ending the stream): Unauthenticated (anonymous, or the token expired),
    BadUserInput (a malformed `after`), LimitExceeded (too slow a reader), StoreUnavailable.
    """
    if after is not None and not _ULID.fullmatch(after):
        raise BadUserInput("after must be a notification id")
    me, subscriber = _subscribe(ctx)
    assert ctx.feed is not None
    try:
        # Subscribed before reading the store: nothing committed in between is lost; what both
        # paths deliver is sent once.
        replayed: set[str] = set()
        while after is not None:
            missed = await ctx.store.notifications_after(me, after_id=after, limit=REPLAY_PAGE)
            for n in missed:
                replayed.add(n.id)
                ctx.fresh_loaders()
                yield n
            after = missed[-1].id if len(missed) == REPLAY_PAGE else None
        while True:
            item = await _next(ctx, subscriber)
            if isinstance(item, Notification) and item.id not in replayed:
                ctx.fresh_loaders()
                yield item
    finally:
        ctx.feed.unsubscribe(subscriber)


async def unread_count_stream(ctx: Context) -> AsyncGenerator[int, None]:
    """The viewer's unread count now, then each time it changes.

    Raises (ending the stream): as `notification_stream`.
    """
    me, subscriber = _subscribe(ctx)
    assert ctx.feed is not None
    try:
        last = await ctx.store.count_notifications(me, unread_only=True)
        yield last
        while True:
            item = await _next(ctx, subscriber, recheck_s=COUNT_RECHECK_S)
            while item is not None and not subscriber.queue.empty():
                item = await _next(ctx, subscriber)  # a burst: one count for all of it
            del item
            count = await ctx.store.count_notifications(me, unread_only=True)
            if count != last:
                last = count
                yield count
    finally:
        ctx.feed.unsubscribe(subscriber)

"""Notifications on both stores: written with the change (or not at all), one per change, read
back alike (inbox pages, counts, replay after an id, the outbox tail), marked read only by their
recipient, pruned when old and read."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from graph_db.audit import AuditEntry, Change
from graph_db.errors import Conflict, NotFound
from graph_db.paging import PageRequest
from graph_db.port import GraphStore
from graph_db.records import (
    Endorsement,
    Mentorship,
    MentorshipStatus,
    NotificationKind,
    new_id,
    utc_now,
)
from tests.conftest import AREA

K = NotificationKind


@pytest.fixture
def store_trio(ldbc_store: GraphStore, trio: list[str]) -> tuple[GraphStore, list[str]]:
    """The backend's store and three fresh verified members holding `AREA`."""
    return ldbc_store, trio


def change(actor: str | None, action: str = "test") -> Change:
    """A mutation's `Change` as the API makes it, acted by `actor`."""
    entry = AuditEntry(
        id=new_id(),
        at=utc_now(),
        actor_id=actor,
        roles=("member",),
        action=action,
        request_id="test",
    )
    return Change(entry)


async def inbox(
    store: GraphStore, person: str, *, unread_only: bool = False
) -> list[tuple[K, str | None]]:
    page = await store.notifications(person, unread_only=unread_only, page=PageRequest(limit=100))
    return [(n.kind, n.actor_id) for n in page.items]


async def test_each_event_notifies_the_other_party(
    store_trio: tuple[GraphStore, list[str]],
) -> None:
    store, (ana, budi, chan) = store_trio
    c = change(ana)
    await store.request_connection(from_id=ana, to_id=budi, message=None, at=utc_now(), change=c)
    assert [n.kind for n in c.notifications] == [K.CONNECTION_REQUESTED]
    repeat = change(ana)
    await store.request_connection(
        from_id=ana, to_id=budi, message=None, at=utc_now(), change=repeat
    )
    assert repeat.notifications == []  # a repeat changes nothing, tells nobody
    await store.accept_connection(
        person_id=budi, requester_id=ana, at=utc_now(), change=change(budi)
    )
    # Crossed requests connect, and tell the first requester theirs was accepted.
    await store.request_connection(
        from_id=chan, to_id=ana, message=None, at=utc_now(), change=change(chan)
    )
    await store.request_connection(
        from_id=ana, to_id=chan, message=None, at=utc_now(), change=change(ana)
    )
    await store.endorse(
        Endorsement(endorser_id=budi, endorsee_id=chan, expertise_id=AREA, at=utc_now()),
        change=change(budi),
    )
    m = Mentorship(
        id=new_id(),
        mentor_id=chan,
        mentee_id=ana,
        expertise_id=AREA,
        status=MentorshipStatus.REQUESTED,
        requested_at=utc_now(),
    )
    await store.request_mentorship(m, change=change(ana))
    for status, actor in ((MentorshipStatus.ACTIVE, chan), (MentorshipStatus.COMPLETED, ana)):
        await store.set_mentorship_status(
            m.id, expected=list(MentorshipStatus), status=status, at=utc_now(), change=change(actor)
        )
    assert await inbox(store, ana) == [
        (K.MENTORSHIP_ACCEPTED, chan),
        (K.CONNECTION_REQUESTED, chan),
        (K.CONNECTION_ACCEPTED, budi),
    ]
    assert await inbox(store, budi) == [(K.CONNECTION_REQUESTED, ana)]
    assert await inbox(store, chan) == [
        (K.MENTORSHIP_COMPLETED, ana),
        (K.MENTORSHIP_REQUESTED, ana),
        (K.ENDORSED, budi),
        (K.CONNECTION_ACCEPTED, ana),
    ]


async def test_a_rejected_change_leaves_no_notification(
    store_trio: tuple[GraphStore, list[str]],
) -> None:
    store, (ana, budi, _) = store_trio
    await store.request_connection(
        from_id=ana, to_id=budi, message=None, at=utc_now(), change=change(ana)
    )
    await store.accept_connection(
        person_id=budi, requester_id=ana, at=utc_now(), change=change(budi)
    )
    before = await store.count_notifications(ana, unread_only=False)
    c = change(budi)
    with pytest.raises(Conflict):  # already connected
        await store.request_connection(
            from_id=budi, to_id=ana, message=None, at=utc_now(), change=c
        )
    with pytest.raises(NotFound):  # no such request
        await store.accept_connection(person_id=ana, requester_id=budi, at=utc_now(), change=c)
    assert c.notifications == [] and c.pending == []
    assert await store.count_notifications(ana, unread_only=False) == before


async def test_concurrent_endorsements_notify_once(
    store_trio: tuple[GraphStore, list[str]],
) -> None:
    store, (ana, budi, _) = store_trio
    changes = [change(ana) for _ in range(50)]
    await asyncio.gather(
        *(
            store.endorse(
                Endorsement(endorser_id=ana, endorsee_id=budi, expertise_id=AREA, at=utc_now()),
                change=c,
            )
            for c in changes
        )
    )
    assert sum(len(c.notifications) for c in changes) == 1
    assert await inbox(store, budi) == [(K.ENDORSED, ana)]


async def test_read_marks_replay_tail_and_prune(store_trio: tuple[GraphStore, list[str]]) -> None:
    store, (ana, budi, chan) = store_trio
    heard = []
    store.add_notification_listener(heard.extend)
    try:
        for other in (budi, chan):
            await store.request_connection(
                from_id=other, to_id=ana, message=None, at=utc_now(), change=change(other)
            )
    finally:
        store.remove_notification_listener(heard.extend)
    first, second = heard
    assert [n.recipient_id for n in heard] == [ana, ana]
    assert await store.count_notifications(ana, unread_only=True) == 2
    assert [n.id for n in await store.notifications_after(ana, after_id=first.id, limit=10)] == [
        second.id
    ]
    assert [n.id for n in await store.notifications_after(ana, after_id="0", limit=10)] == [
        first.id,
        second.id,
    ]
    since = first.created_at - timedelta(seconds=1)
    tail = await store.recent_notifications(since=since, seen=[first.id], limit=100)
    assert second.id in [n.id for n in tail] and first.id not in [n.id for n in tail]
    # Someone else's id, or an unknown one: NOT_FOUND and nothing changes.
    for ids in ([first.id, "no-such-id"], [first.id]):
        with pytest.raises(NotFound):
            await store.mark_notifications_read(
                budi if ids == [first.id] else ana, ids, at=utc_now(), change=change(ana)
            )
    assert await store.count_notifications(ana, unread_only=True) == 2
    marked = await store.mark_notifications_read(ana, [first.id], at=utc_now(), change=change(ana))
    assert [n.id for n in marked] == [first.id] and marked[0].read_at is not None
    page = await store.notifications(ana, unread_only=True, page=PageRequest(limit=10))
    assert [n.id for n in page.items] == [second.id]
    assert await store.mark_all_notifications_read(ana, at=utc_now(), change=change(ana)) == 1
    assert await store.count_notifications(ana, unread_only=True) == 0
    # Pruning deletes read notifications older than the cut-off, only those.
    await store.prune_notifications(read_before=utc_now() - timedelta(days=1))
    assert await store.count_notifications(ana, unread_only=False) == 2
    await store.prune_notifications(read_before=utc_now() + timedelta(seconds=1))
    assert await store.count_notifications(ana, unread_only=False) == 0


async def test_keyset_pages_newest_first(store_trio: tuple[GraphStore, list[str]]) -> None:
    store, (ana, budi, _) = store_trio
    ids = []
    for _ in range(5):
        c = change(budi)
        await store.endorse(
            Endorsement(endorser_id=budi, endorsee_id=ana, expertise_id=AREA, at=utc_now()),
            change=c,
        )
        ids += [n.id for n in c.notifications]
        await store.withdraw_endorsement(
            endorser_id=budi, endorsee_id=ana, expertise_id=AREA, change=change(budi)
        )
    seen, after = [], None
    while True:
        page = await store.notifications(
            ana, unread_only=False, page=PageRequest(limit=2, after=after)
        )
        seen += [n.id for n in page.items]
        if not page.has_next:
            break
        after = page.keys[-1]
    assert seen == ids[::-1]

"""Notifications in GraphQL: the viewer's inbox fields (on `CivilServant`), the read-mark
mutations and the `notifications` / `unreadNotificationCount` subscriptions."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry import relay

from graph_db import records
from resolvers import notifications, policy
from resolvers.pagination import PageArgs
from resolvers.viewer import Forbidden
from schema.expertise import Expertise
from schema.info import Info
from schema.node import LoadedNode
from schema.pagination import Connection, Edge, build_connection
from schema.social import Mentorship

if TYPE_CHECKING:
    from schema.civil_servant import CivilServant

CivilServantRef = Annotated["CivilServant", strawberry.lazy("schema.civil_servant")]

NotificationKind = records.NotificationKind
strawberry.enum(NotificationKind, description=NotificationKind.__doc__)


def _subject_types() -> dict[str, type[LoadedNode]]:
    from schema.civil_servant import CivilServant
    from schema.exchange import ExpertiseRequest

    return {
        "CivilServant": CivilServant,
        "Expertise": Expertise,
        "Mentorship": Mentorship,
        "ExpertiseRequest": ExpertiseRequest,
    }


@strawberry.type(description="Something that happened that concerns you (your inbox).")
class Notification:
    id: strawberry.ID = strawberry.field(
        description="Sorts by time; give the last one seen as `after` when resubscribing."
    )
    kind: NotificationKind
    created_at: datetime = strawberry.field(description="When it happened (UTC).")
    read_at: datetime | None = strawberry.field(description="When you marked it read.")
    subject_ids: list[str] = strawberry.field(
        description="What it is about, as `Type:id` (e.g. `Mentorship:01J…`)."
    )
    actor_id: strawberry.Private[str | None]

    @classmethod
    def from_domain(cls, n: records.Notification) -> Notification:
        return cls(
            id=strawberry.ID(n.id),
            kind=n.kind,
            created_at=n.created_at,
            read_at=n.read_at,
            subject_ids=list(n.subject_ids),
            actor_id=n.actor_id,
        )

    @strawberry.field(description="True once you marked it read.")
    def read(self) -> bool:
        return self.read_at is not None

    @strawberry.field(
        description="Who did it: null if their profile is gone, or (with FORBIDDEN) for a caller "
        "who may not see people yet."
    )
    async def actor(self, info: Info) -> CivilServantRef | None:
        from schema.civil_servant import CivilServant

        if self.actor_id is None:
            return None
        await policy.require_self_or_member(info.context, self.actor_id)
        return await CivilServant.load(info, self.actor_id)

    @strawberry.field(
        description="What it is about: people, expertise areas, mentorships (those that are gone "
        "or that you may not see yet are left out)."
    )
    async def subjects(self, info: Info) -> list[relay.Node]:
        from schema.query import may_read

        types = _subject_types()
        found: list[relay.Node] = []
        for subject in self.subject_ids:
            type_name, _, node_id = subject.partition(":")
            node_type = types.get(type_name)
            if node_type is None:
                continue
            try:
                await may_read(info, relay.GlobalID(type_name, node_id))
                node = await node_type.load(info, node_id)  # a request may be FORBIDDEN
            except Forbidden:
                continue
            if node:
                found.append(node)
        return found


@strawberry.type(description="A page of notifications, newest first.")
class NotificationConnection(Connection[Edge[Notification]]):
    pass


async def _inbox(
    root: Any,
    info: Info,
    first: int | None = None,
    after: str | None = None,
    unread_only: bool = False,
) -> NotificationConnection | None:
    listing = await notifications.inbox(
        info.context, str(root.id), PageArgs(first, after), unread_only=unread_only
    )
    return build_connection(
        NotificationConnection,
        listing,
        lambda n, c: Edge(cursor=c, node=Notification.from_domain(n)),
    )


async def _unread_count(root: Any, info: Info) -> int | None:
    return await notifications.unread_count(info.context, str(root.id))


inbox_field: Any = strawberry.field(
    resolver=_inbox,
    description="Your notifications, newest first: only on your own profile (`viewer`); "
    "elsewhere null with FORBIDDEN.",
)
unread_count_field: Any = strawberry.field(
    resolver=_unread_count,
    description="How many of your notifications are unread: only on your own profile.",
)


@strawberry.type
class MarkNotificationsReadPayload:
    notifications: list[Notification] = strawberry.field(description="In the order given.")
    unread_count: int


@strawberry.type
class MarkAllNotificationsReadPayload:
    marked_count: int = strawberry.field(description="How many were unread.")
    unread_count: int


@strawberry.type
class NotificationMutation:
    @strawberry.mutation(
        description="Mark some of your notifications read (1–100 ids); unknown ids or someone "
        "else's: NOT_FOUND, nothing changed."
    )
    async def mark_notifications_read(
        self, info: Info, ids: list[strawberry.ID]
    ) -> MarkNotificationsReadPayload | None:
        marked = await notifications.mark_read(info.context, [str(i) for i in ids])
        me = info.context.viewer.require_person()
        return MarkNotificationsReadPayload(
            notifications=[Notification.from_domain(n) for n in marked],
            unread_count=await notifications.unread_count(info.context, me),
        )

    @strawberry.mutation(description="Mark all your notifications read.")
    async def mark_all_notifications_read(
        self, info: Info
    ) -> MarkAllNotificationsReadPayload | None:
        marked = await notifications.mark_all_read(info.context)
        me = info.context.viewer.require_person()
        return MarkAllNotificationsReadPayload(
            marked_count=marked,
            unread_count=await notifications.unread_count(info.context, me),
        )


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="Your new notifications as they happen (over WebSocket). With `after` (the "
        "id of the last one you saw), first those you missed, oldest first."
    )
    async def notifications(
        self, info: Info, after: strawberry.ID | None = None
    ) -> AsyncGenerator[Notification, None]:
        stream = notifications.notification_stream(info.context, after)
        try:
            async for n in stream:
                yield Notification.from_domain(n)
        finally:
            await stream.aclose()

    @strawberry.subscription(
        description="Your unread-notification count now, then each time it changes."
    )
    async def unread_notification_count(self, info: Info) -> AsyncGenerator[int, None]:
        stream = notifications.unread_count_stream(info.context)
        try:
            async for count in stream:
                yield count
        finally:
            await stream.aclose()

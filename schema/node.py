"""Base of every Relay node type: fetches nodes by id through the type's DataLoader."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Any, ClassVar, Final, Self, TypeVar, cast

from strawberry import relay

from resolvers.loaders import PENDING, Pending
from schema.info import Info

T = TypeVar("T")

CONTEXT_ONLY_KEY: Final = "expecs.context_only"
CONTEXT_ONLY: Final = {CONTEXT_ONLY_KEY: True}
"""`metadata` of a field (`strawberry.field(metadata=CONTEXT_ONLY)`) whose resolver takes only
`(self, info)`, reads nothing of `info` but `info.context`, and answers a plain value when the
request already holds it (else an awaitable, made only then: see `now_or_later`).
`graph_api.execution` then calls it in its leaf-fields loop, without a `GraphQLResolveInfo` and
Strawberry's per-field work (a page of 50 people's `position`, a profile's 20 connection cards
with their institution, country and expertise); an awaitable answer sends the object the usual
way, where the resolver runs again: it must have no side effects (it may run more than once)."""


def now_or_later(now: T | Pending, later: Callable[[], Awaitable[T]]) -> T:
    """A plain resolver's answer: `now` when it is in hand, else the awaitable `later()`.

    graphql-core awaits what a plain resolver returns when it is awaitable, so a field whose
    value the request already holds (a profile's connections primed from one read) resolves
    without a coroutine, and its object without a task per field (graphql-core gathers the
    awaitable fields of an object as tasks). The schema shows `T`.
    """
    if now is PENDING:
        return cast(T, later())
    return now


class LoadedNode(relay.Node):
    """A `Node` whose `resolve_nodes` reads `info.context.loaders.<loader>` and wraps with `from_domain`.

    Subclasses set `loader` (the `Loaders` attribute name) and define `from_domain(record)`.
    """

    loader: ClassVar[str]

    if TYPE_CHECKING:
        id: str  # every subclass declares `id: relay.NodeID[str]`

    @classmethod
    def from_domain(cls, record: Any) -> Self:
        raise NotImplementedError

    @classmethod
    async def resolve_nodes(  # type: ignore[override]  # one signature for Node's three overloads
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        found = await getattr(info.context.loaders, cls.loader).load_many(list(node_ids))
        return [cls.from_domain(r) if r else None for r in found]

    @classmethod
    async def load(cls, info: Info, node_id: str | None) -> Self | None:
        """The node with `node_id`, or None (also for a None id)."""
        if not node_id:
            return None
        found = await getattr(info.context.loaders, cls.loader).load(node_id)
        return cls.from_domain(found) if found else None

    @classmethod
    def settled(cls, info: Info, node_id: str | None) -> Self | Pending | None:
        """`load` without waiting: the node, None (no such node, or a None id), or `PENDING`
        while its loader does not hold it yet."""
        if not node_id:
            return None
        found: object = getattr(info.context.loaders, cls.loader).settled(node_id)
        if found is PENDING:
            return PENDING
        node: Self | None = cls.from_domain(found) if found else None
        return node

    @classmethod
    def settled_map(cls, info: Info, node_ids: Iterable[str]) -> dict[str, Self] | Pending:
        """`load_map` without waiting, or `PENDING` unless every node is held (`settled`)."""
        found: list[Any] | Pending = getattr(info.context.loaders, cls.loader).settled_many(
            node_ids
        )
        if found is PENDING:
            return PENDING
        nodes: dict[str, Self] = {str(n.id): n for n in (cls.from_domain(r) for r in found if r)}
        return nodes

    @classmethod
    async def load_map(cls, info: Info, node_ids: Iterable[str]) -> dict[str, Self]:
        """The nodes that exist among `node_ids`, by id (for building edges around them)."""
        return {str(n.id): n for n in await cls.load_many(info, node_ids)}

    @classmethod
    async def load_many(cls, info: Info, node_ids: Iterable[str]) -> list[Self]:
        """The nodes that exist among `node_ids`, in order."""
        found = await getattr(info.context.loaders, cls.loader).load_many(list(node_ids))
        return [cls.from_domain(r) for r in found if r]

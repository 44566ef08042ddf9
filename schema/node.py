"""Base of every Relay node type: fetches nodes by id through the type's DataLoader."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar, Self

from strawberry import relay

from schema.info import Info


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
    async def load_map(cls, info: Info, node_ids: Iterable[str]) -> dict[str, Self]:
        """The nodes that exist among `node_ids`, by id (for building edges around them)."""
        return {str(n.id): n for n in await cls.load_many(info, node_ids)}

    @classmethod
    async def load_many(cls, info: Info, node_ids: Iterable[str]) -> list[Self]:
        """The nodes that exist among `node_ids`, in order."""
        found = await getattr(info.context.loaders, cls.loader).load_many(list(node_ids))
        return [cls.from_domain(r) for r in found if r]

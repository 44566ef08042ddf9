"""Safe retries: what a mutation sent with a `clientMutationId` made the first time."""

from __future__ import annotations

from typing import Protocol


class ReplayStore(Protocol):
    """Reads the keys that `Change.replay_key` records (`graph_db.core.replay`)."""

    async def replayed(self, key: str) -> list[str] | None:
        """The audit subjects (`Type:id`) recorded under `key`, or None if it was never used."""
        ...

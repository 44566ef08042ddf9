"""The read side of safe retries (`graph_db.core.replay`): a recorded key's subjects."""

from __future__ import annotations

from graph_db.core.base import StoreBase
from graph_db.core.replay import FIND_REPLAY


class ClientMutations(StoreBase):
    """`graph_db.port.replay.ReplayStore`."""

    async def replayed(self, key: str) -> list[str] | None:
        rows = await self._read(FIND_REPLAY, {"id": key})
        return list(rows[0][0] or []) if rows else None

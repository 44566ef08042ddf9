"""Expert status: granted and revoked by admins, with a reason, and its history."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from graph_db.audit import Change
from graph_db.records import CivilServant, ExpertStatusChange


class ExpertStatusStore(Protocol):
    """Writes and reads of expert status changes (`graph_db.core.expert_status`)."""

    async def set_expert_status(
        self, status: ExpertStatusChange, *, change: Change
    ) -> CivilServant:
        """Set the person's `isExpert` and record `status` (if it changes). Raises `NotFound`."""
        ...

    async def expert_history(self, person_ids: Sequence[str]) -> list[list[ExpertStatusChange]]:
        """Each person's expert status changes, newest first."""
        ...

"""Reads for a member's export of their own data (the rest comes from the other roles)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from graph_db.records import Endorsement


class DataExportStore(Protocol):
    """What only the data export reads."""

    async def endorsements_given(self, person_ids: Sequence[str]) -> list[list[Endorsement]]:
        """Endorsements each person gave, newest first."""
        ...

"""Reads the data export needs beyond the other roles (`graph_db.port.export`)."""

from __future__ import annotations

from collections.abc import Sequence

from graph_db.batching import group_rows
from graph_db.core import cypher as C
from graph_db.core.base import StoreBase
from graph_db.records import Endorsement


class DataExport(StoreBase):
    """`graph_db.port.export.DataExportStore`."""

    async def endorsements_given(self, person_ids: Sequence[str]) -> list[list[Endorsement]]:
        rows = await self._read(C.ENDORSEMENTS_GIVEN, {"ids": list(person_ids)})
        return group_rows(
            person_ids,
            rows,
            lambda r: Endorsement(endorser_id=r[0], endorsee_id=r[1], expertise_id=r[2], at=r[3]),
        )

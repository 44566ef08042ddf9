"""Expert status, granted and revoked by admins with a reason (`graph_db.port.expert_status`).

The flag is `CivilServant.isExpert`, which the dashboards and the ASCC indicators count; each
change is also kept as an `ExpertStatusChange` node hanging off the person (what, why, who,
when), written in the same transaction as the flag, the audit entry and the person's
notification. Setting the status a person already has changes nothing and records nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graph_db import properties as P
from graph_db.audit import Change
from graph_db.batching import group_rows
from graph_db.core import cypher as C
from graph_db.core.base import StoreBase, Transaction, require_people
from graph_db.core.notifications import notify
from graph_db.records import CivilServant, ExpertStatusChange, NotificationKind


def status_change_from_props(d: dict[str, Any]) -> ExpertStatusChange:
    """An `ExpertStatusChange` from its node's properties."""
    return ExpertStatusChange(
        id=d["id"],
        person_id=d["personId"],
        is_expert=bool(d["isExpert"]),
        reason=d["reason"],
        actor_id=d.get("actorId"),
        at=d["at"],
    )


class ExpertStatus(StoreBase):
    """`graph_db.port.expert_status.ExpertStatusStore`."""

    async def set_expert_status(
        self, status: ExpertStatusChange, *, change: Change
    ) -> CivilServant:
        async def work(tx: Transaction) -> CivilServant:
            await require_people(tx, [status.person_id])
            stored = (await tx.run(C.GET_BY_IDS["CivilServant"], {"ids": [status.person_id]}))[0][0]
            if bool(stored.get("isExpert")) == status.is_expert:
                return P.person_from_props(stored)
            rows = await tx.run(
                C.SET_EXPERT, {"id": status.person_id, "isExpert": status.is_expert}
            )
            await tx.run(
                C.CREATE_EXPERT_STATUS_CHANGE,
                {
                    "id": status.id,
                    "personId": status.person_id,
                    "isExpert": status.is_expert,
                    "reason": status.reason,
                    "actorId": status.actor_id,
                    "at": status.at,
                },
            )
            await notify(
                tx,
                change,
                recipient_id=status.person_id,
                kind=NotificationKind.EXPERT_STATUS_CHANGED,
                subject_ids=[f"CivilServant:{status.person_id}"],
            )
            return P.person_from_props(rows[0][0])

        return await self._write(work, change=change)

    async def expert_history(self, person_ids: Sequence[str]) -> list[list[ExpertStatusChange]]:
        rows = await self._read(C.EXPERT_HISTORY_OF, {"ids": list(person_ids)})
        return group_rows(person_ids, rows, lambda r: status_change_from_props(r[1]))

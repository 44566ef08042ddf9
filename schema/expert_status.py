"""Expert status in GraphQL: the admins' mutation and a person's history (thin: the rules are
in `resolvers/expert_status.py`)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry import relay

from graph_db import records
from resolvers import expert_status
from schema.ids import decode_id
from schema.info import Info

if TYPE_CHECKING:
    from schema.mutation import CivilServantPayload

PayloadRef = Annotated["CivilServantPayload", strawberry.lazy("schema.mutation")]


@strawberry.type(description="An admin's grant or revocation of expert status.")
class ExpertStatusChange:
    is_expert: bool = strawberry.field(description="The status from then on.")
    reason: str = strawberry.field(description="Why, as the admin gave it.")
    at: datetime = strawberry.field(description="When (UTC).")

    @classmethod
    def from_domain(cls, c: records.ExpertStatusChange) -> ExpertStatusChange:
        return cls(is_expert=c.is_expert, reason=c.reason, at=c.at)


async def _history(root: Any, info: Info) -> list[ExpertStatusChange] | None:
    found = await expert_status.expert_history(info.context, str(root.id))
    return [ExpertStatusChange.from_domain(c) for c in found]


expert_status_history: Any = strawberry.field(
    resolver=_history,
    description="How the person's expert status was granted or revoked, newest first: for the "
    "person and admins (elsewhere null with FORBIDDEN).",
)


@strawberry.type
class ExpertStatusMutation:
    @strawberry.mutation(
        description="Admins: grant (isExpert: true) or revoke a civil servant's expert status, "
        "with a reason; audited, kept in their `expertStatusHistory` and told to them. Setting "
        "the status they have changes nothing."
    )
    async def set_expert_status(
        self,
        info: Info,
        id: Annotated[relay.GlobalID, strawberry.argument(description="The civil servant.")],
        is_expert: Annotated[bool, strawberry.argument(description="Grant (true) or revoke.")],
        reason: Annotated[str, strawberry.argument(description="Why (1–1,000 characters).")],
    ) -> PayloadRef | None:
        from schema.civil_servant import CivilServant
        from schema.mutation import CivilServantPayload

        record = await expert_status.set_expert_status(
            info.context, decode_id(id, "CivilServant"), is_expert, reason
        )
        return CivilServantPayload(civil_servant=CivilServant.from_domain(record))

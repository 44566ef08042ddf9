"""`exportMyData`: the signed-in civil servant's data as one JSON document (thin: the rules are
in `resolvers/export.py`)."""

from __future__ import annotations

import strawberry
from strawberry.scalars import JSON

from resolvers import export
from schema.info import Info


@strawberry.type
class ExportQuery:
    @strawberry.field(
        description="Everything stored about you as one JSON document (data protection): "
        "profile with private fields, careers, expertise, portfolio, events, connections, "
        "requests, endorsements received and given, mentorships, introductions, expert status "
        "history, notifications and the audit entries of your own actions. Keys are camelCase, "
        "times ISO 8601 UTC. Only your own: null with UNAUTHENTICATED when anonymous."
    )
    async def export_my_data(self, info: Info) -> JSON | None:
        return JSON(await export.export_my_data(info.context))

"""GraphQL `Country`."""

from __future__ import annotations

from typing import ClassVar

import strawberry
from strawberry import relay

from graph_db import records
from schema.enums import CountryGroup
from schema.node import LoadedNode


@strawberry.type(description="A country, identified by its ISO 3166 code.")
class Country(LoadedNode):
    loader: ClassVar[str] = "countries"
    id: relay.NodeID[str]
    code: str = strawberry.field(
        description="ISO 3166-1 alpha-2 (ISO 3166-2 for the UK's nations)."
    )
    name: str
    group: CountryGroup

    @classmethod
    def from_domain(cls, record: records.Country) -> Country:
        return cls(id=record.id, code=record.id, name=record.name, group=record.group)

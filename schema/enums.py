"""GraphQL enums, exposed straight from the domain enums (one source of truth)."""

from __future__ import annotations

import strawberry

from graph_db import paging, records

CountryGroup = strawberry.enum(records.CountryGroup, description="A country's place in ACCSM.")
InstitutionKind = strawberry.enum(records.InstitutionKind, description="Kind of institution.")
PortfolioKind = strawberry.enum(records.PortfolioKind, description="Kind of portfolio item.")
EventKind = strawberry.enum(records.EventKind, description="Kind of ACCSM event.")
ProfileVisibility = strawberry.enum(
    records.ProfileVisibility, description=records.ProfileVisibility.__doc__
)
SortDirection = strawberry.enum(paging.SortDirection, description="Sort direction.")
CivilServantOrderField = strawberry.enum(
    paging.PersonOrderField,
    name="CivilServantOrderField",
    description="NAME sorts by family name, or by the single name of people who have one.",
)

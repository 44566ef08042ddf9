"""GraphQL enums, exposed straight from the domain enums (one source of truth)."""

from __future__ import annotations

import strawberry

from graph_db import paging, records

# `strawberry.enum(cls)` marks the domain enum in place and returns it, so each name below is the
# domain class itself; written as a plain alias so the type checker sees a type, not a variable.
CountryGroup = records.CountryGroup
InstitutionKind = records.InstitutionKind
PortfolioKind = records.PortfolioKind
EventKind = records.EventKind
ProfileVisibility = records.ProfileVisibility
SortDirection = paging.SortDirection
CivilServantOrderField = paging.PersonOrderField

strawberry.enum(CountryGroup, description="A country's place in ACCSM.")
strawberry.enum(InstitutionKind, description="Kind of institution.")
strawberry.enum(PortfolioKind, description="Kind of portfolio item.")
strawberry.enum(EventKind, description="Kind of ACCSM event.")
strawberry.enum(ProfileVisibility, description=ProfileVisibility.__doc__)
strawberry.enum(SortDirection, description="Sort direction.")
strawberry.enum(
    CivilServantOrderField,
    name="CivilServantOrderField",
    description="NAME sorts by family name, or by the single name of people who have one.",
)

"""The `Query` root: node lookup, civil servants and reference lists."""

from __future__ import annotations

from typing import Any, cast

import strawberry
from strawberry import relay

from graph_db.errors import NotFound
from graph_db.paging import PersonOrderField
from graph_db.records import PersonFilter, ReferenceKind
from graph_db.records import ReferenceFilter as ReferenceFilterRecord
from resolvers import lists, policy
from resolvers.errors import BadUserInput, LimitExceeded
from resolvers.pagination import PageArgs
from resolvers.validation import FILTER_NAMES, validated
from schema.civil_servant import CivilServant, CivilServantConnection
from schema.country import Country
from schema.event import Event
from schema.exchange import ExpertiseRequest
from schema.expertise import Expertise
from schema.ids import decode_id
from schema.info import Info
from schema.inputs import CivilServantFilter, CivilServantOrder, ReferenceFilter
from schema.institution import Institution, InstitutionConnection
from schema.lookahead import connection_cards
from schema.node import LoadedNode
from schema.pagination import Connection, Edge, build_connection
from schema.portfolio import PortfolioItem
from schema.social import Mentorship


@strawberry.type(description="A page of expertise areas.")
class ExpertiseConnection(Connection[Edge[Expertise]]):
    pass


@strawberry.type(description="A page of countries.")
class CountryConnection(Connection[Edge[Country]]):
    pass


@strawberry.type(description="A page of events, newest first.")
class EventConnection(Connection[Edge[Event]]):
    pass


NODE_TYPES: dict[str, type[LoadedNode]] = {
    t.__name__: t
    for t in (CivilServant, Country, Expertise, Institution, Event, PortfolioItem, Mentorship)
} | {"ExpertiseRequest": ExpertiseRequest}


def node_type(gid: relay.GlobalID) -> type[LoadedNode]:
    """The node type a global id names. Raises BadUserInput for a type that is not a node."""
    found = NODE_TYPES.get(gid.type_name)
    if found is None:
        raise BadUserInput(f"not the id of a node: unknown type {gid.type_name[:50]!r}")
    return found


PUBLIC_TYPES = frozenset({"Country", "Expertise", "Institution", "Event"})


async def may_read(info: Info, gid: relay.GlobalID) -> None:
    """Reference nodes are public; people and their portfolios and mentorships need a member
    (or the person themselves)."""
    if gid.type_name in PUBLIC_TYPES:
        return
    if gid.type_name == "CivilServant":
        await policy.require_self_or_member(info.context, gid.node_id)
    else:
        await policy.require_member(info.context)


def person_filter(f: CivilServantFilter | None) -> PersonFilter:
    """GraphQL filter → domain filter (global ids decoded, country code validated)."""
    if f is None:
        return PersonFilter()
    return validated(
        PersonFilter,
        {
            "country_code": f.country,
            "institution_id": decode_id(f.institution, "Institution") if f.institution else None,
            "expertise_id": decode_id(f.expertise, "Expertise") if f.expertise else None,
            "name_contains": f.name_contains or None,
            "verified": f.verified,
        },
        names=FILTER_NAMES,
    )


def reference_filter(f: ReferenceFilter | None) -> ReferenceFilterRecord:
    """GraphQL reference filter → domain filter (country code validated)."""
    if f is None:
        return ReferenceFilterRecord()
    return validated(
        ReferenceFilterRecord,
        {
            "name_contains": f.name_contains or None,
            "country_code": f.country,
            "top_level": f.top_level,
        },
        names=FILTER_NAMES,
    )


def reference_list(
    kind: ReferenceKind, connection: type, node: type[LoadedNode], description: str
) -> Any:
    """A public, keyset-paginated list field of one reference kind (same arguments for every kind)."""

    async def resolve(
        info: Info,
        filter: ReferenceFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Any:
        args = PageArgs(first, after, last, before)
        listing = await lists.list_reference(
            info.context, kind=kind, filter=reference_filter(filter), args=args
        )
        return build_connection(
            connection, listing, lambda r, c: Edge(cursor=c, node=node.from_domain(r))
        )

    resolve.__annotations__ = {
        "info": Info,
        "filter": ReferenceFilter | None,
        "first": int | None,
        "after": str | None,
        "last": int | None,
        "before": str | None,
        "return": connection,
    }
    return strawberry.field(resolver=resolve, description=description)


@strawberry.type
class CoreQuery:
    @strawberry.field(
        description="Any node by its global id; NOT_FOUND error (and null) if it does not exist."
    )
    async def node(self, info: Info, id: relay.GlobalID) -> relay.Node | None:
        await may_read(info, id)
        found = await node_type(id).load(info, id.node_id)
        if found is None:
            raise NotFound(f"no {id.type_name} with this id")
        return found

    @strawberry.field(
        description="Nodes by global ids, aligned to the ids: null where not found, and null with "
        "an error (path: the item) where the caller may not read it."
    )
    def nodes(self, info: Info, ids: list[relay.GlobalID]) -> list[relay.Node | None]:
        cap = info.context.page_sizes.max
        if len(ids) > cap:
            raise LimitExceeded(f"at most {cap} ids", {"limit": "ids", "max": cap})
        types = [node_type(gid) for gid in ids]

        async def one(kind: type[LoadedNode], gid: relay.GlobalID) -> relay.Node | None:
            await may_read(info, gid)
            return await kind.load(info, gid.node_id)

        # One awaitable per item: GraphQL awaits them together (the loaders batch them) and an
        # item the caller may not read fails alone, as null with its own error.
        items = [one(t, g) for t, g in zip(types, ids, strict=True)]
        return cast(list[relay.Node | None], items)

    @strawberry.field(
        description="A civil servant by global id; null (with a NOT_FOUND or FORBIDDEN error) if "
        "there is none or the caller may not see them."
    )
    async def civil_servant(self, info: Info, id: relay.GlobalID) -> CivilServant | None:
        person_id = decode_id(id, "CivilServant")
        await policy.require_self_or_member(info.context, person_id)
        cards = connection_cards(info.selected_fields[0])
        if cards is not None:  # the profile and its connections' cards in one store call
            await lists.prefetch_neighbourhood(info.context, person_id, cards)
        found = await CivilServant.load(info, person_id)
        if found is None:
            raise NotFound("no civil servant with this id")
        return found

    @strawberry.field(
        description="Civil servants, filtered and sorted, as a keyset-paginated connection."
    )
    async def civil_servants(
        self,
        info: Info,
        filter: CivilServantFilter | None = None,
        order_by: CivilServantOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> CivilServantConnection | None:
        order = order_by or CivilServantOrder()
        listing = await lists.list_people(
            info.context,
            filter=person_filter(filter),
            order=PersonOrderField(order.field),
            direction=order.direction,
            args=PageArgs(first, after, last, before),
        )
        return build_connection(
            CivilServantConnection,
            listing,
            lambda r, c: Edge(cursor=c, node=CivilServant.from_domain(r)),
        )

    expertise_areas: ExpertiseConnection = reference_list(
        ReferenceKind.EXPERTISE, ExpertiseConnection, Expertise, "Expertise areas by name."
    )
    institutions: InstitutionConnection = reference_list(
        ReferenceKind.INSTITUTION, InstitutionConnection, Institution, "Institutions by name."
    )
    countries: CountryConnection = reference_list(
        ReferenceKind.COUNTRY, CountryConnection, Country, "Countries by name."
    )
    events: EventConnection = reference_list(
        ReferenceKind.EVENT, EventConnection, Event, "Events, newest first."
    )

"""The audit trail in GraphQL: `Query.auditTrail` (admins) and the `Audited` mutation extension."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields, is_dataclass
from datetime import datetime
from typing import Any

import strawberry
from strawberry import relay
from strawberry.extensions import FieldExtension
from strawberry.types import get_object_definition

from graph_db import audit as audit_trail
from resolvers import audit
from resolvers.pagination import PageArgs
from schema.ids import decode_id
from schema.info import Info
from schema.pagination import Connection, Edge, build_connection


@strawberry.type(description="One accepted mutation, as recorded in the append-only audit trail.")
class AuditEvent:
    id: strawberry.ID
    at: datetime = strawberry.field(description="When it was accepted (UTC).")
    actor_id: str | None = strawberry.field(
        description="The civil servant who made it (their plain id); null for a person-less admin token."
    )
    roles: list[str] = strawberry.field(description="The caller's roles at the time.")
    action: str = strawberry.field(description="The mutation, e.g. `updateCivilServant`.")
    subject_ids: list[str] = strawberry.field(
        description="What it acted on, as `Type:id` (e.g. `CivilServant:933`)."
    )
    request_id: str = strawberry.field(description="The request id (`X-Request-Id`).")

    @classmethod
    def from_domain(cls, e: audit_trail.AuditEntry) -> AuditEvent:
        return cls(
            id=strawberry.ID(e.id),
            at=e.at,
            actor_id=e.actor_id,
            roles=list(e.roles),
            action=e.action,
            subject_ids=list(e.subject_ids),
            request_id=e.request_id,
        )


@strawberry.type(description="A page of the audit trail, newest first.")
class AuditEventConnection(Connection[Edge[AuditEvent]]):
    pass


@strawberry.type
class AuditQuery:
    @strawberry.field(description="Admins: the audit trail of accepted mutations, newest first.")
    async def audit_trail(
        self,
        info: Info,
        actor: relay.GlobalID | None = None,
        action: str | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> AuditEventConnection | None:
        listing = await audit.audit_trail(
            info.context,
            PageArgs(first, after, last, before),
            actor_id=decode_id(actor, "CivilServant") if actor is not None else None,
            action=action,
        )
        return build_connection(
            AuditEventConnection,
            listing,
            lambda e, c: Edge(cursor=c, node=AuditEvent.from_domain(e)),
        )


def _global_ids(value: Any) -> Iterator[str]:
    """`Type:id` of every global id in a mutation's arguments (inputs and lists walked)."""
    if isinstance(value, relay.GlobalID):
        yield f"{value.type_name}:{value.node_id}"
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _global_ids(item)
    elif is_dataclass(value) and not isinstance(value, type):
        for f in fields(value):
            yield from _global_ids(getattr(value, f.name))


class Audited(FieldExtension):
    """Records the mutation it is on in the audit trail, in the transaction of its first write.

    Subjects are the global ids in the arguments; resolvers add the ids they create
    (`Change.note_subject`). The caller is the entry's actor.
    """

    async def resolve_async(  # type: ignore[override]
        self, next_: Any, _source: Any, info: Info, **kwargs: Any
    ) -> Any:
        # `_source` as Strawberry passes it, not the base class's `source`: a mutation may have an
        # argument named `source` (`mergeInstitutions`), which arrives in `kwargs`.
        ctx = info.context
        subjects = list(_global_ids(list(kwargs.values())))
        # Mutation fields run one after another, so the context holds one mutation at a time.
        ctx.mutation = audit.change_for(ctx, info.field_name, subjects)
        try:
            return await next_(_source, info, **kwargs)
        finally:
            ctx.mutation = None
            # Reference data this process remembers may have changed (any mutation: cheap, rare).
            ctx.reference.forget_all()


def audit_every_mutation(mutation_type: type) -> None:
    """Add `Audited` to every field of the Strawberry type `mutation_type` (once, at import)."""
    for field in get_object_definition(mutation_type, strict=True).fields:
        if not any(isinstance(e, Audited) for e in field.extensions):
            field.extensions.append(Audited())

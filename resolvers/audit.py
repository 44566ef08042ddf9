"""Audit entries for mutations, and the admins' read of the audit trail (`graph_db.audit`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from graph_db.audit import AuditEntry, Change
from graph_db.records import new_id, utc_now
from resolvers.context import Context
from resolvers.lists import Listing
from resolvers.pagination import PageArgs, cursors, page_request
from resolvers.policy import require_admin


def change_for(ctx: Context, action: str, subject_ids: Iterable[str]) -> Change:
    """The `Change` whose audit entry records that the caller of `ctx` ran mutation `action` on
    `subject_ids` (every store write of the mutation takes it).

    Args:
        action: the GraphQL mutation field name, e.g. `"updateCivilServant"`.
        subject_ids: `"<Type>:<id>"` strings of the ids in its arguments (deduplicated, in order).
    """
    entry = AuditEntry(
        id=new_id(),
        at=utc_now(),
        actor_id=ctx.viewer.person_id,
        roles=tuple(sorted(ctx.viewer.roles)),
        action=action,
        subject_ids=tuple(dict.fromkeys(subject_ids)),
        request_id=ctx.request_id,
    )
    return Change(entry)


async def audit_trail(
    ctx: Context, args: PageArgs, *, actor_id: str | None, action: str | None
) -> Listing[AuditEntry]:
    """Admins: a page of the audit trail, newest first (lazy `totalCount`).

    Raises:
        Unauthenticated / Forbidden: not an admin. BadUserInput: a bad cursor.
        LimitExceeded: `first`/`last` over the page-size cap.
    """
    require_admin(ctx)
    ordering = "audit:AT:DESC"
    request = page_request(ordering, args, ctx.page_sizes, key_type=datetime)
    page = await ctx.store.audit_trail(actor_id=actor_id, action=action, page=request)
    return Listing(
        page,
        cursors(ordering, page),
        lambda: ctx.store.count_audit(actor_id=actor_id, action=action),
    )

"""Expert status: how a member becomes `isExpert`. Admins grant or revoke it with a reason; the
change is audited, kept in the person's history and told to the person; the dashboards' and the
ASCC report's "experts" count the flag."""

from __future__ import annotations

from graph_db.records import CivilServant, ExpertStatusChange, new_id, utc_now
from resolvers.context import Context
from resolvers.policy import require_admin, require_self_or_admin
from resolvers.validation import validated


async def set_expert_status(
    ctx: Context, person_id: str, is_expert: bool, reason: str
) -> CivilServant:
    """Admins: grant (`is_expert`) or revoke a person's expert status, saying why.

    Raises:
        Unauthenticated, Forbidden: not an admin. BadUserInput: a blank or invalid reason
        (`extensions.fields`: reason). NotFound: unknown person.
    """
    require_admin(ctx)
    status = validated(
        ExpertStatusChange,
        {
            "id": new_id(),
            "person_id": person_id,
            "is_expert": is_expert,
            "reason": reason,
            "actor_id": ctx.viewer.person_id,
            "at": utc_now(),
        },
    )
    ctx.change.note_subject("ExpertStatusChange", status.id)
    person = await ctx.store.set_expert_status(status, change=ctx.change)
    ctx.loaders.people.clear(person_id)
    ctx.loaders.expert_history.clear(person_id)
    return person


async def expert_history(ctx: Context, person_id: str) -> list[ExpertStatusChange]:
    """A person's expert status changes, newest first: for the person and admins.

    Raises:
        Unauthenticated: anonymous. Forbidden: anyone else.
    """
    require_self_or_admin(ctx, person_id)
    return await ctx.loaders.expert_history.load(person_id)

"""Who may see and change what (README, "Access policy").

| caller | may |
|---|---|
| anonymous | reference data (countries, institutions, expertise taxonomy, events) and health endpoints |
| signed in, not yet verified | register themselves, see and edit their own profile |
| verified member | people, the network, search, paths, recommendations; networking mutations |
| admin | everything, plus verifying accounts and managing reference data |

Ownership: only you (or an admin) change your profile, expertise and portfolio; only the two parties
act on a connection request or mentorship; nobody endorses or mentors themselves. Private fields
(email, phone) are visible to the person, their connections and admins. A profile whose visibility
is NETWORK shows others only its name, country and badges (`profile_hidden`).
"""

from __future__ import annotations

from graph_db.records import ProfileVisibility
from resolvers.context import Context
from resolvers.loaders import PENDING, Pending
from resolvers.viewer import Forbidden, Unauthenticated


async def require_member(ctx: Context) -> None:
    """Pass for admins and verified civil servants.

    A member found verified is remembered for the process (`Context.members`, a few seconds),
    so most requests pass without a store read.

    Raises:
        Unauthenticated: anonymous caller. Forbidden: signed in but not (yet) verified.
    """
    if ctx.viewer.is_admin:
        return
    me = ctx.viewer.require_person()
    if ctx.members.verified(me):
        return
    person = await ctx.loaders.people.load(me)
    if person is None or not person.verified:
        raise Forbidden(
            "only verified civil servants can see the network; ask an admin to verify you"
        )
    ctx.members.remember(me)


async def require_self_or_member(ctx: Context, person_id: str) -> None:
    """Pass for the person themselves (verified or not), verified members and admins."""
    if ctx.viewer.person_id == person_id:
        return
    await require_member(ctx)


def require_self_or_admin(ctx: Context, person_id: str) -> None:
    """Pass for the person themselves and admins.

    Raises:
        Unauthenticated: anonymous. Forbidden: someone else's profile.
    """
    if ctx.viewer.is_admin:
        return
    if ctx.viewer.require_person() != person_id:
        raise Forbidden("you can only change your own profile")


def require_admin(ctx: Context) -> None:
    """Pass for admins. Raises Unauthenticated (anonymous) or Forbidden."""
    if not ctx.viewer.is_admin:
        ctx.viewer.require_person()
        raise Forbidden("only admins can do this")


async def may_see_private(ctx: Context, person_id: str) -> bool:
    """True for the person, admins and the person's connections (email, phone)."""
    if ctx.viewer.is_admin or ctx.viewer.person_id == person_id:
        return True
    if ctx.viewer.person_id is None:
        return False
    return person_id in await ctx.loaders.viewer_connections.load(ctx.viewer.person_id)


def profile_hidden(ctx: Context, person_id: str, visibility: ProfileVisibility) -> bool | Pending:
    """Whether the caller must not see the details of this profile (a NETWORK profile of someone
    who is not the caller, not connected to the caller, and the caller not an admin), when no
    store read is needed to know (every PUBLIC profile, or the caller's connections already read
    in this request); else `PENDING`, and `is_profile_hidden` reads them. A plain answer lets
    plain fields resolve without a coroutine."""
    if (
        visibility is not ProfileVisibility.NETWORK
        or ctx.viewer.is_admin
        or ctx.viewer.person_id == person_id
    ):
        return False
    if ctx.viewer.person_id is None:
        return True
    mine = ctx.loaders.viewer_connections.settled(ctx.viewer.person_id)
    return PENDING if mine is PENDING else person_id not in mine


async def is_profile_hidden(ctx: Context, person_id: str, visibility: ProfileVisibility) -> bool:
    """`profile_hidden`, reading the caller's connections when it needs them (one batched read
    per request)."""
    hidden = profile_hidden(ctx, person_id, visibility)
    if hidden is not PENDING:
        return hidden
    viewer = ctx.viewer.person_id
    assert viewer is not None  # `profile_hidden` answers an anonymous caller itself
    return person_id not in await ctx.loaders.viewer_connections.load(viewer)


__all__ = [
    "Forbidden",
    "Unauthenticated",
    "is_profile_hidden",
    "may_see_private",
    "profile_hidden",
    "require_admin",
    "require_member",
    "require_self_or_admin",
    "require_self_or_member",
]

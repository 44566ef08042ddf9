"""The viewer's relationship to a person (person cards) and introductions through a mutual
connection, as use cases with their access rules.

- `viewerRelationship` is null on your own profile and for a caller who is not a civil servant;
  on a NETWORK profile the caller may not see (README, "Access policy") only the connection and
  request flags are given: mutual connections and the distance would show that person's network.
- Only a verified member asks for an introduction, of someone connected to both; only the
  introducer forwards or declines it; each sees their own on their profile
  (`CivilServant.introductionRequests`).
"""

from __future__ import annotations

from graph_db.errors import NotFound
from graph_db.records import (
    Introduction,
    IntroductionStatus,
    Message,
    ProfileVisibility,
    ViewerRelationship,
    new_id,
    utc_now,
)
from resolvers.context import Context
from resolvers.errors import BadUserInput
from resolvers.policy import is_profile_hidden, require_member
from resolvers.validation import validated_value
from resolvers.viewer import Forbidden


async def viewer_relationship(
    ctx: Context, person_id: str, visibility: ProfileVisibility
) -> ViewerRelationship | None:
    """How `person_id` stands to the caller (batched with every other card of the request).

    Returns:
        None for the caller's own profile or a caller without a civil-servant id; else the
        relationship, without mutual connections and distance when the profile is hidden from
        the caller.
    """
    me = ctx.viewer.person_id
    if me is None or me == person_id:
        return None
    found = await ctx.loaders.relationships.load((me, person_id))
    if await is_profile_hidden(ctx, person_id, visibility):
        return found.model_copy(update={"distance": None, "mutual_ids": ()})
    return found


async def request_introduction(
    ctx: Context, to_id: str, via_id: str, message: str | None
) -> Introduction:
    """The viewer asks `via_id` (connected to both) to introduce them to `to_id`.

    Raises:
        BadUserInput: two of the three are the same person, or the message is invalid.
        NotFound: an unknown person, or `via_id` is not connected to both.
        Conflict: already connected to `to_id`.
    """
    await require_member(ctx)
    me = ctx.viewer.require_person()
    if message is not None:
        message = validated_value(Message, message, "message")
    if len({me, to_id, via_id}) < 3:
        fields = [{"field": "via" if via_id in (me, to_id) else "to", "message": "must differ"}]
        raise BadUserInput(
            "you, the introducer and the person to meet must be three different people",
            {"fields": fields},
        )
    introduction = Introduction(
        id=new_id(),
        requester_id=me,
        via_id=via_id,
        to_id=to_id,
        message=message,
        requested_at=utc_now(),
    )
    ctx.change.note_subject("Introduction", introduction.id)
    return await ctx.store.request_introduction(introduction, change=ctx.change)


async def decide_introduction(ctx: Context, introduction_id: str, *, forward: bool) -> Introduction:
    """The introducer forwards (a connection request on the requester's behalf) or declines.

    Raises:
        NotFound: no such introduction. Forbidden: the viewer is not its introducer.
        Conflict: already forwarded or declined.
    """
    await require_member(ctx)
    me = ctx.viewer.require_person()
    current = await ctx.loaders.introductions.load(introduction_id)
    if current is None:
        raise NotFound("no such introduction")
    if current.via_id != me:
        raise Forbidden("only the person asked to make the introduction can answer it")
    ctx.change.note_subject("Introduction", introduction_id)
    return await ctx.store.decide_introduction(
        introduction_id, forward=forward, at=utc_now(), change=ctx.change
    )


async def introductions(ctx: Context, person_id: str, *, as_introducer: bool) -> list[Introduction]:
    """The caller's own introductions: asked of them (`as_introducer`) or asked by them.

    Raises:
        Unauthenticated: anonymous. Forbidden: someone else's profile, or not verified.
    """
    if ctx.viewer.require_person() != person_id:
        raise Forbidden("only your own introductions are visible")
    await require_member(ctx)
    loader = ctx.loaders.introductions_via if as_introducer else ctx.loaders.introductions_asked
    return await loader.load(person_id)


__all__ = [
    "IntroductionStatus",
    "decide_introduction",
    "introductions",
    "request_introduction",
    "viewer_relationship",
]

"""Connections, endorsements and mentorships, acted on by the signed-in civil servant (the viewer).

Who may do what: only the addressee accepts or declines a connection request and only the
requester withdraws it; only the mentor accepts or declines a mentorship request; the mentee
cancels a request, either party cancels or completes an active mentorship; nobody endorses or
mentors themselves.
"""

from __future__ import annotations

from graph_db.errors import NotFound
from graph_db.records import (
    ConnectionEdge,
    ConnectionOutcome,
    Endorsement,
    Mentorship,
    MentorshipStatus,
    Message,
    new_id,
    utc_now,
)
from resolvers.context import Context
from resolvers.errors import BadUserInput
from resolvers.policy import require_member
from resolvers.validation import validated, validated_value
from resolvers.viewer import Forbidden

MAX_GOAL_CHARS = 2000


async def request_connection(ctx: Context, to_id: str, message: str | None) -> ConnectionOutcome:
    """Ask `to_id` to connect (or connect at once if they had asked the viewer)."""
    await require_member(ctx)
    me = ctx.viewer.require_person()
    if message is not None:
        message = validated_value(Message, message, "message")
    if me == to_id:
        raise BadUserInput("you cannot connect to yourself")
    return await ctx.store.request_connection(
        from_id=me, to_id=to_id, message=message, at=utc_now(), change=ctx.change
    )


async def accept_connection(ctx: Context, requester_id: str) -> ConnectionEdge:
    """Accept a request addressed to the viewer."""
    await require_member(ctx)
    me = ctx.viewer.require_person()
    return await ctx.store.accept_connection(
        person_id=me, requester_id=requester_id, at=utc_now(), change=ctx.change
    )


async def decline_connection(ctx: Context, requester_id: str) -> None:
    """Decline a request addressed to the viewer."""
    await require_member(ctx)
    await ctx.store.decline_connection(
        person_id=ctx.viewer.require_person(), requester_id=requester_id, change=ctx.change
    )


async def withdraw_connection_request(ctx: Context, to_id: str) -> None:
    """Withdraw the viewer's own request."""
    await require_member(ctx)
    await ctx.store.withdraw_connection_request(
        person_id=ctx.viewer.require_person(), to_id=to_id, change=ctx.change
    )


async def remove_connection(ctx: Context, other_id: str) -> None:
    """End the viewer's connection with `other_id`."""
    await require_member(ctx)
    await ctx.store.remove_connection(
        person_id=ctx.viewer.require_person(), other_id=other_id, change=ctx.change
    )


async def endorse(ctx: Context, endorsee_id: str, expertise_id: str) -> Endorsement:
    """Endorse `endorsee_id` for an area they hold (once per endorser and area)."""
    await require_member(ctx)
    me = ctx.viewer.require_person()
    if me == endorsee_id:
        raise BadUserInput("you cannot endorse yourself")
    return await ctx.store.endorse(
        Endorsement(
            endorser_id=me, endorsee_id=endorsee_id, expertise_id=expertise_id, at=utc_now()
        ),
        change=ctx.change,
    )


async def withdraw_endorsement(ctx: Context, endorsee_id: str, expertise_id: str) -> None:
    """Withdraw the viewer's endorsement."""
    await require_member(ctx)
    await ctx.store.withdraw_endorsement(
        endorser_id=ctx.viewer.require_person(),
        endorsee_id=endorsee_id,
        expertise_id=expertise_id,
        change=ctx.change,
    )


async def request_mentorship(
    ctx: Context, mentor_id: str, expertise_id: str, goal: str | None
) -> Mentorship:
    """The viewer asks `mentor_id` to mentor them in an area the mentor holds (or a narrower one).

    Raises:
        BadUserInput: mentoring yourself. NotFound: unknown area, or the mentor holds neither it
        nor a narrower area (the same rule as for endorsements).
    """
    await require_member(ctx)
    me = ctx.viewer.require_person()
    if me == mentor_id:
        raise BadUserInput("you cannot mentor yourself")
    areas = set(await ctx.store.area_and_narrower(expertise_id))
    held = await ctx.loaders.expertise_claims.load(mentor_id)
    if not any(claim.expertise_id in areas for claim in held):
        raise NotFound("the mentor holds neither this expertise area nor a narrower one")
    mentorship = validated(
        Mentorship,
        {
            "id": new_id(),
            "mentor_id": mentor_id,
            "mentee_id": me,
            "expertise_id": expertise_id,
            "goal": goal,
            "status": MentorshipStatus.REQUESTED,
            "requested_at": utc_now(),
        },
    )
    ctx.change.note_subject("Mentorship", mentorship.id)
    return await ctx.store.request_mentorship(mentorship, change=ctx.change)


# (action) -> (who may act, statuses it applies to, new status)
TRANSITIONS: dict[str, tuple[str, tuple[MentorshipStatus, ...], MentorshipStatus]] = {
    "accept": ("mentor", (MentorshipStatus.REQUESTED,), MentorshipStatus.ACTIVE),
    "decline": ("mentor", (MentorshipStatus.REQUESTED,), MentorshipStatus.DECLINED),
    "cancel": (
        "party",
        (MentorshipStatus.REQUESTED, MentorshipStatus.ACTIVE),
        MentorshipStatus.CANCELLED,
    ),
    "complete": ("party", (MentorshipStatus.ACTIVE,), MentorshipStatus.COMPLETED),
}


async def change_mentorship(ctx: Context, mentorship_id: str, action: str) -> Mentorship:
    """Apply a lifecycle action (`TRANSITIONS`) as the viewer.

    Raises:
        NotFound: no such mentorship. Forbidden: the viewer may not take this action.
        Conflict: the mentorship is not in a state the action applies to.
    """
    await require_member(ctx)
    me = ctx.viewer.require_person()
    current = (await ctx.store.get_mentorships([mentorship_id]))[0]
    if current is None:
        raise NotFound("no such mentorship")
    who, expected, status = TRANSITIONS[action]
    allowed = {current.mentor_id} if who == "mentor" else {current.mentor_id, current.mentee_id}
    if action == "cancel" and current.status is MentorshipStatus.REQUESTED:
        allowed = {current.mentee_id}
    if me not in allowed:
        raise Forbidden(
            f"only the {'mentor' if who == 'mentor' else 'mentor or mentee'} can {action} this"
        )
    return await ctx.store.set_mentorship_status(
        mentorship_id, expected=expected, status=status, at=utc_now(), change=ctx.change
    )

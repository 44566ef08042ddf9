"""Safe retries through the API: mutations that create records take an optional
`clientMutationId`; a repeat with the same id from the same caller returns the first result
instead of creating a second record (the store side is `graph_db.core.replay`).

The key is the caller (their civil-servant id; a person-less token shares one key space), the
mutation and the client's id. A repeat returns what the first made even if its other arguments
differ (the id names the attempt, not its content); keys are kept with the audit trail.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

from pydantic import StringConstraints

from graph_db.core.replay import Replayed
from graph_db.errors import Conflict, NotFound
from graph_db.records import SINGLE_LINE
from resolvers.context import Context
from resolvers.validation import validated_value

T = TypeVar("T")
ClientMutationId = Annotated[str, StringConstraints(min_length=1, max_length=100), SINGLE_LINE]
"""What a client may send as `clientMutationId`: one line, 1–100 characters."""


async def once(
    ctx: Context,
    client_mutation_id: str | None,
    make: Callable[[], Awaitable[T]],
    replay: Callable[[list[str]], Awaitable[T]],
) -> T:
    """Run the mutation `make`, at most once per `client_mutation_id` of this caller.

    Args:
        ctx: the request (its `change` is the mutation's).
        client_mutation_id: the client's id of this attempt; None runs `make` as usual.
        make: the mutation's use case (it notes what it creates with `Change.note_subject`).
        replay: builds the answer from the first attempt's audit subjects (`Type:id`).

    Raises:
        BadUserInput: an invalid `clientMutationId` (`extensions.fields`). Whatever `make` raises.
    """
    if client_mutation_id is None:
        return await make()
    client_id = validated_value(ClientMutationId, client_mutation_id, "clientMutationId")
    key = f"{ctx.viewer.person_id or ''}\x1f{ctx.change.audit.action}\x1f{client_id}"
    ctx.change.replay_key = key
    try:
        return await make()
    except Replayed as first:
        return await replay(first.subject_ids)
    except Conflict:
        # A concurrent first attempt of a caller the store cannot lock won the key's constraint.
        subjects = await ctx.store.replayed(key)
        if subjects is None:
            raise
        return await replay(subjects)


def subject(subject_ids: list[str], type_name: str) -> str:
    """The id of the last `type_name` subject: what the mutation made (it is noted after the ids
    of its arguments, e.g. `createInstitution`'s `partOf`). Raises NotFound if there is none."""
    for s in reversed(subject_ids):
        kind, _, node_id = s.partition(":")
        if kind == type_name:
            return node_id
    raise NotFound(f"the first attempt made no {type_name}")


def loaded(
    load: Callable[[str], Awaitable[T | None]], type_name: str
) -> Callable[[list[str]], Awaitable[T]]:
    """A `replay` that loads the first attempt's `type_name` record with `load` (a loader's
    `load`); NotFound if it is gone since."""

    async def replay(subject_ids: list[str]) -> T:
        found = await load(subject(subject_ids, type_name))
        if found is None:
            raise NotFound(f"the {type_name} made by the first attempt is gone")
        return found

    return replay

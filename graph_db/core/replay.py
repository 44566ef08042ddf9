"""Safe retries: a mutation sent again with the same `clientMutationId` by the same caller
returns what the first one made instead of making it again (issue #13, item 9).

The API sets `Change.replay_key` (caller, mutation, client id); the store's single write path
(`StoreBase._write`) calls `refuse_replay` at the start of the transaction and `record_replay`
after the work, so the key commits with the change, or not at all. A `(:ClientMutation {id:
key, subjectIds, at})` node holds the subjects of the first one's audit entry (which name what
it created). Concurrent repeats: the caller's node is locked first (`lock_people`), so on Neo4j
the second waits for the first to commit and then finds its key (LadybugDB's single writer
serialises them anyway); a caller without a civil-servant id cannot be locked, and there the
key's uniqueness constraint refuses the second (`Conflict`), after which the API reads the key
(`replayed`).

Keys are kept for `REPLAY_RETENTION` (24 hours, as Stripe keeps idempotency keys): a key older than
that no longer replays, and each recorded key removes up to `PURGE_BATCH` expired ones in its
transaction, so the store holds about a day of keys (Neo4j indexes `ClientMutation.at` for it).
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Final

from graph_db.records import utc_now

if TYPE_CHECKING:
    from graph_db.audit import Change
    from graph_db.core.base import Transaction

FIND_REPLAY: Final = "MATCH (k:ClientMutation {id: $id}) RETURN k.subjectIds"
RECORD_REPLAY: Final = "CREATE (:ClientMutation {id: $id, subjectIds: $subjectIds, at: $at})"
EXPIRE_REPLAY: Final = "MATCH (k:ClientMutation {id: $id}) WHERE k.at < $before DELETE k"
PURGE_REPLAYS: Final = "MATCH (k:ClientMutation) WHERE k.at < $before WITH k LIMIT $limit DELETE k"
REPLAY_RETENTION: Final = timedelta(hours=24)
"""How long a `clientMutationId` replays its first result."""
PURGE_BATCH: Final = 100
"""Expired keys removed per recorded key: more than one, so removal outpaces recording."""


class Replayed(Exception):
    """The mutation was made before under the same key; nothing was written this time.

    Attributes:
        subject_ids: the first one's audit subjects (`Type:id`), naming what it made.
    """

    def __init__(self, subject_ids: list[str]) -> None:
        super().__init__("replayed")
        self.subject_ids = subject_ids


async def refuse_replay(tx: Transaction, change: Change) -> None:
    """Raise `Replayed` (rolling the transaction back) if `change.replay_key` was recorded."""
    if change.audit.actor_id is not None:
        await tx.lock_people([change.audit.actor_id])
    before = utc_now() - REPLAY_RETENTION
    await tx.run(EXPIRE_REPLAY, {"id": change.replay_key, "before": before})
    found = await tx.run(FIND_REPLAY, {"id": change.replay_key})
    if found:
        raise Replayed(list(found[0][0] or []))


async def record_replay(tx: Transaction, change: Change) -> None:
    """Record `change.replay_key` with the subjects of its audit entry, in the transaction, and
    remove up to `PURGE_BATCH` keys older than `REPLAY_RETENTION`."""
    now = utc_now()
    params = {"id": change.replay_key, "subjectIds": list(change.audit.subject_ids)}
    await tx.run(RECORD_REPLAY, params | {"at": now})
    await tx.run(PURGE_REPLAYS, {"before": now - REPLAY_RETENTION, "limit": PURGE_BATCH})

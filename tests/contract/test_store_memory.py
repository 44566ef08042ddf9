"""Reads free what they read, on each store: a long-running server must not grow with every request.

LadybugDB 0.22's Python binding leaked one reference per DATE and TIMESTAMP value it returned
(`graph_db.embedded.store._binding_leaks_temporals`): every profile read kept its dates forever, and
a 10-minute soak grew the server by 17.8 %. Python's count of allocated memory blocks after a
thousand reads of twenty LDBC people (each with its `joinedAt` TIMESTAMP) shows it: with the leak
it grows by at least 20,000 blocks (one per person read); without it, by the few hundred that
caches and the event loop keep.
"""

from __future__ import annotations

import gc
import sys

from graph_db.port import GraphStore
from graph_db.records import GraphBatch

READS = 1_000
PEOPLE = 20
ALLOWED_GROWTH_BLOCKS = 2_000
"""Well under the leak's READS × PEOPLE = 20,000 blocks, well over what caches keep."""


async def test_reading_people_does_not_leak(ldbc_store: GraphStore, ldbc_batch: GraphBatch) -> None:
    ids = [p.id for p in ldbc_batch.people[:PEOPLE]]
    first = await ldbc_store.get_people(ids)
    assert all(p is not None and p.joined_at is not None for p in first)
    for _ in range(50):  # warm caches, pools and prepared statements
        await ldbc_store.get_people(ids)
    gc.collect()
    before = sys.getallocatedblocks()
    for _ in range(READS):
        people = await ldbc_store.get_people(ids)
    del people
    gc.collect()
    grown = sys.getallocatedblocks() - before
    assert grown < ALLOWED_GROWTH_BLOCKS, f"{grown} blocks kept after {READS} reads"

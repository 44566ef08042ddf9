"""Analytics on Neo4j: the shared reads plus writing a run (mixed into `Neo4jStore`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from graph_db.analytics import cypher as C
from graph_db.analytics.records import AnalyticsRun, PersonScore
from graph_db.analytics.shared import SharedAnalyticsReads, run_params
from graph_db.neo4j import analytics_queries as AQ

if TYPE_CHECKING:
    from graph_db.neo4j.store import _Tx

T = TypeVar("T")

SCORE_CHUNK_ROWS = 5_000
"""Scores per write transaction (DESIGN.md: batch writes with UNWIND in chunks of a few thousand)."""


class AnalyticsMixin(SharedAnalyticsReads):
    """Needs `_write(work)` from `Neo4jStore`."""

    _analytics_queries = AQ

    if TYPE_CHECKING:

        async def _write(self, work: Callable[[_Tx], Awaitable[T]]) -> T: ...

    async def save_analytics_run(
        self, run: AnalyticsRun, scores: Sequence[PersonScore], *, keep: int
    ) -> None:
        # The run node is written last, so a half-written run (scores only) is never the latest:
        # the scores hang off a placeholder that is not an `AnalyticsRun` until the end.
        rows = [s.model_dump() | {"id": s.person_id} for s in scores]

        async def start(tx: _Tx) -> None:
            await tx.run(AQ.DELETE_ABANDONED_RUNS)
            await tx.run(AQ.CREATE_PENDING_RUN, {"id": run.id})

        await self._write(start)
        for i in range(0, len(rows), SCORE_CHUNK_ROWS):

            async def chunk(
                tx: _Tx, part: list[dict[str, Any]] = rows[i : i + SCORE_CHUNK_ROWS]
            ) -> None:
                await tx.run(AQ.SAVE_SCORES, {"run": run.id, "rows": part})

            await self._write(chunk)

        async def finish(tx: _Tx) -> None:
            await tx.run(AQ.FINISH_RUN, run_params(run))
            runs = await tx.run(C.LATEST_RUNS, {"limit": 10_000})
            for old in runs[keep:]:
                await tx.run(C.DELETE_RUN, {"id": old[0]})

        await self._write(finish)

"""Analytics on LadybugDB: the shared reads plus writing a run (mixed into `EmbeddedStore`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd

from graph_db.analytics import cypher as C
from graph_db.analytics.records import AnalyticsRun, PersonScore
from graph_db.analytics.shared import SharedAnalyticsReads, run_params
from graph_db.embedded import analytics_queries as AQ

if TYPE_CHECKING:
    from graph_db.embedded.store import _Tx

T = TypeVar("T")

SCORE_COLUMNS = ["from", "to", "degree", "pagerank", "betweenness", "community"]


class AnalyticsMixin(SharedAnalyticsReads):
    """Needs `_write(work)` from `EmbeddedStore`."""

    _analytics_queries = AQ

    if TYPE_CHECKING:

        async def _write(self, work: Callable[[_Tx], T]) -> T: ...

    async def save_analytics_run(
        self, run: AnalyticsRun, scores: Sequence[PersonScore], *, keep: int
    ) -> None:
        # COPY is LadybugDB's fast path for many relationships (DESIGN.md: ~3 ms per edge otherwise).
        frame = pd.DataFrame(
            [
                [run.id, s.person_id, s.degree, s.pagerank, s.betweenness, s.community]
                for s in scores
            ],
            columns=SCORE_COLUMNS,
        )

        def work(tx: _Tx) -> None:
            tx.run(AQ.CREATE_RUN, run_params(run))
            if len(frame):
                tx.run(AQ.COPY_SCORES, {"frame": frame})
            runs: list[list[Any]] = tx.run(C.LATEST_RUNS, {"limit": 10_000})
            for old in runs[keep:]:
                tx.run(C.DELETE_RUN, {"id": old[0]})

        await self._write(work)

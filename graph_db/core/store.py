"""`StoreCore`: the whole `GraphStore` port over an adapter's connections and dialect."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence

from graph_db.analytics.records import AnalyticsRun, PersonScore
from graph_db.analytics.shared import AnalyticsReads
from graph_db.core import cypher as C
from graph_db.core.bulk import edge_rows, node_rows
from graph_db.core.reads import Reads
from graph_db.core.writes import Writes
from graph_db.errors import Conflict
from graph_db.records import GraphBatch


class StoreCore(Reads, Writes, AnalyticsReads):
    """Every method of the `GraphStore` port, written once; an adapter subclasses it.

    The adapter supplies (see `graph_db.core.base`): `_read`, `_transact`, `dialect`,
    `_reachable`, `_shortest_path`, `_bulk_write`, `save_analytics_run`, `migrate`, `ping`,
    `close`.
    """

    async def ping(self) -> None:
        """Run `RETURN 1`. Raises `StoreUnavailable` when the store does not answer."""
        await self._read(C.PING)

    async def bulk_load(self, batch: GraphBatch, *, dataset: str) -> dict[str, int]:
        """Insert a large batch (people, connections, …) and mark `dataset` loaded.

        Raises:
            Conflict: `dataset` is already loaded, or an id is taken.
            InvalidInput: a relationship refers to a record that does not exist.
        """
        if await self._existing("Dataset", [dataset]):
            raise Conflict(f"dataset {dataset} is already loaded")
        await self._bulk_write(batch, node_rows(batch), edge_rows(batch), dataset)
        return batch.counts()

    @abstractmethod
    async def _bulk_write(
        self,
        batch: GraphBatch,
        nodes: dict[str, list[dict[str, object]]],
        edges: dict[str, list[dict[str, object]]],
        dataset: str,
    ) -> None:
        """Write the countries of `batch` (`MERGE_NEW_COUNTRIES`), `nodes` and `edges` (rows of
        `graph_db.core.bulk`), then `RECORD_DATASET` for `dataset`, the store's fastest way."""

    @abstractmethod
    async def save_analytics_run(
        self, run: AnalyticsRun, scores: Sequence[PersonScore], *, keep: int
    ) -> None:
        """Store `run` with one `SCORED` relationship per score; keep the newest `keep` runs.

        A run becomes visible (`analytics_runs`) only once fully written.
        """

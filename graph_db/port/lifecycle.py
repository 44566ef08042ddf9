"""Store lifecycle and bulk data: migrations, health, shutdown, batch loads."""

from __future__ import annotations

from typing import Protocol

from graph_db.records import ColumnarBatch, GraphBatch


class StoreLifecycle(Protocol):
    """A store's life: schema migrations, a health check and shutdown; and bulk data: reference
    data merged by id, datasets loaded once."""

    # ---- lifecycle ----
    async def migrate(self, *, schema_only: bool = False) -> list[str]:
        """Apply pending schema migrations idempotently; return the names applied now.
        `schema_only`: skip data steps, for data written in the current model (an offline
        import)."""
        ...

    async def ping(self) -> None:
        """Run a trivial query. Raises `StoreUnavailable` when the store does not answer."""
        ...

    async def close(self) -> None:
        """Release the database / driver. Safe to call twice."""
        ...

    # ---- bulk ----
    async def upsert_batch(self, batch: GraphBatch) -> dict[str, int]:
        """Merge a small batch by id (reference data): running it twice changes nothing. Records
        an admin updated or merged away since (`CatalogueStore`) are left as they are, and so
        are the links they own (`graph_db.core.catalogue.uncorrected`).

        Returns rows per part, of what was merged.
        """
        ...

    async def bulk_load(self, batch: GraphBatch | ColumnarBatch, *, dataset: str) -> dict[str, int]:
        """Load a large batch of new records fast, once per `dataset` name (records, or columns
        for data sets too large to hold as records).

        Countries are merged (they may exist from reference data); everything else is inserted.
        Raises `Conflict` if `dataset` was loaded before. Returns rows per part.
        """
        ...

    async def datasets(self) -> list[str]:
        """Names of the datasets loaded by `bulk_load`."""
        ...

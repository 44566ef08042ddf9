"""Open the configured `GraphStore` (one per process)."""

from __future__ import annotations

from graph_api.settings import Settings
from graph_db.port import GraphStore


async def open_store(settings: Settings) -> GraphStore:
    """Open and migrate the store named by `settings.store`.

    Raises:
        graph_db.errors.StoreUnavailable: the store cannot be opened or reached.
    """
    if settings.store == "neo4j":
        from graph_db.neo4j import Neo4jStore

        n = settings.neo4j
        return await Neo4jStore.open(
            n.uri,
            n.user,
            n.password.get_secret_value(),
            database=n.database,
            query_timeout_s=n.query_timeout_s,
            connection_timeout_s=n.connection_timeout_s,
            max_connection_pool_size=n.max_connection_pool_size,
            max_retry_time_s=n.max_retry_time_s,
        )
    from graph_db.embedded import EmbeddedStore

    e = settings.embedded
    return await EmbeddedStore.open(
        e.path,
        max_concurrent_reads=e.max_concurrent_reads,
        threads_per_query=e.threads_per_query,
        query_timeout_ms=e.query_timeout_ms,
        buffer_pool_mb=e.buffer_pool_mb,
        checkpoint_every=e.checkpoint_every,
    )

"""A real Neo4j 5.26 Community server on 127.0.0.1, fetched from Maven Central with ``mvn``.

For tests and local development; see :mod:`graph_api.local_neo4j.server`.

Example:
    >>> from graph_api.local_neo4j import start_local_neo4j
    >>> with start_local_neo4j() as neo:  # doctest: +SKIP
    ...     driver = neo4j.GraphDatabase.driver(neo.uri, auth=neo.auth)
"""

from __future__ import annotations

from graph_api.local_neo4j.server import (
    CACHE_ENV_VAR,
    DEFAULT_PASSWORD,
    DEFAULT_USER,
    DEFAULT_VERSION,
    LocalNeo4j,
    Neo4jDownloadError,
    Neo4jStartError,
    Neo4jToolchainMissing,
    distribution_dir,
    ensure_neo4j_distribution,
    start_detached,
    start_local_neo4j,
    status,
    stop_detached,
)

__all__ = [
    "CACHE_ENV_VAR",
    "DEFAULT_PASSWORD",
    "DEFAULT_USER",
    "DEFAULT_VERSION",
    "LocalNeo4j",
    "Neo4jDownloadError",
    "Neo4jStartError",
    "Neo4jToolchainMissing",
    "distribution_dir",
    "ensure_neo4j_distribution",
    "start_detached",
    "start_local_neo4j",
    "status",
    "stop_detached",
]

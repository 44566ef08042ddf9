"""Neo4j 5.26 adapter: the production store, over the official async driver."""

from graph_db.neo4j.store import Neo4jStore

__all__ = ["Neo4jStore"]

"""LadybugDB (embedded Kùzu fork) adapter: the default store, in-process, one database per process."""

from graph_db.embedded.store import EmbeddedStore

__all__ = ["EmbeddedStore"]

"""The store core: every rule and every statement both Cypher dialects share, written once.

`graph_db.core.store.StoreCore` implements the `GraphStore` port over an adapter's `_read`,
`_transact` and `Dialect` (`graph_db.core.base`); the statements are in `graph_db.core.cypher`.
"""

"""Use-case logic behind the GraphQL fields: reads through DataLoaders, writes through the store.

Functions take the per-request `Context` and return domain records (`graph_db.records`); they
never import GraphQL types, so `schema/` stays a thin view over them.
"""

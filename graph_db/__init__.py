"""The graph store layer: the `GraphStore` port, domain records, errors and two adapters.

Nothing in this package knows about GraphQL. Adapters: `graph_db.embedded` (LadybugDB, the
default, in-process) and `graph_db.neo4j` (Neo4j 5.26, production).
"""

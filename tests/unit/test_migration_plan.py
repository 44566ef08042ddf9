"""Which index statements a schema-only migration of a new database leaves out
(`StoreCore.migrate(schema_only=True)`): an index created and then dropped by later migrations."""

from __future__ import annotations

from graph_db.core.store import index_named, indexes_dropped_later
from graph_db.neo4j.migrations import MIGRATIONS


def test_index_names_of_create_and_drop_statements() -> None:
    assert index_named("CREATE INDEX a_b IF NOT EXISTS FOR (n:A) ON (n.b)") == "a_b"
    assert index_named("CREATE FULLTEXT INDEX s IF NOT EXISTS FOR (n:A) ON EACH [n.b]") == "s"
    assert index_named("DROP INDEX s IF EXISTS") == "s"
    assert index_named("CREATE CONSTRAINT c IF NOT EXISTS FOR (n:A) REQUIRE n.id IS UNIQUE") is None
    assert index_named("MATCH (n) SET n.x = 1") is None
    assert index_named("CREATE INDEX IF NOT EXISTS FOR (n:A) ON (n.b)") is None  # unnamed
    assert index_named("CREATE INDEX FOR (n:A) ON (n.b)") is None
    assert index_named("  create text index t if not exists for (n:A) on (n.b)") == "t"
    assert indexes_dropped_later(
        [("1", ["create index y for (n:A) on (n.b)"]), ("2", ["drop index y"])]
    ) == {"y"}


def test_only_an_index_whose_last_statement_drops_it_is_left_out() -> None:
    create, drop = "CREATE INDEX x IF NOT EXISTS FOR (n:A) ON (n.b)", "DROP INDEX x IF EXISTS"
    assert indexes_dropped_later([("1", [create]), ("2", [drop])]) == {"x"}
    assert indexes_dropped_later([("1", [create]), ("2", [drop]), ("3", [create])]) == set()
    assert indexes_dropped_later([("2", [drop])]) == set()  # dropped, never created here
    # Neo4j's own history: the names-only full-text index of 0001, replaced in 0011.
    assert indexes_dropped_later(MIGRATIONS) == {"civil_servant_names"}

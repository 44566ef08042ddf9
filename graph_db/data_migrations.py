"""Migration steps that compute new property values in Python (both stores run them the same way).

A step is listed among a migration's Cypher statements; the adapter's `migrate` reads the rows of
`read`, maps them with `rows_for`, and writes them with `write` (as `$rows`), in chunks.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, LiteralString

from graph_db.records import search_text


class RecomputeSearchText:
    """Recompute every civil servant's `searchText` with `records.search_text` (accent-free since
    migration 0005); `read` returns `id, displayName, givenName, familyName`."""

    read: ClassVar[str] = (
        "MATCH (n:CivilServant) RETURN n.id, n.displayName, n.givenName, n.familyName ORDER BY n.id"
    )
    write: ClassVar[str] = (
        "UNWIND $rows AS r MATCH (n:CivilServant {id: r.id}) SET n.searchText = r.text"
    )

    @staticmethod
    def rows_for(rows: Sequence[Sequence[Any]]) -> list[dict[str, str]]:
        """`[{"id", "text"}]` for the rows of `read`."""
        return [{"id": r[0], "text": search_text(r[1], r[2], r[3])} for r in rows]


DataStep = RecomputeSearchText
"""The data steps a migration may list that map rows in Python (one kind so far)."""


class BuildSearchIndex:
    """Index every document for ranked search (`StoreCore.rebuild_search_index`): migration
    0011's back-fill, the same on both stores."""


@dataclass(frozen=True, slots=True)
class DataStatement:
    """A statement that brings existing data up to date (a default for a new property), run on
    its own as an auto-commit statement (it may batch itself with `CALL … IN TRANSACTIONS`)."""

    cypher: LiteralString


class IndexesOnline:
    """Wait until the indexes created so far are populated (`StoreCore._migration_done`), where
    a later step reads through them. A store whose indexes are ready once created waits for
    nothing."""


MigrationStep = str | DataStep | DataStatement | BuildSearchIndex | IndexesOnline
"""One step of a migration: a schema (DDL) statement, or one of the steps above."""


CHUNK_ROWS = 5_000
"""Rows written per statement (and, on Neo4j, per transaction)."""


async def apply_data_step(
    step: DataStep,
    read: Callable[[str], Awaitable[Sequence[Sequence[Any]]]],
    write: Callable[[str, dict[str, Any]], Awaitable[object]],
) -> None:
    """Run `step`: read its rows, map them, write them in chunks of `CHUNK_ROWS` (as `$rows`).

    Args:
        step: the data step.
        read: runs a read statement and returns its rows (the adapter's transaction or read path).
        write: runs a write statement with parameters (one chunk; on Neo4j, one transaction).
    """
    rows = step.rows_for(await read(step.read))
    for start in range(0, len(rows), CHUNK_ROWS):
        await write(step.write, {"rows": rows[start : start + CHUNK_ROWS]})

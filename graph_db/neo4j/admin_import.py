"""A bulk load as the input files of `neo4j-admin database import full`: the fastest way to fill
an empty Neo4j database, when the server is ours to start (benchmarks, a first production load).

`neo4j-admin database import full` writes a database's store files directly, without
transactions, while the database is stopped: 100k generated people and 1M connections import in
about 9 s on 2 cores, against 26–28 s through `Neo4jStore.bulk_load`'s UNWIND batches, which are
CPU-bound in the server (BENCHMARKS.md). The graph is the one `bulk_load` writes (a contract test
compares them node by node):

- one CSV file per node label and relationship type of the `BulkLoad`
  (`graph_db.core.bulk`), with the same properties: columns typed in the header
  (`joinedAt:datetime`, `languages:string[]`, …), nulls left out (Neo4j stores no null
  property), timestamps in UTC. One difference: the tool reads an empty list (or a list of one
  empty string, which no language code is) as no value, where `bulk_load` stores `[]`; the
  records read both as an empty list (`languages` of `person_from_props`), and setting `[]`
  on 50k of 100k generated people afterwards cost 1.6–2.3 s;
- the load's countries, each person's `searchExpertise` (`BulkLoad.expertise_texts`), and the
  `(:Dataset {id, loadedAt})` node that marks the load done.

The server then starts on the imported database and is opened with
`Neo4jStore.open(..., imported=True)`: migrations create the constraints and indexes (Neo4j
populates them from the imported nodes) and skip their data steps, which have nothing to bring
up to date. `devtools.local_neo4j.start_local_neo4j(import_arguments=...)` runs the import before
a fresh server's first start.

The import takes the load as a whole graph: every relationship must end at a node of the same
load (there is nothing else in an empty database), and ids are checked here, before any file is
written, so that a bad load fails with the store's own errors rather than the tool's report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from graph_db.core import cypher as C
from graph_db.core.bulk import BulkLoad
from graph_db.errors import Conflict, InvalidInput
from graph_db.neo4j.migrations import MIGRATIONS
from graph_db.records import utc_now

ARRAY_DELIMITER = "\x1f"
"""Separates the items of a list property (`languages`) in one CSV field: ASCII's unit separator,
which no language name contains (Neo4j's default, `;`, could be in one). Plain string columns
are left as they are, `sortName`'s own separators included."""


@dataclass(frozen=True, slots=True)
class ImportFiles:
    """The CSV files of one load, ready for `neo4j-admin database import full`.

    Attributes:
        nodes: `(label, path)` per node label, one file each, header included.
        relationships: `(type, path)` per relationship type.
        counts: rows written per file stem (`"CivilServant"`, `"CONNECTED_TO"`, …).
        report: where the tool writes its report of bad entries (beside the files).
    """

    nodes: list[tuple[str, Path]]
    relationships: list[tuple[str, Path]]
    counts: dict[str, int]
    report: Path

    def arguments(self, database: str = "neo4j") -> list[str]:
        """The arguments of `neo4j-admin` (after the tool itself) that import these files into
        `database`, which must not exist yet: `["database", "import", "full", database, …]`.

        Quoted fields may hold line breaks (a biography); a relationship to a missing node, or a
        duplicate id, fails the import (checked before, see `write_import_files`).
        """
        return [
            "database",
            "import",
            "full",
            database,
            *(f"--nodes={label}={path}" for label, path in self.nodes),
            *(f"--relationships={rel}={path}" for rel, path in self.relationships),
            f"--array-delimiter={ARRAY_DELIMITER}",
            "--multiline-fields=true",
            "--skip-bad-relationships=false",
            "--skip-duplicate-nodes=false",
            f"--report-file={self.report}",
        ]


def write_import_files(load: BulkLoad, directory: Path) -> ImportFiles:
    """Write `load` (its countries, nodes, relationships and `Dataset` node) as import CSVs.

    Args:
        load: the tables of a bulk load (`BulkLoad.of(batch, dataset)`); everything a
            relationship refers to must be in it.
        directory: where the files go (created if missing); about 120 MB for 100k generated
            people and 1M connections.

    Returns:
        The files, in the order `neo4j-admin` needs no particular order for.

    Raises:
        Conflict: two records of one label share an id, or another property a uniqueness
            constraint covers (a person's email).
        InvalidInput: a relationship refers to a record that is not in the load; a claimed
            expertise area is one of those.
        TypeError: a column has a type this writer does not map (a list of anything but
            strings, a struct).
    """
    nodes = dict(load.nodes)
    if load.countries:
        countries = {row["id"]: row for row in reversed(load.countries)}  # the first one wins
        nodes["Country"] = pa.Table.from_pylist([countries[k] for k in sorted(countries)])
    _check(nodes, load.edges)
    if "CivilServant" in nodes:
        texts = load.expertise_texts(load.area_names())
        nodes["CivilServant"] = nodes["CivilServant"].append_column("searchExpertise", texts)
    nodes["Dataset"] = pa.table(
        {"id": [load.dataset], "loadedAt": pa.array([utc_now()], pa.timestamp("us", tz="UTC"))}
    )
    directory.mkdir(parents=True, exist_ok=True)
    files = ImportFiles([], [], {}, directory / "import.report")
    for label, table in nodes.items():
        path = directory / f"{label}.csv"
        _write(_typed(table, {"id": f"id:ID({label})"}), path)
        files.nodes.append((label, path))
        files.counts[label] = table.num_rows
    for rel, table in load.edges.items():
        start, end = C.EDGE_ENDS[rel]
        ends = {"from": f":START_ID({start})", "to": f":END_ID({end})"}
        path = directory / f"{rel}.csv"
        _write(_typed(table, ends), path)
        files.relationships.append((rel, path))
        files.counts[rel] = table.num_rows
    return files


_UNIQUE = re.compile(
    r"CREATE CONSTRAINT \w+ IF NOT EXISTS FOR \(n:(\w+)\) REQUIRE n\.(\w+) IS UNIQUE"
)


def unique_properties() -> set[tuple[str, str]]:
    """`(label, property)` of every uniqueness constraint the migrations create (`id` of each
    label, a person's `email`)."""
    return {
        (found[1], found[2])
        for _, steps in MIGRATIONS
        for step in steps
        if isinstance(step, str) and (found := _UNIQUE.match(step))
    }


def _check(nodes: dict[str, pa.Table], edges: dict[str, pa.Table]) -> None:
    """The checks `bulk_load` makes (`Neo4jStore._check_bulk`), against the load alone, and the
    migrations' uniqueness constraints (whose creation would fail after the import)."""
    for label, name in sorted(unique_properties()):
        table = nodes.get(label)
        if table is None or name not in table.column_names:
            continue
        column = table.column(name)
        if pa.types.is_null(column.type):
            continue  # no values at all
        if pc.count_distinct(column).as_py() != len(column) - column.null_count:
            raise Conflict(f"two {label} records of the load have the same {name}")
    for rel, table in edges.items():
        for label, column in zip(C.EDGE_ENDS[rel], ("from", "to"), strict=True):
            known = nodes[label].column("id") if label in nodes else pa.array([], pa.string())
            if not pc.all(pc.is_in(table.column(column), value_set=known)).as_py():
                raise InvalidInput(
                    f"a {rel} relationship refers to a {label} that is not in the import"
                )


def _typed(table: pa.Table, renamed: dict[str, str]) -> pa.Table:
    """`table` with headers naming each column's Neo4j type and values the tool reads: lists
    joined by `ARRAY_DELIMITER`, timestamps as ISO 8601 in UTC (`Z`), columns that are null
    throughout dropped."""
    columns, names = [], []
    for field, column in zip(table.schema, table.columns, strict=True):
        if pa.types.is_null(field.type):
            continue
        value, suffix = _column(field.name, field.type, column)
        columns.append(value)
        names.append(renamed.get(field.name) or f"{field.name}{suffix}")
    return pa.table(columns, names=names)


def _column(name: str, typ: pa.DataType, column: pa.ChunkedArray) -> tuple[pa.ChunkedArray, str]:
    if pa.types.is_string(typ) or pa.types.is_large_string(typ):
        return column, ""
    if pa.types.is_boolean(typ):
        return column, ":boolean"
    if pa.types.is_integer(typ):
        return column.cast(pa.int64()), ":long"
    if pa.types.is_floating(typ):
        return column.cast(pa.float64()), ":double"
    if pa.types.is_timestamp(typ):
        return pc.strftime(
            _whole_seconds_if_exact(column), format="%Y-%m-%dT%H:%M:%SZ"
        ), ":datetime"
    if pa.types.is_date(typ):
        return pc.strftime(column, format="%Y-%m-%d"), ":date"
    if pa.types.is_list(typ) and pa.types.is_null(typ.value_type):  # every list empty
        return _column(name, pa.list_(pa.string()), column.cast(pa.list_(pa.string())))
    if pa.types.is_list(typ) and pa.types.is_string(typ.value_type):
        return pc.binary_join(column, ARRAY_DELIMITER), ":string[]"
    raise TypeError(f"column {name!r} of type {typ} cannot be imported into Neo4j")


def _whole_seconds_if_exact(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """`column` in UTC, in seconds when no value has a fraction of a second (generated dates):
    `strftime` then writes no `.000000`, and the tool parses 1M connections' dates faster."""
    try:
        return column.cast(pa.timestamp("s", tz="UTC"))  # a safe cast: refuses to truncate
    except pa.ArrowInvalid:
        return column.cast(pa.timestamp("us", tz="UTC"))


def _write(table: pa.Table, path: Path) -> None:
    """`table` as CSV: a header row, strings quoted, nulls as empty unquoted fields (which the
    tool leaves out, as Neo4j stores no null), `""` an empty string."""
    options = pcsv.WriteOptions(include_header=True, quoting_style="needed")
    pcsv.write_csv(table, path, write_options=options)

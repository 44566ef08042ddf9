"""Neo4j values to and from Python at the adapter boundary.

The driver returns its own temporal types (`neo4j.time.DateTime`, `neo4j.time.Date`); records hold
aware UTC `datetime`s and `date`s (DESIGN.md, "converted at the adapter boundary"). Integers are
already Python `int`s. Going in, datetimes must be aware: a naive one would be sent as a
`LocalDateTime`, which never compares equal to the stored `DateTime` values.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from neo4j.graph import Node
from neo4j.time import Date, DateTime

from graph_db.records import as_utc

AS_IS = frozenset({str, int, float, bool, type(None)})
"""Types read as they are: checked first, by exact type, because most values are these (a
depth-2 ego network reads 50k strings, and `isinstance` against the driver's ABCs cost 7 ms)."""


def native(value: Any) -> Any:
    """Convert a value read from Neo4j (scalars, lists, maps, nested) to plain Python.

    Returns:
        `DateTime` → aware UTC `datetime` (nanoseconds truncated to microseconds), `Date` →
        `date`; a `Node` → its property map; lists and maps converted element-wise; anything
        else unchanged.
    """
    if type(value) in AS_IS:
        return value
    if isinstance(value, list):
        return [v if type(v) in AS_IS else native(v) for v in value]
    if isinstance(value, (dict, Node)):
        node = isinstance(value, Node)  # a node's `_`-prefixed keys are not properties
        return {
            k: v if type(v) in AS_IS else native(v)
            for k, v in value.items()
            if not (node and k.startswith("_"))
        }
    if isinstance(value, DateTime):
        return as_utc(value.to_native())
    if isinstance(value, Date):
        return value.to_native()
    return value


def param(value: Any) -> Any:
    """Prepare a Python value to send as a parameter: naive datetimes are taken as UTC."""
    if isinstance(value, datetime):
        return as_utc(value)
    return value


__all__ = ["AS_IS", "native", "param"]

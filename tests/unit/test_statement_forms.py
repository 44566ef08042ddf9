"""No batched statement looks its keys up inside a relationship pattern.

`UNWIND $ids AS key MATCH (a {id: key})-[r]->(b)` reads well but LadybugDB plans it as a scan of
every relationship of that type joined to the keys: 57 ms for 15 keys on 100k people, and 500 ms
to 1 s for a profile edit when the search index upkeep used it (`graph_db.core.cypher.per_key`
has the figures). Batched reads look the node up alone, then expand (`per_key`). This test reads
every statement the store modules define (module-level strings, and the strings of module-level
dicts and dataclasses of statements) and refuses a keyed look-up inside a relationship pattern.
"""

from __future__ import annotations

import dataclasses
import importlib
import re
from collections.abc import Iterator

import pytest

MODULES = [
    "graph_db.core.cypher",
    "graph_db.core.exchange_cypher",
    "graph_db.core.search_cypher",
    "graph_db.analytics.cypher",
    "graph_db.embedded.dialect",
]
"""The Neo4j dialect is left out: Neo4j plans both forms as an index seek and an expansion."""
CLAUSE = re.compile(
    r"\bMATCH\b(.*?)(?=\bOPTIONAL\b|\bWITH\b|\bRETURN\b|\bWHERE\b|\bUNWIND\b|\bCALL\b|\bSET\b"
    r"|\bDELETE\b|\bDETACH\b|\bCREATE\b|\bMERGE\b|\bMATCH\b|\}\s*$|$)",
    re.S,
)
UNWOUND = re.compile(r"\bUNWIND\s+\$\w+\s+AS\s+(\w+)")


def statements(value: object, depth: int = 0) -> Iterator[str]:
    """The Cypher strings held by `value` (a string, dict, list or dataclass of them)."""
    if depth > 3:
        return
    if isinstance(value, str):
        if "MATCH" in value:
            yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from statements(v, depth + 1)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from statements(v, depth + 1)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from statements(getattr(value, f.name), depth + 1)


def keyed_relationship_patterns(statement: str) -> list[str]:
    """The MATCH clauses of `statement` that look up an unwound key inside a relationship
    pattern (`(a {id: key})-[…]-…` or `…-[…]-(a {id: key})`)."""
    found = []
    for key in UNWOUND.findall(statement):
        for clause in CLAUSE.findall(statement):
            if re.search(r"\{\s*id:\s*" + key + r"\s*\}", clause) and re.search(r"-\[|\]-", clause):
                found.append(clause.strip())
    return found


@pytest.mark.parametrize("module", MODULES)
def test_batched_statements_look_keys_up_then_expand(module: str) -> None:
    held = vars(importlib.import_module(module))
    checked = [s for name, v in held.items() if not name.startswith("__") for s in statements(v)]
    assert checked, f"{module} defines no statements this test can read"
    bad = {s: keyed_relationship_patterns(s) for s in checked if keyed_relationship_patterns(s)}
    assert not bad, bad


def test_the_check_finds_the_slow_form() -> None:
    slow = "UNWIND $ids AS key MATCH (a:CivilServant {id: key})-[:HAS_EXPERTISE]->(e) RETURN e"
    reverse = (
        "UNWIND $ids AS k MATCH (r:Run {id: $run})-[s:SCORED]->(p:CivilServant {id: k}) RETURN s"
    )
    fast = (
        "UNWIND $ids AS key MATCH (a:CivilServant {id: key})"
        " OPTIONAL MATCH (a)-[:HAS_EXPERTISE]->(e) WITH * WHERE e IS NOT NULL RETURN e"
    )
    assert keyed_relationship_patterns(slow)
    assert keyed_relationship_patterns(reverse)
    assert not keyed_relationship_patterns(fast)

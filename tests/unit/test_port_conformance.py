"""The adapters against the port's role protocols, method by method (see `graph_db.conformance`).

mypy checks parameter and return types through `graph_db.conformance`; this test checks at run time
what mypy does not compare: every method of every role exists on both adapters as a coroutine
function with the same parameter names, kinds and defaults. It also checks that the roles split
`GraphStore` exactly: each port method belongs to one role.
"""

from __future__ import annotations

import inspect
from collections import Counter
from collections.abc import Callable
from typing import Any, Generic, Protocol

import pytest

from graph_db.embedded import EmbeddedStore
from graph_db.neo4j import Neo4jStore
from graph_db.port import ROLES, GraphStore

ADAPTERS = [EmbeddedStore, Neo4jStore]


def declared_methods(protocol: type) -> dict[str, Callable[..., Any]]:
    """The async methods a protocol declares, its own and its bases', by name."""
    methods: dict[str, Callable[..., Any]] = {}
    for cls in reversed(protocol.__mro__):
        if cls in (object, Protocol, Generic):
            continue
        methods |= {n: v for n, v in vars(cls).items() if inspect.iscoroutinefunction(v)}
    return methods


def parameters(method: Callable[..., Any]) -> str:
    """The parameter list without annotations, e.g. `(self, ids, *, page)`: names, kinds, defaults.

    Annotations are left to mypy: the port and the adapters may spell the same type differently.
    """
    signature = inspect.signature(method)
    bare = [p.replace(annotation=inspect.Parameter.empty) for p in signature.parameters.values()]
    return str(signature.replace(parameters=bare, return_annotation=inspect.Signature.empty))


def test_the_roles_split_the_port_exactly() -> None:
    owners = Counter(name for role in ROLES for name in declared_methods(role))
    assert [name for name, roles in owners.items() if roles > 1] == []
    assert set(owners) == set(declared_methods(GraphStore))
    assert len(owners) == 108 + 14 + 7 + 2  # 14: ExchangeStore, 7: CatalogueStore, 2: SearchStore


@pytest.mark.parametrize("adapter", ADAPTERS, ids=lambda a: a.__name__)
@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.__name__)
def test_adapter_has_every_method_of_the_role(adapter: type, role: type) -> None:
    problems = []
    for name, declared in declared_methods(role).items():
        implemented = getattr(adapter, name, None)
        if implemented is None:
            problems.append(f"{name}: missing")
        elif not inspect.iscoroutinefunction(implemented):
            problems.append(f"{name}: not an async method")
        elif parameters(implemented) != parameters(declared):
            problems.append(f"{name}{parameters(implemented)}, port: {parameters(declared)}")
    assert problems == [], f"{adapter.__name__} against {role.__name__}"

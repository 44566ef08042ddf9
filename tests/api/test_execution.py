"""`graph_api.execution.LeafFieldsExecutionContext` answers exactly as Strawberry's own execution
context: the same `data` and the same `errors` (messages, paths, codes), on real stores and on a
small schema built to hit every way out of the fast path (null in a non-null field, a value its
scalar or enum refuses, null list items, a nested object of another type, `__typename`,
aliases, fragments, directives).

Right answers: the same request executed by graphql-core's own path (Strawberry's
`StrawberryGraphQLCoreExecutionContext`), in the same app on the same store.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from enum import Enum
from typing import Any, ClassVar

import httpx
import pytest
import pytest_asyncio
import strawberry
from asgi_lifespan import LifespanManager
from strawberry import relay
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from bench.mix import EGO, LDBC_SUBJECTS, LINEAGE, NETWORK_SEARCH, PAGE, PATH, PROFILE, RECS, SEARCH
from graph_api.app import create_app
from graph_api.execution import LeafFieldsExecutionContext
from graph_api.settings import Settings
from graph_db.port import GraphStore
from schema.ids import encode_id
from schema.node import CONTEXT_ONLY
from tests.conftest import ADMIN_MEMBER, Api

S = LDBC_SUBJECTS
GID = encode_id("CivilServant", S.person)
REQUESTS: list[tuple[str, dict[str, Any]]] = [
    (PROFILE, {"p": GID, "n": 20}),
    (PAGE, {"c": S.country}),
    (EGO, {"p": GID}),
    (PATH, {"a": GID, "b": encode_id("CivilServant", S.path_to)}),
    (RECS, {"p": GID}),
    (SEARCH, {"q": S.name}),
    (NETWORK_SEARCH, {"p": GID, "c": S.country}),
    (LINEAGE, {"p": GID}),
    # Aliases, the same field twice, `__typename` in list items, fragments, directives, enums,
    # dates and nulls (single names) in the items of wide lists.
    (
        """query($p: ID!, $with: Boolean!) { egoNetwork(person: $p, depth: 2, limit: 300) {
          nodes { __typename key: id distance again: distance
            civilServant { ...Card familyName @include(if: $with) } }
          edges { id kind source target src: source @skip(if: $with) } } }
        fragment Card on CivilServant { givenName displayName joinedAt verified isExpert
          profileVisibility countryCode }""",
        {"p": GID, "with": True},
    ),
    (
        """{ countries(first: 30) { edges { cursor node { id name group } } totalCount }
          institutions(first: 40) { edges { node { id name kind acronym } } } }""",
        {},
    ),
    (
        """query($p: ID!) { civilServant(id: $p) { connections(first: 50) { edges { since
          node { id displayName employments { position sinceYear untilYear } } } } } }""",
        {"p": GID},
    ),
]


@contextlib.contextmanager
def executed_by(schema: strawberry.Schema, kind: type[Any]) -> Iterator[None]:
    """Run the app's requests with execution context `kind` for the duration of the block."""
    before = schema.execution_context_class
    schema.execution_context_class = kind
    try:
        yield
    finally:
        schema.execution_context_class = before


@pytest_asyncio.fixture(loop_scope="session")
async def app_api(ldbc_store: GraphStore) -> AsyncIterator[tuple[Api, strawberry.Schema]]:
    """A client signed in as LDBC 933 (admin) and the schema of its app."""
    settings = Settings(environment="test", store=ldbc_store.backend)  # type: ignore[attr-defined]
    app = create_app(settings, store=ldbc_store)
    async with LifespanManager(app) as manager:
        view = next(
            r.endpoint
            for r in app.routes
            if isinstance(getattr(r, "endpoint", None), strawberry.asgi.GraphQL)
        )
        assert view.schema.execution_context_class is LeafFieldsExecutionContext
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield Api(client).as_(ADMIN_MEMBER, roles=("member", "admin")), view.schema


@pytest.mark.parametrize("query, variables", REQUESTS)
async def test_the_app_answers_as_graphql_cores_own_path(
    app_api: tuple[Api, strawberry.Schema], query: str, variables: dict[str, Any]
) -> None:
    api, schema = app_api
    fast = await api.post(query, variables)
    with executed_by(schema, StrawberryGraphQLCoreExecutionContext):
        usual = await api.post(query, variables)
    assert "errors" not in fast, fast["errors"]
    assert fast == usual


# A small schema with every irregular value the fast path must hand back to graphql-core.


@strawberry.enum
class Colour(Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.type
class Item:
    name: str
    note: str | None
    rank: int
    colour: Colour


def _item(i: int, **odd: Any) -> Item:
    fields: dict[str, Any] = {
        "name": f"n{i}",
        "note": None if i % 2 else f"note {i}",
        "rank": i,
        "colour": Colour.RED if i % 3 else Colour.BLUE,
    }
    return Item(**(fields | odd))


@strawberry.interface
class Named:
    name: str


@strawberry.type
class Card(Named):  # an interface: Strawberry gives the type an `is_type_of`
    rank: int


@strawberry.type
class NotACard:  # what a resolver might return by mistake: the same attributes, another type
    name: str
    rank: int


@strawberry.type
class Pair:
    left: Card
    right: Card | None
    label: str


def _pair(i: int, **odd: Any) -> Pair:
    fields: dict[str, Any] = {
        "left": Card(name=f"l{i}", rank=i),
        "right": None if i % 3 == 0 else Card(name=f"r{i}", rank=-i),
        "label": f"p{i}",
    }
    return Pair(**(fields | odd))


@strawberry.type(name="Produce")  # Relay's global id is made of the GraphQL name
class Fruit(relay.Node):
    id: relay.NodeID[int]
    name: str


@strawberry.type
class Renamed(relay.Node):  # a type that makes its own ids: its resolver must run
    code: relay.NodeID[str]

    @classmethod
    def resolve_id(cls, root: Renamed, *, info: strawberry.Info) -> str:
        return f"x-{root.code}"


@strawberry.type
class Shelf:
    label: str
    tags: list[str]  # a list of non-null leaves
    sizes: list[int]
    held: list[Fruit]  # a list of non-null objects
    maybe: list[Item | None]  # nullable items: the usual way

    seen: ClassVar[list[str]] = []  # the kinds of `info` `note` was called with

    @strawberry.field(metadata=CONTEXT_ONLY)
    def note(self, info: strawberry.Info) -> str | None:
        Shelf.seen.append(type(info).__name__)
        return f"{self.label} for {info.context['reader']}"

    @strawberry.field(metadata=CONTEXT_ONLY)
    def later(self, info: strawberry.Info) -> str:  # not in hand: its object goes the usual way
        async def read() -> str:
            return f"late {self.label}"

        return read()  # type: ignore[return-value]

    @strawberry.field(metadata=CONTEXT_ONLY)
    def stock(self, info: strawberry.Info) -> list[Item]:
        return [_item(i) for i in range(3)]


def _shelf(i: int, **odd: Any) -> Shelf:
    fields: dict[str, Any] = {
        "label": f"s{i}",
        "tags": [f"t{i}", "x"],
        "sizes": [i, i + 1],
        "held": [Fruit(id=i, name="f")],
        "maybe": [None, _item(i)],
    }
    return Shelf(**(fields | odd))


@strawberry.type
class Query:
    @strawberry.field
    def shelves(self) -> list[Shelf]:
        return [_shelf(i) for i in range(5)]

    @strawberry.field
    def bad_shelves(self) -> list[Shelf]:  # a list item its scalar refuses, a null list item
        return [_shelf(0), _shelf(1, sizes=[1, "x"], tags=["a", None])]

    @strawberry.field
    def fruits(self) -> list[Fruit]:
        return [Fruit(id=i, name=f"f{i}") for i in range(6)]

    @strawberry.field
    def fruit_without_id(self) -> list[Fruit]:  # a missing id, in the 3rd item
        return [Fruit(id=None if i == 2 else i, name="f") for i in range(4)]  # type: ignore[arg-type]

    @strawberry.field
    def renamed(self) -> list[Renamed]:
        return [Renamed(code=f"c{i}") for i in range(3)]

    @strawberry.field
    def items(self) -> list[Item]:
        return [_item(i) for i in range(20)]

    @strawberry.field
    def null_name(self) -> list[Item]:  # null in a non-null field, in the 5th item
        return [_item(i, name=None) if i == 4 else _item(i) for i in range(8)]

    @strawberry.field
    def bad_rank(self) -> list[Item]:  # a value Int refuses
        return [_item(i, rank="x" if i == 3 else i) for i in range(6)]

    @strawberry.field
    def big_rank(self) -> list[Item | None]:  # beyond 32 bits, in a nullable item
        return [_item(i, rank=2**40 if i == 2 else i) for i in range(5)]

    @strawberry.field
    def bad_colour(self) -> list[Item]:  # a value the enum does not have
        return [_item(i, colour="green" if i == 1 else Colour.RED) for i in range(4)]

    @strawberry.field
    def with_nulls(self) -> list[Item | None]:
        return [None if i % 4 == 0 else _item(i) for i in range(9)]

    @strawberry.field
    def pairs(self) -> list[Pair]:  # nested objects, some null where nullable
        return [_pair(i) for i in range(10)]

    @strawberry.field
    def null_left(self) -> list[Pair | None]:  # null in a non-null nested object, 4th item
        return [_pair(i, left=None) if i == 3 else _pair(i) for i in range(6)]

    @strawberry.field
    def bad_left(self) -> list[Pair]:  # a nested value its scalar refuses
        odd = Card(name="x", rank="y")  # type: ignore[arg-type]
        return [_pair(i, left=odd) if i == 2 else _pair(i) for i in range(5)]

    @strawberry.field
    def not_a_card(self) -> list[Pair]:  # a nested object of another type (`is_type_of`)
        return [
            _pair(i, right=NotACard(name="z", rank=1)) if i == 1 else _pair(i) for i in range(4)
        ]

    @strawberry.field
    def one(self) -> Item:
        return _item(7, note="x")

    @strawberry.field
    def one_bad(self) -> Item | None:
        return _item(1, rank=1.5)


SMALL = [  # (query, whether graphql-core reports an error for it)
    ("{ items { name note rank colour } }", False),
    ("{ items { __typename name } }", False),
    ("{ items { a: name b: name rank } }", False),
    ("{ nullName { name rank } }", True),
    ("{ badRank { name rank } }", True),
    ("{ bigRank { rank } }", True),
    ("{ badColour { colour } }", True),
    ("{ withNulls { name note } }", False),
    ("{ one { name note rank colour } oneBad { rank } }", True),
    ("query($s: Boolean!) { items { name note @skip(if: $s) rank @include(if: $s) } }", False),
    ("{ items { ...F } } fragment F on Item { name colour }", False),
    ("{ pairs { label left { name rank } right { name } } }", False),
    ("{ pairs { left { ... on Card { rank } } r: right { n: name } } }", False),
    ("{ pairs { left { __typename name } } }", False),
    ("{ nullLeft { label left { name } } }", True),
    ("{ badLeft { left { rank } } }", True),
    ("{ notACard { right { name } } }", True),
    ("{ fruits { id name } }", False),
    ("{ fruits { ...on Node { id } } }", False),
    ("{ fruitWithoutId { id name } }", True),
    ("{ renamed { id } }", False),
    ("{ shelves { label tags sizes note } }", False),
    ("{ shelves { held { id name } maybe { name } } }", False),
    ("{ shelves { stock { name rank colour } } }", False),
    ("{ shelves { label later } }", False),
    ("{ badShelves { sizes } }", True),
    ("{ badShelves { label tags } }", True),
]


@pytest.mark.parametrize("query, fails", SMALL)
async def test_irregular_values_get_graphql_cores_errors(query: str, fails: bool) -> None:
    fast = strawberry.Schema(Query, execution_context_class=LeafFieldsExecutionContext)
    usual = strawberry.Schema(Query)
    variables = {"s": True}
    context = {"reader": "r"}
    a = await fast.execute(query, variable_values=variables, context_value=context)
    b = await usual.execute(query, variable_values=variables, context_value=context)
    assert a.data == b.data
    assert [e.formatted for e in a.errors or []] == [e.formatted for e in b.errors or []]
    assert bool(b.errors) == fails  # the case does (or does not) reach the error path


async def test_context_only_resolvers_run_in_the_loop_with_the_context_alone() -> None:
    Shelf.seen.clear()
    fast = strawberry.Schema(Query, execution_context_class=LeafFieldsExecutionContext)
    result = await fast.execute("{ shelves { label note } }", context_value={"reader": "r"})
    assert result.errors is None
    assert result.data == {"shelves": [{"label": f"s{i}", "note": f"s{i} for r"} for i in range(5)]}
    assert Shelf.seen == ["ContextInfo"] * 5  # no GraphQLResolveInfo / Strawberry Info made


class Counted(strawberry.permission.BasePermission):
    """Allows everything; counts its checks (it must run once per field, as without the fast path)."""

    message = "refused"
    calls = 0

    def has_permission(self, source: Any, info: strawberry.Info, **kwargs: Any) -> bool:
        Counted.calls += 1
        return True


@strawberry.type
class Guarded:
    name: str
    secret: str = strawberry.field(permission_classes=[Counted])


@strawberry.type
class GuardedQuery:
    @strawberry.field
    def rows(self) -> list[Guarded]:
        return [Guarded(name=f"n{i}", secret=f"s{i}") for i in range(5)]


class FieldCounter(strawberry.extensions.SchemaExtension):
    """A `resolve` hook (graphql-core middleware): it must see every field."""

    seen: list[str] = []

    def resolve(self, _next: Any, root: Any, info: Any, *args: Any, **kwargs: Any) -> Any:
        FieldCounter.seen.append(info.field_name)
        return _next(root, info, *args, **kwargs)


@pytest.mark.parametrize("query", ["{ rows { name secret } }", "{ rows { name } }"])
async def test_permission_classes_and_resolve_hooks_see_every_field(query: str) -> None:
    """A field with permission classes is checked once per object; a schema extension's
    `resolve` hook sees every field, plain leaf fields included (the fast path stands aside)."""
    results, checks, seen = [], [], []
    for kind in (LeafFieldsExecutionContext, StrawberryGraphQLCoreExecutionContext):
        Counted.calls = 0
        FieldCounter.seen = []
        schema = strawberry.Schema(
            GuardedQuery, extensions=[FieldCounter], execution_context_class=kind
        )
        result = await schema.execute(query)
        results.append((result.data, result.errors))
        checks.append(Counted.calls)
        seen.append(sorted(FieldCounter.seen))
    assert results[0] == results[1]
    assert checks[0] == checks[1] == (5 if "secret" in query else 0)
    assert seen[0] == seen[1] and seen[0].count("name") == 5

"""A graphql-core execution context that completes objects of plain leaf fields in one loop.

graphql-core executes every field of every object the same way: a `Path`, a `GraphQLResolveInfo`,
the resolver, then `complete_value`. For the wide answers of this API (an ego network of 500
people and up to 5,000 edges, pages of connection cards) most objects hold only leaf fields read
straight off an attribute (`EgoNetworkEdge.source`, `CivilServant.displayName`), and that
machinery is most of what the request costs: about 4 µs per field, so 40-60 ms for an ego
network's 12,000 fields (`make bench`, (c)).

`LeafFieldsExecutionContext.execute_fields` looks once per (object type, selection) at the
selected fields. When every one is a Strawberry basic field (`is_basic_field`: no resolver,
permission classes or field extensions) asked without arguments, of a scalar or enum type or of
an object type whose own selection qualifies in turn (an ego network node's `civilServant
{ displayName }`), the object is completed in one loop: the attribute, then the type's
`coerce_output_value`, as `complete_leaf_value` does (a nested object after Strawberry's own
`is_type_of`, as `complete_object_value` does). Anything irregular in a value (null in a non-null
field, a coercion that fails or gives null, a nested object of another type) sends that object
down graphql-core's own path, which then produces the same answer and errors as without this
class. Every other selection (resolvers, lists, abstract types, `__typename`) goes the usual way.

Neither runs inside a deferred fragment (`position_context`) or when a schema extension has a
`resolve` hook (graphql-core middleware, which must see every field).

Three more kinds of field take the loop: Relay's `Node.id` (the global id made from the type
name and the id attribute, `_node_id_getter`); a field marked `schema.node.CONTEXT_ONLY`, whose
resolver reads only `info.context` and is called with a `ContextInfo` (when it answers an
awaitable, the value is not in hand and the object goes the usual way); and lists of non-null
items of the kinds above (a connection card's `expertise { level expertise { name } }`).
Measured in process on the held 100k Neo4j, API CPU a request: (a) 3.77 → 2.6-2.8 ms with the
profile's cards completed in the loop; (b) 3.5 → 2.7 ms with the page's `position`.

`complete_iterable_value` does the same for a whole list of such objects (no `@stream`, no
`@defer` inside), skipping the per-item `Path` and `complete_value` dispatch; a null item or an
`is_type_of` that is not plainly true sends the list the usual way.

Measured in process on the 100,000-person graph, embedded store ((c) ego network of 500 people,
`bench/mix.py`): 113 ms → 84 ms median through GraphQL, GraphQL ÷ store 2.0 → 1.36.
`tests/api/test_execution.py` holds it to graphql-core's answers and errors.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, cast

from graphql import (
    GraphQLID,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLString,
    Undefined,
    is_leaf_type,
)
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.pyutils import Path, is_awaitable
from strawberry import relay
from strawberry.relay.utils import to_base64
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter

from schema.node import CONTEXT_ONLY_KEY

DEFINITION = GraphQLCoreConverter.DEFINITION_BACKREF
"""Where Strawberry keeps a field's `StrawberryField` in graphql-core's field extensions."""
IsTypeOf = Callable[[Any, Any], Any]
LeafField = tuple[
    str,
    Callable[[Any], Any],
    GraphQLLeafType | GraphQLObjectType,
    bool,
    "Plan | None",
    IsTypeOf | None,
    bool,
    bool,
]
"""(response name, the field's value from its object (what Strawberry's basic resolver gives),
leaf or object type, whether the field is non-null, the plan of the object's own selection (None
for a leaf), the object type's `is_type_of` if it has one, whether a `str` value is the output as
it is (`String` and `ID`, whose coercion returns a `str` unchanged), whether the value is a list
(of non-null items of that type))."""
PLAIN_TEXT = (GraphQLString, GraphQLID)
Plan = list[LeafField]


class Later(Exception):
    """A context-only resolver's value is not in hand yet: its object goes the usual way."""


@dataclass(frozen=True, slots=True)
class ContextInfo:
    """The `info` a `CONTEXT_ONLY` resolver gets in the loop: the request's context alone."""

    context: Any


class LeafFieldsExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context, with objects of plain leaf fields completed in one loop
    (see the module docstring); answers and errors are the same as without it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # (object type, selection) → plan; the selection is kept so that its id stays unique.
        self._leaf_plans: dict[tuple[int, int], tuple[GroupedFieldSet, Plan | None]] = {}
        # Middleware (a schema extension's `resolve` hook) must see every field: none then.
        manager = self.middleware_manager
        self._fast = manager is None or not manager.middlewares

    def _plan(
        self, parent_type: GraphQLObjectType, grouped_field_set: GroupedFieldSet
    ) -> Plan | None:
        key = (id(parent_type), id(grouped_field_set))
        cached = self._leaf_plans.get(key)
        if cached is None:
            cached = (grouped_field_set, self._make_plan(parent_type, grouped_field_set))
            self._leaf_plans[key] = cached
        return cached[1]

    def _make_plan(self, parent_type: GraphQLObjectType, fields: GroupedFieldSet) -> Plan | None:
        """The fields of `fields` as `LeafField`s, or None unless every one is a Strawberry
        basic field asked without arguments, of a scalar or enum type or of an object type whose
        own selection qualifies in turn (no deferred fragment in it). An object type's
        `is_type_of` must be Strawberry's own (an `isinstance` test that ignores its `info`
        argument), not one the type defines."""
        plan: Plan = []
        for response_name, details in fields.items():
            node = details[0].node
            if len(details) > 1 or node.arguments:
                return None
            field_def = self.schema.get_field(parent_type, node.name.value)
            if field_def is None or field_def.resolve is None:
                return None  # no such field, or graphql-core's default resolver
            definition = field_def.extensions.get(DEFINITION)
            get = _node_id_getter(parent_type, definition) or self._context_only(definition)
            if get is None:
                if not getattr(definition, "is_basic_field", False):
                    return None  # `__typename`, a resolver, permission classes, extensions
                get = _getter(field_def.resolve, definition)
            kind = field_def.type
            non_null = isinstance(kind, GraphQLNonNull)
            inner: Any = cast(GraphQLNonNull[Any], kind).of_type if non_null else kind
            listed = isinstance(inner, GraphQLList)
            if listed:
                if not isinstance(inner.of_type, GraphQLNonNull):
                    return None  # lists with nullable items: the usual way
                inner = inner.of_type.of_type
            if is_leaf_type(inner):
                text = inner in PLAIN_TEXT
                plan.append((response_name, get, inner, non_null, None, None, text, listed))
                continue
            if not isinstance(inner, GraphQLObjectType):
                return None  # nested lists and abstract types: the usual way
            if getattr(inner.extensions.get(DEFINITION), "is_type_of", None) is not None:
                return None  # the type's own check may read `info`
            grouped, deferred, _ = self.collect_subfields(inner, details)
            nested = None if deferred else self._plan(inner, grouped)
            if nested is None:
                return None
            is_type_of = inner.is_type_of
            plan.append((response_name, get, inner, non_null, nested, is_type_of, False, listed))
        return plan

    def _context_only(self, definition: Any) -> Callable[[Any], Any] | None:
        """The value of a `CONTEXT_ONLY` field (no arguments, permission classes or field
        extensions) from its object: its resolver called with a `ContextInfo`; `Later` (its
        object the usual way) when the resolver answers an awaitable. None for other fields."""
        if (
            definition is None
            or not definition.metadata.get(CONTEXT_ONLY_KEY)
            or definition.arguments
            or definition.permission_classes
            or definition.extensions
            or definition.base_resolver is None
        ):
            return None
        resolve = definition.base_resolver.wrapped_func
        info = ContextInfo(self.context_value)

        def value(source: Any) -> Any:
            found = resolve(source, info)
            if is_awaitable(found):
                if inspect.iscoroutine(found):
                    found.close()  # never started: nothing to undo
                raise Later
            return found

        return value

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any,
    ) -> Any:
        if self._fast and position_context is None:  # not inside a deferred fragment
            plan = self._plan(parent_type, grouped_field_set)
            if plan is not None and (done := _complete(plan, source_value)) is not None:
                return done
        return super().execute_fields(
            parent_type, source_value, path, grouped_field_set, position_context
        )

    def complete_iterable_value(
        self,
        item_type: GraphQLOutputType,
        field_details_list: FieldDetailsList,
        info: GraphQLResolveInfo[Any],
        path: Path,
        items: Iterable[Any],
        position_context: Any,
    ) -> Any:
        """A list of objects of plain leaf fields in one loop, without a `Path` or a trip
        through `complete_value` per item; anything else (or any irregular item) as usual."""
        inner = item_type.of_type if isinstance(item_type, GraphQLNonNull) else item_type
        if (
            self._fast
            and position_context is None
            and isinstance(inner, GraphQLObjectType)
            and type(items) is list
            and not self.get_stream_usage(field_details_list, path)
        ):
            grouped_field_set, deferred, _ = self.collect_subfields(inner, field_details_list)
            plan = None if deferred else self._plan(inner, grouped_field_set)
            if plan is not None:
                is_type_of = inner.is_type_of
                completed = []
                for item in items:
                    if item is None or (is_type_of and is_type_of(item, info) is not True):
                        break  # null items and type checks the usual way
                    done = _complete(plan, item)
                    if done is None:
                        break
                    completed.append(done)
                else:
                    return completed
        return super().complete_iterable_value(
            item_type, field_details_list, info, path, items, position_context
        )


def _getter(resolve: Callable[..., Any], definition: Any) -> Callable[[Any], Any]:
    """The value of a basic field from its object: the attribute itself where Strawberry's
    default resolver is `getattr` (its resolver would call it two calls down), else the resolver."""
    if getattr(definition, "default_resolver", None) is getattr:
        return attrgetter(definition.python_name)
    return lambda source: resolve(source, None)


def _node_id_getter(
    parent_type: GraphQLObjectType, definition: Any
) -> Callable[[Any], str | None] | None:
    """The value of Relay's `Node.id` field from an object of `parent_type`, or None if the
    field is not that one (or the type changes how its id is made).

    Strawberry's `Node.id` is a resolver (`relay.Node._id`): its global id is the base64 of
    `<type name>:<id attribute>` where the type keeps `Node`'s own `resolve_id` and
    `resolve_typename`, and this gives that string without the resolver's `Info`, `GlobalID`
    and serialisation (one per listed person: (b)'s page of 50, (f)'s 20). An object of another
    class than the type's own (a subclass may override them) gets None, which sends it the
    usual way (`_complete`: `id` is non-null), as does a missing id.
    """
    origin = getattr(parent_type.extensions.get(DEFINITION), "origin", None)
    if (
        getattr(definition, "origin", None) is not relay.Node
        or getattr(definition, "python_name", None) != "_id"
        or definition.extensions
        or definition.permission_classes
        or not (isinstance(origin, type) and issubclass(origin, relay.Node))
        or origin.resolve_id.__func__ is not relay.Node.resolve_id.__func__  # type: ignore[attr-defined]
        or origin.resolve_typename.__func__ is not relay.Node.resolve_typename.__func__  # type: ignore[attr-defined]
    ):
        return None
    attribute = origin.resolve_id_attr()
    type_name = parent_type.name

    def global_id(source: Any) -> str | None:
        if type(source) is not origin:
            return None
        node_id = getattr(source, attribute)
        return None if node_id is None else to_base64(type_name, str(node_id))

    return global_id


def _complete(plan: Plan, source: Any) -> dict[str, Any] | None:
    """`source` as a response object of the fields of `plan` (nested plans recursively), or None
    if a value is irregular (null in a non-null field or in a list, a coercion that fails or
    gives null, a value not yet in hand): graphql-core's own path then reports it, with its path."""
    results: dict[str, Any] = {}
    try:
        for response_name, get, kind, non_null, nested, is_type_of, text, listed in plan:
            value = get(source)
            if value is None:
                if non_null:
                    return None
                results[response_name] = None
                continue
            if listed:
                if type(value) is not list:
                    return None
                items = []
                for item in value:
                    done = _completed(kind, nested, is_type_of, text, item)
                    if done is None:
                        return None
                    items.append(done)
                results[response_name] = items
                continue
            if nested is not None:  # inline, as `_completed` (12,000 fields in an ego network)
                if is_type_of is not None and is_type_of(value, None) is not True:
                    return None
                done = _complete(nested, value)
                if done is None:
                    return None
                results[response_name] = done
            elif text and type(value) is str:
                results[response_name] = value
            else:
                coerced = cast(GraphQLLeafType, kind).coerce_output_value(value)
                if coerced is Undefined or coerced is None:
                    return None
                results[response_name] = coerced
    except Exception:  # graphql-core's path reports it
        return None
    return results


def _completed(
    kind: GraphQLLeafType | GraphQLObjectType,
    nested: Plan | None,
    is_type_of: IsTypeOf | None,
    text: bool,
    value: Any,
) -> Any:
    """One non-null value completed (a nested object by its plan, a leaf coerced), or None if
    it is irregular (null, a nested object of another type, a coercion that fails)."""
    if value is None:
        return None
    if nested is not None:
        if is_type_of is not None and is_type_of(value, None) is not True:
            return None
        return _complete(nested, value)
    if text and type(value) is str:
        return value
    coerced = cast(GraphQLLeafType, kind).coerce_output_value(value)
    return None if coerced is Undefined else coerced

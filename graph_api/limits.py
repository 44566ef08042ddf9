"""Query limits checked before any store work: depth, aliases, tokens, fragment cycles and a cost
budget in which list fields multiply the cost of what is under them.

Cost model: every selected field costs 1 per time it can be resolved. A field with `first`/`last`
resolves its selection that many times (the argument's value, else the argument's schema default,
else the connections' default page size, `EXPECS_DEFAULT_PAGE_SIZE`, as pagination uses); the `edges`
/ `nodes` list right under it does not multiply again. Any other list field multiplies by
`LIST_FACTOR`. Fragments count where they are spread. Errors carry `extensions.code` LIMIT_EXCEEDED
and a `limit` name, and stop the request before execution.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    Visitor,
    get_named_type,
    visit,
)
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

if TYPE_CHECKING:
    from graph_api.settings import Settings

LIST_FACTOR = 10


@dataclass(frozen=True)
class QueryLimits:
    """The limits, from settings (`from_settings`; values and defaults live there only).

    Attributes:
        max_depth, max_aliases, max_cost, max_tokens: `EXPECS_LIMITS__*`.
        default_page_size: what a connection without `first`/`last` costs as
            (`EXPECS_DEFAULT_PAGE_SIZE`, the rows pagination then returns).
    """

    max_depth: int
    max_aliases: int
    max_cost: int
    max_tokens: int
    default_page_size: int

    @classmethod
    def from_settings(cls, settings: Settings) -> QueryLimits:
        """The limits `settings` configure."""
        limits = settings.limits
        return cls(
            max_depth=limits.max_depth,
            max_aliases=limits.max_aliases,
            max_cost=limits.max_cost,
            max_tokens=limits.max_tokens,
            default_page_size=settings.default_page_size,
        )


class LimitExceededError(Exception):
    def __init__(self, limit: str, message: str) -> None:
        super().__init__(message)
        self.limit = limit


@dataclass
class _Tally:
    cost: int = 0
    aliases: int = 0
    depth: int = 0


def _is_list(type_: Any) -> bool:
    while isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    return isinstance(type_, GraphQLList)


def _size(
    node: FieldNode, field_def: Any, variables: dict[str, Any], default_page_size: int
) -> int | None:
    """The page size a field asks for (`first`/`last`), or None when it has no such argument."""
    if field_def is None or not ({"first", "last"} & set(field_def.args)):
        return None
    for arg in node.arguments or ():
        if arg.name.value in ("first", "last"):
            if isinstance(arg.value, IntValueNode):
                return max(int(arg.value.value), 0)
            if isinstance(arg.value, VariableNode):
                value = variables.get(arg.value.name.value)
                if isinstance(value, int):
                    return max(value, 0)
    defaults = [field_def.args[n].default_value for n in ("first", "last") if n in field_def.args]
    return next((d for d in defaults if isinstance(d, int)), default_page_size)


def _declared_defaults(document: Any) -> dict[str, int]:
    """Integer defaults of the document's variable definitions, by name (largest wins)."""
    defaults: dict[str, int] = {}
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        for var in definition.variable_definitions or ():
            if isinstance(var.default_value, IntValueNode):
                name = var.variable.name.value
                defaults[name] = max(defaults.get(name, 0), int(var.default_value.value))
    return defaults


def measure(
    document: Any, schema: Any, variables: dict[str, Any], limits: QueryLimits
) -> Iterator[LimitExceededError]:
    """Yield a `LimitExceededError` for each limit an operation of `document` breaks.

    Variables the request leaves out count with their declared default (`$n: Int = 100`), the
    largest one where several operations declare the same name.
    """
    variables = {**_declared_defaults(document), **variables}
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }

    def walk(
        selections: SelectionSetNode | None,
        parent: Any,
        depth: int,
        times: int,
        paged: bool,
        stack: tuple[str, ...],
        tally: _Tally,
    ) -> None:
        if selections is None:
            return
        tally.depth = max(tally.depth, depth)
        if tally.depth > limits.max_depth or tally.cost > limits.max_cost:
            return
        for sel in selections.selections:
            if isinstance(sel, FieldNode):
                if sel.alias is not None:
                    tally.aliases += 1  # an alias of anything, `__typename` included, costs output
                if sel.name.value.startswith("__"):
                    # Introspection (GraphiQL's schema query is 13 levels deep) reads no data;
                    # production turns it off altogether.
                    continue
                tally.cost += times
                fields = getattr(parent, "fields", {}) or {}
                field_def = fields.get(sel.name.value)
                child = get_named_type(field_def.type) if field_def else None
                size = _size(sel, field_def, variables, limits.default_page_size)
                if size is not None:
                    walk(
                        sel.selection_set,
                        child,
                        depth + 1,
                        times * max(size, 1),
                        True,
                        stack,
                        tally,
                    )
                elif field_def is not None and _is_list(field_def.type) and not paged:
                    walk(
                        sel.selection_set,
                        child,
                        depth + 1,
                        times * LIST_FACTOR,
                        False,
                        stack,
                        tally,
                    )
                else:
                    walk(sel.selection_set, child, depth + 1, times, False, stack, tally)
            elif isinstance(sel, InlineFragmentNode):
                target = (
                    schema.get_type(sel.type_condition.name.value) if sel.type_condition else parent
                )
                walk(sel.selection_set, target, depth, times, paged, stack, tally)
            elif isinstance(sel, FragmentSpreadNode):
                name = sel.name.value
                if name in stack:
                    raise LimitExceededError("fragmentCycle", f"fragment {name!r} spreads itself")
                fragment = fragments.get(name)
                if fragment is not None:
                    target = schema.get_type(fragment.type_condition.name.value)
                    walk(fragment.selection_set, target, depth, times, paged, (*stack, name), tally)

    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        root = {
            "query": schema.query_type,
            "mutation": schema.mutation_type,
            "subscription": schema.subscription_type,
        }[definition.operation.value]
        tally = _Tally()
        try:
            walk(definition.selection_set, root, 1, 1, False, (), tally)
        except LimitExceededError as exc:
            yield exc
            continue
        if tally.depth > limits.max_depth:
            yield LimitExceededError("depth", f"query depth exceeds {limits.max_depth}")
        if tally.aliases > limits.max_aliases:
            yield LimitExceededError("aliases", f"more than {limits.max_aliases} aliases")
        if tally.cost > limits.max_cost:
            yield LimitExceededError("cost", f"query cost exceeds the budget of {limits.max_cost}")


def _has_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        return any("\ud800" <= c <= "\udfff" for c in value)
    if isinstance(value, dict):
        return any(_has_surrogate(k) or _has_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_surrogate(v) for v in value)
    return False


class _StringValues(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.surrogate = False

    def enter_string_value(self, node: Any, *_: Any) -> None:
        self.surrogate = self.surrogate or _has_surrogate(node.value)


_SURROGATES: dict[int, tuple[Any, bool]] = {}
"""Per parsed document (by identity; the document kept so its id is not reused): whether its
strings hold a lone surrogate. Documents come from the parse cache, so most requests find theirs
here instead of walking the whole document again."""
_SURROGATES_KEPT = 1_000


def _document_has_surrogate(document: Any) -> bool:
    found = _SURROGATES.get(id(document))
    if found is not None and found[0] is document:
        return found[1]
    strings = _StringValues()
    visit(document, strings)
    if len(_SURROGATES) >= _SURROGATES_KEPT:
        _SURROGATES.clear()
    _SURROGATES[id(document)] = (document, strings.surrogate)
    return strings.surrogate


NO_OPERATION_CHOSEN = "the document has several operations: say which with operationName"
"""Like Strawberry's "Unknown operation named …", an error of the request itself (HTTP 400)."""


def request_problems(
    document: Any, operation_name: str | None, variables: dict[str, Any]
) -> Iterator[GraphQLError]:
    """BAD_USER_INPUT errors of a request that depend on more than its document.

    - Several operations and no `operationName` (GraphQL spec, GetOperation).
    - Lone UTF-16 surrogates (JSON `"\\ud800"`) in the variables or the document's strings: not
      text, and the stores refuse them with an internal error.
    """
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) > 1 and operation_name is None:
        yield GraphQLError(NO_OPERATION_CHOSEN, extensions={"code": "BAD_USER_INPUT"})
    if _document_has_surrogate(document) or _has_surrogate(variables):
        yield GraphQLError(
            "text must not contain lone surrogates (U+D800–U+DFFF)",
            extensions={"code": "BAD_USER_INPUT"},
        )


class QueryLimitsExtension(SchemaExtension):
    """Checks the limits after validation, with the request's variables (for `first: $n`), and
    `request_problems` (operation name, lone surrogates).

    Not a validation rule: rules would make validation depend on the variables and defeat the
    validation cache (`ValidationCache`, which must come before this extension); the budget walk
    itself is a cheap recursion over the selection sets.
    """

    limits: QueryLimits  # bound by `limits_extension`

    _asked_for: str | None = None

    def on_operation(self) -> Iterator[None]:
        # Before parsing, `operation_name` is what the client sent; afterwards Strawberry falls
        # back to the first operation's name, which would hide a missing `operationName`.
        self._asked_for = self.execution_context.operation_name
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        schema = context.schema._schema
        document = context.graphql_document
        assert document is not None  # validation runs only on a parsed document
        errors = context.pre_execution_errors
        if errors is None:  # no validation cache ran before this extension
            errors = validate_document(schema, document, tuple(context.validation_rules))
        problems = [
            GraphQLError(str(p), extensions={"code": "LIMIT_EXCEEDED", "limit": p.limit})
            for p in measure(document, schema, context.variables or {}, self.limits)
        ]
        problems += request_problems(document, self._asked_for, context.variables or {})
        # A new list: the cached validation result is shared by every request with this document.
        context.pre_execution_errors = [*errors, *problems]
        yield


def limits_extension(limits: QueryLimits) -> type[QueryLimitsExtension]:
    """The extension class bound to `limits`."""
    return type("QueryLimitsExtension", (QueryLimitsExtension,), {"limits": limits})

"""Look-ahead: what a request selects below a field, read before its resolvers run, so a resolver
can fetch a whole page's records in one store call (`resolvers.lists.prefetch_neighbourhood`).

Strawberry gives each resolver its field's selection (`info.selected_fields`) with arguments
already bound to the request's variables; fragments (named and inline) are looked inside.
"""

from __future__ import annotations

from collections.abc import Sequence

from strawberry.types.nodes import SelectedField, Selection

from resolvers.pagination import PageArgs

CARD_FIELDS = frozenset({"institution", "country", "expertise", "employments"})
"""Fields of a person whose reads `GraphStore.neighbourhood` brings along (GraphQL names)."""


def find_field(selections: Sequence[Selection], name: str) -> SelectedField | None:
    """The first field called `name` (not its alias) among `selections` and their fragments;
    None when it is not selected."""
    for selection in selections:
        if isinstance(selection, SelectedField):
            if selection.name == name:
                return selection
        elif (found := find_field(selection.selections, name)) is not None:
            return found
    return None


def connection_cards(person: Selection) -> PageArgs | None:
    """The page arguments of `connections` under a selected `CivilServant` when its people are
    shown as cards (any of `CARD_FIELDS` below `edges { node }` or `nodes`); else None.

    Arguments the client got wrong (not integers, not strings) give None as well: the field's
    own resolver then reports them.
    """
    connections = find_field(person.selections, "connections")
    if connections is None:
        return None
    edges = find_field(connections.selections, "edges")
    node = find_field(edges.selections, "node") if edges is not None else None
    node = node or find_field(connections.selections, "nodes")
    if node is None or not any(find_field(node.selections, f) for f in CARD_FIELDS):
        return None
    args = connections.arguments
    after, before = args.get("after"), args.get("before")
    if not all(v is None or isinstance(v, str) for v in (after, before)):
        return None
    try:
        first, last = _integer(args.get("first")), _integer(args.get("last"))
    except ValueError:
        return None
    return PageArgs(first, after, last, before)


def _integer(value: object) -> int | None:
    """An `Int` argument's value: from a variable it is an `int`; written in the query, Strawberry
    passes the literal's text (`"10"`). Raises ValueError for anything else."""
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    if isinstance(value, str):
        return int(value)
    raise ValueError(f"not an Int: {value!r}")

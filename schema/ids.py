"""Relay global ids: base64 of `"<TypeName>:<id>"` (strawberry's `GlobalID`), decoded with a type check."""

from __future__ import annotations

import strawberry
from strawberry import relay
from strawberry.relay.utils import to_base64

from resolvers.errors import BadUserInput


def decode_id(value: relay.GlobalID | str, type_name: str) -> str:
    """Return the node id inside a global id of `type_name`.

    Args:
        value: a `GlobalID` (from an `ID!` argument typed as GlobalID) or its string form.
        type_name: the GraphQL type the id must belong to, e.g. `"CivilServant"`.

    Raises:
        BadUserInput: malformed, or the id of another type.
    """
    try:
        gid = value if isinstance(value, relay.GlobalID) else relay.GlobalID.from_id(value)
    except (relay.GlobalIDValueError, ValueError, TypeError) as exc:
        raise BadUserInput(f"malformed id {str(value)[:100]!r}") from exc
    if gid.type_name != type_name:
        raise BadUserInput(f"expected the id of a {type_name}, got one of a {gid.type_name[:50]}")
    return gid.node_id


def decode_ids(values: list[relay.GlobalID] | None, type_name: str) -> list[str] | None:
    """The node ids of a list argument of `type_name` ids, or None where it was not given (or
    null): the field stays as it is. Raises BadUserInput like `decode_id`."""
    if values is None or values is strawberry.UNSET:
        return None
    return [decode_id(v, type_name) for v in values]


def encode_id(type_name: str, node_id: str) -> str:
    """The global id string of a node: `str(relay.GlobalID(type_name, node_id))`, without the
    `GlobalID` (an ego network encodes 500)."""
    return to_base64(type_name, node_id)

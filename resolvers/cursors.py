"""Opaque keyset cursors: base64url of a small JSON array `[version, ordering, kind, value, id]`.

`kind` is `t` (datetime), `d` (date) or `v` (a JSON string or number).

The ordering name is inside the cursor, so a cursor taken under one sort order is refused under
another instead of silently skipping rows. Datetimes travel as ISO 8601 strings.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import date, datetime

import orjson

from graph_db.paging import SortValue
from resolvers.errors import BadUserInput

VERSION = 1


def encode_cursor(ordering: str, key: tuple[SortValue, str]) -> str:
    """Encode a row's `(sort value, id)` under `ordering` (e.g. `"people:NAME"`) as an opaque string."""
    value, id_ = key
    if isinstance(value, datetime):
        payload = [VERSION, ordering, "t", value.isoformat(), id_]
    elif isinstance(value, date):
        payload = [VERSION, ordering, "d", value.isoformat(), id_]
    else:
        payload = [VERSION, ordering, "v", value, id_]
    return base64.urlsafe_b64encode(_json(payload)).decode().rstrip("=")


def _json(payload: list[object]) -> bytes:
    """`payload` as compact UTF-8 JSON: orjson's bytes are `json.dumps`'s with these settings
    and take 0.6 µs where `json` takes 3.7 (a page has up to 100 cursors); a float (which
    orjson would write as null if not finite) or an integer beyond 64 bits goes through `json`."""
    if type(payload[3]) is not float:
        try:
            return orjson.dumps(payload)
        except orjson.JSONEncodeError:
            pass
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


def decode_cursor(
    ordering: str, cursor: str, key_type: type | None = None
) -> tuple[SortValue, str]:
    """Inverse of `encode_cursor`.

    Args:
        ordering: the list and sort order the cursor must belong to.
        cursor: the client's cursor.
        key_type: the type the sort value must have (`str`, `int`, `datetime`, `date`); a forged
            cursor with another type is refused here instead of failing in the store.

    Raises:
        BadUserInput: the cursor is not one of ours, was made for another ordering, or carries a
            sort value of the wrong type.
    """
    value, id_ = _decode(ordering, cursor)
    if key_type is not None and (type(value) is not key_type):
        raise BadUserInput("malformed cursor")
    return value, id_


def _decode(ordering: str, cursor: str) -> tuple[SortValue, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        version, cursor_ordering, kind, value, id_ = json.loads(raw)
    except (binascii.Error, ValueError, TypeError, RecursionError) as exc:
        raise BadUserInput("malformed cursor") from exc
    if version != VERSION or not isinstance(id_, str) or kind not in ("t", "d", "v"):
        raise BadUserInput("malformed cursor")
    if cursor_ordering != ordering:
        raise BadUserInput("this cursor belongs to another list or sort order")
    if kind in ("t", "d"):
        try:
            return (
                datetime.fromisoformat(value) if kind == "t" else date.fromisoformat(value)
            ), id_
        except (TypeError, ValueError) as exc:
            raise BadUserInput("malformed cursor") from exc
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise BadUserInput("malformed cursor")
    return value, id_

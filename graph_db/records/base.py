"""What every record builds on: the frozen base model, new ids and UTC timestamps."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum
from typing import Any, NamedTuple, Self

from pydantic import BaseModel, ConfigDict
from pydantic.fields import FieldInfo
from ulid import ULID

_set = object.__setattr__
_IMMUTABLE = (type(None), bool, int, float, str, bytes, tuple, frozenset, Enum)


class _Template(NamedTuple):
    """What `Frozen.trusted` needs of a record class, worked out once per class."""

    names: frozenset[str]
    defaults: dict[str, Any]  # every field in declared order; immutable defaults filled in
    fresh: tuple[tuple[str, FieldInfo], ...]  # fields whose default is made anew per record


_TEMPLATES: dict[type, _Template] = {}


def _template(cls: type[BaseModel]) -> _Template:
    defaults: dict[str, Any] = {}
    fresh = []
    for name, info in cls.model_fields.items():
        default = None if info.is_required() else info.get_default(call_default_factory=True)
        defaults[name] = default
        if not isinstance(default, _IMMUTABLE):
            fresh.append((name, info))
    return _Template(frozenset(defaults), defaults, tuple(fresh))


class Frozen(BaseModel):
    """Base of all records: immutable, no unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    @classmethod
    def trusted(cls, **values: Any) -> Self:
        """A record from values that are already what its fields hold (read back from the store,
        where every record was validated on its way in): no validation, and none of
        `model_construct`'s per-field work (an ego network builds 500 people).
        Fields left out take their defaults.

        Raises:
            AssertionError: a name that is not a field (checked where assertions run). A required
                field left out is not checked: it holds None.
        """
        template = _TEMPLATES.get(cls) or _TEMPLATES.setdefault(cls, _template(cls))
        assert values.keys() <= template.names, values.keys() - template.names
        fields = template.defaults.copy()
        fields.update(values)  # keeps the declared order: every key is there already
        for name, info in template.fresh:
            if name not in values:
                fields[name] = info.get_default(call_default_factory=True)
        record = cls.__new__(cls)
        _set(record, "__dict__", fields)
        _set(record, "__pydantic_fields_set__", set(values))
        _set(record, "__pydantic_extra__", None)
        _set(record, "__pydantic_private__", None)
        return record


def new_id() -> str:
    """Return a new ULID as its 26-character Crockford base32 string."""
    return str(ULID())


def utc_now() -> datetime:
    """Return the current time as a timezone-aware UTC datetime, truncated to milliseconds.

    Both stores keep millisecond precision at most (LadybugDB TIMESTAMP is microseconds, LDBC
    data is milliseconds); truncating here makes a written value read back equal.
    """
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def as_utc(value: datetime) -> datetime:
    """Return `value` as an aware UTC datetime; naive values (LadybugDB's TIMESTAMP) are UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

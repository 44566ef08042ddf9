"""What every record builds on: the frozen base model, new ids and UTC timestamps."""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict
from ulid import ULID


class Frozen(BaseModel):
    """Base of all records: immutable, no unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


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

"""Domain errors raised by every store adapter, with stable machine-readable codes.

The API layer turns these into GraphQL errors whose `extensions.code` is `code`.
"""

from __future__ import annotations


class StoreError(Exception):
    """Base class of the errors a `GraphStore` raises on purpose.

    Attributes:
        code: stable error code (`NOT_FOUND`, `CONFLICT`, ...) carried to clients.
    """

    code = "INTERNAL"


class NotFound(StoreError):
    """A record named by id does not exist (e.g. an unknown civil servant or expertise)."""

    code = "NOT_FOUND"


class Conflict(StoreError):
    """A write would break a uniqueness rule (duplicate id or email, a dataset imported twice)."""

    code = "CONFLICT"


class InvalidInput(StoreError):
    """A request the store can tell is wrong before writing (e.g. an expertise cycle)."""

    code = "BAD_USER_INPUT"


class StoreUnavailable(StoreError):
    """The store cannot be reached or failed transiently; the request may be retried."""

    code = "STORE_UNAVAILABLE"

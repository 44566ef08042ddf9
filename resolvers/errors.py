"""Errors raised by resolvers for bad requests; like `graph_db.errors`, each carries a stable code."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """Base of request errors that reach the client with `extensions.code` = `code`.

    Args:
        message: a sentence for the client.
        details: extra JSON-able facts for `extensions` (e.g. the invalid fields).
    """

    code = "INTERNAL"

    def __init__(self, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.details = details or {}


class BadUserInput(ApiError):
    """The request is malformed: bad id, cursor, filter or field value."""

    code = "BAD_USER_INPUT"


class LimitExceeded(ApiError):
    """The request asks for more than a documented limit allows (page size, hops, depth)."""

    code = "LIMIT_EXCEEDED"

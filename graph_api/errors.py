"""Every GraphQL error leaves with `extensions.code`; unexpected ones are masked and logged.

Codes (DESIGN.md): BAD_USER_INPUT, NOT_FOUND, UNAUTHENTICATED, FORBIDDEN, CONFLICT, LIMIT_EXCEEDED,
STORE_UNAVAILABLE, INTERNAL. Documents that fail parsing or validation (unknown fields, bad enum
values, wrong variable types) are the client's input errors: BAD_USER_INPUT.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.relay import GlobalIDValueError

from graph_db.errors import StoreError
from resolvers.errors import ApiError

log = logging.getLogger("expecs.errors")
MASKED_MESSAGE = "Internal server error"


def coded(error: GraphQLError, request_id: str) -> GraphQLError:
    """Return `error` with `extensions.code` set, masking anything unexpected."""
    original = error.original_error
    extensions = dict(error.extensions or {})
    if original is None or isinstance(original, GraphQLError):
        # Parse, validation and variable-coercion errors: the document or variables are wrong,
        # except the parser's token limit, which is a limit.
        if "Document contains more than" in error.message:
            extensions.update({"code": "LIMIT_EXCEEDED", "limit": "tokens"})
        extensions.setdefault("code", "BAD_USER_INPUT")
        return _with(error, error.message, extensions)
    if isinstance(original, ApiError):
        extensions.update({"code": original.code, **original.details})
        return _with(error, error.message, extensions)
    if isinstance(original, StoreError):
        extensions["code"] = original.code
        if original.code == "STORE_UNAVAILABLE":
            log.warning("store unavailable (request %s): %s", request_id, original)
        return _with(error, str(original), extensions)
    if isinstance(original, GlobalIDValueError):
        extensions["code"] = "BAD_USER_INPUT"
        return _with(error, "malformed id", extensions)
    log.error("unexpected error (request %s)", request_id, exc_info=original)
    return GraphQLError(
        MASKED_MESSAGE,
        nodes=error.nodes,
        path=error.path,
        extensions={"code": "INTERNAL", "requestId": request_id},
    )


def _with(error: GraphQLError, message: str, extensions: dict[str, object]) -> GraphQLError:
    return GraphQLError(message, nodes=error.nodes, path=error.path, extensions=extensions)


class ErrorCodes(SchemaExtension):
    """Schema extension that rewrites the result's errors through `coded`."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result and result.errors:
            context = self.execution_context.context
            request_id = getattr(context, "request_id", "-")
            result.errors = [coded(e, request_id) for e in result.errors]

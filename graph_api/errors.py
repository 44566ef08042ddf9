"""Every GraphQL error leaves with `extensions.code`; unexpected ones are masked and logged.

Codes (DESIGN.md): BAD_USER_INPUT, NOT_FOUND, UNAUTHENTICATED, FORBIDDEN, CONFLICT, LIMIT_EXCEEDED,
STORE_UNAVAILABLE, INTERNAL. Documents that fail parsing or validation (unknown fields, bad enum
values, wrong variable types) are the client's input errors: BAD_USER_INPUT.

Errors answered over HTTP before or outside GraphQL execution (the edge's 401, 413 and 429, routing
errors, the CSV export's errors) use the same JSON shape, built by `error_body` alone, and the same
classification of exceptions (`describe`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from typing import Any

from graphql import GraphQLError
from starlette.responses import JSONResponse
from strawberry.extensions import SchemaExtension
from strawberry.relay import GlobalIDValueError

from graph_db.errors import StoreError
from resolvers.errors import ApiError

log = logging.getLogger("expecs.errors")
MASKED_MESSAGE = "Internal server error"

HTTP_STATUS = {
    "UNAUTHENTICATED": 401,
    "FORBIDDEN": 403,
    "NOT_FOUND": 404,
    "STORE_UNAVAILABLE": 503,
    "INTERNAL": 500,
}
"""HTTP status of an error code answered outside GraphQL (the rest, LIMIT_EXCEEDED included, is
400); an exception may name its own with an `http_status` attribute (413, 429)."""


EXPECTED = (ApiError, StoreError, GlobalIDValueError)
"""Exceptions whose message reaches the client; anything else is masked."""


def describe(exc: BaseException, request_id: str) -> tuple[str, dict[str, Any]]:
    """The client's view of an exception raised while serving a request.

    Expected errors (`ApiError`, `StoreError`, malformed global ids) keep their message and code;
    anything else is logged with its traceback under `request_id` and masked as INTERNAL.

    Args:
        exc: the exception (for GraphQL errors, their `original_error`).
        request_id: the request's id (`X-Request-Id` or a generated one), for logs and masking.

    Returns:
        `(message, extensions)`; `extensions` has at least `code`.
    """
    if isinstance(exc, ApiError):
        return str(exc), {"code": exc.code, **exc.details}
    if isinstance(exc, StoreError):
        if exc.code == "STORE_UNAVAILABLE":
            log.warning("store unavailable (request %s): %s", request_id, exc)
        return str(exc), {"code": exc.code}
    if isinstance(exc, GlobalIDValueError):
        return "malformed id", {"code": "BAD_USER_INPUT"}
    log.error("unexpected error (request %s)", request_id, exc_info=exc)
    return MASKED_MESSAGE, {"code": "INTERNAL", "requestId": request_id}


def error_body(code: str, message: str, **extensions: Any) -> dict[str, Any]:
    """The JSON body of every error the API answers outside GraphQL execution.

    Args:
        code: `extensions.code` (BAD_USER_INPUT, LIMIT_EXCEEDED, …).
        message: a sentence for the client.
        **extensions: further `extensions` entries (`limit`, `requestId`, `fields`, …).

    Returns:
        `{"data": null, "errors": [{"message", "extensions": {"code", …}}]}`, the shape of a
        GraphQL response whose request failed before execution.
    """
    return {
        "data": None,
        "errors": [{"message": message, "extensions": {"code": code, **extensions}}],
    }


def error_response(
    status: int,
    code: str,
    message: str,
    *,
    headers: Mapping[str, str] | None = None,
    **extensions: Any,
) -> JSONResponse:
    """`error_body` as an HTTP response; UNAUTHENTICATED answers also ask for a bearer token.

    Args:
        status: the HTTP status (4xx, 5xx).
        code, message, extensions: as for `error_body`.
        headers: extra response headers (e.g. `Retry-After`, `Allow`).

    Returns:
        A `JSONResponse` (an ASGI app answering one request).
    """
    merged = {k.lower(): v for k, v in (headers or {}).items()}
    if code == "UNAUTHENTICATED":
        merged.setdefault("www-authenticate", "Bearer")
    return JSONResponse(error_body(code, message, **extensions), status, merged)


def exception_response(exc: Exception, request_id: str) -> JSONResponse:
    """The HTTP answer to an exception raised outside GraphQL execution (see `describe`).

    Args:
        exc: the exception; an `http_status` (int) or `http_headers` (mapping) attribute on it
            overrides the status from `HTTP_STATUS` or adds headers.
        request_id: the request's id.

    Returns:
        The coded JSON error response.
    """
    message, extensions = describe(exc, request_id)
    code = extensions.pop("code")
    status = getattr(exc, "http_status", None) or HTTP_STATUS.get(code, 400)
    return error_response(
        status, code, message, headers=getattr(exc, "http_headers", None), **extensions
    )


def code_for_status(status: int) -> str:
    """The code of a plain HTTP error (routing, Strawberry's transport errors): 404 NOT_FOUND,
    5xx INTERNAL, anything else BAD_USER_INPUT (the request itself is wrong)."""
    if status == 404:
        return "NOT_FOUND"
    return "INTERNAL" if status >= 500 else "BAD_USER_INPUT"


def coded(error: GraphQLError, request_id: str) -> GraphQLError:
    """Return `error` with `extensions.code` set, masking anything unexpected (see `describe`)."""
    original = error.original_error
    extensions = dict(error.extensions or {})
    if original is None or isinstance(original, GraphQLError):
        # Parse, validation and variable-coercion errors: the document or variables are wrong,
        # except the parser's token limit, which is a limit.
        if "Document contains more than" in error.message:
            extensions.update({"code": "LIMIT_EXCEEDED", "limit": "tokens"})
        extensions.setdefault("code", "BAD_USER_INPUT")
        return _with(error, error.message, extensions)
    message, described = describe(original, request_id)
    if not isinstance(original, EXPECTED):  # masked: nothing of the original goes out
        return GraphQLError(message, nodes=error.nodes, path=error.path, extensions=described)
    return _with(error, message, {**extensions, **described})


MAX_MESSAGE_CHARS = 300
"""Error messages are cut at this length: parser and coercion messages quote the client's input
(a 200 KB id would come back whole, twice the size, in every error naming it)."""


def _with(error: GraphQLError, message: str, extensions: dict[str, object]) -> GraphQLError:
    if len(message) > MAX_MESSAGE_CHARS:
        message = message[: MAX_MESSAGE_CHARS - 1] + "…"
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

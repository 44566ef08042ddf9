"""The HTTP edge: small pure-ASGI middlewares, each one concern, run before any GraphQL or store work.

`create_app` stacks them, outermost first:

1. `RequestIdMiddleware`: the request's id (`X-Request-Id` if well formed, else a new one).
2. `CodedErrorsMiddleware`: every error leaves as coded JSON (`graph_api.errors.error_body`).
3. `BodySizeLimitMiddleware`: 413 for a body over the limit, declared or streamed.
4. `AuthenticationMiddleware`: the bearer token → the viewer (401 for an invalid token).
5. `RateLimitMiddleware`: 429 with `Retry-After` for a caller over its rate.
6. `BookmarkMiddleware`: the request's causal scope from `X-Expecs-Bookmark` (400 for a bad one),
   and the new bookmark on the answer to a request that wrote.

Pure ASGI (not `BaseHTTPMiddleware`): no task or stream per layer, and streamed responses pass
through untouched. Refusals are raised as exceptions (`ApiError`s, with an HTTP status where it is
not implied by the code) and answered by `CodedErrorsMiddleware`, the one place that turns an
exception into a response. The request id and viewer reach endpoints through the ASGI scope
(`REQUEST_ID_KEY`, `VIEWER_KEY`); `graph_api.app.ContextBuilder` reads them.
"""

from __future__ import annotations

import re
import uuid
from typing import TYPE_CHECKING

from graph_api.errors import code_for_status, error_response, exception_response
from graph_db.causal import causal_scope
from resolvers.errors import LimitExceeded

if TYPE_CHECKING:
    from collections.abc import Collection

    from starlette.types import ASGIApp, Message, Receive, Scope, Send

    from graph_api.auth import TokenVerifier
    from graph_api.bookmarks import BookmarkCodec
    from graph_api.ratelimit import RateLimiter

REQUEST_ID_KEY = "expecs.request_id"
"""ASGI scope key of the request id (str), set by `RequestIdMiddleware` on every HTTP request."""
VIEWER_KEY = "expecs.viewer"
"""ASGI scope key of the `Viewer`, set by `AuthenticationMiddleware` on the guarded paths."""

_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def request_id(header: str | None) -> str:
    """The client's `X-Request-Id` if it is 1–128 of `A-Z a-z 0-9 . _ : -`, else a new uuid4 hex.

    It goes into logs, masked errors and the audit trail, so nothing else is taken from a client.

    Args:
        header: the header's value, or None when absent.

    Returns:
        The request id.
    """
    if header is not None and _REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def header(scope: Scope, name: bytes) -> str | None:
    """The first value of a request header (`name` in lower case, as ASGI servers send names)."""
    raw: bytes
    for key, raw in scope["headers"]:
        if key == name:
            return raw.decode("latin-1")
    return None


def _guarded(scope: Scope, paths: Collection[str]) -> bool:
    """An HTTP request for one of `paths` (compared without the app's `root_path`)."""
    if scope["type"] != "http":
        return False
    path: str = scope["path"]
    root = scope.get("root_path", "")
    if root and path.startswith(root + "/"):
        path = path[len(root) :]
    return path in paths


class RequestIdMiddleware:
    """Puts the request id (see `request_id`) into the scope of every HTTP request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope[REQUEST_ID_KEY] = request_id(header(scope, b"x-request-id"))
        await self.app(scope, receive, send)


class CodedErrorsMiddleware:
    """Every error of the app leaves as a coded JSON error (`graph_api.errors.error_body`):

    - an exception raised before the response started: `graph_api.errors.exception_response`
      (`ApiError` and `StoreError` keep their code and message, anything else is logged and masked
      as INTERNAL with the request id);
    - a plain-text HTTP error response (Starlette's 404 and 405, Strawberry's transport errors such
      as unparsable JSON, a batch, a GET mutation): the same text, coded by its status
      (`code_for_status`), with the response's other headers (e.g. `Allow`).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        coded = _CodedSend(send)
        try:
            await self.app(scope, receive, coded)
        except Exception as exc:
            if coded.started:
                raise
            response = exception_response(exc, scope.get(REQUEST_ID_KEY, "-"))
            await response(scope, receive, send)


class _CodedSend:
    """Wraps `send`: holds a plain-text error response and sends it as coded JSON instead."""

    __slots__ = ("_body", "_held", "send", "started")

    def __init__(self, send: Send) -> None:
        self.send = send
        self.started = False
        self._held: Message | None = None
        self._body = b""

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.started = True
            if message["status"] >= 400 and not _is_json(message):
                self._held = message
                return
        elif message["type"] == "http.response.body" and self._held is not None:
            self._body += message.get("body", b"")
            if message.get("more_body"):
                return
            status = self._held["status"]
            kept = {
                k.decode("latin-1"): v.decode("latin-1")
                for k, v in self._held.get("headers", [])
                if k.lower() not in (b"content-type", b"content-length")
            }
            text = self._body.decode("utf-8", "replace").strip() or "bad request"
            response = error_response(status, code_for_status(status), text, headers=kept)
            self._held = None
            await self.send(
                {"type": "http.response.start", "status": status, "headers": response.raw_headers}
            )
            await self.send({"type": "http.response.body", "body": response.body})
            return
        await self.send(message)


def _is_json(start: Message) -> bool:
    raw: bytes
    for key, raw in start.get("headers", []):
        if key.lower() == b"content-type":
            return raw.startswith(b"application/json")
    return False


class BodyTooLarge(LimitExceeded):
    """A request body (declared by `Content-Length` or streamed) is over the limit: HTTP 413."""

    http_status = 413

    def __init__(self, max_bytes: int) -> None:
        super().__init__(f"request body over {max_bytes} bytes", {"limit": "bodyBytes"})


class BodySizeLimitMiddleware:
    """Refuses request bodies over `max_bytes` with 413 LIMIT_EXCEEDED: at once when the declared
    `Content-Length` is over, else as soon as the bytes received pass it (chunked uploads).

    Args:
        app: the app behind.
        max_bytes: the largest body accepted (settings: `EXPECS_LIMITS__MAX_BODY_BYTES`).
        paths: the request paths it guards (others pass untouched).
    """

    def __init__(self, app: ASGIApp, max_bytes: int, paths: Collection[str]) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.paths = paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _guarded(scope, self.paths):
            await self.app(scope, receive, send)
            return
        declared = header(scope, b"content-length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            raise BodyTooLarge(self.max_bytes)
        max_bytes = self.max_bytes
        seen = 0

        async def capped() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > max_bytes:
                    raise BodyTooLarge(max_bytes)
            return message

        await self.app(scope, capped, send)


class AuthenticationMiddleware:
    """Verifies the bearer token and puts the `Viewer` (anonymous without a header) into the scope
    under `VIEWER_KEY`; an invalid token is refused with 401 UNAUTHENTICATED.

    Args:
        app: the app behind.
        verifier: checks tokens (`graph_api.auth.TokenVerifier`).
        paths: the request paths it guards (others pass untouched and get no viewer).
    """

    def __init__(self, app: ASGIApp, verifier: TokenVerifier, paths: Collection[str]) -> None:
        self.app = app
        self.verifier = verifier
        self.paths = paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if _guarded(scope, self.paths):
            # Raises `Unauthenticated`, answered by `CodedErrorsMiddleware`.
            scope[VIEWER_KEY] = self.verifier.viewer(header(scope, b"authorization"))
        await self.app(scope, receive, send)


class TooManyRequests(LimitExceeded):
    """The caller is over its rate: HTTP 429 with `Retry-After` (seconds)."""

    http_status = 429

    def __init__(self, retry_after_s: int) -> None:
        super().__init__("too many requests; retry later", {"limit": "rate"})
        self.http_headers = {"Retry-After": str(retry_after_s)}


class RateLimitMiddleware:
    """Counts each request against its caller's rate: the token subject when signed in, else the
    client address. Must run after `AuthenticationMiddleware` (it reads the viewer).

    Args:
        app: the app behind.
        limiter: the per-caller limiter (`graph_api.ratelimit.RateLimiter`); None turns it off.
        paths: the request paths it counts (others pass untouched).
    """

    def __init__(self, app: ASGIApp, limiter: RateLimiter | None, paths: Collection[str]) -> None:
        self.app = app
        self.limiter = limiter
        self.paths = paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.limiter is not None and _guarded(scope, self.paths):
            caller = scope[VIEWER_KEY].person_id or (scope.get("client") or ("unknown",))[0]
            wait = await self.limiter.retry_after(str(caller))
            if wait is not None:
                raise TooManyRequests(wait)
        await self.app(scope, receive, send)


class BookmarkMiddleware:
    """Runs each request in a causal scope (`graph_db.causal`) started from the bookmarks of its
    `X-Expecs-Bookmark` header (`graph_api.bookmarks`; a bad one is refused with 400
    BAD_USER_INPUT before any work), and adds the header with the scope's new bookmarks to the
    answer of a request that committed a write.

    Args:
        app: the app behind.
        codec: reads and issues the tokens.
        paths: the request paths it serves (others pass untouched).
    """

    def __init__(self, app: ASGIApp, codec: BookmarkCodec, paths: Collection[str]) -> None:
        self.app = app
        self.codec = codec
        self.paths = paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _guarded(scope, self.paths):
            await self.app(scope, receive, send)
            return
        from graph_api.bookmarks import HEADER

        bookmarks = self.codec.decode(header(scope, HEADER.lower().encode("latin-1")))
        with causal_scope(bookmarks) as causal:

            async def answer(message: Message) -> None:
                # GraphQL execution is over when the answer starts, so every write is in.
                if message["type"] == "http.response.start" and causal.wrote:
                    token = self.codec.encode(causal.bookmarks).encode("ascii")
                    headers = [*message.get("headers", []), (HEADER.lower().encode(), token)]
                    message = {**message, "headers": headers}
                await send(message)

            await self.app(scope, receive, answer)

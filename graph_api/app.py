"""App factory: `create_app(settings) -> Starlette`. Run with `uvicorn --factory graph_api.app:create_app`.

The store is opened in the lifespan (one per process) and reaches requests through lifespan state;
each GraphQL request gets a fresh `Context` with new DataLoaders. No I/O happens at import time.
"""

from __future__ import annotations

import contextlib
import logging
import re
import uuid
from collections.abc import AsyncIterator
from functools import partial
from typing import Any, TypedDict

import orjson
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.extensions import (
    DisableIntrospection,
    MaxTokensLimiter,
    ValidationCache,
)
from strawberry.types.unset import UNSET

from graph_api.analytics_csv import IndicatorsCsv
from graph_api.auth import TokenVerifier
from graph_api.caching import DocumentCache
from graph_api.errors import ErrorCodes
from graph_api.limits import QueryLimits, limits_extension
from graph_api.ratelimit import RateLimiter
from graph_api.settings import Settings
from graph_api.stores import open_store
from graph_api.subscriptions import (
    SocketGate,
    StreamErrorCodes,
    WebSocketAdapter,
    live_feed,
    view_options,
)
from graph_db.errors import StoreError
from graph_db.port import GraphStore
from resolvers.context import Context
from resolvers.feed import NotificationFeed
from resolvers.viewer import ANONYMOUS, Unauthenticated
from resolvers.weights import ConnectionWeights
from schema import build_schema

log = logging.getLogger("expecs")

DOCUMENT_CACHE_SIZE = 1_000
"""Distinct query texts whose parsed and validated documents are kept (LRU; bounded so that
unique texts cannot grow memory)."""


class State(TypedDict):
    """Lifespan state shared by all requests."""

    store: GraphStore
    feed: NotificationFeed


class ExpecsGraphQL(GraphQL[Context, None]):
    """Strawberry's ASGI GraphQL app with our per-request context, and subscriptions over
    WebSocket (`graph_api/subscriptions.py`: auth from `connection_init`, caps)."""

    websocket_adapter_class = WebSocketAdapter

    def __init__(self, settings: Settings) -> None:
        limits = settings.limits
        # Parsing and validation are cached per query text (frontends send a few texts many times);
        # the limits check runs after the validation cache, with each request's variables.
        extensions: list[Any] = [
            ErrorCodes,
            partial(MaxTokensLimiter, max_token_count=limits.max_tokens),
            partial(DocumentCache, maxsize=DOCUMENT_CACHE_SIZE),
            partial(ValidationCache, maxsize=DOCUMENT_CACHE_SIZE),
            limits_extension(
                QueryLimits(
                    limits.max_depth, limits.max_aliases, limits.max_cost, limits.max_tokens
                )
            ),
        ]
        extensions.append(StreamErrorCodes)  # after the limits: see its `on_validate`
        if settings.environment == "production":
            extensions.append(DisableIntrospection)
        super().__init__(
            build_schema(extensions),
            graphql_ide="graphiql" if settings.graphiql_enabled else None,
            allow_queries_via_get=True,
            **view_options(settings),
        )
        self.settings = settings
        self.gate = SocketGate(
            TokenVerifier(settings.auth),
            settings.notifications.max_sockets_per_caller,
            settings.auth.leeway_s,
        )
        self.weights = ConnectionWeights(**settings.recommendations.model_dump())

    def encode_json(self, data: object) -> str | bytes:
        """Responses as compact JSON bytes via orjson (several times faster than `json` on the
        hundreds of objects of an ego network); anything orjson refuses goes through `json`."""
        try:
            return orjson.dumps(data)
        except TypeError:
            return super().encode_json(data)

    async def get_context(self, request: Any, response: Any) -> Context:
        websocket = isinstance(request, WebSocket)
        return Context(
            store=request.state.store,
            request_id=request_id(request.headers.get("x-request-id")),
            viewer=request.scope.get(VIEWER_SCOPE_KEY, ANONYMOUS),
            max_page_size=self.settings.max_page_size,
            weights=self.weights,
            feed=getattr(request.state, "feed", None),
            socket=self.gate.socket_for(request) if websocket else None,
        )

    async def on_ws_connect(self, context: Context) -> None:
        await self.gate.connect(context)

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        try:
            return await super().run(request, context, root_value)
        finally:
            if isinstance(request, WebSocket):
                self.gate.release(request)


VIEWER_SCOPE_KEY = "expecs.viewer"

_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def request_id(header: str | None) -> str:
    """The client's `X-Request-Id` if it is 1–128 of `A-Z a-z 0-9 . _ : -`, else a new uuid4 hex.

    It goes into logs, masked errors and the audit trail, so nothing else is taken from a client.
    """
    if header is not None and _REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


class Authenticated:
    """ASGI wrapper of the GraphQL app: refuse oversized bodies (413) and verify the bearer token (an
    invalid one gets 401), each with a coded GraphQL error, before any GraphQL work."""

    def __init__(
        self,
        app: ASGIApp,
        verifier: TokenVerifier,
        max_body_bytes: int,
        limiter: RateLimiter | None = None,
    ) -> None:
        self.app = app
        self.verifier = verifier
        self.max_body_bytes = max_body_bytes
        self.limiter = limiter

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        message = f"request body over {self.max_body_bytes} bytes"
        await _refuse(scope, receive, send, 413, "LIMIT_EXCEEDED", message)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope)
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.max_body_bytes:
            await self._too_large(scope, receive, send)
            return
        receive = _capped(receive, self.max_body_bytes)
        try:
            scope[VIEWER_SCOPE_KEY] = self.verifier.viewer(request.headers.get("authorization"))
        except Unauthenticated as exc:
            await _refuse(
                scope, receive, send, 401, exc.code, str(exc), {"WWW-Authenticate": "Bearer"}
            )
            return
        if self.limiter is not None:
            caller = scope[VIEWER_SCOPE_KEY].person_id or (scope.get("client") or ("unknown",))[0]
            wait = await self.limiter.retry_after(str(caller))
            if wait is not None:
                await _refuse(
                    scope,
                    receive,
                    send,
                    429,
                    "LIMIT_EXCEEDED",
                    "too many requests; retry later",
                    {"Retry-After": str(wait)},
                )
                return
        coded = CodedHttpErrors(send)
        try:
            await self.app(scope, receive, coded)
        except BodyTooLarge:
            await self._too_large(scope, receive, send)
        except Exception:
            # Failures before GraphQL runs come from the request itself (a JSON body that is not
            # an object, bad UTF-8, JSON nested beyond the parser's depth).
            if coded.started:
                raise
            log.warning("malformed GraphQL request", exc_info=True)
            await _refuse(scope, receive, send, 400, "BAD_USER_INPUT", "malformed GraphQL request")


class CodedHttpErrors:
    """Wraps `send`: an HTTP error that Strawberry answers in plain text (unparsable JSON, a batch,
    a GET mutation, an unknown operation name) leaves as a JSON GraphQL error with a code."""

    def __init__(self, send: Send) -> None:
        self.send = send
        self.started = False
        self._held: Message | None = None
        self._body = b""

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.started = True
            headers = dict(message.get("headers", []))
            plain = not headers.get(b"content-type", b"").startswith(b"application/json")
            if message["status"] >= 400 and plain:
                self._held = message
                return
        elif message["type"] == "http.response.body" and self._held is not None:
            self._body += message.get("body", b"")
            if message.get("more_body"):
                return
            status = self._held["status"]
            text = self._body.decode("utf-8", "replace").strip() or "bad request"
            code = "BAD_USER_INPUT" if status < 500 else "INTERNAL"
            response = JSONResponse(
                {"data": None, "errors": [{"message": text, "extensions": {"code": code}}]},
                status_code=status,
            )
            self._held = None
            await self.send(
                {"type": "http.response.start", "status": status, "headers": response.raw_headers}
            )
            await self.send({"type": "http.response.body", "body": response.body})
            return
        await self.send(message)


class BodyTooLarge(Exception):
    """A streamed request body grew past the limit."""


def _capped(receive: Receive, max_bytes: int) -> Receive:
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > max_bytes:
                raise BodyTooLarge
        return message

    return wrapped


async def _refuse(
    scope: Scope,
    receive: Receive,
    send: Send,
    status: int,
    code: str,
    message: str,
    headers: dict[str, str] | None = None,
) -> None:
    body = {"data": None, "errors": [{"message": message, "extensions": {"code": code}}]}
    await JSONResponse(body, status_code=status, headers=headers)(scope, receive, send)


def create_app(settings: Settings | None = None, *, store: GraphStore | None = None) -> Starlette:
    """Build the ASGI app.

    Args:
        settings: the configuration; read from the environment when None.
        store: an already open store to serve (tests share one loaded store across apps); the
            app then neither opens nor closes it. None: open the store `settings` names.

    Returns:
        A Starlette app with `/graphql`, `/healthz` (process up) and `/readyz` (store answers).
    """
    settings = settings or Settings()
    # Strawberry logs every GraphQL error with its stack; ErrorCodes logs the unexpected ones.
    logging.getLogger("strawberry.execution").setLevel(logging.CRITICAL)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[State]:
        if store is not None:
            async with live_feed(settings, store, owner=False) as feed:
                yield {"store": store, "feed": feed}
            return
        opened = await open_store(settings)
        log.info("store %s open", settings.store)
        try:
            async with live_feed(settings, opened) as feed:
                yield {"store": opened, "feed": feed}
        finally:
            await opened.close()

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> Response:
        try:
            await request.state.store.ping()
        except StoreError as exc:
            return JSONResponse({"status": "unavailable", "code": exc.code}, status_code=503)
        return JSONResponse({"status": "ready", "store": settings.store})

    limiter = RateLimiter(settings.rate_limit) if settings.rate_limit else None
    view = ExpecsGraphQL(settings)
    graphql = Authenticated(
        view,
        TokenVerifier(settings.auth),
        settings.limits.max_body_bytes,
        limiter,
    )
    indicators_csv = Authenticated(
        IndicatorsCsv(settings, VIEWER_SCOPE_KEY),
        TokenVerifier(settings.auth),
        settings.limits.max_body_bytes,
        limiter,
    )
    return Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", view),  # subscriptions; auth in `connection_init`
            Route("/analytics/ascc-indicators.csv", indicators_csv, methods=["GET"]),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
        ],
        lifespan=lifespan,
        exception_handlers={HTTPException: _coded_http_exception},
    )


async def _coded_http_exception(request: Request, exc: Exception) -> Response:
    """Routing errors (unknown path 404, wrong method 405) as coded JSON errors, like the rest."""
    assert isinstance(exc, HTTPException)
    code = "NOT_FOUND" if exc.status_code == 404 else "BAD_USER_INPUT"
    return JSONResponse(
        {"data": None, "errors": [{"message": exc.detail, "extensions": {"code": code}}]},
        status_code=exc.status_code,
        headers=exc.headers,
    )

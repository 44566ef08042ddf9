"""App factory: `create_app(settings) -> Starlette`. Run with `uvicorn --factory graph_api.app:create_app`.

The store is opened in the lifespan (one per process) and reaches requests through lifespan state;
each request gets a fresh `Context` with new DataLoaders from one `ContextBuilder`, shared by
`/graphql` and the CSV export. The HTTP edge (request id, coded errors, body cap, authentication,
rate limit) is the middleware list of `graph_api.middleware`. No I/O happens at import time.
"""

from __future__ import annotations

import contextlib
import gc
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from functools import partial
from typing import Any, TypedDict

import orjson
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.extensions import (
    DisableIntrospection,
    MaxTokensLimiter,
    ValidationCache,
)
from strawberry.http import GraphQLHTTPResponse
from strawberry.types.unset import UNSET

from graph_api.analytics_csv import indicators_csv
from graph_api.auth import TokenVerifier
from graph_api.bookmarks import HEADER as BOOKMARK_HEADER
from graph_api.bookmarks import BookmarkCodec
from graph_api.caching import DocumentCache
from graph_api.errors import ErrorCodes
from graph_api.execution import LeafFieldsExecutionContext
from graph_api.limits import NO_OPERATION_CHOSEN, QueryLimits, limits_extension
from graph_api.metrics import (
    GraphQLMetrics,
    HttpMetricsMiddleware,
    metered,
    metrics_endpoint,
    process_exited,
)
from graph_api.middleware import (
    REQUEST_ID_KEY,
    VIEWER_KEY,
    AuthenticationMiddleware,
    BodySizeLimitMiddleware,
    BookmarkMiddleware,
    CodedErrorsMiddleware,
    RateLimitMiddleware,
    RequestIdMiddleware,
    header,
    request_id,
)
from graph_api.ratelimit import RateLimiter, rate_storage
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
from graph_db.records import ConnectionWeights
from resolvers.context import Context
from resolvers.errors import BadUserInput
from resolvers.feed import LiveSocket, NotificationFeed
from resolvers.loaders import ReferenceRecords
from resolvers.pagination import PageSizes
from resolvers.viewer import VerifiedMembers
from schema import build_schema

log = logging.getLogger("expecs")

DOCUMENT_CACHE_SIZE = 1_000
"""Distinct query texts whose parsed and validated documents are kept (LRU; bounded so that
unique texts cannot grow memory)."""


def settle_heap() -> None:
    """Move every object alive once a server process has started (modules, the schema, the
    store and its driver) out of the garbage collector's reach (`gc.freeze`), so its full
    collections stop walking them. Requests allocate enough to set off collections all the time:
    on Neo4j, 100k people, a depth-2 ego network cost 28.3 ms of CPU a request before and 16.6 ms
    after, a profile page 6.0 and 4.3 (`bench/cputime.py`). Called once, by an app that opened
    its own store (a server); apps given a store (tests, in-process benchmarks) leave the heap
    as it is."""
    gc.collect()
    gc.freeze()


class State(TypedDict):
    """Lifespan state shared by all requests."""

    store: GraphStore
    feed: NotificationFeed


@dataclass(frozen=True)
class ContextBuilder:
    """Builds the per-request `Context` of every API endpoint (`/graphql`, the CSV export).

    Attributes:
        page_sizes: default page size and cap (settings).
        weights: connection-recommendation weights (settings).
        members: the process's verified members seen lately (`auth.verified_member_ttl_s`).
        reference: the process's reference records read lately (`reference_ttl_s`).
    """

    page_sizes: PageSizes
    weights: ConnectionWeights
    members: VerifiedMembers
    reference: ReferenceRecords

    @classmethod
    def from_settings(cls, settings: Settings) -> ContextBuilder:
        """The builder for `settings`."""
        return cls(
            PageSizes(default=settings.default_page_size, max=settings.max_page_size),
            ConnectionWeights(**settings.recommendations.model_dump()),
            VerifiedMembers(ttl_s=settings.auth.verified_member_ttl_s),
            ReferenceRecords(ttl_s=settings.reference_ttl_s),
        )

    def __call__(self, request: Request) -> Context:
        """A fresh context (new DataLoaders) for `request`.

        Args:
            request: a request that passed `RequestIdMiddleware` and `AuthenticationMiddleware`
                (which put the request id and the viewer into its scope) inside the lifespan
                (which put the store into its state).

        Returns:
            The context; no I/O is done.
        """
        return Context(
            store=request.state.store,
            request_id=request.scope[REQUEST_ID_KEY],
            page_sizes=self.page_sizes,
            viewer=request.scope[VIEWER_KEY],
            weights=self.weights,
            feed=getattr(request.state, "feed", None),
            members=self.members,
            reference=self.reference,
        )

    def for_websocket(self, websocket: WebSocket, socket: LiveSocket) -> Context:
        """The context of a WebSocket connection (one for all its operations).

        Args:
            websocket: the connection, inside the lifespan; the HTTP middleware passes WebSockets
                untouched, so the request id comes from its `X-Request-Id` header here and the
                viewer stays anonymous until `SocketGate.connect` reads the `connection_init` token.
            socket: its live state (`SocketGate.socket_for`).

        Returns:
            The context; no I/O is done.
        """
        return Context(
            store=websocket.state.store,
            request_id=request_id(header(websocket.scope, b"x-request-id")),
            page_sizes=self.page_sizes,
            weights=self.weights,
            feed=getattr(websocket.state, "feed", None),
            socket=socket,
            members=self.members,
            reference=self.reference,
        )


class ExpecsGraphQL(GraphQL[Context, None]):
    """Strawberry's ASGI GraphQL app with our per-request context, and subscriptions over
    WebSocket (`graph_api/subscriptions.py`: auth from `connection_init`, caps)."""

    websocket_adapter_class = WebSocketAdapter

    def __init__(self, settings: Settings, context: ContextBuilder) -> None:
        limits = settings.limits
        # Parsing and validation are cached per query text (frontends send a few texts many times);
        # the limits check runs after the validation cache, with each request's variables.
        extensions: list[Any] = [
            ErrorCodes,
            partial(MaxTokensLimiter, max_token_count=limits.max_tokens),
            partial(DocumentCache, maxsize=DOCUMENT_CACHE_SIZE),
            partial(ValidationCache, maxsize=DOCUMENT_CACHE_SIZE),
            limits_extension(QueryLimits.from_settings(settings)),
        ]
        extensions.append(StreamErrorCodes)  # after the limits: see its `on_validate`
        if settings.metrics.enabled:
            # First, so its `on_operation` ends last: it sees the errors with their codes.
            extensions.insert(0, GraphQLMetrics)
        if settings.environment == "production":
            extensions.append(DisableIntrospection)
        super().__init__(
            build_schema(extensions, LeafFieldsExecutionContext),
            graphql_ide="graphiql" if settings.graphiql_enabled else None,
            allow_queries_via_get=True,
            **view_options(settings),
        )
        self.context = context
        self.gate = SocketGate(
            TokenVerifier(settings.auth),
            settings.notifications.max_sockets_per_caller,
            settings.auth.leeway_s,
        )

    def encode_json(self, data: object) -> str | bytes:
        """Responses as compact JSON bytes via orjson (several times faster than `json` on the
        hundreds of objects of an ego network); anything orjson refuses goes through `json`."""
        try:
            return orjson.dumps(data)
        except TypeError:
            return super().encode_json(data)

    def create_response(
        self, response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse], sub_response: Response
    ) -> Response:
        """Strawberry's response, except that a document whose operation cannot be chosen answers
        HTTP 400, as Strawberry answers an unknown `operationName` (a request error)."""
        response = super().create_response(response_data, sub_response)
        errors = response_data.get("errors") if isinstance(response_data, dict) else None
        if errors and any(
            isinstance(e, dict) and e.get("message") == NO_OPERATION_CHOSEN for e in errors
        ):
            response.status_code = 400
        return response

    async def get_context(self, request: Any, response: Any) -> Context:
        if isinstance(request, WebSocket):
            return self.context.for_websocket(request, self.gate.socket_for(request))
        return self.context(request)

    async def on_ws_connect(self, context: Context) -> None:
        """Authenticate a new WebSocket connection (`SocketGate.connect`)."""
        await self.gate.connect(context)

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        """Strawberry's `run`; a WebSocket connection is uncounted when it ends."""
        try:
            return await super().run(request, context, root_value)
        finally:
            if isinstance(request, WebSocket):
                self.gate.release(request)

        return self.context(request)

    async def parse_http_body(self, request: Any) -> Any:
        """Strawberry's parsing, except that a body it cannot read as a GraphQL request (JSON that
        is not an object, bad UTF-8, nesting beyond the parser's depth) is BAD_USER_INPUT (400)
        like unparsable JSON, not an unexpected error.

        Raises:
            BadUserInput: the malformed body.
        """
        try:
            return await super().parse_http_body(request)
        except (AttributeError, ValueError, RecursionError) as exc:
            # One short line, no traceback: anyone can send these, so they must not fill the log.
            log.info("malformed GraphQL request (%s)", type(exc).__name__)
            raise BadUserInput("malformed GraphQL request") from exc


CORS_HEADERS = ("authorization", "content-type", "x-request-id", BOOKMARK_HEADER.lower())
"""Request headers a browser frontend may send (bearer token, JSON body, its own request id, the
bookmark of its last write)."""
CORS_EXPOSED = ("x-request-id", "retry-after", BOOKMARK_HEADER.lower())
"""Response headers a browser frontend may read."""


def cors_middleware(settings: Settings) -> Middleware:
    """Starlette's CORS middleware for the allowed origins of `settings`.

    Bearer tokens travel in a header, not cookies, so credentials are not allowed; preflights are
    cached by browsers for 10 minutes.
    """
    return Middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins or [],
        allow_origin_regex=settings.cors_origin_regex,
        allow_methods=["GET", "POST"],
        allow_headers=list(CORS_HEADERS),
        expose_headers=list(CORS_EXPOSED),
        max_age=600,
    )


def bookmark_codec(settings: Settings) -> BookmarkCodec:
    """The bookmark tokens' codec, keyed by the Neo4j password (shared by every process of a
    deployment; see `graph_api.bookmarks`)."""
    return BookmarkCodec(settings.neo4j.password.get_secret_value())


def create_app(settings: Settings | None = None, *, store: GraphStore | None = None) -> Starlette:
    """Build the ASGI app.

    Args:
        settings: the configuration; read from the environment when None.
        store: an already open store to serve (tests share one loaded store across apps); the
            app then neither opens nor closes it. None: open the store `settings` names.

    Returns:
        A Starlette app with `/graphql`, `/analytics/ascc-indicators.csv`, `/schema.graphql`
        (the SDL), `/healthz` (process up) and `/readyz` (store answers), behind the middleware list of `graph_api.middleware`.
    """
    settings = settings or Settings()
    # Strawberry logs every GraphQL error with its stack; ErrorCodes logs the unexpected ones.
    logging.getLogger("strawberry.execution").setLevel(logging.CRITICAL)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[State]:
        if store is not None:
            async with live_feed(settings, store, owner=False) as feed:
                yield {"store": serving(store), "feed": feed}
            return
        opened = await open_store(settings)
        log.info("store %s open", settings.store)
        settle_heap()
        try:
            async with live_feed(settings, opened) as feed:
                yield {"store": serving(opened), "feed": feed}
        finally:
            await opened.close()
            process_exited()

    def serving(opened: GraphStore) -> GraphStore:
        # Requests reach the store through this (timed per port method when metrics are on);
        # the feed's upkeep (tail, pruning) uses the store itself.
        return metered(opened) if settings.metrics.enabled else opened

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> Response:
        try:
            await request.state.store.ping()
        except StoreError as exc:
            return JSONResponse({"status": "unavailable", "code": exc.code}, status_code=503)
        return JSONResponse({"status": "ready", "store": settings.store})

    limiter = (
        RateLimiter(settings.rate_limit, rate_storage(settings.rate_limit_storage))
        if settings.rate_limit
        else None
    )
    build_context = ContextBuilder.from_settings(settings)
    graphql = ExpecsGraphQL(settings, build_context)
    api = [
        Route("/graphql", graphql, methods=["GET", "POST"]),
        Route("/analytics/ascc-indicators.csv", indicators_csv(build_context), methods=["GET"]),
    ]
    api_paths = frozenset(route.path for route in api)
    sdl = graphql.schema.as_str() + "\n"

    async def schema_sdl(request: Request) -> Response:
        # Published in every environment for code generators; introspection stays off in
        # production, so this is where a frontend build reads the schema there.
        return PlainTextResponse(sdl, headers={"cache-control": "public, max-age=300"})

    metrics_route = []
    if settings.metrics.enabled:
        token = settings.metrics.token.get_secret_value() if settings.metrics.token else None
        metrics_route.append(Route("/metrics", metrics_endpoint(token), methods=["GET"]))

    return Starlette(
        routes=[
            *api,
            Route("/schema.graphql", schema_sdl, methods=["GET"]),
            WebSocketRoute("/graphql", graphql),  # subscriptions; auth in `connection_init`
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            *metrics_route,
        ],
        middleware=[
            # Outermost first. CORS answers preflights before anything else and adds its headers
            # to every answer, errors included. The probes pass everything but the request id
            # and coded errors.
            cors_middleware(settings),
            *([Middleware(HttpMetricsMiddleware, api_paths)] if settings.metrics.enabled else []),
            Middleware(RequestIdMiddleware),
            Middleware(CodedErrorsMiddleware),
            Middleware(BodySizeLimitMiddleware, settings.limits.max_body_bytes, api_paths),
            Middleware(AuthenticationMiddleware, TokenVerifier(settings.auth), api_paths),
            Middleware(RateLimitMiddleware, limiter, api_paths),
            Middleware(BookmarkMiddleware, bookmark_codec(settings), api_paths),
        ],
        lifespan=lifespan,
    )

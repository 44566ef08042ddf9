"""Prometheus metrics: what operators watch (`GET /metrics`, prometheus-client).

- `expecs_graphql_requests_total{operation,type}` and `expecs_graphql_errors_total{operation,code}`,
  `expecs_graphql_duration_seconds{operation}`: per GraphQL operation (a Strawberry extension).
- `expecs_http_requests_total{route,status}`: every answer of the API routes, refusals included.
- `expecs_store_call_duration_seconds{method}`: each call of a `GraphStore` port method made by a
  request (`MeteredStore`).
- `expecs_subscriptions_open`: open GraphQL subscriptions.
- `expecs_rate_limit_refusals_total`: requests refused with 429.

Operation names come from clients, so they are labels only when they look like names
(`[A-Za-z_][A-Za-z0-9_]{0,63}`) and while a process has seen fewer than `MAX_OPERATION_NAMES`;
others count as `other` (bounded label sets keep Prometheus' memory bounded). Unnamed operations
are `anonymous`.

Several worker processes (`expecs serve --workers N`) share one directory of metric files
(prometheus-client's multiprocess mode, `PROMETHEUS_MULTIPROC_DIR`, which `expecs serve` sets up
before the workers start); `/metrics` on any worker then answers for all of them.
"""

from __future__ import annotations

import functools
import inspect
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from strawberry.extensions import SchemaExtension

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

    from graph_db.port import GraphStore

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
MAX_OPERATION_NAMES = 200
"""Distinct operation names a process labels; later new names count as `other`."""
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
STORE_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0)

GRAPHQL_REQUESTS = Counter(
    "expecs_graphql_requests", "GraphQL operations executed.", ["operation", "type"]
)
GRAPHQL_ERRORS = Counter(
    "expecs_graphql_errors", "GraphQL errors answered, by extensions.code.", ["operation", "code"]
)
GRAPHQL_DURATION = Histogram(
    "expecs_graphql_duration_seconds",
    "Time to execute a GraphQL operation (parse to result).",
    ["operation"],
    buckets=LATENCY_BUCKETS,
)
HTTP_REQUESTS = Counter(
    "expecs_http_requests",
    "Answers of the API routes, by route and HTTP status.",
    ["route", "status"],
)
STORE_DURATION = Histogram(
    "expecs_store_call_duration_seconds",
    "Time of one GraphStore port call made by a request.",
    ["method"],
    buckets=STORE_BUCKETS,
)
SUBSCRIPTIONS_OPEN = Gauge(
    "expecs_subscriptions_open",
    "Open GraphQL subscriptions (all processes).",
    multiprocess_mode="livesum",
)
RATE_LIMIT_REFUSALS = Counter(
    "expecs_rate_limit_refusals", "Requests refused because the caller was over its rate."
)


def prepare_multiprocess() -> Path:
    """Point prometheus-client's multiprocess mode at an empty directory, before workers start.

    Uses `PROMETHEUS_MULTIPROC_DIR` when set (emptied: the files of a previous run would add to
    this one's counters), else a new temporary directory, which it sets in the environment the
    workers inherit.

    Returns:
        The directory.
    """
    configured = os.environ.get(MULTIPROC_ENV)
    if configured:
        path = Path(configured)
        if path.is_dir():
            for stale in path.glob("*.db"):
                stale.unlink()
        path.mkdir(parents=True, exist_ok=True)
    else:
        path = Path(tempfile.mkdtemp(prefix="expecs-metrics-"))
        os.environ[MULTIPROC_ENV] = str(path)
    return path


def process_exited() -> None:
    """Drop this process's live gauges from the shared files (its lifespan ends)."""
    if os.environ.get(MULTIPROC_ENV):
        multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]


def exposition() -> tuple[bytes, str]:
    """The metrics text of this process, or of all workers in multiprocess mode, and its type."""
    if os.environ.get(MULTIPROC_ENV):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(), CONTENT_TYPE_LATEST


def metrics_endpoint(token: str | None) -> Callable[[Request], Any]:
    """The `/metrics` endpoint; with `token`, only for `Authorization: Bearer <token>`."""
    from starlette.responses import PlainTextResponse

    expected = f"Bearer {token}" if token else None

    async def endpoint(request: Request) -> Response:
        if expected is not None and request.headers.get("authorization") != expected:
            return PlainTextResponse("metrics need the metrics token", status_code=401)
        body, content_type = exposition()
        return PlainTextResponse(body, media_type=content_type)

    return endpoint


class _OperationNames:
    """The bounded set of operation names used as labels (see the module docstring)."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def label(self, name: str | None) -> str:
        if not name:
            return "anonymous"
        if name in self.seen:
            return name
        if _NAME.fullmatch(name) and len(self.seen) < MAX_OPERATION_NAMES:
            self.seen.add(name)
            return name
        return "other"


OPERATION_NAMES = _OperationNames()


class GraphQLMetrics(SchemaExtension):
    """Counts each operation, its errors by code, and its duration (a Strawberry extension)."""

    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        yield
        context = self.execution_context
        operation = OPERATION_NAMES.label(context.operation_name)
        try:
            kind = context.operation_type.value
        except Exception:  # no operation could be chosen (a parse or selection error)
            kind = "unknown"
        GRAPHQL_REQUESTS.labels(operation, kind).inc()
        GRAPHQL_DURATION.labels(operation).observe(time.perf_counter() - started)
        errors = context.result.errors if context.result else context.pre_execution_errors
        for error in errors or ():
            code = (error.extensions or {}).get("code", "INTERNAL")
            GRAPHQL_ERRORS.labels(operation, str(code)).inc()


class HttpMetricsMiddleware:
    """Counts every answer of `routes` by route and status (pure ASGI; outside the refusals, so
    401, 413 and 429 count too). 429s also count as rate-limit refusals."""

    def __init__(self, app: ASGIApp, routes: frozenset[str]) -> None:
        self.app = app
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or path not in self.routes:
            await self.app(scope, receive, send)
            return

        async def counted(message: Message) -> None:
            if message["type"] == "http.response.start":
                status = int(message["status"])
                HTTP_REQUESTS.labels(path, str(status)).inc()
                if status == 429:
                    RATE_LIMIT_REFUSALS.inc()
            await send(message)

        await self.app(scope, receive, counted)


def _timed(method: str, call: Callable[..., Any]) -> Callable[..., Any]:
    histogram = STORE_DURATION.labels(method)

    @functools.wraps(call)
    async def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return await call(*args, **kwargs)
        finally:
            histogram.observe(time.perf_counter() - started)

    return timed


class MeteredStore:
    """A `GraphStore` whose coroutine methods observe `expecs_store_call_duration_seconds`; every
    other attribute is the wrapped store's."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store
        self._wrapped: dict[str, Callable[..., Any]] = {}

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._store, name)
        if name.startswith("_") or not inspect.iscoroutinefunction(attribute):
            return attribute
        if name not in self._wrapped:
            self._wrapped[name] = _timed(name, attribute)
        return self._wrapped[name]


def metered(store: GraphStore) -> GraphStore:
    """`store` with its port calls timed (`MeteredStore`), typed as the port it serves."""
    return cast("GraphStore", MeteredStore(store))

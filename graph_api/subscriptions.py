"""GraphQL subscriptions over WebSocket on `/graphql`: authentication from `connection_init`, the
per-caller socket cap, and the process's live notification feed (started in the app lifespan).

Protocols: `graphql-transport-ws` and, for older clients, `graphql-ws` (Strawberry's handlers).
The client sends `{"Authorization": "Bearer <token>"}` as the `connection_init` payload; the token
gets the same checks as over HTTP (`graph_api.auth.TokenVerifier`). Close codes:

| code | when |
|---|---|
| 4401 | no token, or an invalid or expired one |
| 4403 | the token names no civil servant (a person-less admin token) |
| 4430 | the caller already has `max_sockets_per_caller` sockets open |
| 4413 | the subscriber stopped reading and its queue overflowed (`resolvers.feed`) |
| 4408 | no `connection_init` within `connection_init_timeout_s` (Strawberry) |

A token that expires while connected ends each stream with an `UNAUTHENTICATED` error.
Subscription documents pass the same extensions as HTTP requests (query limits, error codes).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from datetime import timedelta
from typing import Any

import jwt
from graphql import GraphQLError
from starlette.websockets import WebSocket, WebSocketState
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.exceptions import ConnectionRejectionError
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from graph_api.auth import TokenVerifier
from graph_api.errors import coded
from graph_api.metrics import SUBSCRIPTIONS_OPEN
from graph_api.settings import Settings
from graph_db.port import GraphStore
from graph_db.records import Notification, utc_now
from resolvers.context import Context
from resolvers.feed import LiveSocket, NotificationFeed
from resolvers.viewer import Unauthenticated

log = logging.getLogger("expecs.subscriptions")

UNAUTHORIZED_CLOSE = 4401
FORBIDDEN_CLOSE = 4403
TOO_MANY_SOCKETS_CLOSE = 4430
SOCKET_SCOPE_KEY = "expecs.socket"
"""Where a WebSocket's `LiveSocket` is kept in its ASGI scope (to release it at the end)."""


class WebSocketAdapter(ASGIWebSocketAdapter):
    """Strawberry's ASGI WebSocket adapter, whose `send_json` and `close` do nothing once the
    socket is closed (so a socket we closed with our own code is not closed again with
    Strawberry's, and a message racing the close is dropped instead of raising)."""

    async def send_json(self, message: Mapping[str, object]) -> None:
        if self.ws.application_state is WebSocketState.CONNECTED:
            await super().send_json(message)

    async def close(self, code: int, reason: str) -> None:
        if self.ws.application_state is WebSocketState.CONNECTED:
            await super().close(code, reason)


class SocketGate:
    """Admits WebSocket connections: verifies the `connection_init` token, caps sockets per caller.

    Args:
        verifier: the HTTP token verifier (same checks).
        max_sockets_per_caller: open sockets one civil servant may hold in this process.
        leeway_s: clock-skew leeway on `exp` (the verifier's).
    """

    def __init__(self, verifier: TokenVerifier, max_sockets_per_caller: int, leeway_s: int) -> None:
        self.verifier = verifier
        self.max_sockets_per_caller = max_sockets_per_caller
        self.leeway_s = leeway_s
        self._open: Counter[str] = Counter()

    def socket_for(self, websocket: WebSocket) -> LiveSocket:
        """The `LiveSocket` of a new connection (kept in its scope until `release`)."""

        async def close(code: int, reason: str) -> None:
            if websocket.application_state is WebSocketState.CONNECTED:
                with contextlib.suppress(RuntimeError, OSError):
                    await websocket.close(code=code, reason=reason)

        socket = LiveSocket(close=close)
        websocket.scope[SOCKET_SCOPE_KEY] = socket
        return socket

    async def connect(self, context: Context) -> None:
        """Authenticate a connection from its `connection_init` payload and count it.

        Raises:
            ConnectionRejectionError: refused (the socket is already closed with its code).
        """
        socket = context.socket
        assert socket is not None
        params = context.connection_params if isinstance(context.connection_params, dict) else {}
        header = params.get("Authorization") or params.get("authorization")
        if not isinstance(header, str) or not header:
            await socket.close(UNAUTHORIZED_CLOSE, "send {Authorization: 'Bearer <token>'}")
            raise ConnectionRejectionError
        try:
            viewer = self.verifier.viewer(header)
        except Unauthenticated as exc:
            await socket.close(UNAUTHORIZED_CLOSE, str(exc))
            raise ConnectionRejectionError from exc
        if viewer.person_id is None:  # pragma: no cover (the verifier requires `sub`)
            await socket.close(FORBIDDEN_CLOSE, "the token names no civil servant")
            raise ConnectionRejectionError
        if self._open[viewer.person_id] >= self.max_sockets_per_caller:
            reason = f"at most {self.max_sockets_per_caller} sockets per caller"
            await socket.close(TOO_MANY_SOCKETS_CLOSE, reason)
            raise ConnectionRejectionError
        # The signature was verified just now; read the expiry without checking it again.
        claims = jwt.decode(header.partition(" ")[2].strip(), options={"verify_signature": False})
        socket.expires_at = float(claims["exp"]) + self.leeway_s
        socket.person_id = viewer.person_id
        self._open[viewer.person_id] += 1
        context.viewer = viewer

    def release(self, websocket: WebSocket) -> None:
        """Forget a closed connection (uncount its caller)."""
        socket = websocket.scope.pop(SOCKET_SCOPE_KEY, None)
        person = getattr(socket, "person_id", None)
        if person is not None:
            self._open[person] -= 1
            if self._open[person] <= 0:
                del self._open[person]


class StreamErrorCodes(SchemaExtension):
    """`graph_api.errors.ErrorCodes` for streamed results: each result a subscription sends
    (document errors, limits, errors that end a stream) leaves with `extensions.code`. Also
    refuses (BAD_USER_INPUT) a subscription sent over HTTP and a query or mutation sent over
    WebSocket."""

    def on_validate(self) -> Iterator[None]:
        # Strawberry stops on `pre_execution_errors` before leaving the validation step, so this
        # runs before `yield`, and after the validation cache and the limits (the app adds this
        # extension last).
        context = self.execution_context
        over_http = getattr(context.context, "socket", None) is None
        subscription = context.operation_type is OperationType.SUBSCRIPTION
        if over_http == subscription:
            # Queries and mutations stay on HTTP, where the body cap and the rate limit apply
            # and each request has a context of its own (the audit trail's `Change`).
            message = (
                "subscriptions are served over WebSocket (graphql-transport-ws) at /graphql"
                if subscription
                else "over WebSocket only subscriptions are served; send queries and mutations"
                " over HTTP"
            )
            refused = GraphQLError(message, extensions={"code": "BAD_USER_INPUT"})
            context.pre_execution_errors = [*(context.pre_execution_errors or []), refused]
        yield

    def on_stream_result(self, result: Any) -> Iterator[None]:
        if isinstance(result, ExecutionResult) and result.errors:
            request_id = getattr(self.execution_context.context, "request_id", "-")
            result.errors = [coded(e, request_id) for e in result.errors]
        yield


@contextlib.asynccontextmanager
async def live_feed(
    settings: Settings, store: GraphStore, *, owner: bool = True
) -> AsyncIterator[NotificationFeed]:
    """Run the process's notification feed for the app's lifetime: the store's commit listener,
    the outbox tail (Neo4j by default: `EXPECS_NOTIFICATIONS__TAIL`) and the pruning timer.

    Args:
        settings: `settings.notifications` configures it.
        store: the process's store.
        owner: the app opened the store. An app serving a store it was given (tests share one)
            leaves its upkeep to the owner: no pruning, and no tail unless the setting asks.

    Yields:
        The feed (goes into lifespan state; the GraphQL context hands it to resolvers).
    """
    config = settings.notifications
    tail = config.tail if config.tail is not None else (owner and settings.store == "neo4j")
    feed = NotificationFeed(
        store,
        queue_size=config.queue_size,
        poll_interval_s=config.poll_interval_ms / 1000 if tail else None,
        lookback_s=config.lookback_s,
        on_count=SUBSCRIPTIONS_OPEN.inc,
    )

    def listener(notifications: Sequence[Notification]) -> None:
        feed.publish(notifications)

    store.add_notification_listener(listener)
    tasks = []
    if owner:
        tasks.append(
            asyncio.create_task(_prune(store, config.retention_days, config.prune_interval_s))
        )
    if tail:
        tasks.append(asyncio.create_task(feed.tail()))
    try:
        yield feed
    finally:
        store.remove_notification_listener(listener)
        for task in tasks:
            task.cancel()
        for task in tasks:
            try:
                await task
            except asyncio.CancelledError:
                pass
            except Exception:  # a dead upkeep task must not fail the shutdown
                log.exception("notification upkeep task failed")


async def _prune(store: GraphStore, retention_days: float, interval_s: float) -> None:
    """Delete old read notifications now and every `interval_s` seconds."""
    while True:
        try:
            cut = utc_now() - timedelta(days=retention_days)
            # Shielded: a shutdown must not cancel the delete half-way through its transaction.
            pruning = asyncio.ensure_future(store.prune_notifications(read_before=cut))
            if pruned := await asyncio.shield(pruning):
                log.info("pruned %d read notifications", pruned)
        except Exception as exc:  # keep pruning later; the store may be back
            log.warning("pruning notifications failed: %s", exc)
        await asyncio.sleep(interval_s)


def view_options(settings: Settings) -> dict[str, Any]:
    """Strawberry `GraphQL(...)` keyword arguments for subscriptions."""
    config = settings.notifications
    return {
        "max_subscriptions_per_connection": config.max_subscriptions_per_socket,
        "connection_init_wait_timeout": timedelta(seconds=config.connection_init_timeout_s),
    }

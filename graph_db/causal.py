"""Causal consistency across requests: the bookmarks of one unit of API work.

A Neo4j cluster may serve a read from a follower that has not yet applied a write committed
moments ago. Neo4j's answer is bookmarks: every committed transaction has one, and a session
started with bookmarks waits until the server it runs on has applied those transactions. The
API layer opens a `causal_scope` per request with the bookmarks a client sent back; every session
the Neo4j adapter opens in that request starts with the scope's bookmarks, and each write
transaction replaces those it started with by its own (`CausalScope.advance`), so later reads of
the same request see it, and the client gets the newest bookmarks to send with its next request
(to any API process). The embedded store is one process and ignores the scope.

A `ContextVar` carries the scope: resolvers that run concurrently (asyncio tasks copy the
context) share the one scope object of their request.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar


class CausalScope:
    """The bookmarks of one request.

    Args:
        bookmarks: those the client sent back (already validated by the caller).
    """

    def __init__(self, bookmarks: Iterable[str] = ()) -> None:
        self._bookmarks = frozenset(bookmarks)
        self.wrote = False
        """Whether a write transaction committed in this scope (its bookmarks changed)."""

    @property
    def bookmarks(self) -> frozenset[str]:
        """What a session of this scope must wait for."""
        return self._bookmarks

    def advance(self, started_with: Iterable[str], new: Iterable[str]) -> None:
        """A write transaction committed: drop the bookmarks it started with (it includes them)
        and keep its own (those of concurrent writes of the scope stay)."""
        self._bookmarks = (self._bookmarks - frozenset(started_with)) | frozenset(new)
        self.wrote = True


_SCOPE: ContextVar[CausalScope | None] = ContextVar("expecs_causal_scope", default=None)


@contextmanager
def causal_scope(bookmarks: Iterable[str] = ()) -> Iterator[CausalScope]:
    """Run the body (a request) in a new scope starting from `bookmarks`; yields the scope."""
    scope = CausalScope(bookmarks)
    token = _SCOPE.set(scope)
    try:
        yield scope
    finally:
        _SCOPE.reset(token)


def current_scope() -> CausalScope | None:
    """The scope of the running request, or None outside one (CLI, background tasks)."""
    return _SCOPE.get()

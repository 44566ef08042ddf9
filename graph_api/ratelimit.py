"""Per-caller rate limiting of the API routes with the `limits` library (moving window).

The caller is the token's subject when signed in, else the client address. Over the limit the API
answers 429 with `Retry-After` (seconds) and a coded GraphQL error, before any GraphQL work
(`graph_api.middleware.RateLimitMiddleware`). The counts live where `EXPECS_RATE_LIMIT_STORAGE`
says: `memory://` keeps them in the process (each API process its own budget), a Redis URL in one
Redis that every process shares, so N processes still allow each caller the limit once.
"""

from __future__ import annotations

import logging
import math
import time

from limits import parse
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError

log = logging.getLogger(__name__)

KEY_PREFIX = "expecs-rate"
"""Prefix of the limiter's keys in a shared Redis (other applications may use the same one)."""


def rate_storage(url: str) -> Storage:
    """The `limits` storage for `url`.

    Args:
        url: `memory://`, or a Redis URL (`redis://`, `rediss://`, `redis+unix://`), used through
            the asyncio client of `redis` (redis-py).

    Raises:
        ValueError: another scheme.
    """
    if url == "memory://":
        return MemoryStorage()
    if url.startswith(("redis://", "rediss://", "redis+unix://")):
        return RedisStorage(
            f"async+{url}", implementation="redispy", wrap_exceptions=True, key_prefix=KEY_PREFIX
        )
    raise ValueError("the rate limit storage must be memory:// or a redis:// URL")


class RateLimiter:
    """Decides whether one more request of a caller fits the limit.

    Args:
        rate: e.g. `"120/minute"` (see the `limits` notation).
        storage: where the counts live (`rate_storage`); in memory by default.

    Raises:
        ValueError: an unreadable rate.
    """

    def __init__(self, rate: str, storage: Storage | None = None) -> None:
        self.item = parse(rate)
        self.limiter = MovingWindowRateLimiter(storage or MemoryStorage())

    async def retry_after(self, caller: str) -> int | None:
        """None if the request may go ahead (and count it), else seconds until it may.

        A shared storage that does not answer lets the request through (logged): an outage of
        Redis must not take the API down with it; the limit is back when Redis is.
        """
        try:
            if await self.limiter.hit(self.item, caller):
                return None
            stats = await self.limiter.get_window_stats(self.item, caller)
        except StorageError as exc:
            log.warning("rate limit storage unavailable, request let through: %s", exc)
            return None
        return max(1, math.ceil(stats.reset_time - time.time()))

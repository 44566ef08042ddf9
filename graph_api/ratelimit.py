"""Per-caller rate limiting of the API routes with the `limits` library (moving window, in memory).

The caller is the token's subject when signed in, else the client address. Over the limit the API
answers 429 with `Retry-After` (seconds) and a coded GraphQL error, before any GraphQL work
(`graph_api.middleware.RateLimitMiddleware`). The
memory storage is per process; a deployment with several API processes would point `limits` at a
shared storage (Redis) instead.
"""

from __future__ import annotations

import math
import time

from limits import parse
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import MovingWindowRateLimiter


class RateLimiter:
    """Decides whether one more request of a caller fits the limit.

    Args:
        rate: e.g. `"120/minute"` (see the `limits` notation).

    Raises:
        ValueError: an unreadable rate.
    """

    def __init__(self, rate: str) -> None:
        self.item = parse(rate)
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    async def retry_after(self, caller: str) -> int | None:
        """None if the request may go ahead (and count it), else seconds until it may."""
        if await self.limiter.hit(self.item, caller):
            return None
        stats = await self.limiter.get_window_stats(self.item, caller)
        return max(1, math.ceil(stats.reset_time - time.time()))

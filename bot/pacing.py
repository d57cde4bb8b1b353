"""Pacing sends under Discord's global rate limit."""

from __future__ import annotations

import asyncio
from time import monotonic


class Pacer:
    """At most `rate` sends per second, evenly spaced (real time: Discord's limits are real time)."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        async with self._lock:
            now = monotonic()
            if self._next > now:
                await asyncio.sleep(self._next - now)
                now = self._next
            self._next = max(now, self._next) + self.interval

"""Discord's rate limits as the emulator enforces them: per-route buckets and the global limit.

Nothing here knows about aiohttp: `RateLimiter.check` takes a route, its major parameter and
whether the request carries the bot's token, and returns the headers Discord would send, plus the
429 body when the request must be refused. The HTTP middleware only renders that verdict.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass
class RateLimit:
    """`limit` requests per `per` seconds."""

    limit: int
    per: float


@dataclass
class _Bucket:
    window_start: float
    count: int = 0

    def roll(self, now: float, per: float) -> None:
        """Start a new window once the current one is `per` seconds old."""
        if now - self.window_start >= per:
            self.window_start, self.count = now, 0


@dataclass
class Verdict:
    """What the limiter decided for one request: headers to send, and the 429 body if refused."""

    headers: dict[str, str]
    refusal: dict[str, Any] | None = None


def major_parameter(path_params: Mapping[str, str]) -> str:
    """The parameter Discord keys buckets by, besides the route: channel, guild or webhook."""
    return path_params.get("channel_id") or path_params.get("guild_id") or path_params.get("webhook_id") or ""


class RateLimiter:
    """Fixed-window buckets per (route, major parameter) in `route_limits`, and an optional global limit.

    Routes without a configured limit send no rate-limit headers at all. The global limit only
    counts requests made with the bot's token (interaction callbacks and webhooks are exempt).
    """

    def __init__(self) -> None:
        self.route_limits: dict[str, RateLimit] = {}
        self.global_limit: RateLimit | None = None
        self._buckets: dict[tuple[str, str], _Bucket] = {}
        self._global_bucket = _Bucket(0.0)

    def check(self, route: str, major: str, *, bot_auth: bool) -> Verdict:
        """Count one request to `route` ("METHOD /path/{param}") and decide whether it may go through."""
        headers, retry_after, is_global = self._consume(route, major, bot_auth)
        if retry_after is None:
            return Verdict(headers)
        headers.update(
            {
                "Retry-After": str(max(1, round(retry_after))),
                "Via": "1.1 google",
                "X-RateLimit-Scope": "global" if is_global else "user",
            }
        )
        if is_global:
            headers["X-RateLimit-Global"] = "true"
        refusal = {"message": "You are being rate limited.", "retry_after": round(retry_after, 3), "global": is_global}
        return Verdict(headers, refusal)

    def _consume(self, route: str, major: str, bot_auth: bool) -> tuple[dict[str, str], float | None, bool]:
        """Headers for this request, and `retry_after` (with scope) when it must be refused."""
        now = time.monotonic()
        if self.global_limit is not None and bot_auth:
            bucket = self._global_bucket
            bucket.roll(now, self.global_limit.per)
            if bucket.count >= self.global_limit.limit:
                return {}, bucket.window_start + self.global_limit.per - now, True
            bucket.count += 1
        limit = self.route_limits.get(route)
        if limit is None:
            return {}, None, False
        bucket = self._buckets.setdefault((route, major), _Bucket(now))
        bucket.roll(now, limit.per)
        reset_after = bucket.window_start + limit.per - now
        headers = {
            "X-RateLimit-Limit": str(limit.limit),
            "X-RateLimit-Bucket": hashlib.sha1(route.encode()).hexdigest()[:16],
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
        }
        if bucket.count >= limit.limit:
            headers["X-RateLimit-Remaining"] = "0"
            return headers, reset_after, False
        bucket.count += 1
        headers["X-RateLimit-Remaining"] = str(limit.limit - bucket.count)
        return headers, None, False

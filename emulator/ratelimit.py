"""Discord's rate limits as the emulator enforces them: per-route buckets and the global limit.

Nothing here knows about aiohttp: `RateLimiter.check` takes a route, its major parameter and
whether the request carries the bot's token, and returns the headers Discord would send, plus the
429 body when the request must be refused. The HTTP middleware only renders that verdict.
"""

from __future__ import annotations

import hashlib
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from emulator.limits import Limits, RateLimit

__all__ = ["InvalidRequestCounter", "RateLimit", "RateLimiter", "Verdict", "major_parameter"]


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


# Routes without an observed bucket: headers like Discord's, with a bucket no test reaches.
UNLISTED_ROUTE = RateLimit(10_000, 1.0)


def major_parameter(path_params: Mapping[str, str]) -> str:
    """The top-level resource Discord keys buckets by, besides the route: a channel, a guild, or a
    webhook with its token (so each interaction's follow-ups have their own bucket)."""
    if "webhook_id" in path_params:
        return f"{path_params['webhook_id']}/{path_params.get('token', '')}"
    return path_params.get("channel_id") or path_params.get("guild_id") or ""


class RateLimiter:
    """Fixed-window buckets per (route, major parameter), and the global limit, both from `Limits`.

    Discord's defaults are on (`Limits.global_rate`, `Limits.route_rates`); tests may raise them.
    The global limit only counts requests made with the bot's token (interaction callbacks and
    webhooks are exempt). A route without a bucket of its own still answers with rate-limit
    headers for a generous bucket, as Discord does for every route.
    """

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._buckets: dict[tuple[str, str], _Bucket] = {}
        self._global_bucket = _Bucket(0.0)

    @property
    def route_limits(self) -> dict[str, RateLimit]:
        return self.limits.route_rates

    @route_limits.setter
    def route_limits(self, limits: dict[str, RateLimit]) -> None:
        self.limits.route_rates = limits

    @property
    def global_limit(self) -> RateLimit | None:
        return self.limits.global_rate

    @global_limit.setter
    def global_limit(self, limit: RateLimit | None) -> None:
        self.limits.global_rate = limit

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
            limit = UNLISTED_ROUTE
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


class InvalidRequestCounter:
    """Discord's invalid-request limit: too many 401, 403 and 429 answers in a window and the
    token's requests are refused outright for the rest of it (Cloudflare's temporary ban)."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._times: deque[float] = deque()
        self.total = 0

    def _trim(self, now: float) -> None:
        while self._times and now - self._times[0] >= self.limits.invalid_requests_window:
            self._times.popleft()

    def record(self, status: int, scope: str | None) -> None:
        """Count an answer if Discord would (a 429 with scope "shared" does not count)."""
        if status in (401, 403) or (status == 429 and scope != "shared"):
            now = time.monotonic()
            self._trim(now)
            self._times.append(now)
            self.total += 1

    @property
    def in_window(self) -> int:
        """Invalid requests in the current 10-minute window."""
        self._trim(time.monotonic())
        return len(self._times)

    def banned_for(self) -> float | None:
        """Seconds left of the ban, or None when requests may go through."""
        now = time.monotonic()
        self._trim(now)
        if len(self._times) < self.limits.invalid_requests:
            return None
        return self._times[0] + self.limits.invalid_requests_window - now

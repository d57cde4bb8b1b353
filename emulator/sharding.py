"""Discord's sharding rules, as the emulator enforces them.

- A guild's events go to the session of shard `(guild_id >> 22) % shard_count`; what has no guild
  (DMs, interactions in DMs) goes to shard 0.
- IDENTIFY: one per `shard_id % max_concurrency` bucket per 5 seconds, 1,000 a day. An IDENTIFY
  that breaks the bucket rule gets op 9 (invalid session, not resumable), as Discord answers it.
- GET /gateway/bot recommends one shard per 2,500 guilds (or what the emulator was told) and says
  how many session starts are left.

`emulator.gateway` applies these to its sessions; a session IDENTIFYing without `shard` is shard 0
of 1 and so receives everything.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from emulator import state as st

GUILDS_PER_SHARD = 2500
SESSION_STARTS_A_DAY = 1000
GUILD_OBJECT_EVENTS = ("GUILD_CREATE", "GUILD_UPDATE", "GUILD_DELETE")  # their `id` is the guild's


def shard_of(guild_id: int | None, shard_count: int) -> int:
    """The shard that carries a guild's events (0 for everything without a guild)."""
    if guild_id is None or shard_count <= 1:
        return 0
    return (guild_id >> 22) % shard_count


def on_shard(guild_id: int | None, shard: tuple[int, int]) -> bool:
    """Whether a session identified as `shard` = (shard_id, shard_count) carries the guild's events."""
    return shard_of(guild_id, shard[1]) == shard[0]


def guild_of_event(event: str, data: dict[str, Any]) -> int | None:
    """The guild an event is about, from its payload (None: a DM, or no guild at all)."""
    raw = data.get("id") if event in GUILD_OBJECT_EVENTS else data.get("guild_id")
    return int(raw) if raw else None


def snowflake_on_shard(ids: st.Snowflakes, shard_id: int, shard_count: int) -> int:
    """A new id that, as a guild's, falls on `shard_id` of `shard_count`: the millisecond part moves
    on to the next one that lands there (ids still only increase)."""
    candidate = ids.next()
    ms = candidate >> 22
    while ms % shard_count != shard_id:
        ms += 1
    chosen = max(candidate, ms << 22)
    ids.continue_after(chosen)
    return chosen


@dataclass
class ShardingRules:
    """What the emulator tells clients and enforces; times are real (Discord's limits are)."""

    recommended_shards: int | None = None  # None: one per 2,500 guilds
    max_concurrency: int = 1
    identify_interval: float = 5.0
    session_starts: int = SESSION_STARTS_A_DAY
    clock: Callable[[], float] = time.monotonic
    identified: dict[int, float] = field(default_factory=dict)  # bucket -> when its last IDENTIFY was let in
    clashes: int = 0  # IDENTIFYs refused by the bucket rule
    starts: int = 0

    def shards_for(self, guild_count: int) -> int:
        if self.recommended_shards is not None:
            return self.recommended_shards
        return max(1, math.ceil(guild_count / GUILDS_PER_SHARD))

    def bucket(self, shard_id: int) -> int:
        return shard_id % max(1, self.max_concurrency)

    def admit(self, shard_id: int) -> bool:
        """Whether an IDENTIFY of `shard_id` may start a session now (False: a clash, answered with op 9)."""
        bucket = self.bucket(shard_id)
        now = self.clock()
        last = self.identified.get(bucket)
        if (last is not None and now - last < self.identify_interval) or self.starts >= self.session_starts:
            self.clashes += 1
            return False
        self.identified[bucket] = now
        self.starts += 1
        return True

    def session_start_limit(self) -> dict[str, int]:
        return {
            "total": self.session_starts,
            "remaining": max(0, self.session_starts - self.starts),
            "reset_after": 86_400_000,
            "max_concurrency": self.max_concurrency,
        }

"""Which shards a process runs, and which shard a guild is on (pure arithmetic, Discord's rules).

A shard serves at most 2,500 guilds; a guild is on shard `(guild_id >> 22) % shard_count`; what has
no guild (DMs, and buttons pressed in DMs) arrives on shard 0. Processes split the shards into
contiguous ranges: process `index` of `clusters` runs `shard_range(shard_count, clusters, index)`.
"""

from __future__ import annotations

MAX_GUILDS_PER_SHARD = 2500


def shard_of(guild_id: int | None, shard_count: int) -> int:
    """The shard whose connection carries a guild's events (0 for DMs)."""
    if guild_id is None or shard_count <= 1:
        return 0
    return (guild_id >> 22) % shard_count


def shard_range(shard_count: int, clusters: int, index: int) -> range:
    """Process `index`'s contiguous shards when `clusters` processes share `shard_count` shards evenly
    (the first `shard_count % clusters` processes run one more)."""
    if not 0 <= index < clusters <= shard_count:
        raise ValueError(f"process {index} of {clusters} cannot share {shard_count} shards")
    base, extra = divmod(shard_count, clusters)
    start = index * base + min(index, extra)
    return range(start, start + base + (1 if index < extra else 0))


def fixed_size_range(shard_count: int, per_process: int, index: int) -> range:
    """Process `index`'s shards when each process runs `per_process` (the last may run fewer)."""
    start = index * per_process
    if per_process < 1 or not 0 <= start < shard_count:
        raise ValueError(f"process {index} runs no shard of {shard_count} at {per_process} a process")
    return range(start, min(shard_count, start + per_process))


def identify_bucket(shard_id: int, max_concurrency: int) -> int:
    """Shards of one bucket IDENTIFY at most once per 5 seconds between them."""
    return shard_id % max(1, max_concurrency)

"""IDENTIFY, coordinated between processes: one per bucket per 5 seconds, whoever sends it.

Discord lets a bot start one session per `shard_id % max_concurrency` bucket every 5 seconds, and
1,000 a day (the token is reset past that). discord.py's own hook only spaces the shards of one
process; two processes started together identified in the same bucket at once. Here, before each
IDENTIFY, the process takes the bucket's lock in the database (an advisory lock on PostgreSQL,
shared by every process; this process's own lock on SQLite) and holds it for 5 seconds after.

If discord.py gives up waiting (its hook has a timeout), the wait for the lock is given up too, so
no connection is left queued for a lock nobody wants. If the database cannot be asked, the process
spaces its own shards as discord.py would, rather than failing to connect at all.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from bot.sharding import identify_bucket
from bot.storage.database import Database

log = logging.getLogger(__name__)

IDENTIFY_SPACING = 5.0
MARGIN = 0.25  # the IDENTIFY leaves a moment after the hook returns


class IdentifyGate:
    def __init__(
        self,
        db: Database,
        max_concurrency: Callable[[], Awaitable[int]],
        *,
        spacing: float = IDENTIFY_SPACING,
    ) -> None:
        self._db = db
        self._max_concurrency = max_concurrency
        self._concurrency: int | None = None
        self.spacing = spacing
        self._holds: set[asyncio.Task[None]] = set()
        self._local: dict[int, asyncio.Lock] = {}  # the fallback when the database cannot be asked

    async def concurrency(self) -> int:
        if self._concurrency is None:
            self._concurrency = max(1, await self._max_concurrency())
        return self._concurrency

    async def before_identify(self, shard_id: int) -> None:
        """Return once this shard may IDENTIFY; its bucket stays locked for `spacing` seconds more."""
        bucket = identify_bucket(shard_id, await self.concurrency())
        acquired = asyncio.Event()
        hold = asyncio.get_running_loop().create_task(
            self._hold(f"identify:{bucket}", acquired), name=f"lantern-background: identify bucket {bucket}"
        )
        self._holds.add(hold)
        hold.add_done_callback(self._holds.discard)
        waiting = asyncio.get_running_loop().create_task(acquired.wait(), name="lantern-background: identify wait")
        try:
            await asyncio.wait({waiting, hold}, return_when=asyncio.FIRST_COMPLETED)
        except BaseException:  # cancelled (discord.py stopped waiting): stop queueing for the lock
            if not acquired.is_set():
                hold.cancel()
            raise
        finally:
            waiting.cancel()
        if hold.done() and not acquired.is_set():
            error = None if hold.cancelled() else hold.exception()
            log.warning(
                "Could not take the IDENTIFY lock in the database (%s); spacing this process's shards only",
                type(error).__name__ if error else "cancelled",
            )
            await self._space_locally(bucket)
        log.debug("Shard %d may identify (bucket %d)", shard_id, bucket)

    async def _space_locally(self, bucket: int) -> None:
        """discord.py's own rule within one process: a bucket's IDENTIFYs `spacing` seconds apart."""
        lock = self._local.setdefault(bucket, asyncio.Lock())
        await lock.acquire()
        asyncio.get_running_loop().call_later(self.spacing + MARGIN, lock.release)

    async def _hold(self, name: str, acquired: asyncio.Event) -> None:
        async with self._db.hold_lock(name):
            acquired.set()
            await asyncio.sleep(self.spacing + MARGIN)

    async def close(self) -> None:
        """Let go of held buckets at shutdown (the next process waits out the 5 s from its own clock)."""
        for task in list(self._holds):
            task.cancel()
        for task in list(self._holds):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

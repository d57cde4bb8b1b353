"""One process runs the scheduled work: the one holding the database's scheduler lock.

Daily DMs, prompts of the day and purges must run in one process at a time, or the whole bot's DM
rate would be the sum of every process's pace (Discord's global limit is per token). On
PostgreSQL the lock is a session advisory lock on a connection of its own: a standby process tries
it every `retry` seconds, and takes over as soon as the leader's connection dies (PostgreSQL
releases the lock when a killed process's socket closes). The leader checks its connection every
`check_every` seconds, and steps down the moment the lock is lost. On SQLite (one process) the
process is always the leader.

Leadership is a matter of pace, not of correctness: two leaders overlapping for a moment (one that
has not yet noticed it lost its connection) still never double a DM, because every due row is
claimed in a transaction that skips rows another process holds, and every send carries its nonce.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from bot.storage.database import Database, Lease, LockSession, storage_failures

log = logging.getLogger(__name__)

SCHEDULER_LOCK = "scheduler"
STANDBY_RETRY = 0.25
LEADER_CHECK = 5.0


class Leadership:
    def __init__(
        self,
        db: Database,
        *,
        name: str = SCHEDULER_LOCK,
        retry: float = STANDBY_RETRY,
        check_every: float = LEADER_CHECK,
    ) -> None:
        self._db = db
        self._name = name
        self.retry = retry
        self.check_every = check_every
        self._session: LockSession | None = None
        self._lease: Lease | None = None
        self._task: asyncio.Task[None] | None = None
        self._leading = asyncio.Event()
        self._changed = asyncio.Event()
        self.listeners: list[Callable[[bool], None]] = []
        self._failures: tuple[type[BaseException], ...] = (*storage_failures(), OSError)

    @property
    def is_leader(self) -> bool:
        return self._lease is not None and self._lease.held

    async def wait_until_leader(self) -> None:
        await self._leading.wait()

    async def wait_for_change(self) -> None:
        """Until leadership is gained or lost."""
        self._changed.clear()
        await self._changed.wait()

    async def start(self) -> None:
        """Try once now (so a lone process leads from the start), then keep trying in the background."""
        with contextlib.suppress(*self._failures):
            await self._attempt()
        self._task = asyncio.get_running_loop().create_task(self._run(), name="lantern-background: leadership")

    async def stop(self) -> None:
        """Stop leading (releasing the lock for a standby) and stop trying."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None
        lease, self._lease = self._lease, None
        if lease is not None:
            with contextlib.suppress(Exception):
                await lease.release()
        session, self._session = self._session, None
        if session is not None:
            with contextlib.suppress(Exception):
                await session.close()
        self._set(False, stopping=True)

    def _set(self, leading: bool, *, stopping: bool = False) -> None:
        if leading == self._leading.is_set():
            return
        if leading:
            self._leading.set()
            log.info("This process now runs the scheduled work")
        else:
            self._leading.clear()
            if stopping:
                log.info("This process stopped running the scheduled work")
            else:
                log.warning("This process lost the scheduler lock; another process takes over the scheduled work")
        self._changed.set()
        for listener in list(self.listeners):
            listener(leading)

    async def _attempt(self) -> None:
        """One step: (re)connect, then try for the lock, or check that it is still held."""
        if self._session is None or self._session.closed.is_set():
            self._lease = None
            self._set(False)
            self._session = await self._db.lock_session()
        if self._lease is None or not self._lease.held:
            self._lease = await self._session.try_acquire(self._name)
            self._set(self._lease is not None)
        elif not await self._session.check():
            self._lease = None
            self._set(False)

    async def _run(self) -> None:
        failures = 0
        while True:
            if self.is_leader and self._lease is not None:
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self.check_every):
                        await self._lease.lost.wait()
            else:
                await asyncio.sleep(self.retry if failures == 0 else min(5.0, self.retry * 2**failures))
            try:
                await self._attempt()
                failures = 0
            except self._failures:
                failures += 1
                self._lease = None
                self._set(False)
                log.warning("Cannot reach the database for the scheduler lock; trying again")

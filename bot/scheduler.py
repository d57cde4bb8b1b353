"""Time-driven work (daily DMs, a server's prompt of the day, purges) behind one small interface.

Live, `run_forever` sleeps until the next due instant. The sandbox and the tests instead move a
`ManualClock` with `advance_to`, which runs every job that falls due on the way, in order, the same
code path the live loop takes.

With several processes, only the one holding the scheduler lock (`bot/leadership.py`) runs jobs;
the others wait as standbys. `wake()` also reaches the leader in another process (a member who
starts daily prompts there): `broadcast` is set to a database notification that the leader hears.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from bot.clock import Clock, ManualClock
from bot.logging_setup import exception_name, traceback_without_values

if TYPE_CHECKING:
    from bot.leadership import Leadership

log = logging.getLogger(__name__)

IDLE_POLL = timedelta(seconds=60)
FIRST_RETRY = 1.0  # seconds after a failed round; doubled after each failure in a row
LAST_RETRY = 60.0


class Job(Protocol):
    name: str

    async def next_due(self) -> datetime | None:
        """The earliest instant this job has work for, or None."""
        ...

    async def run_due(self, now: datetime) -> None:
        """Do all work due at or before `now`."""
        ...


class Scheduler:
    def __init__(self, clock: Clock, *, leadership: Leadership | None = None) -> None:
        self.clock = clock
        self.leadership = leadership
        self.jobs: list[Job] = []
        self._wake = asyncio.Event()
        self.broadcast: Callable[[], None] | None = None  # wakes the leader in another process
        self.first_retry = FIRST_RETRY
        self.stopping = False  # set at shutdown: jobs claim no more work, the live loop ends

    @property
    def is_leader(self) -> bool:
        """Whether this process runs the jobs (always, without a Leadership)."""
        return self.leadership is None or self.leadership.is_leader

    def register(self, job: Job) -> None:
        self.jobs.append(job)
        self.wake()

    def unregister(self, job: Job) -> None:
        if job in self.jobs:
            self.jobs.remove(job)

    def wake(self) -> None:
        """Something changed (a new subscription): recompute the next due instant now, here and in
        the leader's process."""
        self._wake.set()
        if self.broadcast is not None:
            self.broadcast()

    def wake_local(self) -> None:
        self._wake.set()

    async def next_due(self) -> datetime | None:
        dues = [due for job in self.jobs if (due := await job.next_due()) is not None]
        return min(dues) if dues else None

    async def run_due(self) -> None:
        if not self.is_leader:
            return
        now = self.clock.now()
        for job in list(self.jobs):  # one job failing (its storage, say) never holds back the others
            if self.stopping:
                return
            try:
                due = await job.next_due()
                if due is not None and due <= now:
                    await job.run_due(now)
            except Exception as error:
                log.error(
                    "Scheduled job %s failed (%s)\n%s", job.name, exception_name(error), traceback_without_values(error)
                )

    async def advance_to(self, target: datetime, *, max_steps: int = 1_000_000) -> None:
        """Move a manual clock to `target`, running due work at each due instant on the way."""
        clock = self.clock
        if not isinstance(clock, ManualClock):
            raise TypeError("advance_to needs a ManualClock")
        if not self.is_leader:  # a standby: another process runs what falls due
            if target > clock.now():
                clock.set(target)
            return
        for _ in range(max_steps):
            due = await self.next_due()
            if due is None or due > target:
                break
            if due > clock.now():
                clock.set(due)
            before = clock.now()
            await self.run_due()
            again = await self.next_due()
            if again is not None and again <= before:
                # A job that made no progress must not spin the clock; finish the move in one step.
                log.warning("Scheduled work still due at %s after running; moving on", before.isoformat())
                break
        else:
            raise RuntimeError("too many scheduled steps")
        if target > clock.now():
            clock.set(target)
        await self.run_due()

    async def run_forever(self) -> None:
        """The live loop: run what is due, then sleep until the next due instant (or a wake-up).

        A failed round (PostgreSQL unreachable for a moment) is logged and tried again after a
        growing pause; the loop does not end on it. If the loop ends anyway (cancelled at shutdown,
        or a bug), this process gives up the scheduler lock, so a standby takes over the work
        instead of nobody doing it while this process keeps the lock.
        """
        failures = 0
        try:
            while not self.stopping:
                if self.leadership is not None:
                    await self.leadership.wait_until_leader()
                try:
                    await self.run_due()
                    due = await self.next_due()
                except Exception as error:
                    failures += 1
                    pause = min(LAST_RETRY, self.first_retry * 2 ** (failures - 1))
                    log.error(
                        "Scheduled work failed (%s); trying again in %.1f s\n%s",
                        exception_name(error),
                        pause,
                        traceback_without_values(error),
                    )
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), pause)
                    self._wake.clear()
                    continue
                failures = 0
                now = self.clock.now()
                delay = IDLE_POLL if due is None else min(IDLE_POLL, max(timedelta(0), due - now))
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), delay.total_seconds())
        finally:
            if self.leadership is not None:
                await self.leadership.stop()

    def stop(self) -> None:
        """At shutdown: claim nothing more. The round under way finishes what it claimed (jobs check
        `stopping` between batches), then the live loop ends and gives up the lock."""
        self.stopping = True
        self._wake.set()

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest

from bot.clock import ManualClock
from bot.leadership import Leadership
from bot.scheduler import Scheduler
from bot.storage import Database
from bot.storage.database import StorageError
from bot.storage.prompt_channels import PromptChannels

START = datetime(2026, 3, 1, 12, tzinfo=UTC)


class EveryHour:
    """A job due on every whole hour; records the clock's time whenever it runs."""

    name = "every-hour"

    def __init__(self, clock: ManualClock) -> None:
        self.clock = clock
        self.next = START + timedelta(hours=1)
        self.ran_at: list[datetime] = []

    async def next_due(self) -> datetime | None:
        return self.next

    async def run_due(self, now: datetime) -> None:
        self.ran_at.append(self.clock.now())
        self.next += timedelta(hours=1)


class Stuck:
    name = "stuck"

    async def next_due(self) -> datetime | None:
        return START

    async def run_due(self, now: datetime) -> None:
        pass


async def test_advance_runs_each_due_instant_in_order_at_that_instant() -> None:
    clock = ManualClock(START)
    scheduler = Scheduler(clock)
    job = EveryHour(clock)
    scheduler.register(job)
    await scheduler.advance_to(START + timedelta(hours=3, minutes=30))
    assert job.ran_at == [START + timedelta(hours=h) for h in (1, 2, 3)]
    assert clock.now() == START + timedelta(hours=3, minutes=30)


async def test_advance_does_nothing_before_the_due_instant() -> None:
    clock = ManualClock(START)
    scheduler = Scheduler(clock)
    job = EveryHour(clock)
    scheduler.register(job)
    await scheduler.advance_to(START + timedelta(minutes=59))
    assert job.ran_at == []


async def test_a_job_that_makes_no_progress_cannot_spin_forever() -> None:
    clock = ManualClock(START)
    scheduler = Scheduler(clock)
    scheduler.register(Stuck())
    await scheduler.advance_to(START + timedelta(seconds=5))
    assert clock.now() == START + timedelta(seconds=5)


def test_manual_clock_only_moves_forward() -> None:
    clock = ManualClock(START)
    with pytest.raises(ValueError):
        clock.set(START - timedelta(seconds=1))
    with pytest.raises(ValueError):
        ManualClock(datetime(2026, 1, 1))


class FirstPromptOfTheDay:
    """A job on real storage (the prompt-of-the-day table): due when a row is, done by deleting it."""

    name = "first-prompt"

    def __init__(self, channels: PromptChannels) -> None:
        self.channels = channels
        self.ran = asyncio.Event()

    async def next_due(self) -> datetime | None:
        return await self.channels.earliest_due()

    async def run_due(self, now: datetime) -> None:
        await self.channels.delete(1)
        self.ran.set()


async def test_the_live_loop_survives_storage_failures_and_gives_up_the_lock_when_it_ends(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    channels = PromptChannels(db)
    await channels.save(1, 2, time(9), "UTC", None, START)
    faults = [StorageError("the server went away")] * 2  # once in a job's round, once between rounds
    real_fetchone = db.fetchone

    async def flaky_fetchone(*args: Any, **kwargs: Any) -> Any:
        if faults:
            raise faults.pop()
        return await real_fetchone(*args, **kwargs)

    monkeypatch.setattr(db, "fetchone", flaky_fetchone)
    leadership = Leadership(db)
    await leadership.start()
    scheduler = Scheduler(ManualClock(START + timedelta(minutes=1)), leadership=leadership)
    scheduler.first_retry = 0.01
    job = FirstPromptOfTheDay(channels)
    scheduler.register(job)
    loop = asyncio.create_task(scheduler.run_forever())
    try:
        await asyncio.wait_for(job.ran.wait(), 5)
        assert faults == [] and not loop.done(), "the loop went on after both failures"
        assert leadership.is_leader
    finally:
        loop.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await loop
    assert not leadership.is_leader, "a process whose scheduler stopped does not keep the lock"

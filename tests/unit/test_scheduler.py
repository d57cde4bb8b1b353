from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import ManualClock
from bot.scheduler import Scheduler

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

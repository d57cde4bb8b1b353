"""The healing tools' stores: pauses and their check-ins, no-contact stretches, check-ins, snoozes."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.storage import Database, Stores

NOW = datetime(2026, 11, 22, 9, tzinfo=UTC)
MEMBER, OTHER = 111, 112


async def test_pause_counts_outcomes_and_one_pending_checkin_per_pause(db: Database) -> None:
    pauses = Stores(db).pauses
    first = await pauses.start(MEMBER, NOW - timedelta(days=40))  # last month
    second = await pauses.start(MEMBER, NOW)
    third = await pauses.start(MEMBER, NOW + timedelta(minutes=5))
    await pauses.start(OTHER, NOW)
    assert await pauses.record_outcome(second, MEMBER, False)
    assert await pauses.record_outcome(second, MEMBER, True), "the latest answer counts"
    assert not await pauses.record_outcome(third, OTHER, True), "only the member's own pause"
    counts = await pauses.counts(MEMBER, NOW - timedelta(days=1), NOW + timedelta(days=1))
    assert (counts.pauses, counts.passed) == (2, 1)
    assert (await pauses.total(MEMBER)).pauses == 3
    assert await pauses.schedule_checkin(second, MEMBER, NOW + timedelta(minutes=20))
    assert not await pauses.schedule_checkin(second, MEMBER, NOW + timedelta(minutes=30)), "one at a time"
    assert not await pauses.schedule_checkin(first, OTHER, NOW), "never for someone else's pause"
    assert await pauses.checkin_due(second) == NOW + timedelta(minutes=20)
    assert await pauses.earliest_checkin() == NOW + timedelta(minutes=20)


async def test_a_due_checkin_is_claimed_once_even_by_racing_ticks(db: Database) -> None:
    pauses = Stores(db).pauses
    ids = [await pauses.start(user, NOW) for user in range(1, 31)]
    for user, pause_id in enumerate(ids, start=1):
        await pauses.schedule_checkin(pause_id, user, NOW + timedelta(minutes=20))
    due = await pauses.due_checkins(NOW + timedelta(minutes=20), 100)
    assert len(due) == 30 and await pauses.due_checkins(NOW + timedelta(minutes=19), 100) == []
    claims = await asyncio.gather(*(pauses.claim_checkin(c) for c in due + due))
    assert sum(claims) == 30, "each check-in is claimed exactly once"
    assert await pauses.earliest_checkin() is None


async def test_purging_a_pause_takes_its_pending_checkin(db: Database) -> None:
    pauses = Stores(db).pauses
    old = await pauses.start(MEMBER, NOW - timedelta(days=400))
    await pauses.schedule_checkin(old, MEMBER, NOW)
    assert await pauses.purge_before(NOW - timedelta(days=365)) == 1
    assert await pauses.earliest_checkin() is None


async def test_no_contact_start_reset_and_stop_keep_dates_only(db: Database) -> None:
    runs = Stores(db).no_contact
    await runs.start(MEMBER, date(2026, 11, 1), "Europe/Berlin", 0)
    current = await runs.current(MEMBER)
    assert current is not None and current.days(date(2026, 11, 8)) == 7
    await runs.mark_milestone(current, 7)
    await runs.mark_milestone(current, 3)
    assert (await runs.current(MEMBER)).milestone == 7  # type: ignore[union-attr]
    ended = await runs.reset(MEMBER, date(2026, 11, 8), None)
    assert ended is not None and ended.ended_on == date(2026, 11, 7)
    fresh = await runs.current(MEMBER)
    assert fresh is not None and fresh.started_on == date(2026, 11, 8) and fresh.milestone == 0
    assert fresh.timezone == "Europe/Berlin", "the zone they chose stays"
    assert await runs.reset(MEMBER, date(2026, 11, 8), None) is None, "a same-day reset leaves no empty stretch"
    assert [r.started_on for r in await runs.since(MEMBER, date(2026, 11, 1))] == [date(2026, 11, 1), date(2026, 11, 8)]
    stopped = await runs.stop(MEMBER, date(2026, 11, 10))
    assert stopped is not None and stopped.ended_on == date(2026, 11, 10)
    assert await runs.current(MEMBER) is None and await runs.ended_count(MEMBER) == 2
    assert await runs.stop(MEMBER, date(2026, 11, 11)) is None
    await runs.start(MEMBER, date(2026, 11, 1), None, 0)  # the same start day as an ended stretch
    assert await runs.ended_count(MEMBER) == 1 and (await runs.current(MEMBER)) is not None
    assert await runs.purge_ended_before(date(2026, 11, 30)) == 1
    assert await runs.current(MEMBER) is not None, "the open stretch is never purged"


async def test_checkins_hold_a_mood_and_at_most_three_feeling_ids(db: Database) -> None:
    checkins = Stores(db).checkins
    await checkins.add(MEMBER, NOW, 2, ["anxious", "lonely"])
    await checkins.add(MEMBER, NOW + timedelta(hours=1), 4, [])
    with pytest.raises(ValueError):
        await checkins.add(MEMBER, NOW, 6, [])
    with pytest.raises(ValueError):
        await checkins.add(MEMBER, NOW, 3, ["a", "b", "c", "d"])
    rows = await checkins.since(MEMBER, NOW)
    assert [(c.mood, c.feelings) for c in rows] == [(2, ("anxious", "lonely")), (4, ())]
    assert await checkins.purge_before(NOW + timedelta(minutes=1)) == 1
    assert await checkins.count(MEMBER) == 1


async def test_snooze_resume_and_reminder_live_on_the_subscription(db: Database) -> None:
    daily = Stores(db).daily
    assert not await daily.snooze(MEMBER, date(2026, 11, 25), NOW), "nothing to snooze"
    assert not await daily.set_checkin_reminder(MEMBER, True)
    await daily.save(MEMBER, time(9), "Europe/Berlin", None, NOW, 5)
    resume_at = datetime(2026, 11, 25, 8, tzinfo=UTC)
    assert await daily.snooze(MEMBER, date(2026, 11, 25), resume_at)
    assert await daily.set_checkin_reminder(MEMBER, True)
    sub = await daily.get(MEMBER)
    assert sub is not None and sub.snoozed_until == date(2026, 11, 25) and sub.next_due == resume_at
    assert sub.checkin_reminder
    assert await daily.resume(MEMBER, NOW) and not await daily.resume(MEMBER, NOW)
    await daily.snooze(MEMBER, date(2026, 11, 25), resume_at)
    await daily.save(MEMBER, time(10), "Europe/Berlin", None, NOW, 5)  # /daily start again ends a snooze
    sub = await daily.get(MEMBER)
    assert sub is not None and sub.snoozed_until is None and sub.checkin_reminder, "the reminder choice stays"


async def test_a_year_old_pause_check_in_and_ended_stretch_are_purged_daily(db: Database) -> None:
    from bot.clock import ManualClock
    from bot.healing.retention import HealingPurge

    stores = Stores(db)
    clock = ManualClock(NOW)
    year_ago = NOW - timedelta(days=370)
    await stores.pauses.start(MEMBER, year_ago)
    await stores.checkins.add(MEMBER, year_ago, 3, [])
    await stores.no_contact.start(MEMBER, year_ago.date(), None, 0)
    await stores.no_contact.stop(MEMBER, year_ago.date() + timedelta(days=2))
    await stores.no_contact.start(MEMBER, year_ago.date() + timedelta(days=3), None, 0)  # still open
    recent = await stores.pauses.start(MEMBER, NOW - timedelta(days=10))
    purge = HealingPurge(stores, clock)
    assert await purge.next_due() == NOW
    await purge.run_due(NOW)
    assert await purge.next_due() == NOW + timedelta(days=1)
    assert (await stores.pauses.total(MEMBER)).pauses == 1 and await stores.pauses.exists(recent, MEMBER)
    assert await stores.checkins.count(MEMBER) == 0
    assert await stores.no_contact.ended_count(MEMBER) == 0
    assert await stores.no_contact.current(MEMBER) is not None, "the open count stays until they stop it"

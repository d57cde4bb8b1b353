"""Several processes on one database: batch claims, the scheduler lock, IDENTIFY buckets, settings caches.

Each "process" is a Database of its own on the same data (on PostgreSQL a pool of its own): what
two Lantern processes share. The tests that need locks between processes run on PostgreSQL only.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.identify import IdentifyGate
from bot.leadership import Leadership
from bot.local_time import utc_text
from bot.sharding import fixed_size_range, identify_bucket, shard_of, shard_range
from bot.storage import Database, GuildSettingsRepository
from bot.storage.daily import DailySubscriptions, Subscription
from bot.storage.database import StorageError
from bot.storage.prompt_channels import PromptChannels
from tests import databases
from tests.databases import requires_postgres

NOW = datetime(2026, 11, 22, 9, tzinfo=UTC)


@pytest.fixture
async def two_processes() -> AsyncIterator[tuple[Database, Database]]:
    url = await databases.current().url("shared.sqlite3")
    first, second = Database(url), Database(url)
    await first.open()
    await first.migrate()
    await second.open()
    await second.migrate()
    try:
        yield first, second
    finally:
        await first.close()
        await second.close()


def test_shard_ranges_are_contiguous_and_cover_every_shard_once() -> None:
    assert [list(shard_range(10, 3, i)) for i in range(3)] == [[0, 1, 2, 3], [4, 5, 6], [7, 8, 9]]
    assert [list(fixed_size_range(10, 4, i)) for i in range(3)] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    for count in range(1, 40):
        for processes in range(1, count + 1):
            shards = [s for i in range(processes) for s in shard_range(count, processes, i)]
            assert shards == list(range(count))
    with pytest.raises(ValueError):
        shard_range(2, 3, 0)
    assert shard_of(None, 4) == 0, "DMs arrive on shard 0"
    assert shard_of(197_000_000_000_000_000, 4) == (197_000_000_000_000_000 >> 22) % 4
    assert [identify_bucket(s, 4) for s in range(6)] == [0, 1, 2, 3, 0, 1]


async def test_two_processes_claiming_at_once_never_claim_a_day_twice(two_processes: tuple[Database, Database]) -> None:
    first, second = two_processes
    due = NOW - timedelta(minutes=1)
    rows = [(user, "09:00", "UTC", None, utc_text(due), None) for user in range(1, 2001)]
    async with first.transaction():
        await first.executemany(
            "INSERT INTO daily_subscriptions (user_id, local_time, timezone, theme, next_due_utc, dm_channel_id) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )

    def plan(sub: Subscription) -> tuple[datetime, date | None]:
        return sub.next_due + timedelta(days=1), sub.next_due.date()

    async def claimer(db: Database) -> list[int]:
        store, claimed = DailySubscriptions(db), []
        while True:
            count, deliveries = await store.claim_due(NOW, 100, plan)
            claimed.extend(sub.user_id for sub, _ in deliveries)
            await asyncio.sleep(0)
            if count < 100:
                return claimed

    a, b = await asyncio.gather(claimer(first), claimer(second))
    assert not set(a) & set(b), "a member's day was claimed by both"
    assert sorted(a + b) == list(range(1, 2001)), "every due row was claimed"
    if first.dialect == "postgresql":
        assert a and b, "both processes did part of the work"
    left = await first.fetchone("SELECT COUNT(*) FROM daily_subscriptions WHERE next_due_utc <= ?", (utc_text(NOW),))
    assert left is not None and left[0] == 0


async def test_prompt_of_the_day_is_claimed_once_between_processes(two_processes: tuple[Database, Database]) -> None:
    first, second = two_processes
    for guild in range(1, 51):
        await PromptChannels(first).save(guild, guild * 10, datetime(2026, 1, 1, 9).time(), "UTC", None, NOW)

    async def claim_all(db: Database) -> list[int]:
        """As the job does: batches of 10 until a batch comes back short."""
        claimed: list[int] = []
        while True:
            count, posts = await PromptChannels(db).claim_due(
                NOW, 10, lambda c: (c.next_due + timedelta(days=1), c.next_due.date())
            )
            assert count <= 10, "never more than a batch at once"
            claimed += [channel.guild_id for channel, _ in posts]
            if count < 10:
                return claimed

    results = await asyncio.gather(*(claim_all(db) for db in (first, second, first, second)))
    claimed = [guild for result in results for guild in result]
    assert sorted(claimed) == list(range(1, 51))


@requires_postgres
async def test_a_standby_takes_over_when_the_leader_dies(two_processes: tuple[Database, Database]) -> None:
    first, second = two_processes
    leader = Leadership(first, retry=0.05)
    standby = Leadership(second, retry=0.05)
    await leader.start()
    await standby.start()
    try:
        await asyncio.sleep(0.2)
        assert leader.is_leader and not standby.is_leader, "exactly one leader"
        assert leader._session is not None and leader._task is not None
        leader._task.cancel()  # the leader's process dies: it stops trying, and its connection goes
        leader._session.conn.terminate()  # type: ignore[attr-defined]
        started = time.monotonic()
        await asyncio.wait_for(standby.wait_until_leader(), 5)
        assert time.monotonic() - started < 2.0
        await asyncio.sleep(0.2)
        assert not leader.is_leader, "the old leader stepped down when its connection died"
    finally:
        await leader.stop()
        await standby.stop()


async def test_a_lone_process_leads_from_the_start(db: Database) -> None:
    leadership = Leadership(db)
    await leadership.start()
    try:
        assert leadership.is_leader
    finally:
        await leadership.stop()
    assert not leadership.is_leader


@requires_postgres
async def test_identify_in_one_bucket_is_five_seconds_apart_across_processes(
    two_processes: tuple[Database, Database],
) -> None:
    first, second = two_processes

    async def one() -> int:
        return 1

    gates = [IdentifyGate(first, one, spacing=0.4), IdentifyGate(second, one, spacing=0.4)]
    times: list[float] = []

    async def identify(gate: IdentifyGate, shard: int) -> None:
        await gate.before_identify(shard)
        times.append(time.monotonic())

    try:
        await asyncio.gather(identify(gates[0], 0), identify(gates[1], 1))  # shards 0 and 1: one bucket
        assert abs(times[1] - times[0]) >= 0.4, "two processes identified in one bucket at once"
    finally:
        for gate in gates:
            await gate.close()


async def test_identify_buckets_do_not_wait_for_each_other(db: Database) -> None:
    async def two() -> int:
        return 2

    gate = IdentifyGate(db, two, spacing=5.0)
    try:
        started = time.monotonic()
        await gate.before_identify(0)
        await gate.before_identify(1)  # the other bucket: no wait
        assert time.monotonic() - started < 1.0
    finally:
        await gate.close()


async def test_identify_given_up_by_discord_py_stops_waiting_for_the_lock(db: Database) -> None:
    """discord.py cancels a hook that waits too long: the wait for the bucket's lock goes with it
    (on PostgreSQL it would otherwise keep a pooled connection queued in pg_advisory_lock)."""

    async def one() -> int:
        return 1

    holder, waiter = IdentifyGate(db, one, spacing=2.0), IdentifyGate(db, one, spacing=2.0)
    try:
        await holder.before_identify(0)  # bucket 0 is taken for two seconds
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(waiter.before_identify(1), 0.2)
        await asyncio.sleep(0.05)
        assert not waiter._holds, "the abandoned wait for the lock was cancelled"
    finally:
        await holder.close()
        await waiter.close()


class NoDatabase:
    """A database that cannot be asked (a PostgreSQL gone away)."""

    @contextlib.asynccontextmanager
    async def hold_lock(self, name: str) -> AsyncIterator[None]:
        raise StorageError("cannot connect to PostgreSQL")
        yield


async def test_identify_without_the_database_spaces_this_processes_shards_itself() -> None:
    async def one() -> int:
        return 1

    gate = IdentifyGate(NoDatabase(), one, spacing=0.3)  # type: ignore[arg-type]
    try:
        await gate.before_identify(0)  # no error into discord.py: it may connect
        second = asyncio.create_task(gate.before_identify(1))  # the same bucket
        done, _ = await asyncio.wait({second}, timeout=0.1)
        assert not done, "the same bucket waits out the spacing, as discord.py's own hook would"
        await asyncio.wait_for(second, 2)
    finally:
        await gate.close()


@requires_postgres
async def test_a_settings_change_in_one_process_reaches_the_others_cache() -> None:
    url = await databases.current().url("shared.sqlite3")
    first, second = Database(url), Database(url)
    here, there = GuildSettingsRepository(first), GuildSettingsRepository(second)  # as Stores does, before open
    for db in (first, second):
        await db.open()
        await db.migrate()
    try:
        assert (await there.get(42)).safety_mode == "reply"  # cached over there
        await here.update(42, safety_mode="dm")
        for _ in range(100):
            if (await there.get(42)).safety_mode == "dm":
                break
            await asyncio.sleep(0.01)
        assert (await there.get(42)).safety_mode == "dm", "the other process kept a stale copy"
        await here.forget_guild(42)
        await asyncio.sleep(0.2)
        assert (await there.get(42)).safety_mode == "reply"
    finally:
        await first.close()
        await second.close()

"""Daily DMs at scale: selecting a minute's due set, and the DM rate under Discord's global limit.

    .venv/bin/python -m benchmarks.daily [--subscriptions 100000] [--dms 2000] [--limit 50] [--members 1000]

1. 100,000 subscriptions spread over every time zone in SQLite: the time to select the set due in
   one minute with the same query the bot runs (target: at most 20 ms).
2. 2,000 DMs due at once, sent by the real bot through the emulator enforcing a global limit of
   LIMIT requests a second: the achieved DM rate as a share of that limit. Lantern paces daily
   sends at DAILY_SENDS_PER_SECOND (40 by default, leaving the rest of the token's 50/s to every
   process's replies, #16), so the target is that pace: a share of at least 0.9 × 40/50 = 0.72.
   Members' DM channels are already known (the steady state), so each DM is one request.
3. MEMBERS members (1,000 by default) due in the same minute, with no limit but the bot's own pace:
   how many got their prompt, how many got it more than once, and how long it took (target: all
   delivered, 0 duplicates). Every send of a due set runs concurrently, and each draws its prompt
   in a transaction on the one database connection, so this is where overlapping writes show.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import statistics
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.local_time import next_delivery, utc_text, zone_names
from bot.sandbox.engine import Sandbox
from bot.settings import load_settings
from bot.storage import Database
from bot.storage.daily import DailySubscriptions
from cogs import extension_names
from emulator.server import RateLimit

NOW = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)

INSERT_SUBSCRIPTIONS = (
    "INSERT INTO daily_subscriptions (user_id, local_time, timezone, theme, next_due_utc, dm_channel_id) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)


@contextlib.asynccontextmanager
async def fresh_sandbox(name: str) -> AsyncIterator[Sandbox]:
    """The real bot against the emulator, on a new database file, closed afterwards."""
    settings = load_settings(env_file=None, database_path=Path(tempfile.mkdtemp()) / name)
    sandbox = Sandbox(settings, extensions=extension_names(), start_at=NOW)
    await sandbox.start()
    try:
        yield sandbox
    finally:
        await sandbox.close()


async def members_due_in_a_minute(sandbox: Sandbox, count: int, *, known_channel: Callable[[int], bool]) -> datetime:
    """`count` members subscribed and due one minute from NOW; `known_channel(index)`: whether
    Lantern already has that member's DM channel on record. Returns the due instant."""
    emulator = sandbox.emulator
    due = NOW + timedelta(minutes=1)
    rows = []
    for index in range(count):
        member = emulator.member(f"m{index}")
        channel_id = emulator.dm_channel(member.user).id if known_channel(index) else None
        rows.append((member.id, "06:01", "UTC", None, utc_text(due), channel_id))
    async with sandbox.bot.db.transaction():
        await sandbox.bot.db.executemany(INSERT_SUBSCRIPTIONS, rows)
    return due


async def due_set_timing(count: int) -> tuple[float, int]:
    folder = tempfile.mkdtemp()
    db = Database(Path(folder) / "daily.sqlite3")
    await db.open()
    await db.migrate()
    rng = random.Random(3)
    zones = zone_names()
    rows = []
    for user_id in range(1, count + 1):
        zone = rng.choice(zones)
        at = datetime(2000, 1, 1, rng.randrange(24), rng.randrange(60)).time()
        due = next_delivery(NOW, at, ZoneInfo(zone))
        rows.append((user_id, at.strftime("%H:%M"), zone, None, utc_text(due), None))
    async with db.transaction():
        await db.executemany(INSERT_SUBSCRIPTIONS, rows)
    await db.execute("ANALYZE")
    subscriptions = DailySubscriptions(db)
    first = await subscriptions.earliest_due()
    assert first is not None
    minute = first + timedelta(minutes=1)
    timings = []
    found = 0
    for _ in range(50):
        started = time.perf_counter()
        found = len(await subscriptions.due(minute, 100_000))
        timings.append(time.perf_counter() - started)
    await db.close()
    return statistics.median(timings), found


async def dm_rate(dms: int, limit: int) -> tuple[float, float, int]:
    async with fresh_sandbox("rate.sqlite3") as sandbox:
        emulator = sandbox.emulator
        due = await members_due_in_a_minute(sandbox, dms, known_channel=lambda index: True)
        emulator.global_limit = RateLimit(limit=limit, per=1.0)
        emulator.requests.clear()
        await sandbox.bot.scheduler.advance_to(due)
        route = "POST /channels/{channel_id}/messages"
        sends = sorted(r.received for r in emulator.requests if r.route == route and r.status == 200)
        rate = (len(sends) - 1) / (sends[-1] - sends[0])
        return rate, rate / limit, len(emulator.rate_limited)


async def same_minute(members: int) -> tuple[int, int, int, float]:
    """Delivered, duplicates, members with nothing, and seconds for `members` DMs due in one minute."""
    async with fresh_sandbox("minute.sqlite3") as sandbox:
        emulator = sandbox.emulator
        # Half already have a DM channel on record, half need one opened first.
        due = await members_due_in_a_minute(sandbox, members, known_channel=lambda index: index % 2 == 1)
        started = time.perf_counter()
        await sandbox.bot.scheduler.advance_to(due + timedelta(minutes=30))
        await sandbox.settle()
        seconds = time.perf_counter() - started
        bot_id = emulator.bot_user.id
        received: dict[int, int] = {}
        for message in emulator.messages.values():
            if message.author.id == bot_id and message.channel.type == 1 and message.channel.recipient is not None:
                received[message.channel.recipient.id] = received.get(message.channel.recipient.id, 0) + 1
        delivered = sum(1 for count in received.values() if count >= 1)
        duplicates = sum(count - 1 for count in received.values() if count > 1)
        return delivered, duplicates, members - delivered, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subscriptions", type=int, default=100_000)
    parser.add_argument("--dms", type=int, default=2000)
    parser.add_argument("--limit", type=int, default=50)
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--only-same-minute", action="store_true", help="run only part 3")
    args = parser.parse_args()
    if args.only_same_minute:
        report_same_minute(args.members)
        return
    seconds, found = asyncio.run(due_set_timing(args.subscriptions))
    print(f"due set for one minute among {args.subscriptions} subscriptions: {seconds * 1000:.2f} ms ({found} due)")
    rate, share, limited = asyncio.run(dm_rate(args.dms, args.limit))
    print(f"{args.dms} due DMs against a global limit of {args.limit}/s: {rate:.1f} DMs/s, {limited} responses 429")
    print(f"due_select_ms={seconds * 1000:.2f} dm_rate_share={share:.3f}")
    report_same_minute(args.members)


def report_same_minute(members: int) -> None:
    delivered, duplicates, lost, seconds = asyncio.run(same_minute(members))
    print(
        f"{members} members due in the same minute: delivered={delivered} duplicates={duplicates} "
        f"lost={lost} seconds={seconds:.1f}"
    )


if __name__ == "__main__":
    main()

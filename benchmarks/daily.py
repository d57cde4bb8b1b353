"""Daily DMs at scale: selecting a minute's due set, and the DM rate under Discord's global limit.

    .venv/bin/python -m benchmarks.daily [--subscriptions 100000] [--dms 2000] [--limit 50]

1. 100,000 subscriptions spread over every time zone in SQLite: the time to select the set due in
   one minute with the same query the bot runs (target: at most 20 ms).
2. 2,000 DMs due at once, sent by the real bot through the emulator enforcing a global limit of
   LIMIT requests a second: the achieved DM rate as a share of that limit (target: at least 0.9).
   Members' DM channels are already known (the steady state), so each DM is one request.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
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
        await db.executemany(
            "INSERT INTO daily_subscriptions (user_id, local_time, timezone, theme, next_due_utc, dm_channel_id) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )
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
    folder = tempfile.mkdtemp()
    settings = load_settings(env_file=None, database_path=Path(folder) / "rate.sqlite3")
    sandbox = Sandbox(settings, extensions=extension_names(), start_at=NOW)
    await sandbox.start()
    try:
        emulator = sandbox.emulator
        due = NOW + timedelta(minutes=1)
        rows = []
        for index in range(dms):
            member = emulator.member(f"m{index}")
            channel = emulator.dm_channel(member.user)
            rows.append((member.id, "06:01", "UTC", None, utc_text(due), channel.id))
        db = sandbox.bot.db
        async with db.transaction():
            await db.executemany(
                "INSERT INTO daily_subscriptions (user_id, local_time, timezone, theme, next_due_utc, dm_channel_id) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                rows,
            )
        emulator.global_limit = RateLimit(limit=limit, per=1.0)
        emulator.requests.clear()
        await sandbox.bot.scheduler.advance_to(due)
        route = "POST /channels/{channel_id}/messages"
        sends = sorted(r.received for r in emulator.requests if r.route == route and r.status == 200)
        rate = (len(sends) - 1) / (sends[-1] - sends[0])
        return rate, rate / limit, len(emulator.rate_limited)
    finally:
        await sandbox.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subscriptions", type=int, default=100_000)
    parser.add_argument("--dms", type=int, default=2000)
    parser.add_argument("--limit", type=int, default=50)
    args = parser.parse_args()
    seconds, found = asyncio.run(due_set_timing(args.subscriptions))
    print(f"due set for one minute among {args.subscriptions} subscriptions: {seconds * 1000:.2f} ms ({found} due)")
    rate, share, limited = asyncio.run(dm_rate(args.dms, args.limit))
    print(f"{args.dms} due DMs against a global limit of {args.limit}/s: {rate:.1f} DMs/s, {limited} responses 429")
    print(f"due_select_ms={seconds * 1000:.2f} dm_rate_share={share:.3f}")


if __name__ == "__main__":
    main()

"""The healing tools under load: a year of check-ins as a chart, and many "check on me" DMs at once.

    .venv/bin/python -m benchmarks.healing [--days 365] [--members 1000]

1. `/checkin history days:365` for a member with a check-in every day and a pause every third day:
   the time to read the history and to render the PNG (medians of 7), its size, and how long the
   event loop is blocked while it renders, inline versus in a worker thread (what the cog does).
2. MEMBERS check-in DMs due in the same minute, sent by the real bot through the emulator: how many
   arrived, duplicates, and the seconds it took.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.healing.history import History, build_history, history_chart
from bot.local_time import utc_text
from bot.sandbox.engine import Sandbox
from bot.settings import load_settings
from bot.storage import Database, Stores
from cogs import extension_names

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


async def _loop_lag_while(work: asyncio.Future[bytes] | asyncio.Task[bytes]) -> float:
    """The longest gap between 1 ms ticks of the event loop while `work` runs (seconds)."""
    worst, last = 0.0, time.perf_counter()
    while not work.done():
        await asyncio.sleep(0.001)
        now = time.perf_counter()
        worst, last = max(worst, now - last), now
    await work
    return worst


async def history_figures(days: int) -> tuple[float, float, int, float, float]:
    folder = tempfile.mkdtemp()
    db = Database(Path(folder) / "history.sqlite3")
    await db.open()
    await db.migrate()
    stores = Stores(db)
    await stores.no_contact.start(1, (NOW - timedelta(days=days // 2)).date(), "Europe/Berlin", 0)
    async with db.transaction():
        await db.executemany(
            "INSERT INTO checkins (user_id, at_utc, mood, feelings) VALUES (1, ?, ?, 'anxious,hopeful')",
            [(utc_text(NOW - timedelta(days=d)), 1 + d % 5) for d in range(days)],
        )
        await db.executemany(
            "INSERT INTO pauses (user_id, started_at, passed) VALUES (1, ?, ?)",
            [(utc_text(NOW - timedelta(days=d, hours=3)), d % 2) for d in range(0, days, 3)],
        )
    builds, renders = [], []
    png = b""
    for _ in range(7):
        started = time.perf_counter()
        history = await build_history(stores, 1, NOW, days)
        built = time.perf_counter()
        png = history_chart(history, days)
        renders.append(time.perf_counter() - built)
        builds.append(built - started)
    inline_lag = await _loop_lag_while(asyncio.ensure_future(_inline(history, days)))
    thread_lag = await _loop_lag_while(asyncio.ensure_future(asyncio.to_thread(history_chart, history, days)))
    await db.close()
    return statistics.median(builds), statistics.median(renders), len(png), inline_lag, thread_lag


async def _inline(history: History, days: int) -> bytes:
    await asyncio.sleep(0.002)  # let the lag probe take its first tick
    return history_chart(history, days)


async def checkin_dms(members: int) -> tuple[int, int, float]:
    folder = tempfile.mkdtemp()
    settings = load_settings(env_file=None, database_path=Path(folder) / "checkins.sqlite3")
    sandbox = Sandbox(settings, extensions=extension_names(), start_at=NOW)
    await sandbox.start()
    try:
        emulator, stores = sandbox.emulator, sandbox.bot.stores
        due = NOW + timedelta(minutes=20)
        users = [emulator.member(f"m{index}") for index in range(members)]
        for member in users:
            pause_id = await stores.pauses.start(member.id, NOW)
            await stores.pauses.schedule_checkin(pause_id, member.id, due)
        started = time.perf_counter()
        await sandbox.bot.scheduler.advance_to(due)
        await sandbox.settle()
        seconds = time.perf_counter() - started
        per_member = Counter(
            m.channel.recipient.id for m in emulator.messages.values() if m.channel.type == 1 and m.channel.recipient
        )
        delivered = sum(1 for member in users if per_member[member.id] >= 1)
        duplicates = sum(count - 1 for count in per_member.values() if count > 1)
        return delivered, duplicates, seconds
    finally:
        await sandbox.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--members", type=int, default=1000)
    args = parser.parse_args()
    build, render, size, inline_lag, thread_lag = asyncio.run(history_figures(args.days))
    print(
        f"history of {args.days} days: read {build * 1000:.1f} ms, render {render * 1000:.0f} ms, "
        f"PNG {size / 1024:.0f} kB"
    )
    print(
        f"event loop blocked while rendering: inline {inline_lag * 1000:.0f} ms, in a thread {thread_lag * 1000:.1f} ms"
    )
    delivered, duplicates, seconds = asyncio.run(checkin_dms(args.members))
    print(f"{args.members} check-in DMs due at once: {delivered} delivered, {duplicates} duplicates, {seconds:.1f} s")
    print(
        f"render_ms={render * 1000:.0f} loop_lag_ratio_thread/inline={thread_lag / inline_lag:.3f} "
        f"checkin_delivered_share={delivered / args.members:.3f} duplicates={duplicates}"
    )


if __name__ == "__main__":
    main()

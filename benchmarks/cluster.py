"""Lantern past one machine: two processes, one PostgreSQL, one emulated Discord, a kill partway.

    scripts/pg-throwaway --durable -- .venv/bin/python -m benchmarks.cluster [--subscriptions 10000]

1. The cluster: one emulator (40 guilds over 4 shards, max_concurrency 1 and Discord's IDENTIFY
   bucket rule, the global limit of 50 requests a second), one PostgreSQL, two Lantern processes
   (`benchmarks/cluster_worker.py`, real subprocesses, two shards each). SUBSCRIPTIONS daily
   prompts fall due over WINDOW seconds; the process running the scheduler is killed (SIGKILL)
   partway. Measured: prompts a member got twice for one day, prompts never sent among those due
   after the kill (a crash costs at most the batch it had claimed), IDENTIFY clashes, the most
   requests in any second, 429s from the global limit, and how long the standby took to lead.
2. Claiming due rows: 100,000 all due, claimed by two processes at once in batches (duplicates
   and milliseconds), and one minute's due set among 1,000,000; the same claims on SQLite (one
   process) for comparison.

Needs DATABASE_URL=postgresql://… (scripts/pg-throwaway sets it). The last line is the summary.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import random
import secrets
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import asyncpg

from bot.local_time import utc_text
from bot.storage import Database
from bot.storage.daily import DailySubscriptions, Subscription
from emulator import state as st
from emulator.limits import RateLimit
from emulator.routes.base import API_PREFIX
from emulator.server import Emulator
from emulator.sharding import ShardingRules

PROMPT = "Your reflection for today:"
SHARDS, GUILDS = 4, 40


def in_schema(url: str, schema: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "search_path"] + [("search_path", schema)]
    return parts._replace(query=urlencode(query)).geturl()


async def fresh_schema(url: str) -> str:
    schema = f"bench_{secrets.token_hex(5)}"
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(f"CREATE SCHEMA {schema}")
    finally:
        await conn.close()
    return in_schema(url, schema)


async def open_db(url: str) -> Database:
    db = Database(url)
    await db.open()
    await db.migrate()
    return db


# ----- 2. claims ----------------------------------------------------------------------------------
def _plan(sub: Subscription) -> tuple[datetime, date | None]:
    return sub.next_due + timedelta(days=1), sub.next_due.date()


async def claim_all(dbs: list[Database], now: datetime, batch: int = 500) -> tuple[float, int, int]:
    """Every due row claimed by `dbs` at once: (milliseconds, rows claimed, rows claimed twice)."""

    async def claimer(db: Database) -> list[int]:
        store, got = DailySubscriptions(db), []
        while True:
            count, deliveries = await store.claim_due(now, batch, _plan)
            got.extend(sub.user_id for sub, _ in deliveries)
            if count < batch:
                return got

    started = time.perf_counter()
    results = await asyncio.gather(*(claimer(db) for db in dbs))
    elapsed = (time.perf_counter() - started) * 1000
    every = [user for result in results for user in result]
    return elapsed, len(every), len(every) - len(set(every))


async def fill_postgres(url: str, count: int, *, spread_minutes: int, start: datetime) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(
            "INSERT INTO daily_subscriptions (user_id, local_time, timezone, next_due_utc) "
            "SELECT g, to_char(t, 'HH24:MI'), 'UTC', to_char(t, 'YYYY-MM-DD\"T\"HH24:MI:SS\"+00:00\"') FROM ("
            "SELECT g, $1::timestamp + ((g % $2) * interval '1 minute') AS t FROM generate_series(1, $3) g) s",
            start.replace(tzinfo=None),
            spread_minutes,
            count,
        )
        await conn.execute("ANALYZE daily_subscriptions")
    finally:
        await conn.close()


async def fill_sqlite(db: Database, count: int, *, spread_minutes: int, start: datetime) -> None:
    rows = []
    for user in range(1, count + 1):
        due = start + timedelta(minutes=user % spread_minutes)
        rows.append((user, due.strftime("%H:%M"), "UTC", utc_text(due)))
    async with db.transaction():
        await db.executemany(
            "INSERT INTO daily_subscriptions (user_id, local_time, timezone, next_due_utc) VALUES (?, ?, ?, ?)", rows
        )
    await db.execute("ANALYZE")


async def claims(url: str) -> dict[str, str]:
    start = datetime(2026, 11, 22, 0, 0, tzinfo=UTC)
    out: dict[str, str] = {}
    # 100,000 all due, two processes (two pools) at once
    pg = await fresh_schema(url)
    first, second = await open_db(pg), await open_db(pg)
    await fill_postgres(pg, 100_000, spread_minutes=1, start=start)
    ms, claimed, doubled = await claim_all([first, second], start + timedelta(minutes=1))
    out.update(claim_ms_100k=f"{ms:.0f}", claim_100k_claimed=str(claimed), claim_100k_duplicates=str(doubled))
    await first.close()
    await second.close()
    # one minute's due set among 1,000,000 spread over the day
    pg = await fresh_schema(url)
    db = await open_db(pg)
    await fill_postgres(pg, 1_000_000, spread_minutes=1440, start=start)
    ms, claimed, _ = await claim_all([db], start + timedelta(hours=9))
    ms_minute, minute_claimed, _ = await claim_all([db], start + timedelta(hours=9, minutes=1))
    out.update(claim_ms_1m=f"{ms_minute:.1f}", claim_1m_rows=str(minute_claimed))
    await db.close()
    # the same on SQLite, one process
    with tempfile.TemporaryDirectory() as folder:
        lite = await open_db(str(Path(folder) / "claims.sqlite3"))
        await fill_sqlite(lite, 100_000, spread_minutes=1, start=start)
        ms, claimed, _ = await claim_all([lite], start + timedelta(minutes=1))
        out.update(sqlite_claim_ms_100k=f"{ms:.0f}")
        await lite.close()
        lite = await open_db(str(Path(folder) / "claims_1m.sqlite3"))
        await fill_sqlite(lite, 1_000_000, spread_minutes=1440, start=start)
        await claim_all([lite], start + timedelta(hours=9))
        ms_minute, minute_claimed, _ = await claim_all([lite], start + timedelta(hours=9, minutes=1))
        out.update(sqlite_claim_ms_1m=f"{ms_minute:.1f}")
        await lite.close()
    return out


# ----- 1. the cluster -------------------------------------------------------------------------------
class Worker:
    def __init__(self, index: int, proc: asyncio.subprocess.Process) -> None:
        self.index = index
        self.proc = proc
        self.events: list[tuple[str, float]] = []
        self.reader = asyncio.get_running_loop().create_task(self._read())

    async def _read(self) -> None:
        assert self.proc.stdout is not None
        async for raw in self.proc.stdout:
            word, _, when = raw.decode().strip().partition(" ")
            if word in ("LEADER", "STANDBY", "READY"):
                self.events.append((word, float(when)))

    def said(self, word: str) -> list[float]:
        return [t for w, t in self.events if w == word]

    @property
    def leading(self) -> bool:
        last = [w for w, _ in self.events if w in ("LEADER", "STANDBY")]
        return bool(last) and last[-1] == "LEADER"


async def wait_for(condition: Callable[[], bool], timeout: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        await asyncio.sleep(step)
    return condition()


def max_in_any_second(times: list[float]) -> int:
    times = sorted(times)
    best, left = 0, 0
    for right, at in enumerate(times):
        while at - times[left] >= 1.0:
            left += 1
        best = max(best, right - left + 1)
    return best


async def cluster(url: str, subscriptions: int, window: float, kill_after: float) -> dict[str, str]:
    pg = await fresh_schema(url)
    db = await open_db(pg)
    rng = random.Random(7)
    emulator = Emulator(
        guild_shard=(3, SHARDS),
        sharding=ShardingRules(recommended_shards=SHARDS, max_concurrency=1, identify_interval=5.0),
    )
    for n in range(GUILDS - 1):
        guild = emulator.add_guild(f"server {n}", shard=(rng.randrange(SHARDS), SHARDS))
        emulator.channel("general", guild=guild)
    emulator.global_limit = RateLimit(50, 1.0)
    await emulator.start()
    # Members with DM channels Lantern already knows (the steady state: one request per prompt).
    start = datetime.now(UTC) + timedelta(seconds=40)  # after four shards identify, 5 s apart
    rows, users = [], {}
    for n in range(subscriptions):
        user = st.User(emulator.ids.next(), f"member{n}")
        channel = emulator.dm_channel(user)
        users[channel.id] = user.id
        due = start + timedelta(seconds=window * n / subscriptions)
        rows.append((user.id, due.strftime("%H:%M"), "UTC", utc_text(due), channel.id))
    async with db.transaction():
        await db.executemany(
            "INSERT INTO daily_subscriptions (user_id, local_time, timezone, next_due_utc, dm_channel_id) "
            "VALUES (?, ?, ?, ?, ?)",
            rows,
        )
    await db.close()
    env = {
        **os.environ,
        "DATABASE_URL": pg,
        "DISCORD_TOKEN": emulator.token,
        "SHARD_COUNT": str(SHARDS),
        "CLUSTERS": "2",
        "DAILY_SENDS_PER_SECOND": "40",
    }
    workers = []
    for index in (0, 1):
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "benchmarks.cluster_worker",
            emulator.base_url + API_PREFIX,
            emulator.gateway_url,
            env={**env, "CLUSTER_INDEX": str(index)},
            stdout=asyncio.subprocess.PIPE,
        )
        workers.append(Worker(index, proc))
    await wait_for(lambda: all(w.said("READY") for w in workers), 120)

    def prompts() -> list[st.Message]:
        return [m for m in emulator.messages.values() if m.content == PROMPT]

    # Kill the leader partway through the due window.
    kill_at = start.timestamp() + kill_after
    await asyncio.sleep(max(0.0, kill_at - time.time()))
    leader = next((w for w in workers if w.leading), workers[0])
    standby = next(w for w in workers if w is not leader)
    leader.proc.send_signal(signal.SIGKILL)
    killed = time.time()
    sent_before_kill = len(prompts())
    await wait_for(lambda: standby.leading, 30, step=0.005)
    failover = (standby.said("LEADER")[-1] - killed) if standby.said("LEADER") else float("nan")
    # Everything due has been delivered (or lost to the kill) once the DM count stops moving.
    end = start.timestamp() + window
    await asyncio.sleep(max(0.0, end - time.time()))
    last, still = -1, 0
    while still < 5:
        count = len(prompts())
        still = still + 1 if count == last else 0
        last = count
        await asyncio.sleep(1.0)
    standby.proc.send_signal(signal.SIGTERM)
    try:
        await asyncio.wait_for(standby.proc.wait(), 20)
    except TimeoutError:
        standby.proc.kill()
    per_member = collections.Counter(users.get(m.channel.id) for m in prompts())
    # Each member has one day due. A day claimed twice is two send requests, which enforce_nonce
    # (the same nonce within minutes) folds into one message: count successful send requests.
    sends_per_member = collections.Counter(
        users.get(int(r.path.split("/")[2]))
        for r in emulator.requests
        if r.route == "POST /channels/{channel_id}/messages"
        and 200 <= r.status < 300
        and isinstance(r.response, dict)
        and r.response.get("content") == PROMPT
    )
    duplicates = sum(n - 1 for n in sends_per_member.values() if n > 1)
    missed = subscriptions - len(per_member)
    # Discord's global limit counts requests made with the bot token; interaction answers and
    # follow-ups (/interactions, /webhooks) carry their own token and do not count.
    sends = [r.received for r in emulator.requests if not r.path.startswith(("/interactions", "/webhooks"))]
    global_429 = len(emulator.rate_limited)
    await emulator.close()
    return {
        "delivered": str(len(per_member)),
        "sent_before_kill": str(sent_before_kill),
        "duplicates": str(duplicates),
        "missed_after_kill": str(missed),
        "identify_clashes": str(emulator.identify_clashes),
        "max_requests_in_any_second": str(max_in_any_second(sends)),
        "global_429": str(global_429),
        "failover_s": f"{failover:.2f}",
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subscriptions", type=int, default=10_000)
    parser.add_argument("--window", type=float, default=180.0, help="seconds over which they fall due")
    parser.add_argument("--kill-after", type=float, default=60.0, help="seconds into the window")
    parser.add_argument("--skip-claims", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgresql://", "postgres://")):
        sys.exit("benchmarks.cluster needs DATABASE_URL=postgresql://… (scripts/pg-throwaway -- … sets it)")
    run = await cluster(url, args.subscriptions, args.window, args.kill_after)
    print(
        f"cluster: {args.subscriptions} due over {args.window:.0f} s, 2 processes x 2 shards, {GUILDS} guilds; "
        f"delivered={run['delivered']} sent_before_kill={run['sent_before_kill']}"
    )
    claim = {} if args.skip_claims else await claims(url)
    if claim:
        print(
            f"claims on PostgreSQL: 100,000 due, 2 processes: {claim['claim_ms_100k']} ms, "
            f"{claim['claim_100k_claimed']} claimed, {claim['claim_100k_duplicates']} twice; one minute "
            f"({claim['claim_1m_rows']} rows) among 1,000,000: {claim['claim_ms_1m']} ms"
        )
        print(
            f"claims on SQLite (one process): 100,000 due: {claim['sqlite_claim_ms_100k']} ms; one minute among "
            f"1,000,000: {claim['sqlite_claim_ms_1m']} ms"
        )
    print(
        f"duplicates={run['duplicates']} missed_after_kill={run['missed_after_kill']} "
        f"identify_clashes={run['identify_clashes']} max_requests_in_any_second={run['max_requests_in_any_second']} "
        f"global_429={run['global_429']} claim_ms_100k={claim.get('claim_ms_100k', '-')} "
        f"claim_ms_1m={claim.get('claim_ms_1m', '-')} failover_s={run['failover_s']} "
        f"sqlite_claim_ms_100k={claim.get('sqlite_claim_ms_100k', '-')} "
        f"sqlite_claim_ms_1m={claim.get('sqlite_claim_ms_1m', '-')}"
    )


if __name__ == "__main__":
    asyncio.run(main())

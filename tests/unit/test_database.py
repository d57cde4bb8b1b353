"""Transactions on either back end: concurrent ones, plain statements beside them, nesting.

SQLite has one connection and one writer at a time; PostgreSQL a pool, where a read-modify-write
takes a lock (`lock_in_transaction`) as the repositories that need one do.
"""

from __future__ import annotations

import asyncio
import random

import pytest

from bot.storage import Database, Stores, postgres
from bot.storage.database import StorageError
from bot.storage.postgres import PostgresDatabase
from tests import databases
from tests.databases import requires_postgres


async def make_counter(db: Database) -> None:
    await db.execute("CREATE TABLE IF NOT EXISTS counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)")
    await db.execute("INSERT INTO counter (id, n) VALUES (1, 0) ON CONFLICT (id) DO UPDATE SET n = excluded.n")


async def count(db: Database) -> int:
    row = await db.fetchone("SELECT n FROM counter WHERE id = 1")
    assert row is not None
    return int(row[0])


async def test_concurrent_transactions_all_commit_and_none_is_lost(db: Database) -> None:
    await make_counter(db)

    async def increment() -> None:
        async with db.transaction():
            await db.lock_in_transaction("counter")
            current = await count(db)
            await asyncio.sleep(0)  # let every other task try to start its own transaction now
            await db.execute("UPDATE counter SET n = ? WHERE id = 1", (current + 1,))

    await asyncio.gather(*(increment() for _ in range(200)))
    assert await count(db) == 200


async def test_a_plain_statement_never_lands_inside_another_tasks_transaction(db: Database) -> None:
    await db.execute("CREATE TABLE notes (who TEXT)")
    inside = asyncio.Event()
    release = asyncio.Event()

    async def doomed_transaction() -> None:
        with pytest.raises(RuntimeError):
            async with db.transaction():
                await db.execute("INSERT INTO notes VALUES ('a')")
                inside.set()
                await release.wait()
                raise RuntimeError("rolled back")

    async def plain_write() -> None:
        await inside.wait()
        await db.execute("INSERT INTO notes VALUES ('b')")  # must wait for A, then commit on its own

    a = asyncio.create_task(doomed_transaction())
    b = asyncio.create_task(plain_write())
    await inside.wait()
    await asyncio.sleep(0.01)
    if db.dialect == "sqlite":  # one connection: B waits its turn (PostgreSQL gives B a connection of its own)
        assert not b.done(), "B ran while A's transaction held the connection"
    release.set()
    await asyncio.gather(a, b)
    assert [row[0] for row in await db.fetchall("SELECT who FROM notes")] == ["b"]


async def test_reads_outside_a_transaction_never_see_its_uncommitted_writes(db: Database) -> None:
    await make_counter(db)
    written = asyncio.Event()
    release = asyncio.Event()

    async def writer() -> None:
        with pytest.raises(RuntimeError):
            async with db.transaction():
                await db.execute("UPDATE counter SET n = 99 WHERE id = 1")
                written.set()
                await release.wait()
                raise RuntimeError("rolled back")

    task = asyncio.create_task(writer())
    await written.wait()
    read = asyncio.create_task(count(db))
    await asyncio.sleep(0.01)
    release.set()
    await task
    assert await read == 0, "the read saw a write that was then rolled back"


async def test_nested_transaction_is_a_savepoint(db: Database) -> None:
    await make_counter(db)
    async with db.transaction():
        await db.execute("UPDATE counter SET n = 1 WHERE id = 1")
        with pytest.raises(ValueError):
            async with db.transaction():
                await db.execute("UPDATE counter SET n = 2 WHERE id = 1")
                raise ValueError("inner fails")
        assert await count(db) == 1
        async with db.transaction():
            await db.execute("UPDATE counter SET n = n + 10 WHERE id = 1")
    assert await count(db) == 11


async def test_tasks_started_inside_a_transaction_share_it(db: Database) -> None:
    """asyncio.wait_for runs its coroutine in a new task: it must not wait for its own parent."""
    await make_counter(db)
    async with db.transaction():
        await asyncio.wait_for(db.execute("UPDATE counter SET n = 5 WHERE id = 1"), 2)
    assert await count(db) == 5


async def test_forget_runs_every_repository_inside_one_transaction_while_others_write(db: Database) -> None:
    stores = Stores(db)
    rng = random.Random(0)
    for member in range(1, 41):
        await stores.member_settings.set_region(member, "UK")
        await stores.prompt_rotation.next_prompt(member, "*", ["a", "b", "c"], rng)

    async def forget(member: int) -> None:
        await stores.forget.forget_member(member)

    async def write(member: int) -> None:
        await stores.prompt_rotation.next_prompt(member + 100, "*", ["a", "b", "c"], random.Random(member))

    await asyncio.gather(*(forget(m) for m in range(1, 41)), *(write(m) for m in range(1, 41)))
    left = await db.fetchone("SELECT COUNT(*) FROM member_settings")
    assert left is not None and left[0] == 0
    written = await db.fetchone("SELECT COUNT(DISTINCT user_id) FROM prompt_rotation")
    assert written is not None and written[0] == 40


async def test_close_waits_for_an_open_transaction(db: Database) -> None:
    await make_counter(db)
    started = asyncio.Event()

    async def slow() -> None:
        async with db.transaction():
            started.set()
            await asyncio.sleep(0.02)
            await db.execute("UPDATE counter SET n = 7 WHERE id = 1")

    task = asyncio.create_task(slow())
    await started.wait()
    await db.close()
    await task  # finished and committed instead of failing with "the database is not open"
    await db.open()
    assert await count(db) == 7


@requires_postgres
async def test_a_hung_postgresql_fails_a_statement_in_time_and_a_dead_client_is_noticed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A statement or a wait for a pooled connection gives up (StorageError, so callers' storage
    handling applies) instead of hanging a crisis reply; the server probes idle clients (keepalives)."""
    monkeypatch.setattr(postgres, "COMMAND_TIMEOUT", 0.3)
    monkeypatch.setattr(postgres, "ACQUIRE_TIMEOUT", 0.3)
    db = PostgresDatabase(await databases.current().url("hung"), pool_max=1)
    await db.open()
    try:
        with pytest.raises(StorageError, match="in time"):
            await db.fetchone("SELECT pg_sleep(5)")
        row = await db.fetchone("SHOW tcp_keepalives_idle")
        assert row is not None and row[0] == "30", "the server drops a dead client within about a minute"

        async def hold_the_only_connection(held: asyncio.Event, done: asyncio.Event) -> None:
            async with db.transaction():
                held.set()
                await done.wait()

        held, done = asyncio.Event(), asyncio.Event()
        holder = asyncio.create_task(hold_the_only_connection(held, done))
        await held.wait()
        with pytest.raises(StorageError, match="in time"):
            await db.fetchone("SELECT 1")
        with pytest.raises(StorageError, match="in time"):
            async with db.transaction():
                pass
        done.set()
        await holder
        assert await db.fetchone("SELECT 1") is not None
    finally:
        await db.close()

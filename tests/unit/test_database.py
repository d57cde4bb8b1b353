"""Transactions on either back end: concurrent ones, plain statements beside them, nesting.

SQLite has one connection and one writer at a time; PostgreSQL a pool, where a read-modify-write
takes a lock (`lock_in_transaction`) as the repositories that need one do.
"""

from __future__ import annotations

import asyncio
import random

import pytest

from bot.storage import Database, Stores


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

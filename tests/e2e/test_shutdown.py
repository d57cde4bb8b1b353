"""Shutting down while members are being answered: what is in flight finishes before storage closes."""

from __future__ import annotations

import asyncio
import logging
import sys
from datetime import time, timedelta
from pathlib import Path

import pytest

from bot.client import LanternBot
from bot.clock import ManualClock
from bot.local_time import utc_text
from bot.sandbox.engine import Sandbox
from bot.settings import load_settings
from bot.storage import Database
from cogs import extension_names
from emulator.server import Emulator
from tests import databases
from tests.conformance import checked_emulators
from tests.e2e.conftest import START


async def test_shutdown_lets_a_message_being_handled_finish(
    sandbox: Sandbox, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    emulator = sandbox.emulator
    arrived, release = asyncio.Event(), asyncio.Event()

    async def hold_replies(route: str) -> None:
        if route == "POST /channels/{channel_id}/messages":
            arrived.set()
            await release.wait()

    emulator.request_gate = hold_replies
    member = emulator.member("member")
    await emulator.send_message(member, emulator.channel("general"), "he blocked me on everything")
    await asyncio.wait_for(arrived.wait(), 5)  # the reply is on its way
    closing = asyncio.create_task(sandbox.bot.close())
    try:
        await asyncio.sleep(0.05)
        assert not closing.done(), "shutdown waits for the handler"
    finally:
        release.set()
        await asyncio.wait_for(closing, 10)
        emulator.request_gate = None
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], errors
    replies = [m for m in emulator.messages.values() if m.author.id == emulator.bot_user.id]
    assert len(replies) == 1
    db = Database(sandbox.settings.database_url)
    await db.open()
    try:
        row = await db.fetchone("SELECT COUNT(*) FROM safety_cooldowns WHERE user_id = ?", (member.id,))
        assert row is not None and row[0] == 1, "the cooldown was recorded before storage closed"
    finally:
        await db.close()


async def test_shutdown_stops_claiming_daily_prompts_and_sends_every_day_it_claimed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A deploy: the live scheduler claims nothing more once shutdown starts, steps down at once,
    sends the batch it claimed (not cancelled halfway), and leaves the rest due for the standby."""
    clock = ManualClock(START)
    emulator = Emulator(now=clock.now)
    checked_emulators.append(emulator)
    await emulator.start()
    url = await databases.current().url("deploy.sqlite3")
    bot = LanternBot(load_settings(env_file=None, database_url=url), extensions=extension_names(), clock=clock)
    arrived, release = asyncio.Event(), asyncio.Event()

    async def hold_prompts(route: str) -> None:
        if route == "POST /channels/{channel_id}/messages":
            arrived.set()
            await release.wait()

    due = START.replace(hour=9)
    with emulator.point_discord_py_here():
        running = asyncio.create_task(bot.start(emulator.token))
        try:
            await asyncio.wait_for(bot.wait_until_ready(), 20)
            daily = sys.modules[type(bot.get_cog("Daily")).__module__]  # the module as the bot loaded it
            monkeypatch.setattr(daily, "MIN_BATCH", 4)
            monkeypatch.setattr(daily, "CLAIM_SECONDS", 0.0)  # batches of 4
            for i in range(10):
                await bot.stores.daily.save(emulator.member(f"member{i}").id, time(9), "UTC", None, due, None)
            emulator.request_gate = hold_prompts
            clock.set(due + timedelta(minutes=1))
            bot.scheduler.wake_local()
            await asyncio.wait_for(arrived.wait(), 5)  # the first batch is being sent
            closing = asyncio.create_task(bot.close())
            await asyncio.sleep(0.05)
            assert not bot.leadership.is_leader, "stepped down while its claimed batch is still being sent"
            release.set()
            await asyncio.wait_for(closing, 15)
        finally:
            release.set()
            emulator.request_gate = None
            await bot.close()
            running.cancel()
            await asyncio.gather(running, return_exceptions=True)
            await emulator.close()
    sent = [m for m in emulator.messages.values() if m.content == "Your reflection for today:"]
    db = Database(url)
    await db.open()
    try:
        rows = await db.fetchall("SELECT next_due_utc FROM daily_subscriptions")
    finally:
        await db.close()
    claimed = [r[0] for r in rows if r[0] > utc_text(due)]
    assert len(claimed) == 4, "only the batch under way was claimed; the rest is left for a standby"
    assert len(sent) == len(claimed), "every claimed day was sent"

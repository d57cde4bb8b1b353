"""Shutting down while members are being answered: what is in flight finishes before storage closes."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from bot.sandbox.engine import Sandbox
from bot.storage import Database


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

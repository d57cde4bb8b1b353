"""Discord did the work but its answer was lost (a 5xx after success): nothing is doubled or misreported.

Every test injects the fault with `Emulator.fail_after_success`, checks that it happened, and
counts what members and moderators actually see.
"""

from __future__ import annotations

import logging

import pytest

from bot.sandbox.engine import Sandbox
from emulator import state as st

SEND = "POST /channels/{channel_id}/messages"
BLOCKED = "he blocked me on everything"
CRISIS = "i don't want to be alive anymore"


def reported_failures(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Lantern's own warnings that a send failed (it did not: only the answer was lost)."""
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING and r.name.startswith("cogs.")]


def bot_messages(sandbox: Sandbox, channel: st.Channel) -> list[st.Message]:
    bot_id = sandbox.emulator.bot_user.id
    return [m for m in sandbox.emulator.messages.values() if m.author.id == bot_id and m.channel is channel]


async def test_a_safety_reply_is_posted_once(sandbox: Sandbox, caplog: pytest.LogCaptureFixture) -> None:
    lost = sandbox.emulator.fail_after_success(SEND, status=503)
    [reply] = await sandbox.run_line(BLOCKED)
    assert lost == [503]
    assert reply["reply_to"] == "member"
    assert len(bot_messages(sandbox, sandbox.emulator.channel("general"))) == 1
    assert sandbox.errors == [] and reported_failures(caplog) == []


async def test_a_safety_dm_that_arrived_is_not_followed_by_a_public_reply(sandbox: Sandbox) -> None:
    emulator = sandbox.emulator
    await sandbox.bot.stores.guild_settings.update(emulator.guild_id, safety_mode="dm")
    lost = emulator.fail_after_success(SEND, status=503)
    shown = await sandbox.run_line(CRISIS)
    assert lost == [503]
    assert [s["visibility"] for s in shown] == ["dm"], "one DM, and no public reply as if DMs were closed"
    assert len(bot_messages(sandbox, emulator.dm_channel(emulator.member("member").user))) == 1


async def test_a_crisis_alert_reaches_moderators_once(sandbox: Sandbox, caplog: pytest.LogCaptureFixture) -> None:
    emulator = sandbox.emulator
    mods = await emulator.create_channel("mods")
    await sandbox.settle()
    await sandbox.bot.stores.guild_settings.update(emulator.guild_id, alert_channel_id=mods.id, safety_mode="alert")
    lost = emulator.fail_after_success(SEND, status=503)
    await sandbox.run_line(CRISIS)
    assert lost == [503]
    assert len(bot_messages(sandbox, mods)) == 1
    assert reported_failures(caplog) == []


async def test_the_prompt_of_the_day_is_posted_once(sandbox: Sandbox, caplog: pytest.LogCaptureFixture) -> None:
    await sandbox.run_line(":as mod mod")
    await sandbox.run_line("/config prompt-channel channel:#general time:09:00 timezone:UTC")
    general = sandbox.emulator.channel("general")
    lost = sandbox.emulator.fail_after_success(SEND, status=503)
    await sandbox.run_line(":wait 1d")
    assert lost == [503]
    assert [m.content for m in bot_messages(sandbox, general)].count("Today's reflection:") == 1
    assert reported_failures(caplog) == []

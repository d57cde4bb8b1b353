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


CALLBACK = "POST /interactions/{interaction_id}/{token}/callback"
FILL_IN = "PATCH /webhooks/{webhook_id}/{token}/messages/{message_id}"


def failures_shown(shown: list[dict[str, object]]) -> list[object]:
    return [s for s in shown if "error" in s or "went wrong" in str(s.get("content"))]


async def test_a_command_reply_whose_answer_was_lost_is_treated_as_sent(sandbox: Sandbox) -> None:
    lost = sandbox.emulator.fail_after_success(CALLBACK, status=503)
    shown = await sandbox.run_line("/reflect")
    assert lost == [503]
    assert [s["embeds"][0]["title"].startswith("Reflection") for s in shown] == [True]
    assert failures_shown(shown) == [] and sandbox.errors == []


async def test_a_reply_repeated_by_discord_py_after_a_500_is_treated_as_sent(sandbox: Sandbox) -> None:
    lost = sandbox.emulator.fail_after_success(CALLBACK, status=500)
    shown = await sandbox.run_line("/help")  # discord.py repeats it; Discord: already acknowledged
    assert lost == [500]
    assert len(shown) == 1 and shown[0]["embeds"][0]["title"] == "Lantern"
    assert failures_shown(shown) == [] and sandbox.errors == []


async def test_a_deferred_reply_whose_answer_was_lost_is_shown_once(sandbox: Sandbox) -> None:
    """discord.py repeats a webhook request after any 5xx: filling in the deferred reply is an edit,
    so the repeat changes nothing (a follow-up would have been posted twice)."""
    lost = sandbox.emulator.fail_after_success(FILL_IN, status=503)
    shown = await sandbox.run_line("/daily start time:09:00 timezone:Europe/Berlin")
    assert lost == [503]
    new_messages = [s for s in shown if not s.get("edited")]  # the repeat is an edit to the same text
    assert [s["visibility"] for s in new_messages] == ["dm", "ephemeral"]
    assert all(s["content"].startswith("Done") for s in shown[1:])
    assert failures_shown(shown) == [] and sandbox.errors == []


async def test_a_request_to_talk_that_reached_the_moderators_is_confirmed_once(sandbox: Sandbox) -> None:
    emulator = sandbox.emulator
    mods = await emulator.create_channel("mods")
    await sandbox.settle()
    await sandbox.bot.stores.guild_settings.update(emulator.guild_id, alert_channel_id=mods.id)
    await sandbox.run_line(CRISIS)
    before = len(bot_messages(sandbox, mods))
    lost = emulator.fail_after_success(SEND, status=503)
    shown = await sandbox.run_line(":click Talk to a moderator")
    assert lost == [503]
    assert len(bot_messages(sandbox, mods)) == before + 1, "one request reached the moderators"
    [answer] = [s for s in shown if s["visibility"] == "ephemeral"]
    assert "asked this server's moderators" in answer["content"], "and the member is told so, not that it failed"


async def test_the_arrival_message_that_reached_the_server_is_not_also_sent_to_the_owner(sandbox: Sandbox) -> None:
    emulator = sandbox.emulator
    await emulator.remove_bot_from_guild()
    lost = emulator.fail_after_success(SEND, status=503)
    await emulator.add_bot_to_guild(system_channel="welcome")
    await sandbox.settle()
    assert lost == [503]
    sent = [m.channel.label for m in emulator.messages.values() if m.author.id == emulator.bot_user.id]
    assert sent == ["#welcome"], "once, where it arrived; not a second copy by DM to the owner"

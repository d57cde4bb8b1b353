"""Many members at once: nothing lost, nothing doubled, no command fails because another ran.

The sandbox runs one line at a time; here the emulator dispatches many events before the bot has
handled the first, then `settle()` waits for all of them, as a busy server would.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.safety.policy import CHANNEL_FLOOD_LIMIT
from bot.sandbox.engine import Sandbox
from emulator import state as st
from emulator.invocation import parse_command_line
from emulator.server import InteractionRecord
from tests.e2e.conftest import burst_limits, start_sandbox

PROMPT = "Your reflection for today:"
FAILED = "something went wrong"
MEMBERS = 50
# Fifty replies in one channel at once would take Discord's per-channel bucket (5 per 5 s) fifty
# seconds; these tests are about what is answered, not how fast, so the buckets are raised (#15).
pytestmark = pytest.mark.burst


def bot_messages_since(sandbox: Sandbox, before: set[int]) -> list[st.Message]:
    bot_id = sandbox.emulator.bot_user.id
    return [m for i, m in sandbox.emulator.messages.items() if i not in before and m.author.id == bot_id]


async def everyone_at_once(sandbox: Sandbox, line: str, members: list[st.Member]) -> list[InteractionRecord]:
    """Every member runs `line` before the bot has answered any of them."""
    emulator = sandbox.emulator
    invocation = parse_command_line(line)
    channel = emulator.channel("general")
    records = [await emulator.invoke(member, channel, invocation) for member in members]
    await sandbox.settle()
    return records


def assert_all_answered(sandbox: Sandbox, line: str, records: list[InteractionRecord], before: set[int]) -> None:
    unanswered = [r.user.name for r in records if not r.responded]
    failures = [m.content for m in bot_messages_since(sandbox, before) if FAILED in m.content]
    assert not unanswered and not failures, f"{line}: {len(failures)} failed, {len(unanswered)} unanswered"


async def test_thirty_members_due_in_the_same_minute_each_get_one_prompt_a_day(tmp_path: Path) -> None:
    sandbox = await start_sandbox(tmp_path, start_at=datetime(2026, 11, 22, 6, tzinfo=UTC), limits=burst_limits())
    try:
        sandbox.bot.get_cog("Daily").delivery.pacer.interval = 0  # real Discord pacing is tested elsewhere
        for index in range(30):
            await sandbox.run_line(f":as member{index}")
            await sandbox.run_line("/daily start time:09:00 timezone:Europe/Berlin")
        await sandbox.run_line(":wait 3d")
        berlin = ZoneInfo("Europe/Berlin")
        days: Counter[tuple[str, str]] = Counter()
        for message in sandbox.emulator.messages.values():
            if message.content == PROMPT and message.channel.recipient is not None:
                local = message.timestamp.astimezone(berlin)
                assert local.strftime("%H:%M") == "09:00"
                days[(message.channel.recipient.name, local.date().isoformat())] += 1
        assert len(days) == 90, f"{90 - len(days)} of 90 prompts lost"
        assert set(days.values()) == {1}, "a member got the same day's prompt twice"
        assert sandbox.errors == []
    finally:
        await sandbox.close()


async def test_fifty_members_at_once_for_every_kind_of_command(tmp_path: Path) -> None:
    sandbox = await start_sandbox(tmp_path, limits=burst_limits())
    try:
        emulator = sandbox.emulator
        members = [emulator.member(f"member{i}", moderator=True) for i in range(MEMBERS)]
        lines = [
            "/reflect",
            "/reflect private:true theme:boundaries",
            "/help",
            "/resources",
            "/resources region:UK remember:true",
            "/sources list",
            "/sources show name:carina-v",
            "/daily start time:09:00 timezone:Europe/Berlin",
            "/daily status",
            "/privacy show",
            "/config show",
            "/config safety mode:dm",
            "/config region region:UK",
            "/config resources list",
            "/config test text:hello",
            "/daily stop",
            "/privacy delete",
        ]
        for line in lines:
            before = set(emulator.messages)
            records = await everyone_at_once(sandbox, line, members)
            assert_all_answered(sandbox, line, records, before)
        assert await sandbox.bot.db.fetchall("SELECT * FROM daily_subscriptions") == []
        await clicks_at_once(sandbox, members)
        await messages_at_once(sandbox, members)
        assert sandbox.errors == []
    finally:
        await sandbox.close()


async def clicks_at_once(sandbox: Sandbox, members: list[st.Member]) -> None:
    """Buttons: every member presses theirs before the bot has answered any press."""
    emulator = sandbox.emulator

    def newest_with(member: st.Member, label: str) -> tuple[st.Message, dict[str, Any]]:
        for message in sorted(emulator.messages.values(), key=lambda m: m.id, reverse=True):
            if message.visible_to == member.id or message.interaction is not None:
                owner = message.interaction["user"]["id"] if message.interaction else None
                if owner != str(member.id):
                    continue
                for button in st.buttons_of(message.components):
                    if button.get("label") == label:
                        return message, button
        raise AssertionError(f"{member.name} has no {label} button")

    for label in ("Another prompt", "Delete my data"):
        before = set(emulator.messages)
        targets = [(member, *newest_with(member, label)) for member in members]
        records = [await emulator.click(member, message, button["custom_id"]) for member, message, button in targets]
        await sandbox.settle()
        assert_all_answered(sandbox, f":click {label}", records, before)


async def messages_at_once(sandbox: Sandbox, members: list[st.Member]) -> None:
    """Fifty members, each in their own channel, write that they were blocked, at once: fifty
    replies, fifty cooldowns (one channel would be the flood guard's case, tested below)."""
    emulator = sandbox.emulator
    await sandbox.bot.stores.guild_settings.update(emulator.guild_id, safety_mode="reply")
    channels = [await emulator.create_channel(f"room-{index}") for index in range(len(members))]
    await sandbox.settle()
    before = set(emulator.messages)
    for member, channel in zip(members, channels, strict=True):
        await emulator.send_message(member, channel, "he blocked me on everything")
    await sandbox.settle()
    replies = [m for m in bot_messages_since(sandbox, before) if m.reference_id is not None]
    assert len(replies) == len(members)
    rows = await sandbox.bot.db.fetchone("SELECT COUNT(*) FROM safety_cooldowns")
    assert rows is not None and rows[0] == len(members)


async def test_a_burst_in_one_channel_is_held_by_the_flood_guard_and_a_member_gets_one_answer(
    tmp_path: Path,
) -> None:
    """Messages handled at the same time used to read the flood guard and the cooldown before any
    reply was recorded, so a burst got a reply each. Crisis is exempt from the flood guard."""
    sandbox = await start_sandbox(tmp_path, limits=burst_limits())
    try:
        emulator = sandbox.emulator
        general = emulator.channel("general")
        members = [emulator.member(f"burst{index}") for index in range(8)]
        await sandbox.settle()
        before = set(emulator.messages)
        for member in members:
            await emulator.send_message(member, general, "he blocked me on everything")
        await sandbox.settle()
        replies = [m for m in bot_messages_since(sandbox, before) if m.reference_id is not None]
        assert len(replies) == CHANNEL_FLOOD_LIMIT

        await sandbox.run_line(":wait 3m")
        one, other = emulator.member("one"), emulator.member("other")
        room = await emulator.create_channel("quiet-room")
        await sandbox.settle()
        before = set(emulator.messages)
        for text in ("she blocked me everywhere", "he left me on read for a week", "she said she doesn't love me"):
            await emulator.send_message(one, room, text)
        for _ in range(3):
            await emulator.send_message(other, general, "i don't want to be alive anymore")
        await sandbox.settle()
        answered = Counter(
            emulator.messages[m.reference_id].author.name
            for m in bot_messages_since(sandbox, before)
            if m.reference_id is not None
        )
        assert answered["one"] == 1, "one hurt answer per member, however many arrive at once"
        assert answered["other"] == 1, "crisis lines once; the crisis cooldown holds the rest (and alerts say so)"
    finally:
        await sandbox.close()

"""A server's own resources can never break /resources or the Resources button for its members."""

from __future__ import annotations

import pytest

from bot.sandbox.engine import Sandbox
from cogs.config import MAX_SERVER_RESOURCES

LONG_URL = "https://example.org/" + "u" * 280


def resource_line(index: int) -> str:
    name = f"{index:02d} " + "*_" * 38 + "~"  # 80 characters, every one escaped when shown
    description = "~|" * 100  # 200 characters
    return f'/config resources add name:"{name}" url:{LONG_URL} description:"{description}"'


async def test_a_blank_name_is_refused(sandbox: Sandbox) -> None:
    await sandbox.run_line(":as mod mod")
    for line in (
        '/config resources add name:"   " url:https://example.org description:"A line"',
        '/config resources add name:"Line" url:https://example.org description:"   "',
    ):
        [shown] = await sandbox.run_line(line)
        assert "not only spaces" in shown["content"] and "Added" not in shown["content"]
    assert await sandbox.bot.stores.guild_resources.list(sandbox.emulator.guild_id) == []


@pytest.mark.burst  # many alerts and announcements in one channel: Discord's per-channel bucket would pace it (#15)
async def test_a_server_full_of_long_resources_still_gets_every_member_their_lines(sandbox: Sandbox) -> None:
    await sandbox.run_line(":as mod mod")
    for index in range(MAX_SERVER_RESOURCES):
        [added] = await sandbox.run_line(resource_line(index))
        assert added["content"].startswith("Added")
    [refused] = await sandbox.run_line(resource_line(MAX_SERVER_RESOURCES))
    assert "Remove one" in refused["content"]
    await sandbox.run_line(":as member")
    shown = await sandbox.run_line("/resources")
    assert len(shown) > 1 and all(s["visibility"] == "ephemeral" and s["by"] == "lantern" for s in shown)
    names = [f["name"] for s in shown for e in s["embeds"] for f in e["fields"]]
    assert sum(name[:2].isdigit() for name in names) == MAX_SERVER_RESOURCES, "every one of them is shown"
    assert "next message" in (shown[0]["embeds"][0]["footer"] or "")
    await sandbox.run_line("he blocked me on everything")
    pressed = await sandbox.run_line(":click Resources")
    assert len(pressed) > 1 and not any("error" in s or "went wrong" in s["content"] for s in pressed)
    await sandbox.run_line(":as mod mod")
    [listed, *more] = await sandbox.run_line("/config resources list")
    assert len(more) >= 1 and all(len(s["content"]) <= 2000 for s in [listed, *more])
    assert sandbox.errors == []


@pytest.mark.burst
async def test_moderators_adding_at_once_never_pass_the_limit(sandbox: Sandbox) -> None:
    """At 24 resources, five moderators add one each at the same moment: exactly one is added and
    the others are told the server is full (on PostgreSQL the adds run side by side)."""
    from emulator.invocation import parse_command_line

    emulator = sandbox.emulator
    await sandbox.run_line(":as mod mod")
    for index in range(MAX_SERVER_RESOURCES - 1):
        await sandbox.run_line(f'/config resources add name:"r{index}" url:https://example.org description:"d"')
    moderators = [emulator.member(f"mod{n}", moderator=True) for n in range(5)]
    channel = emulator.channel("general")
    for n, moderator in enumerate(moderators):
        invocation = parse_command_line(
            f'/config resources add name:"late {n}" url:https://example.org description:"d"'
        )
        await emulator.invoke(moderator, channel, invocation)
    await sandbox.settle()
    assert len(await sandbox.bot.stores.guild_resources.list(emulator.guild_id)) == MAX_SERVER_RESOURCES
    assert sandbox.errors == []

"""What the fuller emulator world reveals about Lantern: two servers, threads, permission overwrites."""

from __future__ import annotations

import pytest

from bot.safety.wording import PUBLIC_REPLY
from bot.sandbox.engine import Sandbox
from tests.e2e.test_safety import HURT

pytestmark = pytest.mark.burst  # many replies in one channel within a second, on purpose

SECOND = "Second Circle"


async def lines(sandbox: Sandbox, *script: str) -> list[dict[str, object]]:
    shown: list[dict[str, object]] = []
    for line in script:
        shown.extend(await sandbox.run_line(line))
    return shown


async def test_two_servers_keep_their_own_settings_alerts_cooldowns_and_region(sandbox: Sandbox) -> None:
    emulator = sandbox.emulator
    await lines(
        sandbox,
        ":as mo mod",
        ":in mods",
        ":in general",
        "/config alerts channel:#mods",
        "/config region region:AU",
        ":guild " + SECOND,
        ":as robin mod",
        ":in circle-mods",
        ":in general",
        "/config alerts channel:#circle-mods",
        "/config safety mode:dm",
    )
    first, second = emulator.guild, emulator.find_guild(SECOND)
    assert second is not None and second.id != first.id
    settings = sandbox.bot.stores.guild_settings
    assert (await settings.get(first.id)).region == "AU" and (await settings.get(second.id)).region is None
    assert (await settings.get(first.id)).safety_mode == "reply" and (await settings.get(second.id)).safety_mode == "dm"

    # The same person writes in both servers: each server's mode, alert channel and cooldown apply.
    shown = await lines(sandbox, ":as sam", HURT["crisis"])
    assert [s["where"] for s in shown] == ["dm:sam", "#circle-mods"]
    assert all(s["guild"] in (None, SECOND) for s in shown)
    shown = await lines(sandbox, ":guild Lantern Sandbox", ":as sam", HURT["crisis"])
    assert sorted(str(s["where"]) for s in shown) == ["#general", "#mods"]
    assert {s["guild"] for s in shown} == {"Lantern Sandbox"}
    [reply] = await lines(sandbox, HURT["blocked"])
    assert reply["content"] == PUBLIC_REPLY["blocked"]
    assert await lines(sandbox, HURT["blocked"]) == []  # the cooldown, in this server
    [elsewhere] = await lines(sandbox, ":guild " + SECOND, ":as sam", HURT["blocked"])
    assert elsewhere["where"] == "dm:sam"  # not silenced by the other server's cooldown
    [resources] = await lines(sandbox, "/resources")
    assert "International" in resources["text"] and "Australia" not in resources["text"]


async def test_safety_in_threads_follows_the_parent_channel(sandbox: Sandbox) -> None:
    await lines(sandbox, ":as mo mod", ":in vent", "/config exempt action:add channel:#vent")
    shown = await lines(sandbox, ":as sam", ":thread rough week", HURT["blocked"])
    assert shown == []  # a thread in a quiet channel is quiet too (Where.parent_channel_id)
    [reply] = await lines(sandbox, ":in general", ":thread after the call", HURT["rejected"])
    assert reply["where"] == "#general › after the call" and reply["content"] == PUBLIC_REPLY["rejected"]
    thread = sandbox.emulator.find_thread("after the call")
    assert thread is not None and sandbox.emulator.messages[max(sandbox.emulator.messages)].channel is thread


async def test_a_mods_only_alert_channel_lantern_can_post_in(sandbox: Sandbox) -> None:
    emulator = sandbox.emulator
    await lines(sandbox, ":as mo mod", ":in mods", ":deny #mods view_channel", ":allow #mods view_channel Moderator")
    [refused] = await lines(sandbox, ":in general", "/config alerts channel:#mods")
    assert "can't post" in refused["content"]  # Lantern cannot see it either, and says so
    await lines(sandbox, ":allow #mods view_channel Lantern")
    shown = await lines(sandbox, "/config alerts channel:#mods")
    assert [s["where"] for s in shown] == ["#mods", "#general"]  # the change is announced to the moderators
    assert "will go to #mods" in str(shown[1]["text"]) and shown[1]["visibility"] == "ephemeral"
    mods = emulator.find_channel("mods")
    assert mods is not None
    assert not emulator.can_see(emulator.member("sam"), mods) and emulator.can_see(emulator.member("mo"), mods)
    shown = await lines(sandbox, ":as sam", HURT["crisis"])
    assert sorted(str(s["where"]) for s in shown) == ["#general", "#mods"]


async def test_without_embed_links_or_history_the_crisis_reply_still_arrives(sandbox: Sandbox) -> None:
    await lines(sandbox, ":deny #general embed_links Lantern", ":deny #general read_message_history Lantern")
    [crisis] = await lines(sandbox, HURT["crisis"])
    assert crisis["where"] == "#general"
    assert "immediate danger" in crisis["text"], "the crisis lines are in the reply itself"
    assert crisis["buttons"] == ["Resources", "Don't reply to me"]
    assert sandbox.errors == []


async def test_an_outage_does_not_purge_the_server(sandbox: Sandbox) -> None:
    emulator = sandbox.emulator
    await lines(sandbox, ":as mo mod", "/config region region:UK")
    await emulator.outage()
    await sandbox.settle()
    assert (await sandbox.bot.stores.guild_settings.get(emulator.guild_id)).region == "UK"
    await emulator.recover()
    await sandbox.settle()
    [shown] = await lines(sandbox, ":as sam", "/resources")
    assert "United Kingdom" in shown["text"]


async def test_a_servers_own_resources_and_quiet_roles_stay_in_that_server(sandbox: Sandbox) -> None:
    """A quiet role made with `:role`/`:give` and a resource added by one server's moderators
    change nothing in the other server, where the same member writes too."""
    await lines(
        sandbox,
        ":as mo mod",
        ":in general",
        ":role Resting send_messages",
        ":give sam Resting",
        "/config exempt action:add role:@Resting",
        '/config resources add name:"Circle helpline" url:https://example.org/circle description:"Our own line"',
    )
    first = sandbox.emulator.guild
    resting = first.find_role("Resting")
    assert resting is not None
    sam = sandbox.emulator.member("sam")
    assert resting.id in sam.role_ids  # `:give` gave the role that the quiet list names
    assert await lines(sandbox, ":as sam", ":in general", HURT["blocked"]) == []  # the quiet role holds here
    [own] = await lines(sandbox, "/resources")
    assert "Circle helpline" in str(own["text"])

    await lines(sandbox, ":guild " + SECOND, ":as sam", ":in general")
    [reply] = await lines(sandbox, HURT["blocked"])
    assert reply["content"] == PUBLIC_REPLY["blocked"] and reply["guild"] == SECOND  # no role here
    [other] = await lines(sandbox, "/resources")
    assert "Circle helpline" not in str(other["text"])

"""Arrival, the setup panel, the region picker, "Not about that" and moderators' insights, end to end."""

from __future__ import annotations

import struct

import pytest

from bot.sandbox.engine import Sandbox
from emulator import state as st
from tests.e2e.test_crisis import CRISIS, mods_and_alerts
from tests.e2e.test_safety import HURT

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PICKER = "Choose your region for local numbers"


async def test_lantern_greets_a_new_server_once_in_its_system_channel(sandbox: Sandbox) -> None:
    emulator = sandbox.emulator
    await emulator.remove_bot_from_guild()
    await emulator.add_bot_to_guild(system_channel="welcome")
    await sandbox.settle()
    welcome = [m for m in emulator.messages.values() if m.author.id == emulator.bot_user.id]
    assert [m.channel.name for m in welcome] == ["welcome"]
    [embed] = welcome[0].embeds
    text = f"{embed['description']} {' '.join(f['value'] for f in embed['fields'])}"
    for item in ("Region", "Alert channel", "Responder role", "Quiet channels", "Safety replies are **on**"):
        assert item in text
    assert "No moderator is alerted" in text, "honest about what is not set up yet"
    assert [b["label"] for b in st.buttons_of(welcome[0].components)] == ["Open the setup panel"]
    await sandbox.run_line(":in welcome")
    [refused] = await sandbox.run_line(":click Open the setup panel")
    assert refused["visibility"] == "ephemeral" and "for moderators" in refused["content"]
    await sandbox.run_line(":as mo mod")
    [panel] = await sandbox.run_line(":click Open the setup panel")
    assert panel["visibility"] == "ephemeral" and panel["embeds"][0]["title"] == "Set up Lantern"


async def test_lantern_dms_the_owner_when_it_cannot_post_in_the_system_channel(sandbox: Sandbox) -> None:
    emulator = sandbox.emulator
    await emulator.remove_bot_from_guild()
    await emulator.deny_bot(emulator.channel("general"), st.SEND_MESSAGES)
    await emulator.add_bot_to_guild(system_channel="general")
    await sandbox.settle()
    sent = [m for m in emulator.messages.values() if m.author.id == emulator.bot_user.id]
    assert [m.channel.label for m in sent] == ["dm:owner"]
    assert "Run `/config setup` in the server" in str(sent[0].embeds[0]) and sent[0].components == []


@pytest.mark.burst  # every change announced in #mods within a second: Discord's per-channel bucket would pace it (#15)
async def test_the_setup_panel_changes_settings_in_place_audited_and_after_a_restart(sandbox: Sandbox) -> None:
    emulator = sandbox.emulator
    for name in ("mods", "venting", "vent-2", "locked"):
        await emulator.create_channel(name)
    await emulator.deny_bot(emulator.channel("locked"), st.SEND_MESSAGES)
    await emulator.create_role("Responders")
    await sandbox.settle()
    await sandbox.run_line(":as mo mod")
    [panel] = await sandbox.run_line("/config setup")
    assert [m["placeholder"] for m in panel["selects"]] == [
        "Region",
        "Alert channel",
        "Responder role",
        "Quiet channels",
    ]
    assert panel["buttons"] == ["Safety replies: on", "Reply mode", "DM mode", "Alert mode", "All events: off"]
    [refused] = await sandbox.run_line(":click Alert mode")
    assert "needs an alert channel first" in refused["content"]
    [refused] = await sandbox.run_line(":select Alert channel #locked")
    assert "I can't post in" in refused["content"]
    shown = await sandbox.run_line(":select Region UK")
    [edited] = [s for s in shown if s.get("edited")]
    assert edited["selects"][0]["chosen"] == ["United Kingdom (UK)"] and "☑ **Region**" in edited["text"]
    await sandbox.run_line(":select Alert channel #mods")
    await sandbox.restart_bot()
    await sandbox.run_line(":select Responder role Responders")
    await sandbox.run_line(":select Quiet channels #venting #vent-2")
    shown = await sandbox.run_line(":click Alert mode")
    [edited] = [s for s in shown if s.get("edited")]
    assert edited["buttons"][3] == "Alert mode" and "crisis lines by DM" in edited["text"]
    assert "in **alert** mode: the moderators get an alert instead of a reply" in edited["text"]
    assert [m["chosen"] for m in edited["selects"]] == [
        ["United Kingdom (UK)"],
        ["#mods"],
        ["Responders"],
        ["#venting", "#vent-2"],
    ]
    await sandbox.run_line(":click Safety replies: on")
    settings = await sandbox.bot.stores.guild_settings.get(emulator.guild_id)
    assert (settings.region, settings.safety_mode, settings.safety_enabled) == ("UK", "alert", False)
    assert settings.alert_channel_id == emulator.channel("mods").id
    assert len(settings.exempt_channel_ids) == 2 and settings.responder_role_id is not None
    rows = await sandbox.bot.db.fetchall("SELECT setting, user_id FROM config_audit ORDER BY id")
    assert [r["setting"] for r in rows] == [
        "region",
        "alert_channel_id",
        "responder_role_id",
        "exempt_channel_ids",
        "safety_mode",
        "safety_enabled",
    ]
    assert {r["user_id"] for r in rows} == {emulator.member("mo").id}
    # a forged press by someone without Manage Server changes nothing
    message = max((m for m in emulator.messages.values() if m.ephemeral and m.embeds), key=lambda m: m.id)
    await emulator.select(emulator.member("member"), message, "lantern:setup:region", ["AU"])
    await sandbox.settle()
    assert (await sandbox.bot.stores.guild_settings.get(emulator.guild_id)).region == "UK"


async def test_a_member_without_a_region_gets_local_numbers_in_one_click(sandbox: Sandbox) -> None:
    [reply] = await sandbox.run_line(CRISIS)
    assert [m["placeholder"] for m in reply["selects"]] == [PICKER]
    [lines] = await sandbox.run_line(f":select {PICKER} UK")
    assert lines["visibility"] == "ephemeral" and "Samaritans" in lines["text"] and "116 123" in lines["text"]
    assert "remember:true" in lines["content"]
    [resources] = await sandbox.run_line("/resources")
    assert [m["placeholder"] for m in resources["selects"]] == [PICKER]
    [edited] = await sandbox.run_line(f":select {PICKER} AU")
    assert edited.get("edited") and "Australia" in edited["text"] and edited["selects"][0]["chosen"]
    assert await sandbox.bot.stores.member_settings.region(sandbox.emulator.member("member").id) is None
    await sandbox.run_line(":as mo mod")
    await sandbox.run_line("/config region region:IE")
    await sandbox.run_line(":as robin")
    [reply] = await sandbox.run_line(CRISIS)
    assert reply["selects"] == [] and "Ireland" in reply["text"], "the server's region: no picker needed"


async def test_insights_count_what_lantern_did_and_draw_a_png(sandbox: Sandbox) -> None:
    emulator, bot = sandbox.emulator, sandbox.bot
    await mods_and_alerts(sandbox)
    await sandbox.run_line(HURT["blocked"])  # week 1: hurt, replied
    await sandbox.run_line(":click Don't reply to me")
    await sandbox.run_line(":click Not about that")
    await sandbox.run_line(HURT["ignored"])  # hurt again: quiet (cooldown)
    await sandbox.run_line(":wait 8d")
    await sandbox.run_line(":as robin")
    await sandbox.run_line(CRISIS)  # week 2: crisis, replied; an alert
    await sandbox.run_line(":as mo mod")
    await sandbox.run_line(":in mods")
    await sandbox.run_line(":wait 4m")
    await sandbox.run_line(":click I'm on it")
    await sandbox.run_line(":wait 10m")
    await sandbox.run_line(":click Resolved")
    shown = await sandbox.run_line("/config insights weeks:2")
    [report] = [s for s in shown if s["embeds"]]
    assert report["visibility"] == "ephemeral" and report["files"] == ["insights.png"]
    fields = {f["name"]: f["value"] for f in report["embeds"][0]["fields"]}
    weeks = list(fields)[:2]
    assert fields[weeks[0]] == "hurt 2 (quiet: cooldown 1, replied 1) · pursuit 0 · crisis 0"
    assert fields[weeks[1]] == "hurt 0 · pursuit 0 · crisis 1 (replied 1)"
    assert fields["Crisis alerts"] == (
        "1 posted · 1 taken, median 4 min to take · 1 resolved, median 14 min to resolve"
    )
    assert fields["Members"] == "pressed “Don't reply to me”: 1 · “Not about that”: 1"
    message = max((m for m in emulator.messages.values() if m.attachments), key=lambda m: m.id)
    [attachment] = message.attachments
    data = message.files[attachment["id"]]
    assert data[:8] == PNG_SIGNATURE and attachment["content_type"] == "image/png"
    width, height = struct.unpack(">II", data[16:24])
    assert 300 <= width <= 2000 and 200 <= height <= 1500 and len(data) < 1_000_000
    assert report["embeds"][0]["footer"] is None or "insights" not in report["embeds"][0]["footer"]
    columns = set(await bot.db.column_names("safety_insights"))
    assert columns == {"guild_id", "day", "kind", "outcome", "count"}, "no member ids, no text"

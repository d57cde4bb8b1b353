"""What moderators and members see, in plain words: /config show, change announcements, the
settings history, /config test, forgiving input, autocomplete, /help and /privacy show."""

from __future__ import annotations

import re
from typing import Any

from bot.sandbox.engine import Sandbox
from emulator import state as st

RAW = re.compile(r"\b(?:True|False|None)\b|_ids?\b|\bsafety_|\b6\.0\b")


def fields_of(shown: dict[str, Any]) -> dict[str, str]:
    return {f["name"]: f["value"] for f in shown["embeds"][0]["fields"]}


def in_channel(shown: list[dict[str, Any]], name: str) -> dict[str, Any]:
    return next(s for s in shown if s["where"] == f"#{name}")


async def test_config_show_says_each_setting_in_words_with_its_command(sandbox: Sandbox) -> None:
    emulator = sandbox.emulator
    mods = await emulator.create_channel("mods")
    await emulator.create_channel("vent")
    await sandbox.settle()
    await sandbox.run_line(":as mo mod")
    [before] = await sandbox.run_line("/config show")
    fields = fields_of(before)
    assert list(fields)[:9] == [
        "Safety replies",
        "Mode",
        "Cooldown",
        "Crisis alert channel",
        "Responder role",
        "Every safety event to the alert channel",
        "Region",
        "Quiet channels",
        "Quiet roles",
    ]
    assert fields["Safety replies"].startswith("✅ On (the default)\nOn crisis: hurt and pursuit replies are posted")
    assert fields["Cooldown"].startswith("6 hours (the default)")
    assert fields["Crisis alert channel"].startswith("❌ not set (the default)\nOn crisis: nobody is alerted")
    assert fields["Prompt of the day"].startswith("❌ Off")
    assert "Change with `/config safety enabled:`" in fields["Safety replies"]
    assert "Change with `/config exempt`" in fields["Quiet roles"]
    assert "Respect Phoneline (UK): not re-checked" in fields["⚠ Resources to re-check"]
    assert "1 not re-checked" in fields["Resources"] and "`/config resources list`" in fields["Resources"]
    assert not RAW.search(before["text"]), RAW.search(before["text"])

    await sandbox.run_line("/config alerts channel:#mods")
    await sandbox.run_line("/config safety cooldown_hours:2 enabled:false")
    await sandbox.run_line("/config exempt action:add channel:#vent")
    await sandbox.run_line("/config prompt-channel channel:#general time:9 timezone:Berlin theme:fear")
    [after] = await sandbox.run_line("/config show")
    fields = fields_of(after)
    assert fields["Safety replies"].startswith(
        "❌ Off (default: ✅ On)\nOn crisis: hurt and pursuit replies stay quiet"
    )
    assert fields["Cooldown"].startswith("2 hours (default: 6 hours)")
    assert fields["Crisis alert channel"].startswith(f"<#{mods.id}> (default: ❌ not set)")
    assert fields["Quiet channels"].startswith(f"<#{emulator.channel('vent').id}>")
    general = emulator.channel("general").id
    assert fields["Prompt of the day"].startswith(
        f"✅ <#{general}> at 09:00 (9 in the morning), Berlin time (Europe/Berlin), theme Fear"
    )
    assert not RAW.search(after["text"]), RAW.search(after["text"])
    assert sandbox.readable(after["text"]).count("#mods") >= 2, "the alert channel reads as #mods in Discord"


async def test_change_announcements_render_mentions_and_escape_names_once(sandbox: Sandbox) -> None:
    emulator = sandbox.emulator
    await emulator.create_channel("mods")
    responders = await emulator.create_role("Responders")
    await sandbox.settle()
    await sandbox.run_line(":as mo mod")
    shown = await sandbox.run_line("/config alerts channel:#mods role:@Responders")
    announced = in_channel(shown, "mods")
    assert f"• Responder role: not set → <@&{responders.id}>" in announced["content"]
    assert "• Crisis alert channel: ❌ not set → <#" in announced["content"]
    assert "\u200b" not in announced["content"], "a role mention is a mention, not a broken code"
    assert announced["pings"] == [], "allowed mentions keep it from pinging anyone"
    assert "responder_role_id" not in announced["content"]
    shown = await sandbox.run_line(
        '/config resources add name:"peer_circle *care* @everyone" url:https://example.org/c description:"Weekly"'
    )
    announced = in_channel(shown, "mods")
    assert "“peer\\_circle \\*care\\* @\u200beveryone”" in announced["content"], "escaped exactly once"
    assert "\\\\" not in announced["content"], "no visible backslashes"
    assert announced["pings"] == []


async def test_config_history_shows_who_what_old_new_and_when_in_pages(sandbox: Sandbox) -> None:
    emulator = sandbox.emulator
    await sandbox.run_line(":as mo mod")
    [empty] = await sandbox.run_line("/config history")
    assert "No changes recorded yet" in empty["text"] and empty["buttons"] == []
    for hours in (1, 2, 3, 4, 5, 7, 8, 9, 10):  # nine cooldown changes
        await sandbox.run_line(f"/config safety cooldown_hours:{hours}")
        await sandbox.run_line(":wait 1m")
    await sandbox.run_line('/config region region:"United Kingdom"')
    [first] = await sandbox.run_line("/config history")
    mo = emulator.member("mo").id
    lines = first["embeds"][0]["description"].splitlines()
    assert len(lines) == 8
    assert re.fullmatch(
        rf"<t:\d+:f> · <@{mo}> · \*\*Region\*\*: ❌ not set: international lines first → United Kingdom \(UK\)",
        lines[0],
    ), lines[0]
    assert lines[1].endswith("**Cooldown**: 9 hours → 10 hours")
    assert first["embeds"][0]["footer"] == "Changes 1–8 of 10, newest first"
    assert first["buttons"] == ["◀ Newer", "Older ▶"]
    await sandbox.restart_bot()  # the page's place lives in the buttons
    [older] = await sandbox.run_line(":click Older ▶")
    assert older.get("edited") and older["embeds"][0]["footer"] == "Changes 9–10 of 10, newest first"
    assert older["embeds"][0]["description"].splitlines()[-1].endswith("**Cooldown**: 6 hours → 1 hour")
    [newer] = await sandbox.run_line(":click ◀ Newer")
    assert newer["embeds"][0]["footer"] == "Changes 1–8 of 10, newest first"
    [only] = await sandbox.run_line("/config history setting:region")
    assert only["embeds"][0]["title"] == "Settings history · Region"
    assert len(only["embeds"][0]["description"].splitlines()) == 1 and only["buttons"] == []
    # someone without Manage Server pressing a (forged or replayed) page button sees nothing
    message = next(m for m in reversed(list(emulator.messages.values())) if m.components and m.ephemeral)
    custom_id = st.buttons_of(message.components)[1]["custom_id"]
    await emulator.click(emulator.member("robin"), message, custom_id)
    await sandbox.settle()
    refusal = [m for m in emulator.messages.values() if m.visible_to == emulator.member("robin").id]
    assert refusal and "Manage Server" in refusal[-1].content


async def test_config_test_says_nothing_detected_for_ordinary_words(sandbox: Sandbox) -> None:
    await sandbox.run_line(":as mo mod")
    [shown] = await sandbox.run_line('/config test text:"what a lovely day"')
    assert shown["content"].startswith("Detector: nothing detected.\n")
    assert "kind of label" not in shown["content"] and "hurt" not in shown["content"]
    [hurt] = await sandbox.run_line('/config test text:"she left me on read again"')
    assert "kind of label: hurt" in hurt["content"]


async def test_server_resources_autocomplete_and_a_replacement_is_said(sandbox: Sandbox) -> None:
    await sandbox.run_line(":as mo mod")
    regions = await sandbox.autocomplete("/config region region:king")
    assert [c["value"] for c in regions] == ["UK"]
    [region_set] = await sandbox.run_line('/config region region:"united kingdom"')
    assert region_set["content"].startswith("Default region: United Kingdom (UK).")
    await sandbox.run_line(
        '/config resources add name:"Peer circle" url:https://example.org/a description:"Weekly" region:UK'
    )
    await sandbox.run_line('/config resources add name:"Night line" url:https://example.org/n description:"Late"')
    names = await sandbox.autocomplete("/config resources remove name:peer")
    assert [c["value"] for c in names] == ["Peer circle"]
    assert len(await sandbox.autocomplete("/config resources remove name:")) == 2
    added_region = await sandbox.autocomplete("/config resources add name:x url:https://e.org description:d region:aus")
    assert [c["value"] for c in added_region] == ["AU"]
    [replaced] = await sandbox.run_line(
        '/config resources add name:"Peer circle" url:https://example.org/b description:"Weekly"'
    )
    assert replaced["content"].startswith(
        "Replaced the server resource “Peer circle” (https://example.org/a, United Kingdom) with "
        "“Peer circle” (https://example.org/b, all regions)."
    )
    assert "add it again with `region:UK`" in replaced["content"], "the dropped region is said, not silent"
    [removed] = await sandbox.run_line('/config resources remove name:"Night line"')
    assert removed["content"] == "Removed “Night line” (https://example.org/n, all regions)."
    [listed, checked] = await sandbox.run_line("/config resources list")
    assert "Peer circle" in listed["content"] and "Night line" not in listed["content"]
    checks = fields_of(checked)
    assert checks["⚠ Respect Phoneline (UK)"].startswith("not re-checked on 21 November 2026 against http")
    assert checks["Shout (UK)"].startswith("confirmed on the service's own page on 21 November 2026")
    await sandbox.run_line(":as member")
    topics = await sandbox.autocomplete("/resources region:aus")
    assert [c["value"] for c in topics] == ["AU"]
    [own] = await sandbox.run_line("/resources region:UK topic:own-behaviour")
    assert own["embeds"][0]["title"] == "Support for your own feelings and actions"
    assert own["embeds"][0]["fields"][0]["name"].startswith("Respect Phoneline")
    assert "checked" not in own["text"] and "stored" not in own["text"], "members see short entries"


async def test_help_opens_with_member_commands_as_mentions_and_moderators_see_theirs(sandbox: Sandbox) -> None:
    ids = sandbox.bot.command_ids
    assert ids, "the sync at start gave every command its id"
    [member] = await sandbox.run_line("/help")
    embed = member["embeds"][0]
    assert f"</resources:{ids['resources']}> `topic:crisis`" in embed["description"], "the crisis pointer up front"
    assert embed["footer"] is None
    names = [f["name"] for f in embed["fields"]]
    assert names == ["Reflect", "Daily", "Support", "Privacy", "Moderators"]
    assert embed["fields"][0]["value"].startswith(f"</reflect:{ids['reflect']}> — ")
    assert f"</daily start:{ids['daily']}>" in embed["fields"][1]["value"]
    assert embed["fields"][-1]["value"].count("\n") == 0, "one line for moderators"
    assert "/config show" not in member["text"]
    await sandbox.run_line(":as mo mod")
    [moderator] = await sandbox.run_line("/help")
    raw, text = str(moderator["embeds"]), moderator["text"]  # embeds as sent; text as read (#15)
    assert f"</config show:{ids['config']}>" in raw and f"</config history:{ids['config']}>" in raw
    assert sandbox.readable(text).count("/config ") >= 14


async def test_privacy_show_speaks_plainly_and_undelivered_prompts_are_not_seen(sandbox: Sandbox) -> None:
    await sandbox.run_line("/daily start time:9pm timezone:London theme:fear")
    await sandbox.run_line(":dms member closed")
    await sandbox.run_line(":wait 1d")  # one prompt due, never delivered
    [shown] = await sandbox.run_line("/privacy show")
    content = shown["content"]
    assert (
        "**Daily prompts**: every day at 21:00 (9 in the evening), London time (Europe/London), theme Fear." in content
    )
    assert "The last 1 couldn't be delivered (your direct messages were closed)." in content
    assert "Reflection prompts" not in content, "a prompt that never arrived was not seen"
    for raw in ("dms_closed", "UTC", "theme fear", "DM channel id", " id "):
        assert raw not in content, raw
    await sandbox.run_line(":dms member open")
    await sandbox.run_line(":wait 1d")
    [seen] = await sandbox.run_line("/privacy show")
    assert "**Reflection prompts you've seen** in the current round: 1 of 8 (Fear)." in seen["content"]

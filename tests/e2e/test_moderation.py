"""/config and /privacy end to end: permissions, each setting's effect, audit, deletion, guild removal."""

from __future__ import annotations

import pytest

from bot.safety.wording import PUBLIC_REPLY
from bot.sandbox.engine import Sandbox

CONFIG_LINES = [
    "/config show",
    "/config safety enabled:false",
    "/config exempt action:list",
    "/config alerts channel:#general",
    "/config region region:UK",
    "/config resources list",
    "/config resources remove name:x",
    '/config resources add name:x url:https://example.org description:"d"',
    "/config prompt-channel channel:#general time:09:00 timezone:UTC",
    "/config prompt-channel-off",
    '/config test text:"hello"',
]


async def as_moderator(sandbox: Sandbox) -> None:
    await sandbox.run_line(":as mo mod")


@pytest.mark.parametrize("line", CONFIG_LINES)
async def test_members_without_manage_server_are_refused(sandbox: Sandbox, line: str) -> None:
    [hidden] = await sandbox.run_line(line)
    assert hidden["by"] == "discord" and "permission" in hidden["text"]
    # a server owner can open the command to everyone in Discord's settings: the check in code still refuses
    sandbox.emulator.open_to_everyone.add("config")
    [refused] = await sandbox.run_line(line)
    assert refused["by"] == "lantern" and refused["visibility"] == "ephemeral"
    assert "Manage Server" in refused["content"]
    assert await sandbox.bot.db.fetchall("SELECT * FROM config_audit") == []


async def test_show_lists_every_setting_with_its_default(sandbox: Sandbox) -> None:
    await as_moderator(sandbox)
    [shown] = await sandbox.run_line("/config show")
    names = [f["name"] for f in shown["embeds"][0]["fields"]]
    for setting in ("Safety replies", "Mode", "Cooldown", "Crisis alert channel", "Region"):
        assert setting in names
    assert all("(the default)" in f["value"] for f in shown["embeds"][0]["fields"][:9])


async def test_exempt_channel_silences_safety_replies(sandbox: Sandbox) -> None:
    await sandbox.emulator.create_channel("vent")
    await sandbox.settle()
    await as_moderator(sandbox)
    await sandbox.run_line("/config exempt action:add channel:#vent")
    await sandbox.run_line(":as member")
    await sandbox.run_line(":in vent")
    assert await sandbox.run_line("he blocked me on everything") == []
    await sandbox.run_line(":in general")
    assert await sandbox.run_line("she blocked me everywhere")


async def test_alert_mode_only_alerts_and_changes_are_audited_and_posted(sandbox: Sandbox) -> None:
    await sandbox.emulator.create_channel("mods")
    await sandbox.settle()
    await as_moderator(sandbox)
    shown = await sandbox.run_line("/config alerts channel:#mods")
    assert any(s["where"] == "#mods" and "changed Lantern's settings" in s["content"] for s in shown)
    await sandbox.run_line("/config safety mode:alert")
    await sandbox.run_line(":as member")
    shown = await sandbox.run_line("he blocked me on everything")
    assert [s["where"] for s in shown] == ["#mods"], "alert mode: hurt and pursuit go to the moderators only"
    shown = await sandbox.run_line("i don't want to be alive anymore")
    assert [s["where"] for s in shown] == ["dm:member", "#mods"], "a crisis still gets crisis lines"
    rows = await sandbox.bot.db.fetchall("SELECT setting, old_value, new_value FROM config_audit ORDER BY id")
    settings = [(r["setting"], r["old_value"], r["new_value"]) for r in rows]
    assert ("safety_mode", '"reply"', '"alert"') in settings, "stored as JSON, said in words"
    assert any(setting == "alert_channel_id" for setting, _, _ in settings)


async def test_alerts_refuse_a_channel_lantern_cannot_post_in(sandbox: Sandbox) -> None:
    hidden = await sandbox.emulator.create_channel("secret")
    await sandbox.emulator.deny_bot(hidden, 1 << 11)  # Send Messages
    await sandbox.settle()
    await as_moderator(sandbox)
    [shown] = await sandbox.run_line("/config alerts channel:#secret")
    assert "can't post" in shown["content"]
    assert (await sandbox.bot.stores.guild_settings.get(sandbox.emulator.guild_id)).alert_channel_id is None


async def test_region_setting_drives_resources(sandbox: Sandbox) -> None:
    await as_moderator(sandbox)
    await sandbox.run_line("/config region region:AU")
    await sandbox.run_line(":as member")
    [shown] = await sandbox.run_line("/resources")
    assert "Australia" in shown["text"] and "1800RESPECT" in shown["text"]


async def test_server_resource_shows_up_and_cannot_ping(sandbox: Sandbox) -> None:
    await as_moderator(sandbox)
    line = '/config resources add name:"@everyone circle" url:https://example.org/c description:"Join <@&1> @here"'
    await sandbox.run_line(line)
    [refused] = await sandbox.run_line("/config resources add name:x url:http://example.org description:d")
    assert "https://" in refused["content"]
    await sandbox.run_line(":as member")
    [shown] = await sandbox.run_line("/resources")
    assert "example.org/c" in shown["text"]
    assert shown["pings"] == []
    assert "@everyone" not in shown["text"].replace("@\u200beveryone", "")
    await sandbox.run_line("he blocked me on everything")
    [button] = await sandbox.run_line(":click Resources")
    assert "example.org/c" in button["text"] and button["pings"] == []


async def test_prompt_of_the_day_posts_once_per_local_day(sandbox: Sandbox) -> None:
    await as_moderator(sandbox)
    await sandbox.run_line("/config prompt-channel channel:#general time:09:00 timezone:Europe/Berlin")
    await sandbox.run_line(":wait 3d")
    posts = [m for m in sandbox.emulator.messages.values() if m.content == "Today's reflection:"]
    assert len(posts) == 3
    assert len({m.timestamp.date() for m in posts}) == 3
    await sandbox.run_line("/config prompt-channel-off")
    await sandbox.run_line(":wait 2d")
    assert len([m for m in sandbox.emulator.messages.values() if m.content == "Today's reflection:"]) == 3


async def test_prompt_of_the_day_again_says_what_changed(sandbox: Sandbox) -> None:
    await sandbox.emulator.create_channel("mods")
    await sandbox.emulator.create_channel("daily")
    await sandbox.settle()
    await as_moderator(sandbox)
    await sandbox.run_line("/config alerts channel:#mods")
    shown = await sandbox.run_line("/config prompt-channel channel:#general time:9 timezone:Berlin")
    assert "I read “9” as 09:00" in next(s for s in shown if s["visibility"] == "ephemeral")["content"]
    shown = await sandbox.run_line("/config prompt-channel channel:#daily time:8pm timezone:Manila theme:fear")
    said = next(s for s in shown if s["visibility"] == "ephemeral")["content"]
    general, daily = sandbox.emulator.channel("general").id, sandbox.emulator.channel("daily").id
    assert said.startswith(
        f"Changed the prompt of the day from <#{general}> at 09:00 (9 in the morning), Berlin time (Europe/Berlin) "
        f"to <#{daily}> at 20:00 (8 in the evening), Manila time (Asia/Manila), theme Fear."
    )
    announced = next(s for s in shown if s["where"] == "#mods")["content"]
    assert "• Prompt of the day: <#" in announced and " → <#" in announced
    [same] = await sandbox.run_line("/config prompt-channel channel:#daily time:20:00 timezone:Asia/Manila theme:fear")
    assert "nothing changed" in same["content"]
    await sandbox.run_line(":wait 1d")
    posts = [m for m in sandbox.emulator.messages.values() if m.content == "Today's reflection:"]
    assert [m.channel.name for m in posts] == ["daily"], "one schedule, replaced: never two posts a day"


async def test_config_test_previews_without_posting(sandbox: Sandbox) -> None:
    await as_moderator(sandbox)
    [shown] = await sandbox.run_line('/config test text:"he hasn\'t replied in 4 days"')
    assert shown["visibility"] == "ephemeral" and "**ignored**, confidence " in shown["content"]
    assert all(m.content != PUBLIC_REPLY["ignored"] for m in sandbox.emulator.messages.values())


async def rows_mentioning(sandbox: Sandbox, value: int) -> list[tuple[str, tuple[object, ...]]]:
    db = sandbox.bot.db
    found = []
    for table in await db.table_names():
        for row in await db.fetchall(f"SELECT * FROM {table}"):  # table names come from the database
            if value in tuple(row):
                found.append((table, tuple(row)))
    return found


async def test_privacy_show_and_delete_leave_no_row_about_the_member(sandbox: Sandbox) -> None:
    member = sandbox.emulator.member("member")
    await sandbox.run_line("/daily start time:09:00 timezone:Europe/Berlin")
    await sandbox.run_line("/resources region:UK remember:true")
    await sandbox.run_line("/reflect")
    await sandbox.run_line("he blocked me on everything")
    await sandbox.run_line(":click Don't reply to me")
    [shown] = await sandbox.run_line("/privacy show")
    for expected in (
        "**Daily prompts**: every day at 09:00 (9 in the morning), Berlin time (Europe/Berlin).",
        "**Saved region** for support lines: United Kingdom.",
        "**Reflection prompts you've seen** in the current round: 1 of",
        "Don't reply to me",
        "**When Lantern last replied to you**: 1 note",
    ):
        assert expected in shown["content"]
    assert await rows_mentioning(sandbox, member.id)
    await sandbox.run_line("/privacy delete")
    emulator = sandbox.emulator
    confirm = next(m for m in reversed(list(emulator.messages.values())) if "Sure?" in m.content)
    custom_id = confirm.components[0]["components"][0]["custom_id"]
    await emulator.click(emulator.member("robin"), confirm, custom_id)  # a replayed or forged press
    await sandbox.settle()
    assert await rows_mentioning(sandbox, member.id), "someone else's press deletes nothing"
    [done] = await sandbox.run_line(":click Delete my data")
    assert "deleted" in done["content"]
    assert await rows_mentioning(sandbox, member.id) == []
    [empty] = await sandbox.run_line("/privacy show")
    assert "stores nothing" in empty["content"]


async def test_privacy_delete_can_keep_the_opt_out(sandbox: Sandbox) -> None:
    member = sandbox.emulator.member("member")
    await sandbox.run_line("he blocked me on everything")
    await sandbox.run_line(":click Don't reply to me")
    await sandbox.run_line("/privacy delete keep_opt_out:true")
    await sandbox.run_line(":click Delete my data")
    assert [table for table, _ in await rows_mentioning(sandbox, member.id)] == ["safety_opt_outs"]


async def test_moderator_deleting_data_is_anonymised_in_the_audit_trail(sandbox: Sandbox) -> None:
    await as_moderator(sandbox)
    moderator = sandbox.emulator.member("mo")
    await sandbox.run_line("/config region region:UK")
    await sandbox.run_line("/privacy delete")
    await sandbox.run_line(":click Delete my data")
    rows = await sandbox.bot.db.fetchall("SELECT user_id FROM config_audit")
    assert rows and all(r["user_id"] == 0 for r in rows)
    assert await rows_mentioning(sandbox, moderator.id) == []


async def test_removing_lantern_from_a_server_purges_it(sandbox: Sandbox) -> None:
    guild = sandbox.emulator.guild_id
    await as_moderator(sandbox)
    await sandbox.run_line("/config region region:UK")
    await sandbox.run_line('/config resources add name:x url:https://example.org description:"d"')
    await sandbox.run_line("/config prompt-channel channel:#general time:09:00 timezone:UTC")
    await sandbox.run_line(":as member")
    await sandbox.run_line("he blocked me on everything")
    assert await rows_mentioning(sandbox, guild)
    await sandbox.emulator.remove_bot_from_guild()
    await sandbox.settle()
    assert await rows_mentioning(sandbox, guild) == []

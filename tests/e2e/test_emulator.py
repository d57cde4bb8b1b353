"""The emulator and the real discord.py client, end to end."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr
from pathlib import Path

import discord
import pytest

from bot.__main__ import run_bot
from bot.sandbox.engine import Sandbox
from bot.settings import load_settings
from cogs import extension_names
from emulator.invocation import ScriptError
from emulator.server import RateLimit
from tests.e2e.conftest import PROBE, start_sandbox
from tests.e2e.support_cog import tiny_png


async def test_command_sync_registers_every_command(sandbox: Sandbox) -> None:
    put = [r for r in sandbox.emulator.requests if r.route.startswith("PUT /applications/{application_id}/commands")]
    assert len(put) == 1 and put[0].status == 200
    names = {c["name"] for c in put[0].body}
    assert names == {c.name for c in sandbox.bot.tree.get_commands()}
    assert "help" in sandbox.emulator.global_commands


async def test_help_answers_ephemerally(sandbox: Sandbox) -> None:
    [shown] = await sandbox.run_line("/help")
    assert shown["by"] == "lantern"
    assert shown["visibility"] == "ephemeral"
    assert shown["for"] == "member"
    assert "/help" in shown["text"]
    assert shown["pings"] == []


async def test_expected_error_becomes_kind_ephemeral_reply(probe_sandbox: Sandbox) -> None:
    [shown] = await probe_sandbox.run_line("/probe-fail kind:input")
    assert shown["visibility"] == "ephemeral"
    assert shown["content"] == "Try a time like 09:30."
    assert probe_sandbox.errors == []


async def test_unexpected_error_shows_an_id_and_is_reported(probe_sandbox: Sandbox) -> None:
    shown = await probe_sandbox.run_line("/probe-fail kind:bug")
    reply = next(s for s in shown if s.get("by") == "lantern")
    assert reply["visibility"] == "ephemeral"
    assert "error id" in reply["content"]
    assert any("ZeroDivisionError" in e["error"] for e in probe_sandbox.errors)


async def test_button_error_goes_through_the_same_handler(probe_sandbox: Sandbox) -> None:
    await probe_sandbox.run_line("/probe-buttons")
    shown = await probe_sandbox.run_line(":click Break")
    reply = next(s for s in shown if s.get("by") == "lantern")
    assert reply["visibility"] == "ephemeral" and "error id" in reply["content"]


async def test_message_content_reaches_the_bot(probe_sandbox: Sandbox) -> None:
    await probe_sandbox.run_line("i feel a bit lost today")
    cog = probe_sandbox.bot.get_cog("Probe")
    assert cog.seen_contents == ["i feel a bit lost today"]


async def test_content_is_blank_without_the_intent(tmp_path: Path) -> None:
    intents = discord.Intents(guilds=True, guild_messages=True, dm_messages=True)
    sandbox = await start_sandbox(tmp_path, extensions=[*extension_names(), PROBE], bot_options={"intents": intents})
    try:
        await sandbox.run_line("this text is private")
        assert sandbox.bot.get_cog("Probe").seen_contents == [""]
    finally:
        await sandbox.close()


async def test_missing_privileged_intent_closes_with_4014(tmp_path: Path) -> None:
    with pytest.raises(discord.PrivilegedIntentsRequired):
        await start_sandbox(tmp_path, privileged_intents=0)


async def test_wrong_token_is_a_clear_message(tmp_path: Path) -> None:
    sandbox = await start_sandbox(tmp_path)
    try:
        settings = load_settings(env_file=None, discord_token="not-the-token", database_path=tmp_path / "other.sqlite3")
        stderr = io.StringIO()
        with redirect_stderr(stderr):
            status = await run_bot(settings)
        assert status == 2
        assert "Discord rejected the token" in stderr.getvalue()
        assert "not-the-token" not in stderr.getvalue()
    finally:
        await sandbox.close()


async def test_reply_pings_are_computed_like_discord(probe_sandbox: Sandbox) -> None:
    [shown] = await probe_sandbox.run_line("probe reply")
    assert shown["reply_to"] == "member"
    # the client-wide AllowedMentions.none() means nobody is notified, @everyone included
    assert shown["pings"] == []


async def test_closed_dms_are_403_50007(probe_sandbox: Sandbox) -> None:
    [open_dm, confirmation] = await probe_sandbox.run_line("/probe-dm")
    assert open_dm["visibility"] == "dm" and open_dm["where"] == "dm:member"
    assert confirmation["content"] == "sent"
    await probe_sandbox.run_line(":dms member closed")
    [shown] = await probe_sandbox.run_line("/probe-dm")
    assert shown["content"] == "closed:50007"


async def test_deferred_followups_and_original_edit(probe_sandbox: Sandbox) -> None:
    shown = await probe_sandbox.run_line("/probe-defer")
    assert [s["content"] for s in shown] == ["first", "second", "first, edited"]
    assert shown[2].get("edited") is True
    assert all(s["visibility"] == "ephemeral" for s in shown)


async def test_buttons_are_clickable(probe_sandbox: Sandbox) -> None:
    [message] = await probe_sandbox.run_line("/probe-buttons")
    assert message["buttons"] == ["Press me", "Break"]
    assert message["visibility"] == "public"
    [pressed] = await probe_sandbox.run_line(":click Press me")
    assert pressed["content"] == "pressed" and pressed["visibility"] == "ephemeral"


async def test_a_late_response_is_what_discord_calls_no_response(tmp_path: Path) -> None:
    sandbox = await start_sandbox(tmp_path, extensions=[*extension_names(), PROBE], interaction_deadline=0.1)
    try:
        [shown] = await sandbox.run_line("/probe-slow")
        assert shown["by"] == "discord"
        assert shown["text"] == "The application did not respond"
    finally:
        await sandbox.close()


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("/nothing", "is not a command"),
        ("/probe-options", "needs a value for “count”"),
        ("/probe-options count:11", "between 1 and 10"),
        ("/probe-options count:two", "not a valid whole number"),
        ("/probe-options count:1 colour:red", "has no option “colour”"),
        ("/probe-fail kind:sometimes", "not one of the choices"),
        ("/probe-mod", "don't have permission"),
        ("/probe-options count:1 where:#nowhere", "No channel called"),
    ],
)
async def test_discord_refuses_what_it_would_refuse(probe_sandbox: Sandbox, line: str, reason: str) -> None:
    [shown] = await probe_sandbox.run_line(line)
    assert shown["by"] == "discord"
    assert shown["visibility"] == "ephemeral" and shown["for"] == "member"
    assert reason in shown["text"]


async def test_moderators_may_use_moderator_commands(probe_sandbox: Sandbox) -> None:
    await probe_sandbox.run_line(":as sam mod")
    [shown] = await probe_sandbox.run_line("/probe-mod")
    assert shown["by"] == "lantern" and shown["content"] == "moderator ok"


async def test_options_of_every_type_arrive(probe_sandbox: Sandbox) -> None:
    await probe_sandbox.run_line(":in journal")
    await probe_sandbox.run_line(":as alex")
    await probe_sandbox.run_line(":as member")
    [shown] = await probe_sandbox.run_line('/probe-options count:3 flag:true where:#journal who:@alex word:"a b"')
    assert shown["content"] == "count=3 flag=True where=journal who=alex word=a b"


async def test_autocomplete_results(probe_sandbox: Sandbox) -> None:
    choices = await probe_sandbox.autocomplete("/probe-options count:1 word:f")
    assert [c["value"] for c in choices] == ["fear", "forgiveness", "faith"]


async def test_429_is_honoured_and_every_message_arrives(probe_sandbox: Sandbox) -> None:
    emulator = probe_sandbox.emulator
    emulator.route_limits.clear()  # only the global limit, made tiny
    emulator.global_limit = RateLimit(limit=2, per=0.3)
    shown = await probe_sandbox.run_line("probe burst")
    assert [s["content"] for s in shown] == [f"burst {i}" for i in range(5)]
    assert emulator.rate_limited, "the burst should have hit the limit at least once"
    sends = [r for r in emulator.requests if r.route == "POST /channels/{channel_id}/messages"]
    for limited in emulator.rate_limited:
        retry_at = limited.at + 0.3 - 0.05
        later = [r for r in sends if r.at > limited.at and r.status == 200]
        assert later and later[0].at >= retry_at - 0.3  # the client waited before retrying
    assert len([r for r in emulator.rate_limited]) <= 3  # no storm


async def test_route_buckets_send_headers_and_pace_the_client(probe_sandbox: Sandbox) -> None:
    emulator = probe_sandbox.emulator
    emulator.route_limits["POST /channels/{channel_id}/messages"] = RateLimit(limit=2, per=0.2)
    shown = await probe_sandbox.run_line("probe burst")
    assert len(shown) == 5
    # discord.py reads X-RateLimit-Remaining: 0 and waits for the reset, so no 429 is needed
    assert emulator.rate_limited == []
    sends = [r.at for r in emulator.requests if r.route == "POST /channels/{channel_id}/messages"]
    assert sends[-1] - sends[0] >= 0.3


async def test_gateway_reconnect_resumes_and_the_bot_keeps_working(probe_sandbox: Sandbox) -> None:
    emulator = probe_sandbox.emulator
    await emulator.request_reconnect()
    await emulator.wait_connected()
    assert emulator.resume_count == 1 and emulator.identify_count == 1
    [shown] = await probe_sandbox.run_line("/help")
    assert shown["by"] == "lantern"


async def test_events_sent_while_disconnected_are_replayed_on_resume(probe_sandbox: Sandbox) -> None:
    emulator = probe_sandbox.emulator
    await emulator.drop_connection()
    await emulator.send_message(emulator.member("member"), emulator.channel("general"), "while away")
    await emulator.wait_connected()
    await probe_sandbox.settle()
    assert probe_sandbox.bot.get_cog("Probe").seen_contents == ["while away"]


async def test_unhandled_listener_error_is_reported_for_its_line(probe_sandbox: Sandbox) -> None:
    shown = await probe_sandbox.run_line("probe crash", 7)
    assert {"line": 7, "error": "Ignoring exception in on_message: RuntimeError"} in shown, "never the message"


async def test_bad_script_lines_raise(sandbox: Sandbox) -> None:
    for line in (":wait soon", ":as", ":clock yesterday", ":frobnicate", '/help "open', ":click Nothing"):
        with pytest.raises(ScriptError):
            await sandbox.run_line(line)


async def test_json_output_is_valid_json(sandbox: Sandbox) -> None:
    for shown in await sandbox.run_line("/help"):
        assert json.loads(json.dumps(shown)) == shown


async def test_many_lines_do_not_spend_the_clients_gateway_sends(sandbox: Sandbox) -> None:
    """discord.py allows itself 110 gateway sends a minute; settling must not use any of them."""
    for number in range(1, 151):
        shown = await sandbox.run_line("/help", number)
        assert shown and shown[0]["by"] == "lantern"


async def test_select_menus_send_values_and_resolved_entities(probe_sandbox: Sandbox) -> None:
    """Component types 3, 5, 6 and 8 with `data.values` (and `resolved`), chosen by placeholder."""
    await probe_sandbox.run_line(":in journal")
    await probe_sandbox.run_line(":as alex")
    [menus] = await probe_sandbox.run_line("/probe-selects")
    assert [m["placeholder"] for m in menus["selects"]] == ["Colours", "Pick a channel", "Pick a role", "Pick a member"]
    assert menus["selects"][0] == {
        "placeholder": "Colours",
        "kind": "option",
        "options": ["Red", "Blue", "Green"],
        "chosen": [],
        "min": 0,
        "max": 2,
        "disabled": False,
    }
    [both] = await probe_sandbox.run_line(":select Colours red Blue")  # a value or a label, any case
    assert both["content"] == "colours=red,blue" and both["visibility"] == "ephemeral"
    [none] = await probe_sandbox.run_line(':select "Colours"')  # min_values 0: clearing is a choice too
    assert none["content"] == "colours=none"
    journal = probe_sandbox.emulator.find_channel("journal")
    assert journal is not None
    [channel] = await probe_sandbox.run_line(":select Pick a channel #journal")
    assert channel["content"] == f"channel=journal id={journal.id}"
    [member] = await probe_sandbox.run_line(":select pick a member @alex")
    assert member["content"] == "member=alex"
    [role] = await probe_sandbox.run_line(":select probe:role Moderator")  # the custom_id names it too
    assert role["content"] == "role=Moderator" and role.get("edited") is True
    component = [
        r.body for r in probe_sandbox.emulator.requests if r.route.startswith("POST /interactions") and r.status == 200
    ]
    assert len(component) == 6


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (":select Colours purple", "“purple” is not an option of “Colours”. Options: Red, Blue, Green."),
        (":select Colours red blue green", "takes 0 to 2 choice(s); 3 given"),
        (":select Colours red red", "can be picked once"),
        (":select Pick a channel", "takes 1 choice(s); 0 given"),
        (":select Pick a channel #nowhere", "No channel called “nowhere”"),
        (":select Pick a role Nobody", "No role called “Nobody”"),
    ],
)
async def test_discord_refuses_what_a_select_menu_would_not_offer(
    probe_sandbox: Sandbox, line: str, reason: str
) -> None:
    await probe_sandbox.run_line("/probe-selects")
    interactions = len(probe_sandbox.emulator.interactions)
    [shown] = await probe_sandbox.run_line(line)
    assert shown["by"] == "discord" and reason in shown["text"]
    assert len(probe_sandbox.emulator.interactions) == interactions, "nothing reached the bot"


async def test_select_lines_that_name_no_menu_are_script_errors(probe_sandbox: Sandbox) -> None:
    for line in (":select", ":select Flavours vanilla"):
        with pytest.raises(ScriptError):
            await probe_sandbox.run_line(line)
    await probe_sandbox.run_line("/probe-selects")
    await probe_sandbox.run_line(":as robin")  # the menu message is public: robin sees it too
    [shown] = await probe_sandbox.run_line(":select Colours green")
    assert shown["for"] == "robin"


async def test_files_are_uploaded_as_attachments(probe_sandbox: Sandbox) -> None:
    """discord.py's multipart upload (payload_json + files[N]) becomes the message's attachments."""
    shown = await probe_sandbox.run_line("/probe-file")
    assert [(s["content"], s["files"], s["visibility"]) for s in shown] == [
        ("a chart", ["chart.png"], "ephemeral"),
        ("", ["public.png"], "public"),
        ("no file now", [], "public"),
    ]
    emulator = probe_sandbox.emulator
    chart = next(m for m in emulator.messages.values() if m.content == "a chart")
    [attachment] = chart.attachments
    assert attachment["content_type"] == "image/png" and (attachment["width"], attachment["height"]) == (3, 2)
    assert chart.files[attachment["id"]] == tiny_png() and attachment["size"] == len(tiny_png())
    callback = next(r for r in emulator.requests if r.route.startswith("POST /interactions"))
    assert callback.body["data"]["attachments"] == [{"id": 0, "filename": "chart.png"}]
    assert probe_sandbox.errors == [], "a 204 answer has no body for discord.py to parse"
    assert [m.deleted for m in emulator.messages.values() if m.content == "no file now"] == [True]


async def test_a_new_server_arrives_as_on_guild_join_with_its_system_channel(probe_sandbox: Sandbox) -> None:
    emulator = probe_sandbox.emulator
    await emulator.remove_bot_from_guild()
    await emulator.add_bot_to_guild(system_channel="welcome")
    await probe_sandbox.settle()
    assert probe_sandbox.bot.get_cog("Probe").joined == [(emulator.guild_id, "welcome")]
    assert probe_sandbox.bot.get_guild(emulator.guild_id) is not None
    await probe_sandbox.restart_bot()  # a guild the bot is already in is not a join
    assert probe_sandbox.bot.get_cog("Probe").joined == []


async def test_restart_directive_keeps_the_world_and_its_buttons(probe_sandbox: Sandbox) -> None:
    await probe_sandbox.run_line("/probe-buttons")
    first_bot = probe_sandbox.bot
    assert await probe_sandbox.run_line(":restart") == []
    assert probe_sandbox.bot is not first_bot and probe_sandbox.emulator.identify_count == 2
    [pressed] = await probe_sandbox.run_line(":click Press me")
    assert pressed["content"] == "pressed"
    with pytest.raises(ScriptError):
        await probe_sandbox.run_line(":restart now")


@pytest.mark.burst  # the same send repeated in one channel: Discord's per-channel bucket would pace it (#15)
async def test_enforce_nonce_returns_the_earlier_message_like_discord(sandbox: Sandbox) -> None:
    from datetime import timedelta

    emulator = sandbox.emulator
    channel = sandbox.bot.get_partial_messageable(emulator.channel("general").id)
    first = await channel.send("once", nonce="same-nonce")
    again = await channel.send("once", nonce="same-nonce")  # discord.py sets enforce_nonce with a nonce
    assert again.id == first.id and again.nonce == "same-nonce"
    assert sum(m.content == "once" for m in emulator.messages.values()) == 1
    assert emulator.message_sends_by_nonce()["same-nonce"] == [first.id, first.id], "but two sends were made"
    other = await channel.send("once", nonce="other-nonce")
    assert other.id != first.id
    sandbox.clock.set(sandbox.clock.now() + timedelta(minutes=4))  # past Discord's "few minutes"
    later = await channel.send("once", nonce="same-nonce")
    assert later.id not in (first.id, other.id)
    emulator.messages[later.id].deleted = True  # a moderator deleted it
    with pytest.raises(discord.NotFound):  # not re-created after a delete, as on Discord
        await channel.send("once", nonce="same-nonce")
    with pytest.raises(discord.HTTPException, match="25 or fewer"):
        await channel.send("x", nonce="n" * 26)


async def test_a_lost_answer_is_retried_by_discord_py_and_deduplicated_by_its_nonce(sandbox: Sandbox) -> None:
    emulator = sandbox.emulator
    route = "POST /channels/{channel_id}/messages"
    replaced = emulator.fail_after_success(route, status=500)
    channel = sandbox.bot.get_partial_messageable(emulator.channel("general").id)
    sent = await channel.send("exactly once")  # discord.py retries the 500 after a second
    assert replaced == [500]
    assert [r.status for r in emulator.requests if r.route == route] == [500, 200]
    assert [m.id for m in emulator.messages.values() if m.content == "exactly once"] == [sent.id]

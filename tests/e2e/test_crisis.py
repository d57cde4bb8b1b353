"""Issue #13 end to end: crisis outranks every quiet setting, and alerts say what Lantern did.

Each scenario is driven as a moderator and a member would, through `/config` and the emulator.
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any

import pytest

from bot.safety.detector import assess, unsure_crisis
from bot.safety.wording import PUBLIC_REPLY
from bot.sandbox.engine import Sandbox
from tests.e2e.test_safety import HURT

CRISIS = HURT["crisis"]


async def mods_and_alerts(sandbox: Sandbox, *extra: str) -> None:
    """#mods as the alert channel (through the command), as moderator "mo"; then back to "member"."""
    await sandbox.emulator.create_channel("mods")
    await sandbox.settle()
    await sandbox.run_line(":as mo mod")
    await sandbox.run_line(f"/config alerts channel:#mods {' '.join(extra)}".strip())
    await sandbox.run_line(":as member")


def alert_in(shown: list[dict[str, Any]]) -> dict[str, Any]:
    [alert] = [s for s in shown if s["where"] == "#mods"]
    return alert


def private(shown: list[dict[str, Any]]) -> dict[str, Any]:
    """The command's own (ephemeral) answer, beside any announcement in the alert channel."""
    [answer] = [s for s in shown if s["visibility"] == "ephemeral"]
    return answer


def did(alert: dict[str, Any]) -> str:
    return alert["content"].split("What Lantern did: ", 1)[1].split("\n", 1)[0]


async def test_a_crisis_in_a_quiet_channel_gets_crisis_lines_by_dm_and_an_alert(sandbox: Sandbox) -> None:
    await sandbox.emulator.create_channel("venting")
    await mods_and_alerts(sandbox)
    await sandbox.run_line(":as mo mod")
    confirm = private(await sandbox.run_line("/config exempt action:add channel:#venting"))
    assert "a crisis still gets crisis lines by DM" in confirm["content"]
    await sandbox.run_line(":as member")
    await sandbox.run_line(":in venting")
    assert await sandbox.run_line(HURT["blocked"]) == [], "hurt stays quiet in a quiet channel"
    shown = await sandbox.run_line(CRISIS)
    dm = next(s for s in shown if s["visibility"] == "dm")
    assert dm["for"] == "member" and "immediate danger" in dm["text"]
    assert not any(s["where"] == "#venting" for s in shown), "nothing public while the DM got through"
    alert = alert_in(shown)
    assert did(alert) == "DM'd them crisis lines (quiet channel). Please check in with them."
    assert CRISIS not in alert["text"] and "/channels/" in alert["content"]
    # DMs closed: a short public reply instead, and the alert says so
    await sandbox.run_line(":as robin")
    await sandbox.run_line(":dms robin closed")
    shown = await sandbox.run_line(CRISIS)
    [public] = [s for s in shown if s["where"] == "#venting"]
    assert public["content"] == PUBLIC_REPLY["crisis"] and public["reply_to"] == "robin"
    assert did(alert_in(shown)).startswith("tried to DM them (DMs closed), so replied publicly with crisis lines")


async def test_a_quiet_role_quiets_hurt_but_not_crisis(sandbox: Sandbox) -> None:
    role = await sandbox.emulator.create_role("Venting")
    sandbox.emulator.member("member").role_ids.append(role.id)
    await mods_and_alerts(sandbox)
    await sandbox.run_line(":as mo mod")
    await sandbox.run_line("/config exempt action:add role:Venting")
    await sandbox.run_line(":as member")
    assert await sandbox.run_line(HURT["pursuit"]) == []
    shown = await sandbox.run_line(CRISIS)
    assert [s["visibility"] for s in shown if s["where"] != "#mods"] == ["dm"]
    assert did(alert_in(shown)).startswith("DM'd them crisis lines (quiet role)")


async def test_safety_off_quiets_hurt_and_still_answers_a_crisis(sandbox: Sandbox) -> None:
    await mods_and_alerts(sandbox)
    await sandbox.run_line(":as mo mod")
    confirm = private(await sandbox.run_line("/config safety enabled:false"))
    assert "Safety replies: ❌ Off" in confirm["content"]
    assert "A member in crisis gets crisis lines by DM" in confirm["content"]
    assert "Moderators are alerted in <#" in confirm["content"]
    await sandbox.run_line(":as member")
    assert await sandbox.run_line(HURT["rejected"]) == []
    shown = await sandbox.run_line(CRISIS)
    assert any(s["visibility"] == "dm" for s in shown)
    assert did(alert_in(shown)).startswith("DM'd them crisis lines (safety replies are off)")


async def test_alert_mode_needs_an_alert_channel(sandbox: Sandbox) -> None:
    await sandbox.run_line(":as mo mod")
    [refused] = await sandbox.run_line("/config safety mode:alert")
    assert refused["visibility"] == "ephemeral"
    assert "needs an alert channel first: `/config alerts channel:" in refused["content"]
    assert (await sandbox.bot.stores.guild_settings.get(sandbox.emulator.guild_id)).safety_mode == "reply"
    assert await sandbox.bot.db.fetchall("SELECT * FROM config_audit") == [], "nothing changed, nothing audited"
    [preview] = await sandbox.run_line(f'/config test text:"{CRISIS}"')
    assert "alert nobody: there is no alert channel" in preview["content"]


async def test_alert_mode_with_a_channel_still_gives_crisis_lines(sandbox: Sandbox) -> None:
    await mods_and_alerts(sandbox)
    await sandbox.run_line(":as mo mod")
    confirm = private(await sandbox.run_line("/config safety mode:alert"))
    assert "crisis lines by DM" in confirm["content"]
    [preview] = await sandbox.run_line(f'/config test text:"{CRISIS}"')
    assert (
        "send the member crisis lines by DM" in preview["content"] and "and alert the moderators" in preview["content"]
    )
    await sandbox.run_line(":as member")
    shown = await sandbox.run_line(HURT["ignored"])
    assert [s["where"] for s in shown] == ["#mods"]
    assert did(shown[0]) == "only alerted the moderators (alert mode)."
    shown = await sandbox.run_line(CRISIS)
    assert [s["where"] for s in shown] == ["dm:member", "#mods"]
    assert did(alert_in(shown)).startswith("DM'd them crisis lines (alert mode)")


# Many replies and alerts in two channels within a second: Discord's per-channel bucket would pace it (#15).
@pytest.mark.burst
async def test_the_flood_guard_is_named_in_the_alert_and_dm_replies_do_not_feed_it(sandbox: Sandbox) -> None:
    await mods_and_alerts(sandbox, "all_events:true")
    answers = []
    for name in ("a", "b", "c", "d"):
        await sandbox.run_line(f":as {name}")
        answers.append(await sandbox.run_line(HURT["blocked"]))
    assert [len([s for s in shown if s["where"] == "#general"]) for shown in answers] == [1, 1, 1, 0]
    assert did(alert_in(answers[3])) == "stayed quiet: flood guard."
    assert did(alert_in(answers[0])) == "replied."
    # DM mode: five DMs in a row do not fill the channel's guard
    await sandbox.run_line(":wait 3m")
    await sandbox.bot.stores.guild_settings.update(sandbox.emulator.guild_id, safety_mode="dm")
    for name in ("e", "f", "g", "h", "i"):
        await sandbox.run_line(f":as {name}")
        shown = await sandbox.run_line(HURT["ignored"])
        assert [s["visibility"] for s in shown if s["where"] != "#mods"] == ["dm"]
    assert (
        sandbox.bot.safety_responder.flood_guard.recent(sandbox.emulator.channel("general").id, sandbox.bot.clock.now())
        == 0
    )
    await sandbox.run_line(":as j")
    await sandbox.run_line(":dms j closed")
    shown = await sandbox.run_line(HURT["ignored"])
    assert any(s["where"] == "#general" for s in shown), "the public fallback still has room"
    assert did(alert_in(shown)) == "tried to DM them (DMs closed), so replied publicly."


async def test_opt_out_promises_only_what_this_server_does(sandbox: Sandbox) -> None:
    await sandbox.run_line(HURT["blocked"])
    [confirm] = await sandbox.run_line(":click Don't reply to me")
    assert "crisis lines" in confirm["content"] and "moderators" not in confirm["content"]
    await mods_and_alerts(sandbox, "all_events:true")
    await sandbox.run_line(":as robin")
    await sandbox.run_line(HURT["blocked"])
    [confirm] = await sandbox.run_line(":click Don't reply to me")
    assert "let this server's moderators know" in confirm["content"]
    await sandbox.run_line(":wait 7h")
    shown = await sandbox.run_line(HURT["ignored"])
    assert [s["where"] for s in shown] == ["#mods"] and did(shown[0]) == "stayed quiet: opted out."
    shown = await sandbox.run_line(CRISIS)
    assert shown[0]["content"] == PUBLIC_REPLY["crisis"], "an opt-out never silences crisis lines"
    assert "Don't reply to me" not in shown[0]["buttons"], "they already opted out: no second offer"
    assert "Resources" in shown[0]["buttons"]
    assert did(alert_in(shown)).startswith("replied with crisis lines")


async def test_crisis_cooldown_keeps_the_reply_quiet_but_never_the_alert(sandbox: Sandbox) -> None:
    await mods_and_alerts(sandbox)
    await sandbox.run_line(CRISIS)
    await sandbox.run_line(":wait 4m")
    shown = await sandbox.run_line(CRISIS)
    assert [s["where"] for s in shown] == ["#mods"]
    assert did(shown[0]) == "stayed quiet: cooldown, replied 4 minutes ago. Please check in with them."
    assert shown[0]["buttons"] == ["I'm on it", "Resolved"]
    await sandbox.run_line(":wait 6m")
    shown = await sandbox.run_line(CRISIS)
    assert any(s["where"] == "#general" for s in shown), "ten minutes at most"


async def test_the_responder_role_is_pinged_on_crisis_alerts_only(sandbox: Sandbox) -> None:
    emulator = sandbox.emulator
    await emulator.create_role("Responders")
    await mods_and_alerts(sandbox, "role:Responders all_events:true")
    shown = await sandbox.run_line(CRISIS)
    assert alert_in(shown)["pings"] == ["@&Responders"], "the role, nobody else (not the member)"
    await sandbox.run_line(":as robin")
    shown = await sandbox.run_line(HURT["blocked"])
    assert alert_in(shown)["pings"] == [] and "<@&" not in alert_in(shown)["content"]
    await sandbox.run_line(":as mo mod")
    shown = await sandbox.run_line("/config region region:UK")
    assert all(s["pings"] == [] for s in shown), "settings changes never ping"
    requests = [r for r in emulator.requests if r.route == "POST /channels/{channel_id}/messages"]
    pinging = [r.body for r in requests if (r.body.get("allowed_mentions") or {}).get("roles")]
    assert len(pinging) == 1 and pinging[0]["content"].startswith("<@&")
    role = emulator.find_role("Responders")
    assert role is not None and pinging[0]["allowed_mentions"] == {"roles": [role.id], "parse": []}


@pytest.mark.burst  # many members in crisis in one channel at once: Discord's per-channel bucket would pace it (#15)
async def test_many_members_in_crisis_at_once_each_get_lines_and_an_alert(sandbox: Sandbox) -> None:
    await mods_and_alerts(sandbox)
    await sandbox.bot.stores.guild_settings.update(sandbox.emulator.guild_id, safety_mode="dm")
    emulator = sandbox.emulator
    members = [emulator.member(f"p{i}") for i in range(12)]
    for member in members[::3]:
        member.user.dms_open = False
    general = emulator.channel("general")
    await asyncio.gather(*(emulator.send_message(m, general, CRISIS) for m in members))
    await sandbox.settle()
    mine = [m for m in emulator.messages.values() if m.author.id == emulator.bot_user.id]
    dms = {m.channel.recipient.name for m in mine if m.channel.type == 1 and m.channel.recipient}
    public = {emulator.messages[m.reference_id].author.name for m in mine if m.reference_id and m.channel is general}
    assert dms | public == {m.name for m in members} and not dms & public
    assert public == {m.name for m in members[::3]}
    alerts = [m for m in mine if m.channel.name == "mods" and "Crisis language" in m.content]
    assert len(alerts) == 12
    rows = await sandbox.bot.db.fetchall("SELECT kind FROM safety_alerts")
    assert [r["kind"] for r in rows] == ["crisis"] * 12
    counts = await sandbox.bot.db.fetchall("SELECT outcome, count FROM safety_insights WHERE kind = 'crisis'")
    assert {r["outcome"]: r["count"] for r in counts} == {"dm": 8, "dm_failed_reply": 4}


async def test_not_about_that_removes_the_reply_for_the_member_it_answered(sandbox: Sandbox) -> None:
    [reply] = await sandbox.run_line(HURT["ignored"])
    assert "Not about that" in reply["buttons"]
    await sandbox.restart_bot()
    await sandbox.run_line(":as robin")
    [note] = await sandbox.run_line(":click Not about that")
    assert note["visibility"] == "ephemeral" and "for the person Lantern replied to" in note["content"]
    replies = [m for m in sandbox.emulator.messages.values() if m.content == reply["content"]]
    assert [m.deleted for m in replies] == [False]
    await sandbox.run_line(":as member")
    [thanks] = await sandbox.run_line(":click Not about that")
    assert "removed my reply" in thanks["content"] and thanks["visibility"] == "ephemeral"
    assert [m.deleted for m in replies] == [True]
    assert sandbox.errors == []


async def test_config_show_says_what_each_setting_does_on_crisis(sandbox: Sandbox) -> None:
    await sandbox.run_line(":as mo mod")
    [shown] = await sandbox.run_line("/config show")
    embed = shown["embeds"][0]
    assert embed["description"].startswith("**On crisis:** A member in crisis gets crisis lines in a public reply")
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert "On crisis: hurt and pursuit replies are posted" in fields["Safety replies"]
    assert "On crisis: nobody is alerted on crisis" in fields["Crisis alert channel"]
    assert "On crisis: crisis alerts ping nobody" in fields["Responder role"]
    assert "still gets crisis lines by DM" in fields["Quiet channels"]


async def test_a_reply_that_fails_to_build_still_alerts_the_moderators(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug or an outage while building the crisis reply must not also cost the alert."""

    async def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("resources unavailable")

    await mods_and_alerts(sandbox)
    monkeypatch.setattr(sys.modules["cogs.safety"], "resources_for_label", broken)  # the loaded extension
    shown = await sandbox.run_line(CRISIS)
    errors = [s["error"] for s in shown if "error" in s]
    alert = alert_in([s for s in shown if "error" not in s])
    assert "Crisis language" in alert["content"]
    assert any("Safety reply failed" in error for error in errors), "the failure is logged, without text"
    assert CRISIS not in str(shown)


async def test_a_message_edited_into_a_crisis_statement_is_answered_and_alerted(sandbox: Sandbox) -> None:
    """Only crisis counts for an edit: a typo fix on an ordinary or hurt message gets nothing more."""
    await mods_and_alerts(sandbox)
    emulator = sandbox.emulator
    member, general = emulator.member("member"), emulator.channel("general")
    message = await emulator.send_message(member, general, "rough week, not gonna lie")
    await sandbox.settle()
    before = set(emulator.messages)
    await emulator.edit_message(message, "rough week. honestly i don't want to be alive anymore")
    await sandbox.settle()
    new = [emulator.messages[i] for i in emulator.messages if i not in before]
    assert any(m.reference_id == message.id and m.content == PUBLIC_REPLY["crisis"] for m in new)
    assert any(m.channel.name == "mods" and "Crisis language" in m.content for m in new)
    hurt = await emulator.send_message(member, general, "he blocked me on everything")
    await sandbox.settle()
    before = set(emulator.messages)
    await emulator.edit_message(hurt, "he blocked me on everything, every app")
    await sandbox.settle()
    assert [i for i in emulator.messages if i not in before] == [], "an edited hurt message is not answered twice"


async def test_a_crisis_label_the_detector_is_unsure_of_goes_privately_first(sandbox: Sandbox) -> None:
    """A likely joke still gets crisis lines and the alert, but by DM: a false alarm is never a
    public crisis reply; with DMs closed the short public reply still reaches the member."""
    unsure, sure = "this level makes me want to die lol", "nobody would notice if i was gone"
    assert unsure_crisis(assess(unsure)) and assess(sure).label == "crisis" and not unsure_crisis(assess(sure))
    await mods_and_alerts(sandbox)
    shown = await sandbox.run_line(unsure)
    dm = next(s for s in shown if s["visibility"] == "dm")
    assert dm["for"] == "member" and "immediate danger" in dm["text"]
    assert not any(s["where"] == "#general" for s in shown), "nothing public while the DM got through"
    assert (
        did(alert_in(shown))
        == "DM'd them crisis lines (not sure it's a crisis, so privately first). Please check in with them."
    )

    await sandbox.run_line(":as kai")
    [public, alert] = sorted(await sandbox.run_line(sure), key=lambda s: str(s["where"]))
    assert public["where"] == "#general" and public["content"] == PUBLIC_REPLY["crisis"]  # sure: public, as before
    assert did(alert).startswith("replied with crisis lines")

    await sandbox.run_line(":as robin")
    await sandbox.run_line(":dms robin closed")
    shown = await sandbox.run_line(unsure)
    [public] = [s for s in shown if s["where"] == "#general"]
    assert public["content"] == PUBLIC_REPLY["crisis"] and public["reply_to"] == "robin"
    assert did(alert_in(shown)).startswith("tried to DM them (DMs closed), so replied publicly with crisis lines")

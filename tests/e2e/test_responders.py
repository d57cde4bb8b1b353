"""The responder workflow end to end: I'm on it, Resolved, Talk to a moderator; restarts, races, losses."""

from __future__ import annotations

import asyncio

from bot.safety.alerts import TAKE_ID
from bot.sandbox.engine import Sandbox
from tests.e2e.test_crisis import CRISIS, mods_and_alerts


def newest_alert(sandbox: Sandbox) -> str:
    emulator = sandbox.emulator
    mods = emulator.channel("mods")
    alerts = [m for m in emulator.messages.values() if m.channel is mods and "Status:" in m.content]
    return max(alerts, key=lambda m: m.id).content


async def test_an_alert_is_taken_and_resolved_across_a_restart(sandbox: Sandbox) -> None:
    emulator = sandbox.emulator
    await emulator.create_role("Responders")
    emulator.member("riley").role_ids.append(emulator.find_role("Responders").id)  # type: ignore[union-attr]
    await mods_and_alerts(sandbox, "role:Responders")
    await sandbox.run_line(CRISIS)
    assert "Status: open" in newest_alert(sandbox)
    await sandbox.restart_bot()
    await sandbox.run_line(":in mods")
    [refused] = await sandbox.run_line(":click I'm on it")  # a member without the role or Manage Server
    assert (
        refused["visibility"] == "ephemeral" and "Only moderators and this server's responder role" in refused["text"]
    )
    await sandbox.run_line(":as riley")  # in the responder role, without Manage Server
    [taken] = await sandbox.run_line(":click I'm on it")
    riley = emulator.member("riley").id
    assert taken.get("edited") and f"Status: <@{riley}> is on it" in taken["content"]
    assert taken["buttons"] == ["Resolved"] and taken["pings"] == []
    assert "What Lantern did: replied with crisis lines" in taken["content"], "the header stays"
    await sandbox.run_line(":wait 25m")
    await sandbox.restart_bot()
    await sandbox.run_line(":as mo mod")
    [resolved] = await sandbox.run_line(":click Resolved")
    assert f"resolved by <@{emulator.member('mo').id}>" in resolved["content"]
    assert "25 min after the alert" in resolved["content"] and f"(<@{riley}> was on it)" in resolved["content"]
    assert resolved["buttons"] == []
    [row] = await sandbox.bot.db.fetchall("SELECT * FROM safety_alerts")
    assert (row["taken_by"], row["resolved_by"]) == (riley, emulator.member("mo").id)
    assert set(dict(row)) == {
        "message_id",
        "guild_id",
        "kind",
        "created_at",
        "taken_by",
        "taken_at",
        "resolved_by",
        "resolved_at",
    }, "ids and times only"


async def test_many_moderators_press_at_once_and_one_takes_it(sandbox: Sandbox) -> None:
    await mods_and_alerts(sandbox)
    await sandbox.run_line(CRISIS)
    emulator = sandbox.emulator
    mods = [emulator.member(f"mod{i}", moderator=True) for i in range(8)]
    alert = max((m for m in emulator.messages.values() if m.channel.name == "mods"), key=lambda m: m.id)
    await asyncio.gather(*(emulator.click(m, alert, TAKE_ID) for m in mods))
    await sandbox.settle()
    [row] = await sandbox.bot.db.fetchall("SELECT taken_by FROM safety_alerts")
    winner = next(m for m in mods if m.id == row["taken_by"])
    assert alert.content.count("is on it") == 1 and f"<@{winner.id}> is on it" in alert.content
    notes = [m for m in emulator.messages.values() if m.ephemeral and "is already on it" in m.content]
    assert len(notes) == 7 and {m.visible_to for m in notes} == {m.id for m in mods} - {winner.id}
    assert all(r.status < 400 for r in emulator.requests if r.route.startswith("POST /interactions"))


async def test_an_alert_whose_record_was_lost_still_works(sandbox: Sandbox) -> None:
    """A crash between posting the alert and storing it: the first press records it."""
    await mods_and_alerts(sandbox)
    await sandbox.run_line(CRISIS)
    await sandbox.bot.db.execute("DELETE FROM safety_alerts")
    await sandbox.run_line(":as mo mod")
    await sandbox.run_line(":in mods")
    [taken] = await sandbox.run_line(":click I'm on it")
    assert "is on it" in taken["content"]
    [row] = await sandbox.bot.db.fetchall("SELECT kind, taken_by FROM safety_alerts")
    assert (row["kind"], row["taken_by"]) == ("crisis", sandbox.emulator.member("mo").id)


async def test_a_press_after_a_crash_between_record_and_edit_shows_the_truth(sandbox: Sandbox) -> None:
    """The record says riley took it, but the bot died before editing the alert: the next press heals it."""
    await mods_and_alerts(sandbox)
    await sandbox.run_line(CRISIS)
    emulator = sandbox.emulator
    [row] = await sandbox.bot.db.fetchall("SELECT message_id FROM safety_alerts")
    riley = emulator.member("riley", moderator=True)
    await sandbox.bot.stores.safety_alerts.take(row["message_id"], riley.id, sandbox.bot.clock.now())
    await sandbox.restart_bot()
    assert "Status: open" in newest_alert(sandbox)
    await sandbox.run_line(":as mo mod")
    await sandbox.run_line(":in mods")
    shown = await sandbox.run_line(":click I'm on it")
    [edited] = [s for s in shown if s.get("edited")]
    [note] = [s for s in shown if s["visibility"] == "ephemeral"]
    assert f"Status: <@{riley.id}> is on it" in edited["content"] and edited["buttons"] == ["Resolved"]
    assert note["content"] == f"<@{riley.id}> is already on it."


async def test_talk_to_a_moderator_asks_for_a_human_once(sandbox: Sandbox) -> None:
    emulator = sandbox.emulator
    await emulator.create_role("Responders")
    await mods_and_alerts(sandbox, "role:Responders")
    [reply, _alert] = await sandbox.run_line(CRISIS)
    assert "Talk to a moderator" in reply["buttons"]
    original = max(m.id for m in emulator.messages.values() if m.author.name == "member")
    await sandbox.run_line(":as robin")
    [note] = await sandbox.run_line(":click Talk to a moderator")
    assert note["visibility"] == "ephemeral" and "for the person Lantern replied to" in note["text"]
    await sandbox.restart_bot()
    await sandbox.run_line(":as member")
    shown = await sandbox.run_line(":click Talk to a moderator")
    [request] = [s for s in shown if s["where"] == "#mods"]
    [answer] = [s for s in shown if s["visibility"] == "ephemeral"]
    assert "asked the moderators" in answer["content"] or "asked this server's moderators" in answer["content"]
    assert request["pings"] == ["@&Responders"]
    assert f"/channels/{emulator.guild_id}/{emulator.channel('general').id}/{original}" in request["content"]
    assert CRISIS not in request["text"] and request["buttons"] == ["I'm on it", "Resolved"]
    [again] = await sandbox.run_line(":click Talk to a moderator")
    assert again["visibility"] == "ephemeral" and "already asked" in again["content"]
    kinds = [r["kind"] for r in await sandbox.bot.db.fetchall("SELECT kind FROM safety_alerts ORDER BY created_at")]
    assert sorted(kinds) == ["crisis", "talk"]


async def test_no_talk_button_without_an_alert_channel(sandbox: Sandbox) -> None:
    [reply] = await sandbox.run_line(CRISIS)
    assert "Talk to a moderator" not in reply["buttons"]


async def test_alerts_and_insights_are_kept_90_days_and_shown_to_the_moderator(sandbox: Sandbox) -> None:
    await mods_and_alerts(sandbox)
    await sandbox.run_line(CRISIS)
    await sandbox.run_line(":as mo mod")
    await sandbox.run_line(":in mods")
    await sandbox.run_line(":click I'm on it")
    [shown] = await sandbox.run_line("/privacy show")
    assert "Crisis alerts you took or resolved as a moderator**: 1," in shown["content"]
    db = sandbox.bot.db
    assert await db.fetchall("SELECT * FROM safety_alerts") and await db.fetchall("SELECT * FROM safety_insights")
    await sandbox.run_line(":wait 89d")
    assert await db.fetchall("SELECT * FROM safety_alerts"), "still within 90 days"
    await sandbox.run_line(":wait 2d")
    assert await db.fetchall("SELECT * FROM safety_alerts") == []
    assert await db.fetchall("SELECT * FROM safety_insights") == []

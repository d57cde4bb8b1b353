"""The safety listener end to end: replies, buttons, opt-out, cooldowns, modes, alerts, privacy."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from bot.logging_setup import quiet_payload_loggers
from bot.safety import assess
from bot.safety.wording import PUBLIC_REPLY, public_reply
from bot.sandbox.engine import Sandbox

HURT = {
    "ignored": "he hasn't replied in 4 days",
    "rejected": "she told me she doesn't feel the same way",
    "blocked": "he blocked me on everything",
    "pursuit": "he blocked me so i made a new account to message him",
    "crisis": "i don't want to be alive anymore",
}


async def mod_channel(sandbox: Sandbox, name: str = "mods") -> int:
    channel = await sandbox.emulator.create_channel(name)
    await sandbox.settle()
    return channel.id


@pytest.mark.parametrize("label", list(HURT))
async def test_each_label_gets_its_short_kind_public_reply(sandbox: Sandbox, label: str) -> None:
    [shown] = await sandbox.run_line(HURT[label])
    assert shown["visibility"] == "public" and shown["reply_to"] == "member"
    assert shown["content"] == public_reply(label, assess(HURT[label]).reasons)
    assert HURT[label] not in shown["text"], "never quote the member"
    assert shown["pings"] == []
    if label == "crisis":
        assert "immediate danger" in shown["text"], "crisis lines are in the reply itself"
        assert shown["buttons"] == ["Resources", "Don't reply to me"], "no alert channel: nobody to talk to"
        assert [m["placeholder"] for m in shown["selects"]] == ["Choose your region for local numbers"]
    else:
        assert shown["buttons"] == ["Resources", "Don't reply to me", "Not about that"]
        assert shown["selects"] == []


async def test_ordinary_messages_get_no_reply(sandbox: Sandbox) -> None:
    for line in ("good morning everyone", "i blocked out an hour to journal", "ignore my typos lol"):
        assert await sandbox.run_line(line) == []


async def test_resources_button_fits_the_label_and_region(sandbox: Sandbox) -> None:
    await sandbox.run_line("/resources region:UK remember:true")
    await sandbox.run_line(HURT["pursuit"])
    [shown] = await sandbox.run_line(":click Resources")
    assert shown["visibility"] == "ephemeral" and shown["for"] == "member"
    names = [f["name"] for f in shown["embeds"][0]["fields"]]
    assert any(name.startswith("Respect Phoneline") for name in names), "help for one's own behaviour"
    assert not any("Refuge" in name for name in names), "never a victims' line for someone who pursues"
    await sandbox.run_line(":as robin")
    await sandbox.run_line("/resources region:US remember:true")
    await sandbox.run_line(HURT["crisis"])
    [crisis] = await sandbox.run_line(":click Resources")
    assert "988 Suicide & Crisis Lifeline" in [f["name"] for f in crisis["embeds"][0]["fields"]]


async def test_opt_out_is_respected_reversible_and_never_silences_crisis(sandbox: Sandbox) -> None:
    await sandbox.run_line(HURT["blocked"])
    [confirm] = await sandbox.run_line(":click Don't reply to me")
    assert confirm["visibility"] == "ephemeral" and confirm["buttons"] == ["Reply to me again"]
    assert await sandbox.run_line(HURT["ignored"]) == []
    [crisis] = await sandbox.run_line(HURT["crisis"])
    assert crisis["content"] == PUBLIC_REPLY["crisis"]
    await sandbox.run_line(":click Reply to me again")
    await sandbox.run_line(":wait 6h")  # past the cooldown of the first reply
    [again] = await sandbox.run_line(HURT["rejected"])
    assert again["content"] == PUBLIC_REPLY["rejected"]


async def test_cooldown_per_member_and_family(sandbox: Sandbox) -> None:
    assert await sandbox.run_line(HURT["blocked"])
    assert await sandbox.run_line(HURT["ignored"]) == [], "same family (hurt) within 6 hours"
    assert await sandbox.run_line(HURT["pursuit"]), "another family still gets its reply"
    await sandbox.run_line(":as robin")
    assert await sandbox.run_line(HURT["ignored"]), "another member is not affected"
    await sandbox.run_line(":as member")
    await sandbox.run_line(":wait 6h")
    assert await sandbox.run_line(HURT["ignored"]), "after the cooldown"


async def test_crisis_is_silenced_for_ten_minutes_at_most(sandbox: Sandbox) -> None:
    await sandbox.bot.stores.guild_settings.update(sandbox.emulator.guild_id, safety_cooldown_hours=24)
    assert await sandbox.run_line(HURT["crisis"])
    assert await sandbox.run_line(HURT["crisis"]) == []
    await sandbox.run_line(":wait 10m")
    assert await sandbox.run_line(HURT["crisis"])


async def test_channel_flood_guard_spares_crisis(sandbox: Sandbox) -> None:
    replies = 0
    for name in ("a", "b", "c", "d", "e"):
        await sandbox.run_line(f":as {name}")
        replies += len(await sandbox.run_line(HURT["blocked"]))
    assert replies == 3
    await sandbox.run_line(":as f")
    assert await sandbox.run_line(HURT["crisis"]), "crisis is never flood-guarded"


async def test_crisis_alert_has_a_jump_link_and_no_message_text(sandbox: Sandbox) -> None:
    mods = await mod_channel(sandbox)
    await sandbox.bot.stores.guild_settings.update(sandbox.emulator.guild_id, alert_channel_id=mods)
    shown = await sandbox.run_line(HURT["crisis"])
    alert = next(s for s in shown if s["where"] == "#mods")
    assert "Crisis language from" in alert["content"] and "/channels/" in alert["content"]
    assert HURT["crisis"] not in alert["text"]
    assert alert["pings"] == []
    # alerts are not suppressed by the member's opt-out
    await sandbox.run_line(":click Don't reply to me")
    await sandbox.run_line(":wait 11m")
    shown = await sandbox.run_line(HURT["crisis"])
    assert any(s["where"] == "#mods" for s in shown)


async def test_dm_mode_and_closed_dms(sandbox: Sandbox) -> None:
    await sandbox.bot.stores.guild_settings.update(sandbox.emulator.guild_id, safety_mode="dm")
    [dm] = await sandbox.run_line(HURT["ignored"])
    assert dm["visibility"] == "dm" and dm["for"] == "member"
    await sandbox.run_line(":as robin")
    await sandbox.run_line(":dms robin closed")
    [fallback] = await sandbox.run_line(HURT["ignored"])
    assert fallback["visibility"] == "public" and fallback["content"] == PUBLIC_REPLY["ignored"]


async def test_alert_mode_only_alerts_moderators(sandbox: Sandbox) -> None:
    mods = await mod_channel(sandbox)
    guild = sandbox.emulator.guild_id
    await sandbox.bot.stores.guild_settings.update(
        guild, safety_mode="alert", alert_channel_id=mods, alert_all_events=True
    )
    shown = await sandbox.run_line(HURT["blocked"])
    assert [s["where"] for s in shown] == ["#mods"]
    assert "Safety event (blocked)" in shown[0]["content"]
    assert "What Lantern did: only alerted the moderators (alert mode)." in shown[0]["content"]


async def test_exempt_channels_and_roles_are_quiet(sandbox: Sandbox) -> None:
    vent = await sandbox.emulator.create_channel("vent")
    role = await sandbox.emulator.create_role("Peer supporter")
    sandbox.emulator.member("helper").role_ids.append(role.id)
    await sandbox.settle()
    guild = sandbox.emulator.guild_id
    await sandbox.bot.stores.guild_settings.update(guild, exempt_channel_ids=(vent.id,), exempt_role_ids=(role.id,))
    await sandbox.run_line(":in vent")
    assert await sandbox.run_line(HURT["blocked"]) == []
    await sandbox.run_line(":in general")
    await sandbox.run_line(":as helper")
    assert await sandbox.run_line(HURT["blocked"]) == []


async def test_disabled_server_gets_no_replies(sandbox: Sandbox) -> None:
    await sandbox.bot.stores.guild_settings.update(sandbox.emulator.guild_id, safety_enabled=False)
    assert await sandbox.run_line(HURT["blocked"]) == []


async def test_direct_messages_to_the_bot_get_a_private_reply(sandbox: Sandbox) -> None:
    emulator = sandbox.emulator
    member = emulator.member("member")
    await emulator.send_message(member, emulator.dm_channel(member.user), HURT["ignored"])
    await sandbox.settle()
    replies = [m for m in emulator.messages.values() if m.author.id == emulator.bot_user.id]
    assert len(replies) == 1 and replies[0].channel.type == 1
    assert replies[0].content == PUBLIC_REPLY["ignored"]


async def test_records_are_purged_after_30_days(sandbox: Sandbox) -> None:
    await sandbox.run_line(HURT["blocked"])
    assert await sandbox.bot.db.fetchall("SELECT * FROM safety_cooldowns")
    await sandbox.run_line(":wait 31d")
    assert await sandbox.bot.db.fetchall("SELECT * FROM safety_cooldowns") == []


async def all_stored_values(sandbox: Sandbox) -> list[Any]:
    db = sandbox.bot.db
    tables = await db.table_names()
    values: list[Any] = []
    for table in tables:
        for row in await db.fetchall(f"SELECT * FROM {table}"):  # table names come from the database
            values.extend(tuple(row))
    return values


async def test_nothing_of_the_message_text_is_stored_or_logged(
    sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    quiet_payload_loggers()  # exactly what `lantern run` does at LOG_LEVEL=DEBUG
    mods = await mod_channel(sandbox)
    await sandbox.bot.stores.guild_settings.update(
        sandbox.emulator.guild_id, alert_channel_id=mods, alert_all_events=True
    )
    for text in HURT.values():
        await sandbox.run_line(text)
    stored = " ".join(str(v) for v in await all_stored_values(sandbox))
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for text in HURT.values():
        assert text not in stored
        assert text not in logged
        for word in ("replied", "alive", "everything", "account"):
            if word in text:
                assert f"{word} " not in stored


async def test_pursuit_replies_say_what_was_noticed_and_never_quote_the_member(sandbox: Sandbox) -> None:
    said = {
        "I made a new account to message him after he blocked me": "going around it",
        "I went to his house again last night even though he didn't answer": "going to places where they are",
        "I keep texting her every day": "keep reaching out to them",
        "I asked his sister to give him my letter": "through other people",
    }
    replies = []
    for index, (text, words) in enumerate(said.items()):
        await sandbox.run_line(f":as m{index}")
        await sandbox.run_line(":wait 3m")  # past the channel's flood guard
        [shown] = await sandbox.run_line(text)
        assert words in shown["content"], (text, shown["content"])
        assert "asked for space" not in shown["content"], "nobody said they had asked for space"
        assert text not in shown["text"] and shown["pings"] == []
        replies.append(shown["content"])
    assert len(set(replies)) == len(said)

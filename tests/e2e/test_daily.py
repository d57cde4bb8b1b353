"""Daily DMs end to end: welcome, one prompt a day, stop, closed DMs, downtime, DST, crashes."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.sandbox.engine import Sandbox
from tests.e2e.conftest import burst_limits, start_sandbox

# Days of the manual clock pass in a second: a member's DMs would be paced by Discord's per-channel bucket.
pytestmark = pytest.mark.burst

PROMPT = "Your reflection for today:"


def prompts_to(sandbox: Sandbox, name: str) -> list[datetime]:
    emulator = sandbox.emulator
    return sorted(
        m.timestamp
        for m in emulator.messages.values()
        if m.channel.type == 1
        and m.channel.recipient is not None
        and m.channel.recipient.name == name
        and m.content == PROMPT
        and m.author.id == emulator.bot_user.id
    )


async def test_start_welcome_then_exactly_one_prompt_a_day(sandbox: Sandbox) -> None:
    shown = await sandbox.run_line("/daily start time:09:00 timezone:Europe/Berlin")
    assert shown[0]["visibility"] == "dm" and "Welcome" in shown[0]["content"]
    assert shown[0]["buttons"] == ["Stop daily prompts"]
    assert "<t:" in shown[1]["content"] and shown[1]["visibility"] == "ephemeral"
    await sandbox.run_line(":wait 1d")
    assert len(prompts_to(sandbox, "member")) == 1
    await sandbox.run_line(":wait 3d")
    sent = prompts_to(sandbox, "member")
    assert len(sent) == 4
    assert {t.astimezone(ZoneInfo("Europe/Berlin")).strftime("%H:%M") for t in sent} == {"09:00"}


async def test_theme_is_followed_and_prompts_do_not_repeat(sandbox: Sandbox) -> None:
    await sandbox.run_line("/daily start time:08:30 timezone:UTC theme:boundaries")
    await sandbox.run_line(":wait 8d")
    texts = [m.embeds[0]["description"] for m in sandbox.emulator.messages.values() if m.content == PROMPT]
    boundaries = {sandbox.bot.content.prompts[i].text for i in sandbox.bot.content.prompt_ids("boundaries")}
    assert len(texts) == 8 and set(texts) == boundaries


async def test_status_shows_next_delivery_and_stop_by_command(sandbox: Sandbox) -> None:
    await sandbox.run_line("/daily start time:21:30 timezone:America/New_York")
    [status] = await sandbox.run_line("/daily status")
    assert "21:30 (9:30 in the evening), New York time (America/New_York)" in status["content"]
    assert "<t:" in status["content"]
    [stopped] = await sandbox.run_line("/daily stop")
    assert "Stopped" in stopped["content"]
    await sandbox.run_line(":wait 2d")
    assert prompts_to(sandbox, "member") == []


async def test_stop_button_works_after_a_restart(sandbox: Sandbox) -> None:
    await sandbox.run_line("/daily start time:09:00 timezone:Europe/London")
    await sandbox.run_line(":wait 1d")
    await sandbox.restart_bot()
    [confirm] = await sandbox.run_line(":click Stop daily prompts")
    assert "Stopped" in confirm["content"]
    assert await sandbox.bot.stores.daily.get(sandbox.emulator.member("member").id) is None
    await sandbox.run_line(":wait 2d")
    assert len(prompts_to(sandbox, "member")) == 1


async def test_closed_dms_at_start_save_nothing(sandbox: Sandbox) -> None:
    await sandbox.run_line(":dms member closed")
    [shown] = await sandbox.run_line("/daily start time:09:00 timezone:Europe/Berlin")
    assert "allow DMs" in shown["content"]
    assert await sandbox.bot.db.fetchall("SELECT * FROM daily_subscriptions") == []


async def test_three_closed_dm_failures_pause_and_status_explains(sandbox: Sandbox) -> None:
    await sandbox.run_line("/daily start time:09:00 timezone:Europe/Berlin")
    await sandbox.run_line(":dms member closed")
    await sandbox.run_line(":wait 3d")
    [status] = await sandbox.run_line("/daily status")
    assert "Paused" in status["content"] and "/daily start" in status["content"]
    await sandbox.run_line(":dms member open")
    await sandbox.run_line(":wait 2d")
    assert prompts_to(sandbox, "member") == [], "paused means no sends until resumed"
    await sandbox.run_line("/daily start time:09:00 timezone:Europe/Berlin")
    await sandbox.run_line(":wait 1d")
    assert len(prompts_to(sandbox, "member")) == 1


async def test_downtime_catch_up_within_six_hours_skips_older(tmp_path: Path) -> None:
    sandbox = await start_sandbox(tmp_path, limits=burst_limits())
    try:
        await sandbox.run_line("/daily start time:09:00 timezone:UTC")
        # the bot is down from 08:00; it comes back at 14:00: the 09:00 prompt is 5 hours late
        sandbox.clock.set(datetime(2026, 11, 22, 14, tzinfo=UTC))
        await sandbox.restart_bot()
        await sandbox.run_line(":wait 1m")
        assert len(prompts_to(sandbox, "member")) == 1
        # down again all of the next day until 16:00: 7 hours late, skipped, never sent in a burst
        sandbox.clock.set(datetime(2026, 11, 23, 16, tzinfo=UTC))
        await sandbox.restart_bot()
        await sandbox.run_line(":wait 1m")
        assert len(prompts_to(sandbox, "member")) == 1
        await sandbox.run_line(":wait 1d")
        assert len(prompts_to(sandbox, "member")) == 2, "the next day comes as usual"
    finally:
        await sandbox.close()


async def test_daylight_saving_changes_keep_local_time(tmp_path: Path) -> None:
    sandbox = await start_sandbox(tmp_path, start_at=datetime(2027, 3, 25, 12, tzinfo=UTC), limits=burst_limits())
    try:
        await sandbox.run_line("/daily start time:09:00 timezone:Europe/Berlin")
        await sandbox.run_line(":wait 6d")  # across the 28 March 2027 switch
        sent = prompts_to(sandbox, "member")
        berlin = ZoneInfo("Europe/Berlin")
        assert len(sent) == 6
        assert {t.astimezone(berlin).strftime("%H:%M") for t in sent} == {"09:00"}
        assert len({t.astimezone(berlin).date() for t in sent}) == 6
    finally:
        await sandbox.close()


async def test_two_due_ticks_send_once(sandbox: Sandbox) -> None:
    await sandbox.run_line("/daily start time:09:00 timezone:UTC")
    sandbox.clock.set(datetime(2026, 11, 22, 9, tzinfo=UTC))
    job = sandbox.bot.get_cog("Daily").delivery
    await asyncio.gather(job.run_due(sandbox.clock.now()), job.run_due(sandbox.clock.now()))
    await sandbox.settle()
    assert len(prompts_to(sandbox, "member")) == 1


async def crash_while_sending(sandbox: Sandbox, *, request_reaches_discord: bool) -> asyncio.Event:
    """Kill the delivery while its DM request is in flight, then restart the bot."""
    emulator = sandbox.emulator
    arrived = asyncio.Event()
    release = asyncio.Event()

    async def hold_sends(route: str) -> None:
        if route == "POST /channels/{channel_id}/messages":
            arrived.set()
            await release.wait()

    emulator.request_gate = hold_sends
    delivery = asyncio.create_task(sandbox.bot.scheduler.advance_to(sandbox.clock.now() + timedelta(hours=2)))
    await asyncio.wait_for(arrived.wait(), 10)
    delivery.cancel()  # the process dies while the DM is on its way
    await asyncio.gather(delivery, return_exceptions=True)
    emulator.request_gate = None
    if request_reaches_discord:
        release.set()  # Discord got the request before the crash: the DM exists
    await asyncio.sleep(0.05)
    await sandbox.restart_bot()
    return release  # set it when done, so the emulator can shut down


async def test_a_crash_with_the_dm_lost_in_flight_costs_that_day_only(sandbox: Sandbox) -> None:
    await sandbox.run_line("/daily start time:09:00 timezone:UTC")
    held = await crash_while_sending(sandbox, request_reaches_discord=False)
    try:
        await sandbox.run_line(":wait 3h")
        assert prompts_to(sandbox, "member") == [], "the claimed day is not sent again after the crash"
        await sandbox.run_line(":wait 1d")
        assert len(prompts_to(sandbox, "member")) == 1, "the next day is delivered"
    finally:
        held.set()


async def test_a_crash_after_the_dm_reached_discord_never_repeats_it(sandbox: Sandbox) -> None:
    await sandbox.run_line("/daily start time:09:00 timezone:UTC")
    await crash_while_sending(sandbox, request_reaches_discord=True)
    await sandbox.run_line(":wait 3h")
    assert len(prompts_to(sandbox, "member")) == 1
    await sandbox.run_line(":wait 1d")
    sent = prompts_to(sandbox, "member")
    assert len(sent) == 2 and sent[0].date() != sent[1].date()


SEND = "POST /channels/{channel_id}/messages"


async def test_a_lost_answer_never_doubles_the_daily_prompt(sandbox: Sandbox) -> None:
    """Discord creates the DM but answers 503: Lantern retries with the day's nonce and gets the original."""
    await sandbox.run_line("/daily start time:09:00 timezone:UTC")
    lost = sandbox.emulator.fail_after_success(SEND, status=503)
    await sandbox.run_line(":wait 1d")
    assert lost == [503], "the fault happened"
    assert len([r for r in sandbox.emulator.requests if r.route == SEND and r.status == 200]) >= 2, "and was retried"
    assert len(prompts_to(sandbox, "member")) == 1
    sub = await sandbox.bot.stores.daily.get(sandbox.emulator.member("member").id)
    assert sub is not None and sub.retry_due is None and sub.consecutive_failures == 0
    await sandbox.run_line(":wait 1d")
    assert len(prompts_to(sandbox, "member")) == 2, "the next day is a new message"


async def test_a_dm_channel_that_is_gone_is_opened_again_once(sandbox: Sandbox) -> None:
    await sandbox.run_line("/daily start time:09:00 timezone:UTC")
    member = sandbox.emulator.member("member")
    # The database came from another install: the stored DM channel answers 404.
    await sandbox.bot.db.execute("UPDATE daily_subscriptions SET dm_channel_id = 4242 WHERE user_id = ?", (member.id,))
    sandbox.emulator.requests.clear()
    await sandbox.run_line(":wait 1d")
    assert len(prompts_to(sandbox, "member")) == 1, "delivered on the day, not skipped"
    sub = await sandbox.bot.stores.daily.get(member.id)
    assert sub is not None and sub.dm_channel_id == sandbox.emulator.dm_channel(member.user).id
    assert sub.retry_due is None
    assert len([r for r in sandbox.emulator.requests if r.route == SEND and r.status == 404]) == 1


async def test_failures_of_any_kind_pause_after_three_days_instead_of_retrying_forever(sandbox: Sandbox) -> None:
    await sandbox.run_line(":as leaver")
    await sandbox.run_line("/daily start time:09:00 timezone:UTC")
    leaver = sandbox.emulator.member("leaver")
    await sandbox.bot.db.execute("UPDATE daily_subscriptions SET dm_channel_id = 4242 WHERE user_id = ?", (leaver.id,))
    del sandbox.emulator.members[leaver.id]  # gone from Discord: opening a DM with them is a 404
    await sandbox.restart_bot()  # as after moving the database: nothing cached
    sandbox.emulator.requests.clear()
    await sandbox.run_line(":wait 4d")
    sub = await sandbox.bot.stores.daily.get(leaver.id)
    assert sub is not None and sub.paused_reason == "undeliverable" and sub.consecutive_failures == 3
    sends = [r for r in sandbox.emulator.requests if r.route in (SEND, "POST /users/@me/channels")]
    assert len(sends) == 6, "one try and one new DM channel a day, no retries every five minutes"
    sandbox.emulator.members[leaver.id] = leaver
    [status] = await sandbox.run_line("/daily status")
    assert "Paused" in status["content"] and "/daily start" in status["content"]


async def test_closed_dms_on_a_change_keep_the_previous_subscription(sandbox: Sandbox) -> None:
    await sandbox.run_line("/daily start time:09:00 timezone:Europe/Berlin")
    before = await sandbox.bot.stores.daily.get(sandbox.emulator.member("member").id)
    await sandbox.run_line(":dms member closed")
    [shown] = await sandbox.run_line("/daily start time:21:00 timezone:Asia/Tokyo")
    assert "allow DMs" in shown["content"]
    assert await sandbox.bot.stores.daily.get(sandbox.emulator.member("member").id) == before


async def test_start_again_says_what_changed_and_never_welcomes_twice(sandbox: Sandbox) -> None:
    [welcome, done] = await sandbox.run_line("/daily start time:9 timezone:Berlin")
    assert welcome["visibility"] == "dm" and "every day at 09:00 (9 in the morning), Berlin time" in welcome["content"]
    assert done["content"].startswith("Done: every day at 09:00 (9 in the morning), Berlin time (Europe/Berlin).")
    assert "I read “9” as 09:00, 9 in the morning. For 9 in the evening, use 21:00 or 9pm." in done["content"]
    [dm, changed] = await sandbox.run_line('/daily start time:"9:30 pm" timezone:India theme:fear')
    assert dm["visibility"] == "dm" and dm["content"].startswith("Your daily reflections now come every day at 21:30")
    assert "Welcome" not in dm["content"], "a change, not a second welcome"
    assert changed["content"].startswith(
        "Changed your daily prompts from 09:00 (9 in the morning), Berlin time (Europe/Berlin) to "
        "21:30 (9:30 in the evening), Kolkata time (Asia/Kolkata), theme Fear."
    )
    [same] = await sandbox.run_line("/daily start time:21:30 timezone:Asia/Kolkata theme:Fear")
    assert "already set for 21:30 (9:30 in the evening)" in same["content"] and "nothing changed" in same["content"]
    [refused] = await sandbox.run_line("/daily start time:9am timezone:EST")
    assert "means UTC−5 all year" in refused["content"] and "America/New_York" in refused["content"]
    sub = await sandbox.bot.stores.daily.get(sandbox.emulator.member("member").id)
    assert sub is not None and (sub.local_time.hour, sub.timezone) == (21, "Asia/Kolkata"), "a refusal changes nothing"
    welcomes = [m for m in sandbox.emulator.messages.values() if m.content.startswith("Welcome to daily")]
    assert len(welcomes) == 1


async def test_closed_dms_with_a_paused_schedule_say_the_old_one_is_unchanged(sandbox: Sandbox) -> None:
    await sandbox.run_line("/daily start time:09:00 timezone:Europe/Berlin")
    await sandbox.run_line(":dms member closed")
    await sandbox.run_line(":wait 3d")  # three closed-DM failures pause it
    [refused] = await sandbox.run_line("/daily start time:7am timezone:London")
    assert refused["content"].startswith(
        "I couldn't send you a direct message, so nothing changed: your daily prompts stay at "
        "09:00 (9 in the morning), Berlin time (Europe/Berlin) (paused)."
    )
    assert "haven't saved anything" not in refused["content"]
    sub = await sandbox.bot.stores.daily.get(sandbox.emulator.member("member").id)
    assert sub is not None and sub.timezone == "Europe/Berlin" and sub.paused_reason == "dms_closed"
    await sandbox.run_line(":dms member open")
    [dm, resumed] = await sandbox.run_line("/daily start time:7am timezone:London")
    assert dm["visibility"] == "dm" and dm["content"].startswith("Your daily reflections are back on:")
    assert resumed["content"].startswith("Your daily prompts are back on: every day at 07:00 (7 in the morning)")
    assert "(was 09:00 (9 in the morning), Berlin time (Europe/Berlin))" in resumed["content"]


async def test_many_members_due_in_the_same_minute_all_get_their_prompt(sandbox: Sandbox) -> None:
    """Sends run concurrently; each prompt counts as seen once it was delivered, and a lost answer
    (503 after Discord made the DM) retried with the day's nonce records the prompt it delivered."""
    emulator = sandbox.emulator
    names = [f"m{i}" for i in range(8)]
    for name in names:
        await sandbox.run_line(f":as {name}")
        await sandbox.run_line("/daily start time:09:00 timezone:UTC")
    lost = emulator.fail_after_success(SEND, status=503)
    await sandbox.run_line(":wait 1d")
    assert lost == [503] and sandbox.errors == []
    delivered = {}
    for name in names:
        [prompt] = [
            m
            for m in emulator.messages.values()
            if m.channel.type == 1
            and m.channel.recipient is not None
            and m.channel.recipient.name == name
            and m.content == PROMPT
        ]
        delivered[emulator.member(name).id] = prompt.embeds[0]["description"]
    rows = await sandbox.bot.db.fetchall("SELECT user_id, prompt_id FROM prompt_rotation")
    prompts = sandbox.bot.content.prompts
    assert {row["user_id"]: prompts[row["prompt_id"]].text for row in rows} == delivered, (
        "each member's delivered prompt, and only it, counts as seen"
    )

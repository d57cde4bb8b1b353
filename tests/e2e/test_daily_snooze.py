"""`/daily snooze days:` and `/daily resume`: prompts pause for 1-30 days and say when they resume."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.sandbox.engine import Sandbox
from tests.e2e.conftest import start_sandbox

PROMPT = "Your reflection for today:"


def prompt_times(sandbox: Sandbox) -> list[datetime]:
    emulator = sandbox.emulator
    return sorted(
        m.timestamp for m in emulator.messages.values() if m.content == PROMPT and m.author.id == emulator.bot_user.id
    )


async def test_snooze_skips_the_next_days_and_says_when_prompts_resume(sandbox: Sandbox) -> None:
    [none] = await sandbox.run_line("/daily snooze days:2")
    assert none["content"].startswith("You don't have daily prompts")
    await sandbox.run_line("/daily start time:09:00 timezone:UTC")  # the clock is at 08:00 on Sunday 22nd
    [snoozed] = await sandbox.run_line("/daily snooze days:3")
    assert snoozed["content"].startswith("Snoozed for 3 days. Your prompts resume on Wednesday 25 November at 09:00")
    assert "<t:1795597200:F>" in snoozed["content"]
    [status] = await sandbox.run_line("/daily status")
    assert status["content"].startswith("Snoozed: your prompts resume Wednesday 25 November at 09:00 UTC")
    [shown] = await sandbox.run_line("/privacy show")
    assert "Snoozed until Wednesday 25 November 2026." in shown["content"]  # a date in words (#14)
    await sandbox.run_line(":wait 3d")
    assert prompt_times(sandbox) == [], "22, 23 and 24 November are skipped"
    await sandbox.run_line(":wait 2h")
    assert prompt_times(sandbox) == [datetime(2026, 11, 25, 9, tzinfo=UTC)]
    [plain] = await sandbox.run_line("/daily status")
    assert plain["content"].startswith("Every day at 09:00 (9 in the morning), UTC")  # said in words (#14)
    # After today's prompt has come, a one-day snooze skips tomorrow's.
    await sandbox.run_line("/daily snooze days:1")
    await sandbox.run_line(":wait 2d")
    assert prompt_times(sandbox)[1:] == [datetime(2026, 11, 27, 9, tzinfo=UTC)]
    for days in ("0", "31"):
        [refused] = await sandbox.run_line(f"/daily snooze days:{days}")
        assert refused["by"] == "discord"


async def test_resume_ends_a_snooze_early(sandbox: Sandbox) -> None:
    await sandbox.run_line("/daily start time:09:00 timezone:UTC")
    [not_snoozed] = await sandbox.run_line("/daily resume")
    assert not_snoozed["content"] == "Your daily prompts aren't snoozed."
    await sandbox.run_line("/daily snooze days:10")
    await sandbox.run_line(":wait 1d")
    [back] = await sandbox.run_line("/daily resume")
    assert back["content"].startswith("Welcome back. Your next prompt comes <t:1795424400:F>")  # today, 09:00
    await sandbox.run_line(":wait 1d")
    assert prompt_times(sandbox) == [datetime(2026, 11, 23, 9, tzinfo=UTC)]


async def test_a_snooze_across_a_dst_change_resumes_at_the_local_time(tmp_path: Path) -> None:
    sandbox = await start_sandbox(tmp_path, start_at=datetime(2026, 3, 27, 12, 0, tzinfo=UTC))
    try:
        await sandbox.run_line("/daily start time:09:00 timezone:Europe/Berlin")  # today's 09:00 has passed
        await sandbox.run_line("/nocontact start since:2")
        [snoozed] = await sandbox.run_line("/daily snooze days:2")
        assert "resume on Monday 30 March at 09:00 Europe/Berlin" in snoozed["content"]
        await sandbox.run_line(":clock 2026-03-29T12:00:00+00:00")
        assert prompt_times(sandbox) == []
        [status] = await sandbox.run_line("/nocontact status")
        assert status["content"].startswith("🌱 Three days."), "snoozed: the milestone shows in status"
        await sandbox.run_line(":clock 2026-03-30T12:00:00+00:00")
        assert prompt_times(sandbox) == [datetime(2026, 3, 30, 7, 0, tzinfo=UTC)], "09:00 summer time"
    finally:
        await sandbox.close()


async def test_a_failed_restart_of_daily_prompts_keeps_the_snooze_and_the_reminder(sandbox: Sandbox) -> None:
    await sandbox.run_line("/daily start time:09:00 timezone:UTC")
    await sandbox.run_line("/daily snooze days:3")
    await sandbox.run_line("/checkin reminder enabled:true")
    await sandbox.run_line(":dms member closed")
    [refused] = await sandbox.run_line("/daily start time:10:00 timezone:UTC")
    assert "allow DMs" in refused["content"]
    sub = await sandbox.bot.stores.daily.get(sandbox.emulator.member("member").id)
    assert sub is not None and sub.local_time.hour == 9, "the subscription is put back as it was"
    assert sub.snoozed_until is not None and sub.checkin_reminder, "snooze and reminder included"

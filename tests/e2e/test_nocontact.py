"""`/nocontact` end to end: a private count by the member's local date, milestones once, no shame."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.sandbox.engine import Sandbox
from tests.e2e.conftest import burst_limits, start_sandbox

PROMPT = "Your reflection for today:"


def daily_dms(sandbox: Sandbox, name: str = "member") -> list[dict[str, object]]:
    return [o for o in sandbox.outputs if o["visibility"] == "dm" and o["for"] == name and o["content"] == PROMPT]


async def test_start_status_reset_stop_are_private_and_kind(sandbox: Sandbox) -> None:
    [none] = await sandbox.run_line("/nocontact status")
    assert none["content"].startswith("You're not counting yet")
    [started] = await sandbox.run_line("/nocontact start since:2026-11-15 timezone:Europe/Berlin")
    assert started["visibility"] == "ephemeral" and started["pings"] == []
    assert "from Sunday 15 November 2026: today is day 7" in started["content"]
    assert "Counted by your local date (Europe/Berlin)" in started["content"]
    assert "in `/nocontact status`" in started["content"], "no daily DM: milestones come with status"
    [status] = await sandbox.run_line("/nocontact status")
    assert "Day 7 of choosing not to reach out" in status["content"]
    assert "🌱" not in status["content"], "milestones behind the start day are not celebrated at once"
    assert "Next milestone: 14 days, in 7 days." in status["content"]
    [reset] = await sandbox.run_line("/nocontact reset")
    assert reset["content"].startswith("Day 0 is a start too")
    assert "Your last stretch: 7 days. Those days still count." in reset["content"]
    for word in ("fail", "relapse", "broke", "weak", "should"):
        assert word not in reset["content"].lower()
    await sandbox.run_line(":wait 1d")
    [day_one] = await sandbox.run_line("/nocontact status")
    assert day_one["content"].startswith("🌱 One whole day") and "Day 1 of" in day_one["content"]
    [again] = await sandbox.run_line("/nocontact status")
    assert "🌱" not in again["content"], "a milestone is shown once"
    [stopped] = await sandbox.run_line("/nocontact stop")
    assert stopped["content"].startswith("Stopped at day 1.")
    rows = await sandbox.bot.db.fetchall("SELECT started_on, ended_on, timezone FROM no_contact_runs ORDER BY 1")
    assert [tuple(r) for r in rows] == [
        ("2026-11-15", "2026-11-21", "Europe/Berlin"),
        ("2026-11-22", "2026-11-23", "Europe/Berlin"),
    ]
    [typo] = await sandbox.run_line("/nocontact start since:2026-12-01")
    assert "hasn't happened yet" in typo["content"]
    [zone] = await sandbox.run_line("/nocontact start timezone:Mars/Olympus")
    assert "I don't know the time zone" in zone["content"]


async def test_no_one_else_sees_the_count(sandbox: Sandbox) -> None:
    await sandbox.run_line("/nocontact start since:3")
    await sandbox.run_line(":as alex")
    [theirs] = await sandbox.run_line("/nocontact status")
    assert theirs["content"].startswith("You're not counting yet")
    assert all(o["visibility"] != "public" for o in sandbox.outputs)


async def test_milestones_come_in_the_daily_dm_on_the_local_date_across_a_dst_change(tmp_path: Path) -> None:
    """Los Angeles leaves daylight time on 1 November 2026. The DM at 21:00 there is already the
    next day in UTC: a count by UTC dates would call 31 October day 7 and 1 November day 8."""
    # A week of daily DMs to one member in a second of real time: Discord's per-channel bucket would
    # pace them (5 per 5 s), so the buckets are raised (#15).
    sandbox = await start_sandbox(tmp_path, start_at=datetime(2026, 10, 25, 17, 0, tzinfo=UTC), limits=burst_limits())
    try:
        await sandbox.run_line("/daily start time:21:00 timezone:America/Los_Angeles")
        [started] = await sandbox.run_line("/nocontact start")
        assert "today is day 0" in started["content"] and "America/Los_Angeles" in started["content"]
        assert "in your daily DM" in started["content"]
        await sandbox.run_line(":clock 2026-10-31T22:00:00-07:00")  # day 6, after that day's DM
        dms = daily_dms(sandbox)
        milestone_days = [d["embeds"][1]["description"] for d in dms if len(d["embeds"]) > 1]  # type: ignore[index]
        assert len(dms) == 7 and len(milestone_days) == 2, "day 1 and day 3"
        assert "(your no-contact count: 1 day)" in milestone_days[0]
        assert "(your no-contact count: 3 days)" in milestone_days[1]
        [status] = await sandbox.run_line("/nocontact status")
        assert "Day 6 of" in status["content"] and "🌱" not in status["content"], "it waits for the DM"
        await sandbox.run_line(":clock 2026-11-01T22:00:00-08:00")  # DST has ended: 21:00 PST = 05:00 UTC
        [seventh] = daily_dms(sandbox)[-1:]
        assert seventh["embeds"][1]["description"].startswith("🌱 One week.")  # type: ignore[index]
        assert "(your no-contact count: 7 days)" in seventh["embeds"][1]["description"]  # type: ignore[index]
        sent = sandbox.emulator.messages
        last = max((m for m in sent.values() if m.content == PROMPT), key=lambda m: m.id)
        assert last.timestamp == datetime(2026, 11, 2, 5, 0, tzinfo=UTC)
        await sandbox.run_line(":wait 1d")
        assert len(daily_dms(sandbox)[-1]["embeds"]) == 1, "day 8: no milestone"  # type: ignore[arg-type]
    finally:
        await sandbox.close()


async def test_a_zone_given_to_nocontact_counts_by_that_date_across_dst(tmp_path: Path) -> None:
    """Europe/Berlin goes to summer time on 29 March 2026; no daily DM, so status shows milestones."""
    sandbox = await start_sandbox(tmp_path, start_at=datetime(2026, 3, 22, 22, 30, tzinfo=UTC))
    try:
        # 23:30 on 22 March in Berlin: day 0. Day 7 is 29 March, the day the clocks go forward.
        await sandbox.run_line("/nocontact start timezone:Europe/Berlin")
        await sandbox.run_line(":clock 2026-03-28T22:59:00+00:00")  # 23:59 CET on the 28th: day 6
        [before] = await sandbox.run_line("/nocontact status")
        assert "Day 6 of" in before["content"]
        await sandbox.run_line(":clock 2026-03-28T23:00:00+00:00")  # midnight in Berlin: the 29th, day 7
        [week] = await sandbox.run_line("/nocontact status")
        assert week["content"].startswith("🌱 One week.") and "Day 7 of" in week["content"]
        await sandbox.run_line(":clock 2026-03-29T21:59:00+00:00")  # 23:59 CEST, still the 29th
        [same] = await sandbox.run_line("/nocontact status")
        assert "Day 7 of" in same["content"] and "🌱" not in same["content"], "shown once"
        await sandbox.run_line(":clock 2026-03-29T22:00:00+00:00")  # midnight CEST: the 30th
        [next_day] = await sandbox.run_line("/nocontact status")
        assert "Day 8 of" in next_day["content"]
    finally:
        await sandbox.close()

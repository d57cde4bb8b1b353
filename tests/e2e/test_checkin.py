"""`/checkin` end to end: a mood and feelings in select menus, the private chart, the DM reminder."""

from __future__ import annotations

import asyncio
import struct

from bot.sandbox.engine import Sandbox
from emulator.routes.interactions import InteractionRecord

MOOD = '"Your mood right now, 1 to 5"'
FEELINGS = '"Up to three feelings"'


async def checkin_rows(sandbox: Sandbox) -> list[tuple[int, int, str]]:
    rows = await sandbox.bot.db.fetchall("SELECT user_id, mood, feelings FROM checkins ORDER BY id")
    return [(r[0], r[1], r[2]) for r in rows]


async def test_a_check_in_is_a_mood_and_up_to_three_feelings(sandbox: Sandbox) -> None:
    [asked] = await sandbox.run_line("/checkin now")
    assert asked["visibility"] == "ephemeral"
    [mood] = asked["selects"]
    assert mood["options"] == ["1 · Very low", "2 · Low", "3 · Okay", "4 · Good", "5 · Very good"]
    [feelings] = await sandbox.run_line(f":select {MOOD} 2")
    assert feelings["edited"] and feelings["content"].startswith("2 · Low. Anything you're feeling?")
    [menu] = feelings["selects"]
    assert (menu["min"], menu["max"]) == (1, 3) and "Something else" in menu["options"]
    assert feelings["buttons"] == ["Save without feelings"]
    [refused] = await sandbox.run_line(f":select {FEELINGS} Anxious Lonely Hurt Numb")
    assert refused["by"] == "discord", "Discord's client allows three at most"
    [saved] = await sandbox.run_line(f":select {FEELINGS} Anxious Lonely")
    assert saved["content"].startswith("Saved: 2 · Low · anxious, lonely.") and saved["selects"] == []
    await sandbox.run_line("/checkin now")
    await sandbox.run_line(f":select {MOOD} 5")
    [as_is] = await sandbox.run_line(":click Save without feelings")
    assert as_is["content"].startswith("Saved: 5 · Very good.")
    member = sandbox.emulator.member("member").id
    assert await checkin_rows(sandbox) == [(member, 2, "anxious,lonely"), (member, 5, "")]


async def test_history_is_a_private_chart_with_moods_pauses_and_no_contact_days(sandbox: Sandbox) -> None:
    [nothing] = await sandbox.run_line("/checkin history")
    assert "No check-ins yet" in nothing["content"] and nothing["files"] == []
    await sandbox.run_line("/nocontact start since:10 timezone:Europe/London")
    for mood in ("2", "3", "4"):
        await sandbox.run_line("/checkin now")
        await sandbox.run_line(f":select {MOOD} {mood}")
        await sandbox.run_line(f":select {FEELINGS} Hopeful")
        await sandbox.run_line(":wait 1d")
    await sandbox.run_line("/pause")
    [chart] = await sandbox.run_line("/checkin history days:20")
    assert chart["visibility"] == "ephemeral" and chart["for"] == "member"
    assert chart["files"] == ["checkins.png"]
    assert "Your last 20 days (dates in Europe/London)" in chart["content"]
    assert "3 check-ins, average mood 3.0 of 5" in chart["content"] and "hopeful (3)" in chart["content"]
    assert "1 pause, 0 passed" in chart["content"] and "14 no-contact days" in chart["content"]
    message = max(sandbox.emulator.messages.values(), key=lambda m: m.id)
    [png] = message.files.values()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24])[0] > 300
    assert message.attachments[0]["content_type"] == "image/png"
    [short] = await sandbox.run_line("/checkin history days:3")
    assert short["by"] == "discord", "at least a week"


async def test_a_check_in_button_rides_in_the_daily_dm_when_asked(sandbox: Sandbox) -> None:
    [needs] = await sandbox.run_line("/checkin reminder enabled:true")
    assert "inside your daily prompt DM" in needs["content"]
    await sandbox.run_line("/daily start time:09:00 timezone:UTC")
    [plain] = await sandbox.run_line(":wait 1d")
    assert plain["buttons"] == ["Stop daily prompts"] and len(plain["embeds"]) == 1
    [on] = await sandbox.run_line("/checkin reminder enabled:true")
    assert on["content"].startswith("Done")
    [status] = await sandbox.run_line("/daily status")
    assert "Check in button" in status["content"]
    [reminded] = await sandbox.run_line(":wait 1d")
    assert reminded["buttons"] == ["Check in", "Stop daily prompts"]
    assert "A check-in takes ten seconds" in reminded["embeds"][1]["description"]
    await sandbox.restart_bot()
    [asked] = await sandbox.run_line(":click Check in")
    assert asked["where"] == "dm:member" and asked["selects"][0]["placeholder"] == MOOD.strip('"')
    await sandbox.run_line(f":select {MOOD} 4")
    [saved] = await sandbox.run_line(":click Save without feelings")
    assert saved["content"].startswith("Saved: 4 · Good.")
    await sandbox.run_line("/checkin reminder enabled:false")
    [quiet] = await sandbox.run_line(":wait 1d")
    assert quiet["buttons"] == ["Stop daily prompts"]


async def test_many_members_check_in_at_once(sandbox: Sandbox) -> None:
    emulator, channel = sandbox.emulator, sandbox.current_channel
    members = [emulator.member(f"c{i}") for i in range(20)]
    from emulator.invocation import Invocation

    opened = await asyncio.gather(*(emulator.invoke(m, channel, Invocation(["checkin", "now"], {})) for m in members))
    await sandbox.settle()
    picks: list[InteractionRecord] = await asyncio.gather(
        *(
            emulator.select(member, emulator.messages[record.original_message_id or 0], "lantern:checkin:mood", [mood])
            for member, record in zip(members, opened, strict=True)
            if (mood := str(1 + member.id % 5))
        )
    )
    await sandbox.settle()
    saves = await asyncio.gather(
        *(
            emulator.click(member, emulator.messages[record.original_message_id or 0], f"lantern:checkin:save:{mood}")
            for member, record in zip(members, opened, strict=True)
            if (mood := 1 + member.id % 5)
        )
    )
    await sandbox.settle()
    assert all(r.responded for r in [*picks, *saves]) and sandbox.errors == []
    rows = await checkin_rows(sandbox)
    assert sorted(r[0] for r in rows) == sorted(m.id for m in members), "one check-in each, none lost"
    assert all(mood == 1 + user % 5 for user, mood, _ in rows)

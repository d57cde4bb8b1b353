"""What the healing tools keep is listed by `/privacy show` and removed by `/privacy delete`."""

from __future__ import annotations

from bot.sandbox.engine import Sandbox

HEALING_TABLES = ("pauses", "pause_checkins", "no_contact_runs", "checkins")


async def test_privacy_show_lists_healing_records_and_delete_removes_them(sandbox: Sandbox) -> None:
    await sandbox.run_line("/daily start time:21:00 timezone:Europe/Paris")
    await sandbox.run_line("/checkin reminder enabled:true")
    await sandbox.run_line("/pause")
    await sandbox.run_line(":click Check on me in 20 minutes")
    await sandbox.run_line("/nocontact start since:4")
    await sandbox.run_line("/nocontact reset")
    await sandbox.run_line("/checkin now")
    await sandbox.run_line(':select "Your mood right now, 1 to 5" 3')
    await sandbox.run_line(':select "Up to three feelings" Tired')
    await sandbox.run_line(":as alex")
    await sandbox.run_line("/pause")  # someone else's, untouched
    await sandbox.run_line(":as member")

    [shown] = await sandbox.run_line("/privacy show")
    text = shown["content"]
    assert shown["visibility"] == "ephemeral"
    assert "Pauses: 1 (when each began, and whether the urge passed; 0 did). Never what you felt or wrote." in text
    assert "1 check-in DM(s) you asked for, next due 2026-11-22 08:20 UTC." in text
    assert "No-contact count: counting since 2026-11-22 (your daily-prompt zone, else UTC)" in text
    assert "1 earlier no-contact stretch(es): their first and last dates only." in text
    assert "Check-ins: 1 (when, a mood from 1 to 5, and the feelings you picked from the list)." in text
    assert "Check-in reminder on." in text

    [confirm] = await sandbox.run_line("/privacy delete")
    assert "pauses, no-contact count, check-ins" in confirm["content"]
    await sandbox.run_line(":click Delete my data")
    member = sandbox.emulator.member("member").id
    for table in HEALING_TABLES:
        assert await sandbox.bot.db.fetchall(f"SELECT * FROM {table} WHERE user_id = ?", (member,)) == [], table
    alex = sandbox.emulator.member("alex").id
    assert await sandbox.bot.db.fetchall("SELECT * FROM pauses WHERE user_id = ?", (alex,))
    assert await sandbox.run_line(":wait 30m") == [], "a deleted check-in DM is never sent"
    [empty] = await sandbox.run_line("/privacy show")
    assert empty["content"].startswith("Lantern stores nothing about you")

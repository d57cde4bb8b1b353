"""The sandbox as a person uses it: two runs on one database, and what its output reads like."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

import pytest

from bot.sandbox.engine import Sandbox, running_sandbox, world_path_for
from bot.sandbox.render import relative, render_block
from bot.settings import load_settings
from cogs import extension_names
from tests.e2e.conftest import START, burst_limits, checked_emulators


async def test_a_second_run_on_the_same_database_keeps_daily_dms_working(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    database = tmp_path / "kept.sqlite3"
    settings = load_settings(env_file=None)
    options = {"extensions": extension_names(), "limits": burst_limits()}
    async with running_sandbox(settings, database=database, start_at=START, **options) as first:
        checked_emulators.append(first.emulator)
        await first.run_line(":as mo mod")
        await first.run_line(":in mods")
        await first.run_line("/config alerts channel:#mods")
        await first.run_line(":as mia")
        [welcome, done] = await first.run_line("/daily start time:09:00 timezone:UTC")
        assert welcome["where"] == "dm:mia" and "Done" in done["content"]
        ids = (first.emulator.member("mia").id, first.emulator.find_channel("mods"))
    assert world_path_for(database).exists()
    caplog.set_level(logging.WARNING)
    async with running_sandbox(settings, database=database, start_at=START + timedelta(hours=20), **options) as second:
        checked_emulators.append(second.emulator)
        assert second.emulator.member("mia").id == ids[0]
        shown = await second.run_line(":wait 20h")  # the next 09:00 UTC falls due
        assert [s["where"] for s in shown] == ["dm:mia"] and "reflection" in shown[0]["text"]
        await second.run_line(":as mo")
        [settings_shown] = await second.run_line("/config show")
        assert "#mods" in settings_shown["text"]
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


async def test_what_a_person_sees_mentions_timestamps_embeds_and_buttons(sandbox: Sandbox) -> None:
    await sandbox.run_line(":as mo mod")
    await sandbox.run_line(":in mods")
    [announced, confirmed] = await sandbox.run_line("/config alerts channel:#mods")
    assert announced["content"].startswith("<@") and announced["text"].startswith("@mo changed")
    assert "<#" in confirmed["content"] and "#mods" in confirmed["text"] and "<#" not in confirmed["text"]
    [shown] = await sandbox.run_line("/config show")
    assert "<#" in str(shown["embeds"]) and "#mods (default:" in shown["text"]  # raw in JSON, read in text
    assert shown["embeds"][0]["colour"] == "#F1C40F"  # discord.Colour.gold()
    block = render_block(shown, sandbox.readable)
    assert "┃#F1C40F Lantern settings" in block and "#mods (default:" in block and "<#" not in block
    await sandbox.run_line(":as member")
    [_, status] = await sandbox.run_line("/daily start time:09:00 timezone:Europe/Berlin")
    assert "<t:" in status["content"] and "<t:" not in status["text"]
    assert status["text"].endswith("Next prompt Monday, 23 November 2026 08:00 UTC (in a day).")
    [reply] = await sandbox.run_line("he blocked me on everything")
    assert reply["button_styles"][:2] == ["primary", "secondary"]
    assert "[Resources]  (Don't reply to me)" in render_block(reply)
    assert render_block(reply, several_guilds=True).startswith("── Lantern in Lantern Sandbox #mods")


def test_relative_times_read_like_discords() -> None:
    now = START
    assert relative(now + timedelta(hours=3), now) == "in 3 hours"
    assert relative(now - timedelta(days=2), now) == "2 days ago"
    assert relative(now + timedelta(seconds=20), now) == "in a few seconds"
    assert relative(now + timedelta(minutes=61), now) == "in an hour"


async def test_complete_works_with_required_options_still_empty(sandbox: Sandbox) -> None:
    [shown] = await sandbox.run_line(":complete /daily start timezone:Berl")
    assert shown["by"] == "lantern" and "Europe/Berlin" in shown["text"]  # `time` is required and empty

"""Whatever a member types, Lantern answers kindly and never writes what they typed into its logs."""

from __future__ import annotations

import logging

import pytest

from bot.sandbox.engine import Sandbox

ZONES = ["Europe", "Asia", "America/Argentina", "Z" * 300, "Europe/" + "x" * 250]


def logged_text(caplog: pytest.LogCaptureFixture) -> str:
    """Everything logged at ERROR or above, tracebacks included, as a handler would write it."""
    formatter = logging.Formatter("%(levelname)s %(name)s %(message)s")
    return "\n".join(formatter.format(r) for r in caplog.records if r.levelno >= logging.ERROR)


async def test_zone_names_that_are_folders_or_too_long_are_a_kind_answer(
    sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)
    await sandbox.run_line(":as mod mod")
    for zone in ZONES:
        for line in (
            f"/daily start time:09:00 timezone:{zone}",
            f"/config prompt-channel channel:#general time:09:00 timezone:{zone}",
        ):
            [shown] = await sandbox.run_line(line)
            assert "I don't know the time zone" in shown["content"], line
            assert "error id" not in shown["content"]
    assert sandbox.errors == []
    assert logged_text(caplog) == ""
    assert await sandbox.bot.db.fetchall("SELECT * FROM daily_subscriptions") == []


async def test_an_unexpected_error_never_logs_what_the_member_typed(
    probe_sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)
    typed = "my ex's new number is 555-0142"
    shown = await probe_sandbox.run_line(f'/probe-typed text:"{typed}"')
    reply = next(s for s in shown if s.get("by") == "lantern")
    assert "error id" in reply["content"]
    logged = logged_text(caplog)
    assert "ValueError" in logged and "Traceback" in logged, "the bug can still be found"
    assert typed not in logged and "555-0142" not in logged
    assert all("555-0142" not in error["error"] for error in probe_sandbox.errors)

"""The disk is full: members get a kind answer that nothing changed, and nothing half-done is sent."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import AsyncIterator

import pytest

from bot.errors import STORAGE_TROUBLE
from bot.sandbox.engine import Sandbox
from bot.storage.database import StorageError
from tests.databases import sqlite_only
from tests.e2e.test_crisis import CRISIS, alert_in, mods_and_alerts


async def fill_the_disk(sandbox: Sandbox) -> int:
    """Cap the database at its size, then fill what is left: writes now fail as on a full disk.

    The filler is subscriptions with small ids and short rows, so the last page a member's row
    (a large id, so it goes last) could go into is full too. Returns the page count it capped at.
    """
    db = sandbox.bot.db
    pages = await db.fetchone("PRAGMA page_count")
    assert pages is not None
    await db.execute(f"PRAGMA max_page_count = {int(pages[0])}")
    try:
        for filler_id in range(1, 100_000):
            await db.execute(
                "INSERT INTO daily_subscriptions (user_id, local_time, timezone, next_due_utc) VALUES (?, '', '', '')",
                (filler_id,),
            )
    except sqlite3.OperationalError as exc:
        assert "full" in str(exc)
    else:
        raise AssertionError("the database never filled up")
    return int(pages[0])


@sqlite_only
async def test_daily_start_on_a_full_disk_sends_no_welcome_and_changes_nothing(sandbox: Sandbox) -> None:
    pages = await fill_the_disk(sandbox)
    shown = await sandbox.run_line("/daily start time:09:00 timezone:Europe/Berlin")
    replies = [s for s in shown if s.get("by") == "lantern"]
    assert [s["visibility"] for s in replies] == ["ephemeral"], "no welcome DM for a subscription never saved"
    assert replies[0]["content"].startswith(STORAGE_TROUBLE)
    assert any("Storage failure" in s.get("error", "") for s in shown), "the operator is told"
    member = sandbox.emulator.member("member")
    assert await sandbox.bot.stores.daily.get(member.id) is None
    await sandbox.bot.db.execute(f"PRAGMA max_page_count = {pages * 100}")  # space is freed
    shown = await sandbox.run_line("/daily start time:09:00 timezone:Europe/Berlin")
    assert [s["visibility"] for s in shown] == ["dm", "ephemeral"] and shown[1]["content"].startswith("Done")


async def test_a_settings_change_whose_audit_cannot_be_written_is_not_made(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """'Nothing was changed' must be true: a change and its audit entry are written together or not at all."""

    async def disk_full(*args: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    await sandbox.run_line(":as mod mod")
    monkeypatch.setattr(sandbox.bot.stores.config_audit, "record", disk_full)
    for line in (
        "/config region region:UK",
        '/config resources add name:Line url:https://example.org description:"A line"',
    ):
        shown = await sandbox.run_line(line)
        assert shown[0]["content"].startswith(STORAGE_TROUBLE), line
    guild_id = sandbox.emulator.guild_id
    assert (await sandbox.bot.stores.guild_settings.get(guild_id)).region is None
    assert await sandbox.bot.stores.guild_resources.list(guild_id) == []


async def test_a_crisis_is_answered_and_alerted_while_the_database_is_down(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL unreachable (or a disk failing): every statement fails. The member in crisis still
    gets the reply with crisis lines, and the moderators (whose settings are cached) the alert."""
    await mods_and_alerts(sandbox)
    await sandbox.run_line("good morning everyone")  # the server's settings are read, so cached
    db = sandbox.bot.db

    async def down(*args: object, **kwargs: object) -> None:
        raise StorageError("PostgreSQL did not answer in time")

    @contextlib.asynccontextmanager
    async def no_transaction() -> AsyncIterator[None]:
        raise StorageError("PostgreSQL did not answer in time")
        yield

    for method in ("execute", "executemany", "fetchone", "fetchall"):
        monkeypatch.setattr(db, method, down)
    monkeypatch.setattr(db, "transaction", no_transaction)
    shown = await sandbox.run_line(CRISIS)
    [reply] = [s for s in shown if s.get("where") == "#general" and s.get("by") == "lantern"]
    assert reply["reply_to"] == "member" and reply["embeds"], "the reply, with its crisis lines"
    alert = alert_in([s for s in shown if "where" in s])
    assert "Crisis language" in alert["content"]
    assert any("Storage" in s.get("error", "") or "storage" in s.get("error", "") for s in shown), "logged"

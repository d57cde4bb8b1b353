from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.settings import Settings, load_settings
from bot.storage import Database
from tests import databases


@pytest.fixture(autouse=True)
async def test_databases(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[databases.TestDatabases]:
    """The databases this test may open: SQLite files, or fresh PostgreSQL schemas (tests/databases.py).

    Lantern's own variables are cleared, so a DATABASE_URL exported around the run (as
    scripts/pg-throwaway does) never reaches a test that did not ask for it.
    """
    for name in (*Settings.model_fields, "database_path"):
        monkeypatch.delenv(name.upper(), raising=False)
    running = databases.TestDatabases(tmp_path)
    databases.set_current(running)
    try:
        yield running
    finally:
        databases.set_current(None)
        await running.drop()


@pytest.fixture
async def database_url(test_databases: databases.TestDatabases) -> str:
    return await test_databases.url("lantern.sqlite3")


@pytest.fixture
def settings(database_url: str) -> Settings:
    """Settings isolated from any developer `.env`, with a database of the test's own."""
    return load_settings(env_file=None, database_url=database_url)


@pytest.fixture
async def db(test_databases: databases.TestDatabases) -> AsyncIterator[Database]:
    database = Database(await test_databases.url("test.sqlite3"))
    await database.open()
    await database.migrate()
    try:
        yield database
    finally:
        await database.close()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """How much of Discord's description the suite's traffic exercised (see tests/conformance)."""
    from tests.conformance import conformance

    checker = conformance()
    if checker.checked:
        rest = sorted(op for op in checker.exercised if not op.startswith("gateway "))
        events = sorted(op.removeprefix("gateway ") for op in checker.exercised if op.startswith("gateway "))
        terminalreporter.write_line(
            f"conformance: {len(rest)} REST operations, {len(events)} gateway events, "
            f"{len(checker.fields)} distinct fields, {checker.checked} bodies checked against Discord's OpenAPI "
            "description"
        )
        terminalreporter.write_line("  operations: " + ", ".join(rest))
        terminalreporter.write_line("  events: " + ", ".join(events))

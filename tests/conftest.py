from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.settings import Settings, load_settings
from bot.storage import Database


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings isolated from any developer `.env`, with a database in the test's folder."""
    return load_settings(env_file=None, database_path=tmp_path / "lantern.sqlite3")


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(tmp_path / "test.sqlite3")
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

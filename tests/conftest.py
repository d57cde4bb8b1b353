from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

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

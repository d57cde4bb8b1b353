from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.sandbox.engine import Sandbox
from bot.settings import load_settings
from cogs import extension_names

START = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
PROBE = "tests.e2e.support_cog"


async def start_sandbox(tmp_path: Path, **options: Any) -> Sandbox:
    settings = load_settings(env_file=None, database_path=tmp_path / "e2e.sqlite3")
    options.setdefault("start_at", START)
    options.setdefault("extensions", extension_names())
    sandbox = Sandbox(settings, **options)
    await sandbox.start()
    return sandbox


@pytest.fixture
async def sandbox(tmp_path: Path) -> AsyncIterator[Sandbox]:
    """The real bot against the emulator, with a manual clock and a fresh database."""
    running = await start_sandbox(tmp_path)
    try:
        yield running
    finally:
        await running.close()


@pytest.fixture
async def probe_sandbox(tmp_path: Path) -> AsyncIterator[Sandbox]:
    """Like `sandbox`, plus the test-only probe extension."""
    running = await start_sandbox(tmp_path, extensions=[*extension_names(), PROBE])
    try:
        yield running
    finally:
        await running.close()

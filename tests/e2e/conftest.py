from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.sandbox.engine import Sandbox
from bot.settings import load_settings
from cogs import extension_names
from emulator import Emulator
from emulator.limits import Limits, RateLimit
from tests import databases
from tests.conformance import checked_emulators, conformance

START = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
PROBE = "tests.e2e.support_cog"


def burst_limits() -> Limits:
    """Discord's limits with every per-route bucket 100 times larger (the global limit stays).

    For tests marked `burst`: they squeeze days of a manual clock into a second of real time (daily
    DMs to one member) or post many replies in one channel on purpose, which on Discord would be
    paced by the per-route buckets; discord.py would wait those seconds for real.
    """
    limits = Limits()
    limits.route_rates = {route: RateLimit(rate.limit * 100, rate.per) for route, rate in limits.route_rates.items()}
    return limits


async def start_sandbox(tmp_path: Path, *, database: str = "e2e.sqlite3", **options: Any) -> Sandbox:
    """A started sandbox on the test's database called `database` (the same name: the same data)."""
    settings = load_settings(env_file=None, database_url=await databases.current().url(database))
    options.setdefault("start_at", START)
    options.setdefault("extensions", extension_names())
    sandbox = Sandbox(settings, **options)
    checked_emulators.append(sandbox.emulator)
    await sandbox.start()
    return sandbox


@pytest.fixture(autouse=True)
def conformance_check() -> Iterator[None]:
    """Every request a test's bot made and every answer and event the emulator sent, checked
    against Discord's OpenAPI description (tests/conformance)."""
    checked_emulators.clear()
    yield
    problems: list[str] = []
    for emulator in checked_emulators:
        problems += check_emulator(emulator)
    checked_emulators.clear()
    assert not problems, "Not what Discord's description says:\n" + "\n".join(dict.fromkeys(problems))


def check_emulator(emulator: Emulator) -> list[str]:
    return conformance().check_all(emulator.requests, emulator.gateway.history)


def _limits_for(request: pytest.FixtureRequest) -> dict[str, Any]:
    return {"limits": burst_limits()} if request.node.get_closest_marker("burst") else {}


@pytest.fixture
async def sandbox(tmp_path: Path, request: pytest.FixtureRequest) -> AsyncIterator[Sandbox]:
    """The real bot against the emulator, with a manual clock and a fresh database."""
    running = await start_sandbox(tmp_path, **_limits_for(request))
    try:
        yield running
    finally:
        await running.close()


@pytest.fixture
async def probe_sandbox(tmp_path: Path, request: pytest.FixtureRequest) -> AsyncIterator[Sandbox]:
    """Like `sandbox`, plus the test-only probe extension."""
    running = await start_sandbox(tmp_path, extensions=[*extension_names(), PROBE], **_limits_for(request))
    try:
        yield running
    finally:
        await running.close()

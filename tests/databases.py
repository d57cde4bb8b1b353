"""The database each test runs on: SQLite files by default, PostgreSQL when asked.

With LANTERN_TEST_DATABASE_URL=postgresql://… (scripts/pg-throwaway sets it), every test gets a
fresh schema of that database for each name it asks for, dropped when the test ends: the whole
suite then runs on PostgreSQL. Without it, a name is a SQLite file in the test's folder.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

POSTGRES_URL = os.environ.get("LANTERN_TEST_DATABASE_URL") or None
ON_POSTGRES = POSTGRES_URL is not None

requires_postgres = pytest.mark.skipif(
    not ON_POSTGRES,
    reason="needs PostgreSQL: set LANTERN_TEST_DATABASE_URL (scripts/pg-throwaway -- make test does; CI runs it)",
)
sqlite_only = pytest.mark.skipif(ON_POSTGRES, reason="about SQLite itself (its file, PRAGMAs or errors)")


def with_search_path(url: str, schema: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "search_path"] + [("search_path", schema)]
    return parts._replace(query=urlencode(query)).geturl()


class TestDatabases:
    """Names to database URLs for one test; PostgreSQL schemas are created on first use."""

    __test__ = False  # not a test class, whatever its name says

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._schemas: dict[str, str] = {}

    async def url(self, name: str = "lantern.sqlite3") -> str:
        if POSTGRES_URL is None:
            return str(self.folder / name)
        if name not in self._schemas:
            import asyncpg

            schema = f"test_{secrets.token_hex(6)}"
            conn = await asyncpg.connect(POSTGRES_URL)
            try:
                await conn.execute(f"CREATE SCHEMA {schema}")
            finally:
                await conn.close()
            self._schemas[name] = schema
        return with_search_path(POSTGRES_URL, self._schemas[name])

    async def drop(self) -> None:
        if POSTGRES_URL is None or not self._schemas:
            return
        import asyncpg

        conn = await asyncpg.connect(POSTGRES_URL)
        try:
            for schema in self._schemas.values():
                await conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        finally:
            await conn.close()
        self._schemas.clear()


_current: TestDatabases | None = None


def current() -> TestDatabases:
    """The running test's databases (tests/conftest.py's autouse fixture sets them up)."""
    if _current is None:
        raise RuntimeError("no test is running")
    return _current


def set_current(databases: TestDatabases | None) -> None:
    global _current
    _current = databases

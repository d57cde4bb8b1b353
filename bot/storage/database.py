"""The single SQLite connection and the migration runner."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

log = logging.getLogger(__name__)

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class StorageError(Exception):
    """A storage problem worth one clear sentence to whoever runs the bot."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def bundled_migrations() -> list[Migration]:
    """The numbered `.sql` files shipped in `bot/storage/migrations`, in order."""
    folder = resources.files("bot.storage").joinpath("migrations")
    found: list[Migration] = []
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise StorageError(f"migrations must be numbered 0001, 0002, … without gaps; found {versions}")
    return found


class Database:
    """Owns the connection. Autocommit mode; `transaction()` groups writes explicitly."""

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        self._conn: aiosqlite.Connection | None = None

    @property
    def conn(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise StorageError("the database is not open")
        return self._conn

    async def open(self) -> None:
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._conn = await aiosqlite.connect(self.path, isolation_level=None)
        except Exception as exc:  # sqlite3 raises several types for an unusable path
            raise StorageError(f"cannot open the database at {self.path}: {exc}") from None
        self._conn.row_factory = aiosqlite.Row
        await self._conn.execute("PRAGMA journal_mode = WAL")
        await self._conn.execute("PRAGMA foreign_keys = ON")
        await self._conn.execute("PRAGMA busy_timeout = 5000")
        await self._conn.execute("PRAGMA synchronous = NORMAL")

    async def close(self) -> None:
        if self._conn is not None:
            await self._conn.close()
            self._conn = None

    async def schema_version(self) -> int:
        row = await self.fetchone("PRAGMA user_version")
        return int(row[0]) if row else 0

    async def migrate(self, migrations: Sequence[Migration] | None = None) -> list[int]:
        """Apply every migration newer than the database, each in its own transaction.

        Returns the versions applied (empty when already current). Refuses a database that a newer
        Lantern wrote, instead of guessing at a schema it does not know.
        """
        migrations = bundled_migrations() if migrations is None else list(migrations)
        latest = migrations[-1].version if migrations else 0
        current = await self.schema_version()
        if current > latest:
            raise StorageError(
                f"the database at {self.path} has schema version {current}, but this Lantern knows "
                f"only up to {latest}: it was written by a newer Lantern. Upgrade Lantern or set "
                "DATABASE_PATH to another file."
            )
        applied: list[int] = []
        for migration in migrations:
            if migration.version <= current:
                continue
            script = f"BEGIN IMMEDIATE;\n{migration.sql}\n;PRAGMA user_version = {migration.version};\nCOMMIT;"
            try:
                await self.conn.executescript(script)
            except Exception as exc:
                if self.conn.in_transaction:
                    await self.conn.rollback()
                raise StorageError(f"migration {migration.name} failed: {exc}") from exc
            log.info("Applied migration %s", migration.name)
            applied.append(migration.version)
        return applied

    async def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> int:
        """Run one statement; returns the number of rows changed."""
        cursor = await self.conn.execute(sql, params)
        changed = cursor.rowcount
        await cursor.close()
        return changed

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        await self.conn.executemany(sql, rows)

    async def fetchone(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> aiosqlite.Row | None:
        cursor = await self.conn.execute(sql, params)
        row = await cursor.fetchone()
        await cursor.close()
        return row

    async def fetchall(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[aiosqlite.Row]:
        cursor = await self.conn.execute(sql, params)
        rows = await cursor.fetchall()
        await cursor.close()
        return list(rows)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Database]:
        """BEGIN IMMEDIATE … COMMIT, rolled back if the block raises."""
        await self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            await self.conn.rollback()
            raise
        else:
            await self.conn.commit()

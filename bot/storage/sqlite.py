"""The SQLite back end: one connection, one writer at a time, migrations tracked by PRAGMA user_version.

Every statement and every transaction goes through `SqliteDatabase`, which lets one task at a time
use the connection: a transaction holds it from BEGIN to COMMIT, so no other task's statement can
land inside it (and no second BEGIN can fail with "cannot start a transaction within a transaction").
Statements run by the task that holds the transaction (and by tasks it starts while it holds it)
go straight through; a transaction opened inside another becomes a savepoint.

SQLite is for one process: its locks between processes (`lock_session`, `hold_lock`) are this
process's own, and the settings refuse CLUSTERS above 1 without PostgreSQL.
"""

from __future__ import annotations

import asyncio
import contextvars
import itertools
import logging
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from bot.storage.database import (
    Database,
    Lease,
    LockSession,
    Migration,
    Row,
    StorageError,
    bundled_migrations,
    sqlite_path,
)

log = logging.getLogger(__name__)

LANTERN_APPLICATION_ID = 0x4C414E54  # "LANT", set by migration 0008
FIRST_TABLE = "guild_settings"  # created by migration 0001: every Lantern database has it


def _prepare_folder(path: Path) -> None:
    """The database file's folder, created if missing; a StorageError naming what is in the way."""
    if path.is_dir():
        raise StorageError(f"the database path {path} is a folder; DATABASE_URL must name a file")
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        blocking = next((p for p in (folder, *folder.parents) if p.exists() and not p.is_dir()), folder)
        raise StorageError(f"cannot create the database at {path}: {blocking} is a file, not a folder") from None
    except PermissionError:
        raise StorageError(f"cannot create the database at {path}: no permission to create {folder}") from None
    except OSError as exc:
        raise StorageError(
            f"cannot create the database at {path}: {exc.strerror or 'the folder is unusable'}"
        ) from None


_database_ids = itertools.count(1)


class SqliteDatabase(Database):
    """Owns the connection. Autocommit mode; `transaction()` groups writes explicitly.

    Serialised: `_turn` is one statement's turn at the connection, `transaction()` a whole
    block's. Both wait for the same FIFO lock unless the running task is inside the transaction
    that holds it (marked by a context variable, which tasks started inside inherit).
    """

    dialect = "sqlite"

    def __init__(self, target: Path | str) -> None:
        super().__init__(target)
        self.path = sqlite_path(target)
        self._conn: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()
        self._holder: object | None = None  # the open transaction's marker, while one is open
        self._marker: contextvars.ContextVar[object | None] = contextvars.ContextVar(
            f"lantern_db_{next(_database_ids)}", default=None
        )
        self._savepoints = itertools.count(1)
        self._held: set[str] = set()  # lock names held through lock_session()
        self._named_locks: dict[str, asyncio.Lock] = {}

    @property
    def conn(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise StorageError("the database is not open")
        return self._conn

    @property
    def is_open(self) -> bool:
        return self._conn is not None

    @property
    def description(self) -> str:
        return self.path

    async def open(self) -> None:
        """Open (creating the file and its folder if needed); a StorageError says what is wrong in plain words."""
        if self.path != ":memory:":
            _prepare_folder(Path(self.path))
        try:
            self._conn = await aiosqlite.connect(self.path, isolation_level=None)
            self._conn.row_factory = aiosqlite.Row
            await self.check_is_lantern()  # before WAL mode, which would change another program's file
            await self._conn.execute("PRAGMA journal_mode = WAL")
            await self._conn.execute("PRAGMA foreign_keys = ON")
            await self._conn.execute("PRAGMA busy_timeout = 5000")
            await self._conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.OperationalError:  # cannot open or lock it: permissions, a read-only disk
            await self._discard()
            raise StorageError(
                f"cannot open the database at {self.path}: check that Lantern may read and write it and its folder"
            ) from None
        except StorageError:
            await self._discard()
            raise
        except sqlite3.DatabaseError:  # not SQLite at all, or a damaged file
            await self._discard()
            raise StorageError(
                f"the file at {self.path} is not a Lantern database, or it is damaged. Move it aside to start "
                "afresh, or set DATABASE_URL to another file."
            ) from None

    async def _discard(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            try:
                await conn.close()
            except Exception:  # the connection is unusable anyway
                log.debug("Closing an unusable database connection failed", exc_info=True)

    async def check_is_lantern(self) -> None:
        """Refuse another program's SQLite database instead of adding Lantern's tables to it."""
        app_row = await self.fetchone("PRAGMA application_id")
        application_id = int(app_row[0]) if app_row else 0
        version = await self.schema_version()
        tables = [row[0] for row in await self.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")]
        foreign = application_id not in (0, LANTERN_APPLICATION_ID) or (
            application_id == 0 and (FIRST_TABLE not in tables if version > 0 else bool(tables))
        )
        if foreign:
            raise StorageError(
                f"the file at {self.path} is another program's database, not Lantern's, so Lantern leaves it "
                "alone. Set DATABASE_URL to another file."
            )

    async def close(self) -> None:
        """Close after any open transaction has finished (never in the middle of one)."""
        if self._conn is None:
            return
        async with self._lock:
            if self._conn is not None:
                await self._conn.close()
                self._conn = None

    @property
    def in_transaction(self) -> bool:
        """Whether the running task is inside a transaction of this database."""
        marker = self._marker.get()
        return marker is not None and marker is self._holder

    @asynccontextmanager
    async def _turn(self) -> AsyncIterator[aiosqlite.Connection]:
        """The connection for one statement: at once inside our own transaction, else after the lock."""
        if self.in_transaction:
            yield self.conn
            return
        async with self._lock:
            yield self.conn

    async def schema_version(self) -> int:
        row = await self.fetchone("PRAGMA user_version")
        return int(row[0]) if row else 0

    async def migrate(self, migrations: Sequence[Migration] | None = None) -> list[int]:
        """Apply every migration newer than the database, each in its own transaction.

        Returns the versions applied (empty when already current). Refuses a database that a newer
        Lantern wrote, instead of guessing at a schema it does not know.
        """
        migrations = bundled_migrations("sqlite") if migrations is None else list(migrations)
        latest = migrations[-1].version if migrations else 0
        await self.check_is_lantern()
        current = await self.schema_version()
        if current > latest:
            raise StorageError(
                f"the database at {self.path} has schema version {current}, but this Lantern knows "
                f"only up to {latest}: it was written by a newer Lantern. Upgrade Lantern or set "
                "DATABASE_URL to another file."
            )
        applied: list[int] = []
        for migration in migrations:
            if migration.version <= current:
                continue
            script = f"BEGIN IMMEDIATE;\n{migration.sql}\n;PRAGMA user_version = {migration.version};\nCOMMIT;"
            async with self._turn() as conn:
                try:
                    await conn.executescript(script)
                except Exception as exc:
                    if conn.in_transaction:
                        await conn.rollback()
                    raise StorageError(f"migration {migration.name} failed: {exc}") from exc
            log.info("Applied migration %s", migration.name)
            applied.append(migration.version)
        return applied

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement; returns the number of rows changed."""
        async with self._turn() as conn:
            cursor = await conn.execute(sql, params)
            changed = cursor.rowcount
            await cursor.close()
        return changed

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        async with self._turn() as conn:
            await conn.executemany(sql, rows)

    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        async with self._turn() as conn:
            cursor = await conn.execute(sql, params)
            row = await cursor.fetchone()
            await cursor.close()
        return row

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        async with self._turn() as conn:
            cursor = await conn.execute(sql, params)
            rows = await cursor.fetchall()
            await cursor.close()
        return list(rows)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Database]:
        """BEGIN IMMEDIATE … COMMIT, rolled back if the block raises; one at a time.

        Inside another transaction of the same task it is a SAVEPOINT, so a repository that groups
        its own writes can still be called from `Stores.forget`'s transaction.
        """
        if self.in_transaction:
            async with self._savepoint():
                yield self
            return
        async with self._lock:
            conn = self.conn
            marker = object()
            self._holder = marker
            token = self._marker.set(marker)
            try:
                await conn.execute("BEGIN IMMEDIATE")
                try:
                    yield self
                    await conn.commit()
                except BaseException:
                    await self._rollback(conn)
                    raise
            finally:
                self._holder = None
                self._marker.reset(token)

    @asynccontextmanager
    async def _savepoint(self) -> AsyncIterator[None]:
        name = f"lantern_{next(self._savepoints)}"
        conn = self.conn
        await conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            await conn.execute(f"ROLLBACK TO {name}")
            await conn.execute(f"RELEASE {name}")
            raise
        await conn.execute(f"RELEASE {name}")

    @staticmethod
    async def _rollback(conn: aiosqlite.Connection) -> None:
        """Roll back what can be; a failed rollback must not hide the error that caused it."""
        try:
            if conn.in_transaction:
                await conn.rollback()
        except Exception:
            log.warning("Rolling back a failed transaction failed too", exc_info=True)

    # ----- what PostgreSQL does between processes, within this one -------------------------------------
    async def lock_in_transaction(self, name: str) -> None:
        """Transactions are one at a time on SQLite's one connection: holding one is holding every lock."""
        if not self.in_transaction:
            raise StorageError("lock_in_transaction needs a transaction")

    async def lock_session(self) -> LockSession:
        return _LocalLockSession(self._held)

    @asynccontextmanager
    async def hold_lock(self, name: str) -> AsyncIterator[None]:
        lock = self._named_locks.setdefault(name, asyncio.Lock())
        async with lock:
            yield

    # ----- introspection -----------------------------------------------------------------------------
    async def table_names(self) -> list[str]:
        rows = await self.fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
        return [row[0] for row in rows]

    async def column_names(self, table: str) -> list[str]:
        return [row["name"] for row in await self.fetchall(f"PRAGMA table_info({table})")]


class _LocalLease(Lease):
    def __init__(self, name: str, held: set[str]) -> None:
        super().__init__(name)
        self._held = held

    async def release(self) -> None:
        self._held.discard(self.name)


class _LocalLockSession(LockSession):
    """SQLite serves one process, so its locks are this process's: a set of names held."""

    def __init__(self, held: set[str]) -> None:
        super().__init__()
        self._held = held
        self._leases: list[_LocalLease] = []

    async def try_acquire(self, name: str) -> Lease | None:
        if name in self._held:
            return None
        self._held.add(name)
        lease = _LocalLease(name, self._held)
        self._leases.append(lease)
        return lease

    async def check(self) -> bool:
        return True

    async def close(self) -> None:
        for lease in self._leases:
            await lease.release()
        self.closed.set()

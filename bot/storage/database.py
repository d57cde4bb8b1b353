"""One repository layer, two back ends: what every database Lantern uses must offer.

`Database(target)` opens the right back end for a `DATABASE_URL` (as `pathlib.Path` gives a
`PosixPath`): a file path or `sqlite:///…` gives `SqliteDatabase` (bot/storage/sqlite.py, the
embedded default), `postgresql://…` gives `PostgresDatabase` (bot/storage/postgres.py, for several
processes). Repositories write portable SQL with `?` placeholders (the PostgreSQL back end turns
them into `$1, $2, …` once per statement) and ask the database for what differs between
dialects: row locks that skip rows another process holds, locks between processes, and
notifications between processes.

Instants are stored as text, UTC, ISO 8601 (`…+00:00`), on both back ends: fixed-width text in
UTC sorts and compares as time does (PostgreSQL's columns use the "C" collation, byte order, as
SQLite does), the drivers need no conversions, and SQL never reads a clock of its own: every
instant comes from Lantern's injectable clock (bot/clock.py).
"""

from __future__ import annotations

import abc
import asyncio
import hashlib
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar, Literal, Protocol

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
Dialect = Literal["sqlite", "postgresql"]
MIGRATION_FOLDERS: dict[Dialect, str] = {"sqlite": "migrations", "postgresql": "migrations_postgresql"}
POSTGRES_SCHEMES = ("postgresql://", "postgres://")
SQLITE_SCHEME = "sqlite:///"


class StorageError(Exception):
    """A storage problem worth one clear sentence to whoever runs the bot."""


class Row(Protocol):
    """A result row: by position or by column name (sqlite3.Row and asyncpg.Record both are)."""

    def __getitem__(self, key: int | str, /) -> Any: ...

    def __iter__(self) -> Iterator[Any]: ...

    def __len__(self) -> int: ...

    def keys(self) -> Any: ...


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def bundled_migrations(dialect: Dialect = "sqlite") -> list[Migration]:
    """The numbered `.sql` files shipped for `dialect`, in order (bot/storage/migrations* folders)."""
    folder = resources.files("bot.storage").joinpath(MIGRATION_FOLDERS[dialect])
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


def dialect_of(target: str | Path) -> Dialect:
    """Which back end a DATABASE_URL (or a plain file path) names."""
    text = str(target)
    if text.startswith(POSTGRES_SCHEMES):
        return "postgresql"
    if text.startswith(SQLITE_SCHEME) or "://" not in text:
        return "sqlite"
    raise StorageError(
        f"DATABASE_URL must be a file path, sqlite:///path or postgresql://…; "
        f"{text.split('://', 1)[0]}:// is not a database Lantern can use"
    )


def sqlite_path(target: str | Path) -> str:
    """The file a SQLite DATABASE_URL names: `sqlite:///data/l.db` is relative, `sqlite:////srv/l.db` absolute."""
    text = str(target)
    return text[len(SQLITE_SCHEME) :] if text.startswith(SQLITE_SCHEME) else text


def lock_key(namespace: str, name: str) -> int:
    """A signed 64-bit key for a lock called `name`, distinct per namespace (a PostgreSQL schema)."""
    digest = hashlib.blake2b(f"{namespace}\x1f{name}".encode(), digest_size=8, person=b"lantern-lock").digest()
    return int.from_bytes(digest, "big", signed=True)


class Lease(abc.ABC):
    """A lock held between processes until `release()`, or until the holder's connection dies.

    `lost` is set when the lock is no longer held for any reason other than `release()`: the
    connection that holds it broke (so the database released it, and another process may hold it now).
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.lost = asyncio.Event()

    @property
    def held(self) -> bool:
        return not self.lost.is_set()

    @abc.abstractmethod
    async def release(self) -> None: ...


class LockSession(abc.ABC):
    """A connection of its own for locks that outlive a transaction (the scheduler's leadership).

    `closed` is set when the connection is gone; every lease taken through it is lost with it.
    """

    def __init__(self) -> None:
        self.closed = asyncio.Event()

    @abc.abstractmethod
    async def try_acquire(self, name: str) -> Lease | None:
        """The lock `name` if no one (in any process) holds it, else None at once."""

    @abc.abstractmethod
    async def check(self) -> bool:
        """Whether the connection still works (a round trip); sets `closed` when it does not."""

    @abc.abstractmethod
    async def close(self) -> None: ...


NotifyCallback = Callable[[str], None]


class Database(abc.ABC):
    """What repositories, migrations, the scheduler and the gateway coordination need of a database.

    Writes are grouped with `transaction()`; a transaction inside another (in the same task) is a
    savepoint. Statements outside a transaction commit on their own.
    """

    dialect: ClassVar[Dialect]

    def __new__(cls, target: str | Path, *args: Any, **kwargs: Any) -> Database:
        if cls is Database:
            backend: type[Database]
            if dialect_of(target) == "postgresql":
                from bot.storage.postgres import PostgresDatabase

                backend = PostgresDatabase
            else:
                from bot.storage.sqlite import SqliteDatabase

                backend = SqliteDatabase
            return super().__new__(backend)
        return super().__new__(cls)

    def __init__(self, target: str | Path) -> None:
        self._listeners: dict[str, list[NotifyCallback]] = {}
        self._reconnect_callbacks: list[Callable[[], None]] = []

    # ----- lifecycle -----------------------------------------------------------------------------
    @property
    @abc.abstractmethod
    def is_open(self) -> bool: ...

    @property
    @abc.abstractmethod
    def description(self) -> str:
        """Where the data is, for messages to whoever runs the bot (never a password)."""

    @abc.abstractmethod
    async def open(self) -> None:
        """Connect; a StorageError says in plain words what is wrong."""

    @abc.abstractmethod
    async def close(self) -> None:
        """Disconnect after any open transaction has finished (never in the middle of one)."""

    @abc.abstractmethod
    async def check_is_lantern(self) -> None:
        """Refuse another program's database instead of adding Lantern's tables to it."""

    @abc.abstractmethod
    async def schema_version(self) -> int: ...

    @abc.abstractmethod
    async def migrate(self, migrations: Sequence[Migration] | None = None) -> list[int]:
        """Apply every migration newer than the database, each in its own transaction, once even
        when several processes start together. Returns the versions applied; refuses a database a
        newer Lantern wrote."""

    # ----- statements ------------------------------------------------------------------------------
    @abc.abstractmethod
    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement; returns the number of rows changed."""

    @abc.abstractmethod
    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None: ...

    @abc.abstractmethod
    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None: ...

    @abc.abstractmethod
    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]: ...

    @abc.abstractmethod
    def transaction(self) -> AbstractAsyncContextManager[Database]: ...

    @property
    @abc.abstractmethod
    def in_transaction(self) -> bool:
        """Whether the running task is inside a transaction of this database."""

    # ----- what differs between dialects ---------------------------------------------------------
    @property
    def skip_locked(self) -> str:
        """Appended to a SELECT inside a transaction: lock the rows read, skipping rows another
        process has locked (PostgreSQL). SQLite has one writer at a time, so it needs nothing."""
        return ""

    @abc.abstractmethod
    async def lock_in_transaction(self, name: str) -> None:
        """Inside a transaction: wait for, then hold until it ends, the lock `name` (one writer per
        member, say), so a read-modify-write is never interleaved with another process's."""

    @abc.abstractmethod
    async def lock_session(self) -> LockSession:
        """A connection of its own for locks held across transactions (see LockSession)."""

    @abc.abstractmethod
    def hold_lock(self, name: str) -> AbstractAsyncContextManager[None]:
        """Wait for the lock `name` (in every process) and hold it for the block."""

    def on_notify(self, channel: str, callback: NotifyCallback) -> None:
        """Call `callback(payload)` for every `notify(channel, …)`, from this process or (PostgreSQL)
        any other. Register before `open()` or after; callbacks must be quick and never raise."""
        self._listeners.setdefault(channel, []).append(callback)

    def on_reconnect(self, callback: Callable[[], None]) -> None:
        """Call `callback()` whenever notifications may have been missed (a listener reconnected)."""
        self._reconnect_callbacks.append(callback)

    async def notify(self, channel: str, payload: str = "") -> None:
        """Tell every listener of `channel` (inside a transaction: when it commits, on PostgreSQL)."""
        self._deliver(channel, payload)

    def _deliver(self, channel: str, payload: str) -> None:
        for callback in list(self._listeners.get(channel, ())):
            callback(payload)

    def _reconnected(self) -> None:
        for callback in list(self._reconnect_callbacks):
            callback()

    # ----- introspection (tests, and the refusal of another program's database) ------------------
    @abc.abstractmethod
    async def table_names(self) -> list[str]:
        """Lantern's tables (not the back end's own bookkeeping), sorted."""

    @abc.abstractmethod
    async def column_names(self, table: str) -> list[str]: ...


def database_for(target: str | Path) -> Database:
    """The database a DATABASE_URL names, not yet open (the same as `Database(target)`, typed)."""
    if dialect_of(target) == "postgresql":
        from bot.storage.postgres import PostgresDatabase

        return PostgresDatabase(str(target))
    from bot.storage.sqlite import SqliteDatabase

    return SqliteDatabase(target)


def storage_failures() -> tuple[type[BaseException], ...]:
    """The exceptions that mean "the database failed" (disk full, server gone), on either back end."""
    failures: tuple[type[BaseException], ...] = (StorageError, sqlite3.Error)
    try:
        import asyncpg
    except ImportError:  # the PostgreSQL extra is not installed: only SQLite's errors can happen
        return failures
    return (*failures, asyncpg.PostgresError, asyncpg.InterfaceError)


__all__ = [
    "Database",
    "Dialect",
    "Lease",
    "LockSession",
    "Migration",
    "Row",
    "StorageError",
    "bundled_migrations",
    "database_for",
    "dialect_of",
    "lock_key",
    "sqlite_path",
    "storage_failures",
]

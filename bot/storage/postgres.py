"""The PostgreSQL back end (asyncpg), for Lantern running as several processes.

- A pool of connections: statements outside a transaction take any free connection; a
  transaction keeps one from BEGIN to COMMIT, and the tasks it runs (and starts) use that one
  (a context variable marks it), one statement at a time. A transaction inside another is a savepoint.
- `?` placeholders become `$1, $2, …` (outside quoted text), once per distinct statement.
- Migrations from bot/storage/migrations_postgresql/, tracked in `lantern_schema_migrations` and
  applied under an advisory lock, so processes started together apply each exactly once.
- Locks between processes are advisory locks keyed by the schema and a name (`lock_key`); a
  lease that must outlive transactions (the scheduler's leadership) lives on a connection of
  its own and is lost when that connection dies (PostgreSQL releases it at once).
- Notifications are LISTEN/NOTIFY on a connection of its own, reconnected when it breaks (then
  `on_reconnect` callbacks run: what was missed meanwhile is unknown).

A DATABASE_URL may name a schema with `?search_path=name` (asyncpg passes unknown query
parameters to the server as settings); the tests use one fresh schema per test.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import itertools
import logging
import re
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from bot.storage.database import (
    Database,
    Lease,
    LockSession,
    Migration,
    Row,
    StorageError,
    bundled_migrations,
    lock_key,
)

try:
    import asyncpg
except ImportError:  # pragma: no cover - only without the PostgreSQL extra
    asyncpg = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

VERSION_TABLE = "lantern_schema_migrations"
POOL_MIN, POOL_MAX = 1, 10
CONNECT_TIMEOUT = 10.0
# A hung PostgreSQL (or network) must not hang a crisis reply forever: a statement gives up after
# COMMAND_TIMEOUT seconds, waiting for a free pooled connection after ACQUIRE_TIMEOUT; both then
# fail as a StorageError. Waiting for an advisory lock (migrations, IDENTIFY) and applying a
# migration have their own, longer limits.
COMMAND_TIMEOUT = 30.0
ACQUIRE_TIMEOUT = 10.0
LOCK_WAIT_TIMEOUT = 900.0
MIGRATION_TIMEOUT = 900.0
# The server probes an idle client connection after 30 s, then every 10 s, and drops it after 3
# unanswered probes: a leader whose machine died (no FIN, no RST) loses its scheduler lock within
# about a minute instead of TCP's two hours. A URL's own ?tcp_keepalives_…= settings win.
KEEPALIVES = {"tcp_keepalives_idle": "30", "tcp_keepalives_interval": "10", "tcp_keepalives_count": "3"}
RECONNECT_DELAYS = (0.1, 0.5, 1.0, 2.0, 5.0)
_QUOTED_OR_PLACEHOLDER = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|\?")
_tx_ids = itertools.count(1)


@lru_cache(maxsize=1024)
def to_numbered(sql: str) -> str:
    """`?` placeholders as PostgreSQL's `$1, $2, …`; a `?` inside quotes or a comment stays."""
    counter = itertools.count(1)

    def replace(match: re.Match[str]) -> str:
        return f"${next(counter)}" if match.group(0) == "?" else match.group(0)

    return _QUOTED_OR_PLACEHOLDER.sub(replace, sql)


def rows_changed(status: str) -> int:
    """The row count in a command tag ("UPDATE 3", "INSERT 0 1", "DELETE 0")."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


def _require_driver() -> Any:
    if asyncpg is None:
        raise StorageError(
            "DATABASE_URL names PostgreSQL, but its driver is not installed: pip install 'lantern[postgresql]'"
        )
    return asyncpg


PASSWORD_PARAMETERS = ("password", "sslpassword")  # what libpq (and asyncpg) read from a URL's query


def url_secrets(url: str) -> list[str]:
    """The passwords a database URL carries (in its user part or its query), as written and decoded,
    for the log filter to blank out wherever they appear."""
    parts = urlsplit(str(url))
    found: list[str] = []
    with contextlib.suppress(ValueError):
        if parts.password:
            found += [parts.password, unquote(parts.password)]
    for key, value in parse_qsl(parts.query):
        if key in PASSWORD_PARAMETERS and value:
            found.append(value)
    for raw in parts.query.split("&"):
        key, _, value = raw.partition("=")
        if unquote(key) in PASSWORD_PARAMETERS and value:
            found.append(value)
    return sorted({secret for secret in found if secret}, key=len, reverse=True)


def redacted(url: str) -> str:
    """The URL without its passwords (user part and `?password=`), for messages and logs."""
    parts = urlsplit(url)
    netloc = parts.netloc
    with contextlib.suppress(ValueError):
        if parts.password is not None:
            netloc = netloc.replace(f":{parts.password}@", ":***@", 1)
    query = "&".join(
        f"{key}=***" if unquote(key) in PASSWORD_PARAMETERS else raw
        for raw in parts.query.split("&")
        if raw
        for key in [raw.partition("=")[0]]
    )
    return parts._replace(netloc=netloc, query=query).geturl()


@dataclass
class _Transaction:
    """The connection a transaction holds, and a turn at it for the tasks that share it."""

    conn: Any
    turn: asyncio.Lock = field(default_factory=asyncio.Lock)
    active: bool = True


class PostgresDatabase(Database):
    dialect = "postgresql"

    def __init__(self, target: str, *, pool_max: int = POOL_MAX) -> None:
        super().__init__(target)
        self.url = str(target)
        self._pool_max = pool_max
        self._pool: Any = None
        self._schema = "public"
        self._current: contextvars.ContextVar[_Transaction | None] = contextvars.ContextVar(
            f"lantern_pg_tx_{next(_tx_ids)}", default=None
        )
        self._listener: Any = None
        self._listener_task: asyncio.Task[None] | None = None
        self._closing = False

    # ----- lifecycle -----------------------------------------------------------------------------
    @property
    def is_open(self) -> bool:
        return self._pool is not None

    @property
    def description(self) -> str:
        return redacted(self.url)

    @property
    def schema(self) -> str:
        return self._schema

    async def _connect(self) -> Any:
        driver = _require_driver()
        try:
            return await driver.connect(self.url, **self._connect_options())
        except (OSError, TimeoutError, driver.PostgresError, driver.InterfaceError) as exc:
            raise StorageError(f"cannot connect to PostgreSQL at {self.description}: {_why(exc)}") from None

    def _connect_options(self) -> dict[str, Any]:
        named = {key for key, _ in parse_qsl(urlsplit(self.url).query)}
        return {
            "timeout": CONNECT_TIMEOUT,
            "command_timeout": COMMAND_TIMEOUT,
            "server_settings": {key: value for key, value in KEEPALIVES.items() if key not in named},
        }

    async def open(self) -> None:
        driver = _require_driver()
        self._closing = False
        try:
            self._pool = await driver.create_pool(
                self.url, min_size=POOL_MIN, max_size=self._pool_max, **self._connect_options()
            )
        except (OSError, TimeoutError, driver.PostgresError, driver.InterfaceError, ValueError) as exc:
            self._pool = None
            raise StorageError(f"cannot connect to PostgreSQL at {self.description}: {_why(exc)}") from None
        try:
            row = await self.fetchone("SELECT current_schema()")
            if row is None or row[0] is None:
                raise StorageError(f"PostgreSQL at {self.description} has no schema to use (check search_path)")
            self._schema = str(row[0])
            await self.check_is_lantern()
            if self._listeners:
                await self._start_listening()
        except BaseException:
            await self._discard()
            raise

    async def _discard(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.terminate()

    async def close(self) -> None:
        self._closing = True
        if self._listener_task is not None:
            self._listener_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._listener_task
            self._listener_task = None
        if self._listener is not None:
            with contextlib.suppress(Exception):
                await self._listener.close(timeout=2)
            self._listener = None
        pool, self._pool = self._pool, None
        if pool is not None:
            try:
                await asyncio.wait_for(pool.close(), 10)
            except TimeoutError:
                pool.terminate()

    def _require_pool(self) -> Any:
        if self._pool is None:
            raise StorageError("the database is not open")
        return self._pool

    async def check_is_lantern(self) -> None:
        tables = await self._all_tables()
        if tables and VERSION_TABLE not in tables:
            raise StorageError(
                f"the schema {self._schema} of the PostgreSQL database at {self.description} holds another "
                "program's tables, so Lantern leaves it alone. Point DATABASE_URL at an empty database, or "
                "name an empty schema with ?search_path=…"
            )

    async def _all_tables(self) -> list[str]:
        rows = await self.fetchall(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
            "AND table_type = 'BASE TABLE' ORDER BY table_name"
        )
        return [row[0] for row in rows]

    async def schema_version(self) -> int:
        if VERSION_TABLE not in await self._all_tables():
            return 0
        row = await self.fetchone(f"SELECT COALESCE(MAX(version), 0) FROM {VERSION_TABLE}")
        return int(row[0]) if row else 0

    async def migrate(self, migrations: Sequence[Migration] | None = None) -> list[int]:
        migrations = bundled_migrations("postgresql") if migrations is None else list(migrations)
        latest = migrations[-1].version if migrations else 0
        applied: list[int] = []
        async with self.hold_lock("migrations"):  # processes started together: one migrates, the rest wait
            await self.check_is_lantern()
            await self.execute(
                f"CREATE TABLE IF NOT EXISTS {VERSION_TABLE} (version INTEGER PRIMARY KEY, name TEXT NOT NULL)"
            )
            current = await self.schema_version()
            if current > latest:
                raise StorageError(
                    f"the database at {self.description} has schema version {current}, but this Lantern knows "
                    f"only up to {latest}: it was written by a newer Lantern. Upgrade Lantern or set "
                    "DATABASE_URL to another database."
                )
            for migration in migrations:
                if migration.version <= current:
                    continue
                try:
                    async with self.transaction() as db:
                        tx = self._current.get()
                        assert tx is not None
                        # several statements: the simple protocol
                        await tx.conn.execute(migration.sql, timeout=MIGRATION_TIMEOUT)
                        await db.execute(
                            f"INSERT INTO {VERSION_TABLE} (version, name) VALUES (?, ?)",
                            (migration.version, migration.name),
                        )
                except Exception as exc:
                    # (PostgreSQL's message is about the SQL of the migration, never about member data)
                    raise StorageError(f"migration {migration.name} failed: {type(exc).__name__}: {exc}") from exc
                log.info("Applied migration %s", migration.name)
                applied.append(migration.version)
        return applied

    # ----- statements ------------------------------------------------------------------------------
    @property
    def in_transaction(self) -> bool:
        tx = self._current.get()
        return tx is not None and tx.active

    @asynccontextmanager
    async def _conn(self) -> AsyncIterator[Any]:
        """A connection for one statement: the transaction's (in turn), else any from the pool."""
        tx = self._current.get()
        try:
            if tx is not None and tx.active:
                async with tx.turn:
                    yield tx.conn
                return
            async with self._acquire() as conn:
                yield conn
        except TimeoutError:
            raise StorageError(f"PostgreSQL at {self.description} did not answer in time") from None

    def _acquire(self) -> Any:
        """A pooled connection, waiting at most ACQUIRE_TIMEOUT for one to be free."""
        return self._require_pool().acquire(timeout=ACQUIRE_TIMEOUT)

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        async with self._conn() as conn:
            status = await conn.execute(to_numbered(sql), *params)
        return rows_changed(status)

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        batch = [tuple(row) for row in rows]
        if not batch:
            return
        async with self._conn() as conn:
            await conn.executemany(to_numbered(sql), batch)

    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        async with self._conn() as conn:
            row: Row | None = await conn.fetchrow(to_numbered(sql), *params)
        return row

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        async with self._conn() as conn:
            rows: list[Row] = await conn.fetch(to_numbered(sql), *params)
        return list(rows)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Database]:
        outer = self._current.get()
        if outer is not None and outer.active:
            async with outer.turn:
                savepoint = outer.conn.transaction()
                await savepoint.start()
            try:
                yield self
            except BaseException:
                async with outer.turn:
                    await savepoint.rollback()
                raise
            async with outer.turn:
                await savepoint.commit()
            return
        pool = self._require_pool()
        try:
            conn = await pool.acquire(timeout=ACQUIRE_TIMEOUT)
        except TimeoutError:
            raise StorageError(f"PostgreSQL at {self.description} did not answer in time") from None
        try:
            tx = _Transaction(conn)
            token = self._current.set(tx)
            try:
                async with conn.transaction():
                    yield self
            finally:
                tx.active = False
                self._current.reset(token)
        finally:
            await pool.release(conn)

    # ----- what differs between dialects ---------------------------------------------------------
    @property
    def skip_locked(self) -> str:
        return " FOR UPDATE SKIP LOCKED"

    async def lock_in_transaction(self, name: str) -> None:
        if not self.in_transaction:
            raise StorageError("lock_in_transaction needs a transaction")
        await self.execute("SELECT pg_advisory_xact_lock(?)", (lock_key(self._schema, name),))

    @asynccontextmanager
    async def hold_lock(self, name: str) -> AsyncIterator[None]:
        key = lock_key(self._schema, name)
        async with self._require_pool().acquire(timeout=ACQUIRE_TIMEOUT) as conn:
            await conn.execute("SELECT pg_advisory_lock($1)", key, timeout=LOCK_WAIT_TIMEOUT)
            try:
                yield
            finally:
                with contextlib.suppress(Exception):  # a broken connection released it already
                    await conn.execute("SELECT pg_advisory_unlock($1)", key)

    async def lock_session(self) -> LockSession:
        return _PostgresLockSession(await self._connect(), self._schema)

    async def notify(self, channel: str, payload: str = "") -> None:
        await self.execute("SELECT pg_notify(?, ?)", (self._channel(channel), payload))

    def on_notify(self, channel: str, callback: Any) -> None:
        first = channel not in self._listeners
        super().on_notify(channel, callback)
        if first and self._listener is not None:
            asyncio.get_running_loop().create_task(self._listen(self._listener, channel))

    def _channel(self, name: str) -> str:
        """The NOTIFY channel for `name` in this schema (two Lanterns in one database stay apart)."""
        return f"lantern_{lock_key(self._schema, 'channel') & 0xFFFFFFFF:08x}_{name}"

    async def _listen(self, conn: Any, channel: str) -> None:
        def callback(_conn: Any, _pid: int, _channel: str, payload: str) -> None:
            self._deliver(channel, payload)

        await conn.add_listener(self._channel(channel), callback)

    async def _start_listening(self) -> None:
        conn = await self._connect()
        for channel in list(self._listeners):
            await self._listen(conn, channel)
        lost = asyncio.Event()
        conn.add_termination_listener(lambda _conn: lost.set())
        self._listener = conn
        self._listener_task = asyncio.get_running_loop().create_task(
            self._keep_listening(lost), name="lantern-background: database notifications"
        )

    async def _keep_listening(self, lost: asyncio.Event) -> None:
        """Reconnect the listening connection whenever it breaks; missed notifications are unknown."""
        while not self._closing:
            await lost.wait()
            if self._closing:
                return
            log.warning("The database notification connection broke; reconnecting")
            self._listener = None
            for delay in itertools.chain(RECONNECT_DELAYS, itertools.repeat(RECONNECT_DELAYS[-1])):
                await asyncio.sleep(delay)
                if self._closing:
                    return
                try:
                    conn = await self._connect()
                    for channel in list(self._listeners):
                        await self._listen(conn, channel)
                except (StorageError, OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
                    continue
                lost = asyncio.Event()
                conn.add_termination_listener(lambda _conn, event=lost: event.set())
                self._listener = conn
                break
            self._reconnected()

    # ----- introspection -----------------------------------------------------------------------------
    async def table_names(self) -> list[str]:
        return [name for name in await self._all_tables() if name != VERSION_TABLE]

    async def column_names(self, table: str) -> list[str]:
        rows = await self.fetchall(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND table_name = ? ORDER BY ordinal_position",
            (table,),
        )
        return [row[0] for row in rows]


class _PostgresLease(Lease):
    def __init__(self, name: str, session: _PostgresLockSession, key: int) -> None:
        super().__init__(name)
        self._session = session
        self._key = key

    async def release(self) -> None:
        self._session.leases.discard(self)
        with contextlib.suppress(Exception):  # a broken connection released it already
            await self._session.conn.execute("SELECT pg_advisory_unlock($1)", self._key)


class _PostgresLockSession(LockSession):
    """A dedicated connection: its session-level advisory locks last until released or until it dies."""

    def __init__(self, conn: Any, schema: str) -> None:
        super().__init__()
        self.conn = conn
        self.schema = schema
        self.leases: set[_PostgresLease] = set()
        conn.add_termination_listener(lambda _conn: self._lost())

    def _lost(self) -> None:
        self.closed.set()
        for lease in list(self.leases):
            lease.lost.set()
        self.leases.clear()

    async def try_acquire(self, name: str) -> Lease | None:
        key = lock_key(self.schema, name)
        try:
            got = await self.conn.fetchval("SELECT pg_try_advisory_lock($1)", key)
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
            self._lost()
            return None
        if not got:
            return None
        lease = _PostgresLease(name, self, key)
        self.leases.add(lease)
        return lease

    async def check(self) -> bool:
        try:
            await asyncio.wait_for(self.conn.fetchval("SELECT 1"), 5)
        except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError):
            self._lost()
            with contextlib.suppress(Exception):
                self.conn.terminate()
            return False
        return True

    async def close(self) -> None:
        for lease in list(self.leases):
            await lease.release()
        with contextlib.suppress(Exception):
            await self.conn.close(timeout=2)
        self.closed.set()


def _why(exc: BaseException) -> str:
    """A short reason for a connection failure (the class name where the message could hold data)."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    if isinstance(exc, TimeoutError):
        return "timed out"
    return type(exc).__name__

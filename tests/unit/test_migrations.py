"""Two back ends, one schema: every SQLite migration has a PostgreSQL twin, and both make the same tables."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from bot.logging_setup import RedactFilter
from bot.settings import SettingsError, load_settings
from bot.storage import Database
from bot.storage.database import StorageError, bundled_migrations, dialect_of, sqlite_path
from bot.storage.postgres import redacted, rows_changed, to_numbered, url_secrets
from tests import databases
from tests.databases import requires_postgres


def test_every_sqlite_migration_has_a_postgresql_twin() -> None:
    """A new bot/storage/migrations/NNNN_name.sql needs migrations_postgresql/NNNN_name.sql too."""
    sqlite = [m.name for m in bundled_migrations("sqlite")]
    postgres = [m.name for m in bundled_migrations("postgresql")]
    assert postgres == sqlite


@requires_postgres
async def test_both_back_ends_make_the_same_tables_and_columns(tmp_path: Path) -> None:
    schemas = {}
    for url in (str(tmp_path / "twin.sqlite3"), await databases.current().url("twin")):
        db = Database(url)
        await db.open()
        try:
            await db.migrate()
            # (SQLite's implicit rowid is a column on PostgreSQL, where prompt_rotation needs it.)
            schemas[db.dialect] = {
                table: [c for c in await db.column_names(table) if c != "rowid"] for table in await db.table_names()
            }
        finally:
            await db.close()
    assert schemas["postgresql"] == schemas["sqlite"]


def test_placeholders_become_numbered_outside_quotes() -> None:
    assert (
        to_numbered("SELECT * FROM t WHERE a = ? AND b IN (?, ?)") == "SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)"
    )
    assert to_numbered("SELECT '?', \"?\" FROM t WHERE a = ? -- why?\n AND b = ?") == (
        "SELECT '?', \"?\" FROM t WHERE a = $1 -- why?\n AND b = $2"
    )
    assert to_numbered("SELECT 'it''s ?' WHERE x = ?") == "SELECT 'it''s ?' WHERE x = $1"


def test_command_tags_give_rows_changed() -> None:
    assert [rows_changed(t) for t in ("UPDATE 3", "INSERT 0 1", "DELETE 0", "SELECT 1", "CREATE TABLE")] == [
        3,
        1,
        0,
        1,
        0,
    ]


def test_database_urls_name_their_back_end() -> None:
    assert dialect_of("lantern.sqlite3") == dialect_of(Path("/srv/l.db")) == dialect_of("sqlite:///l.db") == "sqlite"
    assert dialect_of("postgresql://u@h/db") == dialect_of("postgres://u@h/db") == "postgresql"
    assert sqlite_path("sqlite:///data/l.db") == "data/l.db"
    assert sqlite_path("sqlite:////srv/l.db") == "/srv/l.db"
    with pytest.raises(StorageError, match="mysql"):
        dialect_of("mysql://u@h/db")
    assert redacted("postgresql://lantern:hunter2@db:5432/l") == "postgresql://lantern:***@db:5432/l"


def test_a_database_password_in_the_query_string_is_redacted_and_kept_out_of_logs() -> None:
    url = "postgresql://lantern@db/l?sslmode=require&password=s3cr%40t&search_path=x"
    assert redacted(url) == "postgresql://lantern@db/l?sslmode=require&password=***&search_path=x"
    both = "postgresql://lantern:p%21ss@db/l?password=other"
    assert "p%21ss" not in redacted(both) and "other" not in redacted(both)
    assert set(url_secrets(both)) == {"p%21ss", "p!ss", "other"}
    assert url_secrets("data/lantern.sqlite3") == [] and url_secrets("postgresql://u@h/db") == []
    settings = load_settings(env_file=None, database_url=both)
    assert "p%21ss" not in repr(settings)
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "could not connect to %s (%s)", (both, "p!ss"), None)
    RedactFilter(url_secrets(settings.database_url)).filter(record)
    assert "p%21ss" not in record.getMessage() and "p!ss" not in record.getMessage()
    assert "other" not in record.getMessage()


def test_database_path_still_works_and_database_url_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_PATH", "/var/lib/lantern/old.sqlite3")
    assert load_settings(env_file=None).database_url == "/var/lib/lantern/old.sqlite3"
    monkeypatch.setenv("DATABASE_URL", "postgresql://lantern@db/lantern")
    settings = load_settings(env_file=None)
    assert settings.database_url == "postgresql://lantern@db/lantern"
    assert settings.database_dialect == "postgresql" and settings.database_path is None


def test_several_processes_need_postgresql_and_a_shard_count() -> None:
    with pytest.raises(SettingsError, match="PostgreSQL"):
        load_settings(env_file=None, shard_count=4, clusters=2)
    with pytest.raises(SettingsError, match="SHARD_COUNT"):
        load_settings(env_file=None, database_url="postgresql://h/db", clusters=2)
    with pytest.raises(SettingsError, match="CLUSTER_INDEX"):
        load_settings(env_file=None, database_url="postgresql://h/db", shard_count=4, clusters=2, cluster_index=2)
    with pytest.raises(SettingsError, match="DATABASE_URL"):
        load_settings(env_file=None, database_url="mysql://h/db")


def test_deploying_moves_every_identity_column_past_the_copied_rows() -> None:
    """docs/DEPLOYING.md's SQLite → PostgreSQL steps must setval every identity column, or the first
    insert after the copy fails on a duplicate key; a new identity column needs its line there."""
    identity: set[tuple[str, str]] = set()
    for migration in bundled_migrations("postgresql"):
        for table, body in re.findall(r"CREATE TABLE (\w+) \((.*?)\n\);", migration.sql, re.S):
            identity |= {(table, column) for column in re.findall(r"^\s*(\w+)\s+\w+ GENERATED .*IDENTITY", body, re.M)}
    guide = (Path(__file__).parents[2] / "docs" / "DEPLOYING.md").read_text()
    documented = set(re.findall(r"setval\(pg_get_serial_sequence\('(\w+)', '(\w+)'\)", guide))
    assert identity and documented == identity


def test_no_statement_has_what_the_placeholder_translation_cannot_see() -> None:
    """`to_numbered` skips `?` inside '…' and "…" and after `--`, but not inside dollar quotes or
    E'…' strings, and a `--` comment inside a string literal would hide a placeholder after it. No
    statement in bot/storage has any of these; a new one that does needs to_numbered taught first."""
    import ast

    statements = []
    for path in sorted((Path(__file__).parents[2] / "bot" / "storage").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            is_text = isinstance(node, ast.Constant) and isinstance(node.value, str) and "?" in node.value
            if is_text and re.search(r"\b(SELECT|INSERT|UPDATE|DELETE|WHERE|VALUES|SET)\b", node.value):
                statements.append((path.name, node.value))
    assert len(statements) > 50, "the statements were found"
    for name, sql in statements:
        assert "$$" not in sql and not re.search(r"\b[eE]'", sql) and "--" not in sql, (name, sql)

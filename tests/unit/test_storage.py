from __future__ import annotations

from pathlib import Path

import pytest

from bot.storage import Database, GuildSettings, GuildSettingsRepository, StorageError
from bot.storage.database import Migration, bundled_migrations
from bot.storage.sqlite import LANTERN_APPLICATION_ID
from tests import databases
from tests.databases import sqlite_only


async def test_migrations_apply_once_then_no_op() -> None:
    db = Database(await databases.current().url("m.sqlite3"))
    await db.open()
    try:
        migrations = bundled_migrations(db.dialect)
        applied = await db.migrate()
        assert applied == [m.version for m in migrations]
        assert await db.schema_version() == migrations[-1].version
        assert await db.migrate() == []
        assert "guild_settings" in await db.table_names()
    finally:
        await db.close()


@sqlite_only
async def test_wal_and_foreign_keys_are_on(db: Database) -> None:
    assert (await db.fetchone("PRAGMA journal_mode"))[0] == "wal"  # type: ignore[index]
    assert (await db.fetchone("PRAGMA foreign_keys"))[0] == 1  # type: ignore[index]


async def test_newer_schema_is_refused() -> None:
    db = Database(await databases.current().url("newer.sqlite3"))
    await db.open()
    await db.migrate()
    if db.dialect == "sqlite":
        await db.execute("PRAGMA user_version = 999")
    else:
        await db.execute("INSERT INTO lantern_schema_migrations (version, name) VALUES (999, '0999_future.sql')")
    with pytest.raises(StorageError, match="newer Lantern"):
        await db.migrate()
    await db.close()


async def test_failed_migration_rolls_back_whole() -> None:
    db = Database(await databases.current().url("broken.sqlite3"))
    await db.open()
    broken = [
        Migration(1, "0001_ok.sql", "CREATE TABLE a (x INTEGER);"),
        Migration(2, "0002_broken.sql", "CREATE TABLE b (y INTEGER); THIS IS NOT SQL;"),
    ]
    with pytest.raises(StorageError, match="0002_broken"):
        await db.migrate(broken)
    assert await db.schema_version() == 1
    assert await db.table_names() == ["a"]
    await db.close()


async def test_guild_settings_defaults_update_and_cache(db: Database) -> None:
    repo = GuildSettingsRepository(db)
    assert await repo.get(1) == GuildSettings()
    updated = await repo.update(1, safety_mode="dm", safety_cooldown_hours=2)
    assert updated.safety_mode == "dm"
    assert (await repo.get(1)).safety_cooldown_hours == 2
    assert (await repo.get(2)).safety_mode == "reply"  # other servers keep defaults
    # a fresh repository (a restart) reads the stored values
    assert (await GuildSettingsRepository(db).get(1)).safety_mode == "dm"


async def test_cache_is_used_and_writes_invalidate_it(db: Database) -> None:
    repo = GuildSettingsRepository(db)
    await repo.get(7)
    # a write behind the repository's back is not seen: reads come from the cache
    await db.execute("INSERT INTO guild_settings VALUES (7, 'safety_mode', '\"alert\"')")
    assert (await repo.get(7)).safety_mode == "reply"
    # a write through the repository drops the cached copy, so the next read sees the database
    await repo.update(7, region="UK")
    fresh = await repo.get(7)
    assert fresh.region == "UK"
    assert fresh.safety_mode == "alert"


async def test_invalid_update_is_refused_and_not_stored(db: Database) -> None:
    repo = GuildSettingsRepository(db)
    with pytest.raises(ValueError):
        await repo.update(1, safety_mode="shout")
    with pytest.raises(KeyError):
        await repo.update(1, favourite_colour="blue")
    assert await db.fetchall("SELECT * FROM guild_settings") == []


async def test_delete_returns_to_defaults(db: Database) -> None:
    repo = GuildSettingsRepository(db)
    await repo.update(3, safety_enabled=False)
    await repo.forget_guild(3)
    assert (await repo.get(3)).safety_enabled is True


@sqlite_only
async def test_a_database_from_an_older_lantern_is_still_accepted_and_marked(tmp_path: Path) -> None:
    """Before the application_id migration a Lantern database had none; its tables say it is Lantern's."""
    migrations = bundled_migrations()
    marking = next(i for i, m in enumerate(migrations) if m.name.endswith("_application_id.sql"))
    path = tmp_path / "older.sqlite3"
    db = Database(path)
    await db.open()
    await db.migrate(migrations[:marking])
    await db.close()
    await db.open()
    assert await db.migrate() == [m.version for m in migrations[marking:]]
    row = await db.fetchone("PRAGMA application_id")
    assert row is not None and row[0] == LANTERN_APPLICATION_ID
    await db.close()


async def test_audit_values_written_as_python_text_become_json_and_read_as_words(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from bot.settings_words import audit_value_words

    migrations = bundled_migrations()
    audit_json = next(m for m in migrations if m.name.endswith("_config_audit_history.sql"))
    db = Database(tmp_path / "old.sqlite3")
    await db.open()
    try:
        await db.migrate([m for m in migrations if m.version < audit_json.version])
        legacy = [
            ("safety_enabled", "True", "False"),
            ("safety_mode", "reply", "alert"),
            ("safety_cooldown_hours", "6.0", "0.5"),
            ("alert_channel_id", "not set", "123"),
            ("region", "not set", "UK"),
            ("exempt_channel_ids", "none", "1, 2"),
            ("resources", None, "Circle <https://example.org>"),
        ]
        at = datetime(2026, 1, 1, tzinfo=UTC).isoformat()
        for setting, old, new in legacy:
            await db.execute(
                "INSERT INTO config_audit (guild_id, user_id, setting, old_value, new_value, at) "
                "VALUES (1, 2, ?, ?, ?, ?)",
                (setting, old, new, at),
            )
        await db.migrate()
        rows = await db.fetchall("SELECT setting, old_value, new_value FROM config_audit ORDER BY id")
        stored = [(r["setting"], r["old_value"], r["new_value"]) for r in rows]
        assert stored == [
            ("safety_enabled", "true", "false"),
            ("safety_mode", '"reply"', '"alert"'),
            ("safety_cooldown_hours", "6.0", "0.5"),
            ("alert_channel_id", None, "123"),
            ("region", None, '"UK"'),
            ("exempt_channel_ids", "[]", "[1, 2]"),
            ("resources", None, "Circle <https://example.org>"),
        ]
        regions = {"UK": "United Kingdom"}
        words = [
            (audit_value_words(s, old, regions, {}), audit_value_words(s, new, regions, {})) for s, old, new in stored
        ]
        assert words == [
            ("✅ On", "❌ Off"),
            ("Reply in the channel", "Alert the moderators instead of replying"),
            ("6 hours", "30 minutes"),
            ("❌ not set", "<#123>"),
            ("❌ not set: international lines first", "United Kingdom (UK)"),
            ("none", "<#1> <#2>"),
            ("none", "Circle <https://example.org>"),
        ]
    finally:
        await db.close()

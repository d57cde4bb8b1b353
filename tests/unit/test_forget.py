"""Every table is covered by the forget protocol: /privacy delete and leaving a server leave nothing."""

from __future__ import annotations

import random
from datetime import UTC, datetime, time

import pytest

from bot.storage import Database, Stores
from bot.storage.guild_resources import GuildResource

NOW = datetime(2026, 11, 22, 9, tzinfo=UTC)
MEMBER, OTHER_MEMBER = 111, 112
GUILD, OTHER_GUILD = 221, 222


async def tables(db: Database) -> list[str]:
    return await db.table_names()


async def columns(db: Database, table: str) -> set[str]:
    return set(await db.column_names(table))


async def fill(stores: Stores, member: int, guild: int) -> None:
    """One row of every kind, through the repositories' own writes."""
    await stores.guild_settings.update(guild, region="UK", exempt_role_ids=(5,))
    await stores.prompt_rotation.next_prompt(member, "*", ["a", "b"], random.Random(0))
    await stores.prompt_rotation.next_prompt(guild, "*", ["a", "b"], random.Random(0))  # a server's rotation
    await stores.member_settings.set_region(member, "UK")
    await stores.safety_cooldowns.record_reply(guild, member, "hurt", NOW)
    await stores.safety_opt_outs.opt_out(member, NOW)
    await stores.daily.save(member, time(9), "Europe/Berlin", None, NOW, 99)
    await stores.guild_resources.add(guild, GuildResource("Line", "https://example.org", "d", None))
    await stores.prompt_channels.save(guild, 7, time(9), "UTC", None, NOW)
    await stores.config_audit.record(guild, member, "region", None, "UK", NOW)
    alert = guild * 1000 + member  # an alert message id, distinct per fill
    await stores.safety_alerts.open(alert, guild, "crisis", NOW)
    await stores.safety_alerts.take(alert, member, NOW)  # the member is a moderator here
    await stores.safety_alerts.resolve(alert, member, NOW)
    await stores.safety_insights.add(guild, NOW.date(), "crisis", "dm")
    pause_id = await stores.pauses.start(member, NOW)
    await stores.pauses.schedule_checkin(pause_id, member, NOW)
    await stores.no_contact.start(member, NOW.date(), "Europe/Berlin", 0)
    await stores.checkins.add(member, NOW, 3, ["anxious", "hopeful"])


async def rows_mentioning(db: Database, *, user: int | None = None, guild: int | None = None) -> dict[str, int]:
    found: dict[str, int] = {}
    for table in await tables(db):
        cols = await columns(db, table)
        for column, value in (("user_id", user), ("taken_by", user), ("resolved_by", user), ("guild_id", guild)):
            if value is not None and column in cols:
                row = await db.fetchone(f"SELECT COUNT(*) FROM {table} WHERE {column} = ?", (value,))
                if row and row[0]:
                    found[f"{table}.{column}"] = int(row[0])
    return found


async def test_every_table_is_filled_by_the_fixture(db: Database) -> None:
    """A new table must be added to `fill` (and to the forget protocol) or this fails."""
    stores = Stores(db)
    await fill(stores, MEMBER, GUILD)
    empty = [t for t in await tables(db) if not (await db.fetchone(f"SELECT COUNT(*) FROM {t}"))[0]]  # type: ignore[index]
    assert empty == []


async def test_forget_member_leaves_nothing_about_them(db: Database) -> None:
    stores = Stores(db)
    await fill(stores, MEMBER, GUILD)
    await fill(stores, OTHER_MEMBER, OTHER_GUILD)
    await stores.forget.forget_member(MEMBER)
    assert await rows_mentioning(db, user=MEMBER) == {}
    audit = await db.fetchall("SELECT user_id FROM config_audit WHERE guild_id = ?", (GUILD,))
    assert [row["user_id"] for row in audit] == [0], "the server keeps its trail, anonymised"
    alerts = await db.fetchall("SELECT taken_by, resolved_by FROM safety_alerts WHERE guild_id = ?", (GUILD,))
    assert [tuple(row) for row in alerts] == [(0, 0)], "and how its alerts were handled, anonymised"
    assert await db.fetchall("SELECT count FROM safety_insights WHERE guild_id = ?", (GUILD,)), "counts stay"
    assert await rows_mentioning(db, user=OTHER_MEMBER), "another member's data is untouched"


async def test_forget_member_can_keep_their_opt_out(db: Database) -> None:
    stores = Stores(db)
    await fill(stores, MEMBER, GUILD)
    await stores.forget.forget_member(MEMBER, keep=[stores.safety_opt_outs])
    assert await rows_mentioning(db, user=MEMBER) == {"safety_opt_outs.user_id": 1}


async def test_forget_guild_leaves_nothing_about_the_server(db: Database) -> None:
    stores = Stores(db)
    await fill(stores, MEMBER, GUILD)
    await fill(stores, OTHER_MEMBER, OTHER_GUILD)
    assert (await stores.guild_settings.get(GUILD)).region == "UK"  # cached
    await stores.forget.forget_guild(GUILD)
    assert await rows_mentioning(db, guild=GUILD) == {}
    assert await rows_mentioning(db, user=GUILD) == {}, "the server's own prompt rotation goes too"
    assert (await stores.guild_settings.get(GUILD)).region is None, "the cache forgot too"
    assert await rows_mentioning(db, guild=OTHER_GUILD)


async def test_forgetting_is_one_transaction(db: Database) -> None:
    stores = Stores(db)
    await fill(stores, MEMBER, GUILD)

    class Broken:
        async def forget_member(self, user_id: int) -> None:
            raise RuntimeError("disk gone")

        async def forget_guild(self, guild_id: int) -> None:
            raise RuntimeError("disk gone")

    stores.forget.stores = (*stores.forget.stores, Broken())
    with pytest.raises(RuntimeError):
        await stores.forget.forget_member(MEMBER)
    assert await rows_mentioning(db, user=MEMBER), "nothing was half-deleted"

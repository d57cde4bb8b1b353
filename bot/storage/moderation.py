"""A server's own resources, its prompt-of-the-day channel, and the audit trail of its settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from bot.scheduling import utc_text
from bot.storage.database import Database


@dataclass(frozen=True)
class GuildResource:
    name: str
    url: str
    description: str
    region: str | None


@dataclass(frozen=True)
class PromptChannel:
    guild_id: int
    channel_id: int
    local_time: time
    timezone: str
    theme: str | None
    next_due: datetime
    last_local_date: date | None


class GuildResources:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def list(self, guild_id: int) -> list[GuildResource]:
        rows = await self._db.fetchall(
            "SELECT name, url, description, region FROM guild_resources WHERE guild_id = ? ORDER BY name", (guild_id,)
        )
        return [GuildResource(r["name"], r["url"], r["description"], r["region"]) for r in rows]

    async def add(self, guild_id: int, resource: GuildResource) -> bool:
        """Adds or replaces by name; True if it replaced one."""
        existed = await self._db.fetchone(
            "SELECT 1 FROM guild_resources WHERE guild_id = ? AND name = ?", (guild_id, resource.name)
        )
        await self._db.execute(
            "INSERT INTO guild_resources (guild_id, name, url, description, region) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (guild_id, name) DO UPDATE SET url = excluded.url, description = excluded.description, "
            "region = excluded.region",
            (guild_id, resource.name, resource.url, resource.description, resource.region),
        )
        return existed is not None

    async def remove(self, guild_id: int, name: str) -> bool:
        return (
            await self._db.execute("DELETE FROM guild_resources WHERE guild_id = ? AND name = ?", (guild_id, name)) > 0
        )


class PromptChannels:
    def __init__(self, db: Database) -> None:
        self._db = db

    @staticmethod
    def _row(r: object) -> PromptChannel:
        return PromptChannel(
            guild_id=r["guild_id"],  # type: ignore[index]
            channel_id=r["channel_id"],  # type: ignore[index]
            local_time=time.fromisoformat(r["local_time"]),  # type: ignore[index]
            timezone=r["timezone"],  # type: ignore[index]
            theme=r["theme"],  # type: ignore[index]
            next_due=datetime.fromisoformat(r["next_due_utc"]),  # type: ignore[index]
            last_local_date=date.fromisoformat(r["last_local_date"]) if r["last_local_date"] else None,  # type: ignore[index]
        )

    async def get(self, guild_id: int) -> PromptChannel | None:
        row = await self._db.fetchone("SELECT * FROM guild_prompt_channels WHERE guild_id = ?", (guild_id,))
        return self._row(row) if row else None

    async def save(
        self, guild_id: int, channel_id: int, at: time, timezone: str, theme: str | None, next_due: datetime
    ) -> None:
        await self._db.execute(
            "INSERT INTO guild_prompt_channels (guild_id, channel_id, local_time, timezone, theme, next_due_utc) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET channel_id = excluded.channel_id, "
            "local_time = excluded.local_time, timezone = excluded.timezone, theme = excluded.theme, "
            "next_due_utc = excluded.next_due_utc",
            (guild_id, channel_id, at.strftime("%H:%M"), timezone, theme, utc_text(next_due)),
        )

    async def delete(self, guild_id: int) -> bool:
        return await self._db.execute("DELETE FROM guild_prompt_channels WHERE guild_id = ?", (guild_id,)) > 0

    async def earliest_due(self) -> datetime | None:
        row = await self._db.fetchone("SELECT MIN(next_due_utc) FROM guild_prompt_channels")
        return datetime.fromisoformat(row[0]) if row and row[0] else None

    async def due(self, now: datetime) -> list[PromptChannel]:
        rows = await self._db.fetchall(
            "SELECT * FROM guild_prompt_channels WHERE next_due_utc <= ? ORDER BY next_due_utc", (utc_text(now),)
        )
        return [self._row(r) for r in rows]

    async def claim(self, channel: PromptChannel, next_due: datetime, local_day: date | None) -> bool:
        changed = await self._db.execute(
            "UPDATE guild_prompt_channels SET next_due_utc = ?, last_local_date = COALESCE(?, last_local_date) "
            "WHERE guild_id = ? AND next_due_utc = ?",
            (
                utc_text(next_due),
                local_day.isoformat() if local_day else None,
                channel.guild_id,
                utc_text(channel.next_due),
            ),
        )
        return changed == 1


class ConfigAudit:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def record(
        self, guild_id: int, user_id: int, setting: str, old: str | None, new: str | None, at: datetime
    ) -> None:
        await self._db.execute(
            "INSERT INTO config_audit (guild_id, user_id, setting, old_value, new_value, at) VALUES (?, ?, ?, ?, ?, ?)",
            (guild_id, user_id, setting, old, new, at.isoformat()),
        )

    async def count_by(self, user_id: int) -> int:
        row = await self._db.fetchone("SELECT COUNT(*) FROM config_audit WHERE user_id = ?", (user_id,))
        return int(row[0]) if row else 0

    async def forget_actor(self, user_id: int) -> None:
        await self._db.execute("UPDATE config_audit SET user_id = 0 WHERE user_id = ?", (user_id,))


async def delete_guild_everything(db: Database, guild_id: int) -> None:
    """When Lantern leaves a server: every row about it goes. (Its settings go through their
    repository, which also drops the cached copy.)"""
    async with db.transaction():
        for table in ("guild_resources", "guild_prompt_channels", "config_audit", "safety_cooldowns"):
            await db.execute(f"DELETE FROM {table} WHERE guild_id = ?", (guild_id,))  # table names are constants
        # the server's prompt-of-the-day rotation is keyed by the server's id
        await db.execute("DELETE FROM prompt_rotation WHERE user_id = ?", (guild_id,))

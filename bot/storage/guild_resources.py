"""A server's own support resources, added by its moderators and shown beside Lantern's."""

from __future__ import annotations

from dataclasses import dataclass

from bot.storage.database import Database


@dataclass(frozen=True)
class GuildResource:
    name: str
    url: str
    description: str
    region: str | None


class GuildResources:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def list(self, guild_id: int) -> list[GuildResource]:
        rows = await self._db.fetchall(
            "SELECT name, url, description, region FROM guild_resources WHERE guild_id = ? ORDER BY name", (guild_id,)
        )
        return [GuildResource(r["name"], r["url"], r["description"], r["region"]) for r in rows]

    async def get(self, guild_id: int, name: str) -> GuildResource | None:
        r = await self._db.fetchone(
            "SELECT name, url, description, region FROM guild_resources WHERE guild_id = ? AND name = ?",
            (guild_id, name),
        )
        return GuildResource(r["name"], r["url"], r["description"], r["region"]) if r else None

    async def hold_for_change(self, guild_id: int) -> None:
        """Inside a transaction: one change to this server's resources at a time, so a check of how
        many there are still holds when the change is written (PostgreSQL runs transactions side
        by side; two adds at 24 would otherwise make 26)."""
        await self._db.lock_in_transaction(f"guild-resources:{guild_id}")

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

    async def forget_member(self, user_id: int) -> None:
        """Resources belong to the server, not to the moderator who added them."""

    async def forget_guild(self, guild_id: int) -> None:
        await self._db.execute("DELETE FROM guild_resources WHERE guild_id = ?", (guild_id,))

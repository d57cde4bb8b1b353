"""Per-server settings with declared defaults, read through a cache that every write invalidates.

Several processes share one PostgreSQL database, and a server's settings can change in another
process than the one that serves its events (a moderator pressing a button in a DM, which reaches
shard 0's process). Every write notifies the channel `guild_settings` with the server's id, and
every process drops its cached copy when told; when the notification connection had to reconnect
(so a notification may have been missed), the whole cache is dropped.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from bot.storage.database import Database

SafetyMode = Literal["reply", "dm", "alert"]


class GuildSettings(BaseModel):
    """What a moderator can change. A field's default is what a server gets until it changes it."""

    model_config = ConfigDict(frozen=True, extra="ignore", validate_assignment=True)

    safety_enabled: bool = True
    safety_mode: SafetyMode = "reply"
    safety_cooldown_hours: float = Field(default=6.0, ge=0.5, le=168)
    alert_channel_id: int | None = None
    responder_role_id: int | None = None  # pinged on crisis alerts only
    alert_all_events: bool = False
    region: str | None = None
    exempt_channel_ids: tuple[int, ...] = ()
    exempt_role_ids: tuple[int, ...] = ()


DEFAULT_GUILD_SETTINGS = GuildSettings()


CHANGES_CHANNEL = "guild_settings"


class GuildSettingsRepository:
    """Reads are cached per guild; a write here or in any other process drops the cached copy."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._cache: dict[int, GuildSettings] = {}
        # Invalidations so far, per guild and in all: a read that raced a write is not cached.
        self._invalidations: dict[int, int] = {}
        self._clears = 0
        db.on_notify(CHANGES_CHANNEL, self._changed_elsewhere)
        db.on_reconnect(self.clear_cache)

    def _invalidate(self, guild_id: int) -> None:
        self._cache.pop(guild_id, None)
        self._invalidations[guild_id] = self._invalidations.get(guild_id, 0) + 1

    def _changed_elsewhere(self, payload: str) -> None:
        if payload.isdigit():
            self._invalidate(int(payload))
        else:
            self.clear_cache()

    def clear_cache(self) -> None:
        self._cache.clear()
        self._clears += 1

    async def get(self, guild_id: int) -> GuildSettings:
        cached = self._cache.get(guild_id)
        if cached is not None:
            return cached
        before = (self._invalidations.get(guild_id, 0), self._clears)
        rows = await self._db.fetchall("SELECT key, value FROM guild_settings WHERE guild_id = ?", (guild_id,))
        stored = {row["key"]: json.loads(row["value"]) for row in rows}
        settings = GuildSettings.model_validate(stored)
        if (self._invalidations.get(guild_id, 0), self._clears) == before:
            self._cache[guild_id] = settings
        return settings

    async def update(self, guild_id: int, **changes: Any) -> GuildSettings:
        """Validate and store the given fields; returns the new settings."""
        unknown = set(changes) - set(GuildSettings.model_fields)
        if unknown:
            raise KeyError(f"unknown guild setting(s): {', '.join(sorted(unknown))}")
        current = await self.get(guild_id)
        updated = GuildSettings.model_validate({**current.model_dump(), **changes})
        dumped = updated.model_dump(mode="json")
        self._invalidate(guild_id)
        async with self._db.transaction():
            for key in changes:
                await self._db.execute(
                    "INSERT INTO guild_settings (guild_id, key, value) VALUES (?, ?, ?) "
                    "ON CONFLICT (guild_id, key) DO UPDATE SET value = excluded.value",
                    (guild_id, key, json.dumps(dumped[key])),
                )
            await self._db.notify(CHANGES_CHANNEL, str(guild_id))  # other processes, at commit
        self._invalidate(guild_id)
        return updated

    async def forget_member(self, user_id: int) -> None:
        """Settings belong to the server (a quiet role or channel is not a member's data)."""

    async def forget_guild(self, guild_id: int) -> None:
        """Every setting of a server goes (back to defaults), cached copies included."""
        self._invalidate(guild_id)
        async with self._db.transaction():
            await self._db.execute("DELETE FROM guild_settings WHERE guild_id = ?", (guild_id,))
            await self._db.notify(CHANGES_CHANNEL, str(guild_id))
        self._invalidate(guild_id)

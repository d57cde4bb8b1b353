"""Per-server settings with declared defaults, read through a cache that every write invalidates."""

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


class GuildSettingsRepository:
    """Reads are cached per guild; `update` and `delete` drop the cached copy."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._cache: dict[int, GuildSettings] = {}

    async def get(self, guild_id: int) -> GuildSettings:
        cached = self._cache.get(guild_id)
        if cached is not None:
            return cached
        rows = await self._db.fetchall("SELECT key, value FROM guild_settings WHERE guild_id = ?", (guild_id,))
        stored = {row["key"]: json.loads(row["value"]) for row in rows}
        settings = GuildSettings.model_validate(stored)
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
        self._cache.pop(guild_id, None)
        async with self._db.transaction():
            for key in changes:
                await self._db.execute(
                    "INSERT INTO guild_settings (guild_id, key, value) VALUES (?, ?, ?) "
                    "ON CONFLICT (guild_id, key) DO UPDATE SET value = excluded.value",
                    (guild_id, key, json.dumps(dumped[key])),
                )
        self._cache.pop(guild_id, None)
        return updated

    async def forget_member(self, user_id: int) -> None:
        """Settings belong to the server (a quiet role or channel is not a member's data)."""

    async def forget_guild(self, guild_id: int) -> None:
        """Every setting of a server goes (back to defaults), cached copy included."""
        self._cache.pop(guild_id, None)
        await self._db.execute("DELETE FROM guild_settings WHERE guild_id = ?", (guild_id,))
        self._cache.pop(guild_id, None)

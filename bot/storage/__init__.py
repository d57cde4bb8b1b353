"""Storage: one aiosqlite connection, numbered SQL migrations, small repositories."""

from bot.storage.database import Database, StorageError
from bot.storage.guild_settings import GuildSettings, GuildSettingsRepository

__all__ = ["Database", "GuildSettings", "GuildSettingsRepository", "StorageError"]

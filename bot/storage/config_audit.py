"""The audit trail of a server's settings: who changed what, from what to what, and when."""

from __future__ import annotations

from datetime import datetime

from bot.storage.database import Database


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

    async def forget_member(self, user_id: int) -> None:
        """The server keeps its trail of what changed; who changed it becomes user 0."""
        await self._db.execute("UPDATE config_audit SET user_id = 0 WHERE user_id = ?", (user_id,))

    async def forget_guild(self, guild_id: int) -> None:
        await self._db.execute("DELETE FROM config_audit WHERE guild_id = ?", (guild_id,))

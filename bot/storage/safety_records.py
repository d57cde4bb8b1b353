"""Safety cooldowns and opt-outs: member, server, label family and time; never message text."""

from __future__ import annotations

from datetime import datetime

from bot.storage.database import Database


class SafetyCooldowns:
    """When Lantern last answered a member for a label family, per server (0 for DMs)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def last_reply(self, guild_id: int, user_id: int, family: str) -> datetime | None:
        row = await self._db.fetchone(
            "SELECT last_reply_at FROM safety_cooldowns WHERE guild_id = ? AND user_id = ? AND family = ?",
            (guild_id, user_id, family),
        )
        return datetime.fromisoformat(row["last_reply_at"]) if row else None

    async def record_reply(self, guild_id: int, user_id: int, family: str, at: datetime) -> None:
        await self._db.execute(
            "INSERT INTO safety_cooldowns (guild_id, user_id, family, last_reply_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (guild_id, user_id, family) DO UPDATE SET last_reply_at = excluded.last_reply_at",
            (guild_id, user_id, family, at.isoformat()),
        )

    async def purge_before(self, cutoff: datetime) -> int:
        return await self._db.execute("DELETE FROM safety_cooldowns WHERE last_reply_at < ?", (cutoff.isoformat(),))

    async def count(self, user_id: int) -> int:
        row = await self._db.fetchone("SELECT COUNT(*) FROM safety_cooldowns WHERE user_id = ?", (user_id,))
        return int(row[0]) if row else 0

    async def forget_member(self, user_id: int) -> None:
        await self._db.execute("DELETE FROM safety_cooldowns WHERE user_id = ?", (user_id,))

    async def forget_guild(self, guild_id: int) -> None:
        await self._db.execute("DELETE FROM safety_cooldowns WHERE guild_id = ?", (guild_id,))


class SafetyOptOuts:
    """Members who pressed "Don't reply to me" (everywhere: the choice is the member's, not a server's)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def opted_out(self, user_id: int) -> bool:
        return await self._db.fetchone("SELECT 1 FROM safety_opt_outs WHERE user_id = ?", (user_id,)) is not None

    async def since(self, user_id: int) -> datetime | None:
        """When the member opted out, or None if they haven't."""
        row = await self._db.fetchone("SELECT opted_out_at FROM safety_opt_outs WHERE user_id = ?", (user_id,))
        return datetime.fromisoformat(row["opted_out_at"]) if row else None

    async def opt_out(self, user_id: int, at: datetime) -> None:
        await self._db.execute(
            "INSERT INTO safety_opt_outs (user_id, opted_out_at) VALUES (?, ?) ON CONFLICT (user_id) DO NOTHING",
            (user_id, at.isoformat()),
        )

    async def opt_in(self, user_id: int) -> None:
        await self._db.execute("DELETE FROM safety_opt_outs WHERE user_id = ?", (user_id,))

    async def forget_member(self, user_id: int) -> None:
        await self.opt_in(user_id)

    async def forget_guild(self, guild_id: int) -> None:
        """An opt-out is the member's own choice; it does not belong to any server."""

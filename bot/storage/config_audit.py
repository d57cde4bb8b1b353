"""The audit trail of a server's settings: who changed what, from what to what, and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.storage.database import Database


@dataclass(frozen=True)
class AuditEntry:
    id: int
    user_id: int  # 0 once the moderator deleted their data
    setting: str
    old_value: str | None
    new_value: str | None
    at: datetime


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

    async def page(
        self,
        guild_id: int,
        setting: str | None,
        limit: int,
        *,
        older_than: int | None = None,
        newer_than: int | None = None,
    ) -> list[AuditEntry]:
        """Up to `limit` entries, newest first: the newest, or those just older or newer than an entry id."""
        where, params = ["guild_id = ?"], [guild_id]
        if setting is not None:
            where.append("setting = ?")
            params.append(setting)  # type: ignore[arg-type]
        if older_than is not None:
            where.append("id < ?")
            params.append(older_than)
        if newer_than is not None:
            where.append("id > ?")
            params.append(newer_than)
        order = "ASC" if newer_than is not None else "DESC"  # the nearest newer entries, then newest first
        rows = await self._db.fetchall(
            f"SELECT id, user_id, setting, old_value, new_value, at FROM config_audit WHERE {' AND '.join(where)} "
            f"ORDER BY id {order} LIMIT ?",
            (*params, limit),
        )
        entries = [
            AuditEntry(
                r["id"], r["user_id"], r["setting"], r["old_value"], r["new_value"], datetime.fromisoformat(r["at"])
            )
            for r in rows
        ]
        return sorted(entries, key=lambda e: e.id, reverse=True)

    async def count(self, guild_id: int, setting: str | None, *, newer_than: int | None = None) -> int:
        """How many entries (of one setting, or all), or how many are newer than an entry id."""
        sql = "SELECT COUNT(*) FROM config_audit WHERE guild_id = ?"
        params: list[object] = [guild_id]
        if setting is not None:
            sql += " AND setting = ?"
            params.append(setting)
        if newer_than is not None:
            sql += " AND id > ?"
            params.append(newer_than)
        row = await self._db.fetchone(sql, params)
        return int(row[0]) if row else 0

    async def count_by(self, user_id: int) -> int:
        row = await self._db.fetchone("SELECT COUNT(*) FROM config_audit WHERE user_id = ?", (user_id,))
        return int(row[0]) if row else 0

    async def forget_member(self, user_id: int) -> None:
        """The server keeps its trail of what changed; who changed it becomes user 0."""
        await self._db.execute("UPDATE config_audit SET user_id = 0 WHERE user_id = ?", (user_id,))

    async def forget_guild(self, guild_id: int) -> None:
        await self._db.execute("DELETE FROM config_audit WHERE guild_id = ?", (guild_id,))

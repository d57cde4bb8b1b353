"""Crisis alerts and who took and resolved them: message, server and moderator ids and times only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from bot.storage.database import Database

AlertKind = Literal["crisis", "talk"]


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


@dataclass(frozen=True)
class AlertRecord:
    message_id: int
    guild_id: int
    kind: AlertKind
    created_at: datetime
    taken_by: int | None = None
    taken_at: datetime | None = None
    resolved_by: int | None = None
    resolved_at: datetime | None = None

    @classmethod
    def from_row(cls, row: Any) -> AlertRecord:
        return cls(
            message_id=row["message_id"],
            guild_id=row["guild_id"],
            kind=row["kind"],
            created_at=datetime.fromisoformat(row["created_at"]),
            taken_by=row["taken_by"],
            taken_at=_when(row["taken_at"]),
            resolved_by=row["resolved_by"],
            resolved_at=_when(row["resolved_at"]),
        )


class SafetyAlerts:
    """One row per alert message. Taking and resolving are compare-and-set: the first press wins."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def open(self, message_id: int, guild_id: int, kind: AlertKind, at: datetime) -> None:
        """Record a posted alert (again is harmless: the first record stands)."""
        await self._db.execute(
            "INSERT INTO safety_alerts (message_id, guild_id, kind, created_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (message_id) DO NOTHING",
            (message_id, guild_id, kind, at.isoformat()),
        )

    async def get(self, message_id: int) -> AlertRecord | None:
        row = await self._db.fetchone("SELECT * FROM safety_alerts WHERE message_id = ?", (message_id,))
        return AlertRecord.from_row(row) if row else None

    async def take(self, message_id: int, user_id: int, at: datetime) -> tuple[bool, AlertRecord | None]:
        """(True, record) for the moderator who takes an open alert first; (False, record) otherwise."""
        changed = await self._db.execute(
            "UPDATE safety_alerts SET taken_by = ?, taken_at = ? "
            "WHERE message_id = ? AND taken_by IS NULL AND resolved_at IS NULL",
            (user_id, at.isoformat(), message_id),
        )
        return changed == 1, await self.get(message_id)

    async def resolve(self, message_id: int, user_id: int, at: datetime) -> tuple[bool, AlertRecord | None]:
        """(True, record) for the one press that closes the alert; (False, record) if it was closed already."""
        changed = await self._db.execute(
            "UPDATE safety_alerts SET resolved_by = ?, resolved_at = ? WHERE message_id = ? AND resolved_at IS NULL",
            (user_id, at.isoformat(), message_id),
        )
        return changed == 1, await self.get(message_id)

    async def since(self, guild_id: int, start: datetime) -> list[AlertRecord]:
        rows = await self._db.fetchall(
            "SELECT * FROM safety_alerts WHERE guild_id = ? AND created_at >= ? ORDER BY created_at",
            (guild_id, start.isoformat()),
        )
        return [AlertRecord.from_row(row) for row in rows]

    async def purge_before(self, cutoff: datetime) -> int:
        return await self._db.execute("DELETE FROM safety_alerts WHERE created_at < ?", (cutoff.isoformat(),))

    async def count_by(self, user_id: int) -> int:
        """Alerts a moderator took or resolved (for `/privacy show`)."""
        row = await self._db.fetchone(
            "SELECT COUNT(*) FROM safety_alerts WHERE taken_by = ? OR resolved_by = ?", (user_id, user_id)
        )
        return int(row[0]) if row else 0

    async def forget_member(self, user_id: int) -> None:
        """The server keeps how its alerts were handled; who handled them becomes user 0."""
        await self._db.execute("UPDATE safety_alerts SET taken_by = 0 WHERE taken_by = ?", (user_id,))
        await self._db.execute("UPDATE safety_alerts SET resolved_by = 0 WHERE resolved_by = ?", (user_id,))

    async def forget_guild(self, guild_id: int) -> None:
        await self._db.execute("DELETE FROM safety_alerts WHERE guild_id = ?", (guild_id,))

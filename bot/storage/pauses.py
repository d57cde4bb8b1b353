"""/pause: when a member paused, whether the urge passed, and the check-in DMs they asked for.

Instants and yes/no only: never what the member felt, chose or wrote.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.local_time import utc_text
from bot.storage.database import Database


@dataclass(frozen=True)
class PauseCounts:
    pauses: int
    passed: int


@dataclass(frozen=True)
class DueCheckin:
    pause_id: int
    user_id: int
    due: datetime


class Pauses:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def start(self, user_id: int, at: datetime) -> int:
        """Record a pause; returns its id (carried in the pause's buttons)."""
        row = await self._db.fetchone(
            "INSERT INTO pauses (user_id, started_at) VALUES (?, ?) RETURNING id", (user_id, utc_text(at))
        )
        assert row is not None
        return int(row[0])

    async def owner(self, pause_id: int) -> int | None:
        row = await self._db.fetchone("SELECT user_id FROM pauses WHERE id = ?", (pause_id,))
        return int(row[0]) if row else None

    async def exists(self, pause_id: int, user_id: int) -> bool:
        return await self.owner(pause_id) == user_id

    async def record_outcome(self, pause_id: int, user_id: int, passed: bool) -> bool:
        """It passed / Still strong (the latest answer counts); False if the pause is gone."""
        changed = await self._db.execute(
            "UPDATE pauses SET passed = ? WHERE id = ? AND user_id = ?", (int(passed), pause_id, user_id)
        )
        return changed == 1

    async def counts(self, user_id: int, since: datetime, until: datetime) -> PauseCounts:
        row = await self._db.fetchone(
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN passed = 1 THEN 1 ELSE 0 END), 0) FROM pauses "
            "WHERE user_id = ? AND started_at >= ? AND started_at < ?",
            (user_id, utc_text(since), utc_text(until)),
        )
        return PauseCounts(int(row[0]), int(row[1])) if row else PauseCounts(0, 0)

    async def started(self, user_id: int, since: datetime) -> list[datetime]:
        """When each pause since `since` began (for the member's own chart)."""
        rows = await self._db.fetchall(
            "SELECT started_at FROM pauses WHERE user_id = ? AND started_at >= ? ORDER BY started_at",
            (user_id, utc_text(since)),
        )
        return [datetime.fromisoformat(row[0]) for row in rows]

    async def total(self, user_id: int) -> PauseCounts:
        row = await self._db.fetchone(
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN passed = 1 THEN 1 ELSE 0 END), 0) FROM pauses WHERE user_id = ?",
            (user_id,),
        )
        return PauseCounts(int(row[0]), int(row[1])) if row else PauseCounts(0, 0)

    # ----- "Check on me in 20 minutes" ---------------------------------------------------------------
    async def schedule_checkin(self, pause_id: int, user_id: int, due: datetime) -> bool:
        """One pending check-in per pause; False if one is already pending."""
        changed = await self._db.execute(
            "INSERT INTO pause_checkins (pause_id, user_id, due_utc) SELECT id, user_id, ? FROM pauses "
            "WHERE id = ? AND user_id = ? ON CONFLICT (pause_id) DO NOTHING",
            (utc_text(due), pause_id, user_id),
        )
        return changed == 1

    async def checkin_due(self, pause_id: int) -> datetime | None:
        row = await self._db.fetchone("SELECT due_utc FROM pause_checkins WHERE pause_id = ?", (pause_id,))
        return datetime.fromisoformat(row[0]) if row else None

    async def pending_checkins(self, user_id: int) -> list[datetime]:
        rows = await self._db.fetchall(
            "SELECT due_utc FROM pause_checkins WHERE user_id = ? ORDER BY due_utc", (user_id,)
        )
        return [datetime.fromisoformat(row[0]) for row in rows]

    async def earliest_checkin(self) -> datetime | None:
        row = await self._db.fetchone("SELECT MIN(due_utc) FROM pause_checkins")
        return datetime.fromisoformat(row[0]) if row and row[0] else None

    async def due_checkins(self, now: datetime, limit: int) -> list[DueCheckin]:
        rows = await self._db.fetchall(
            "SELECT pause_id, user_id, due_utc FROM pause_checkins WHERE due_utc <= ? ORDER BY due_utc LIMIT ?",
            (utc_text(now), limit),
        )
        return [DueCheckin(row[0], row[1], datetime.fromisoformat(row[2])) for row in rows]

    async def claim_checkin(self, checkin: DueCheckin) -> bool:
        """Take a due check-in before sending it (compare-and-set): a crash loses it, never doubles it."""
        changed = await self._db.execute(
            "DELETE FROM pause_checkins WHERE pause_id = ? AND due_utc = ?", (checkin.pause_id, utc_text(checkin.due))
        )
        return changed == 1

    async def purge_before(self, cutoff: datetime) -> int:
        """Pauses older than the retention period (their pending check-ins go with them)."""
        return await self._db.execute("DELETE FROM pauses WHERE started_at < ?", (utc_text(cutoff),))

    async def forget_member(self, user_id: int) -> None:
        await self._db.execute("DELETE FROM pause_checkins WHERE user_id = ?", (user_id,))
        await self._db.execute("DELETE FROM pauses WHERE user_id = ?", (user_id,))

    async def forget_guild(self, guild_id: int) -> None:
        """Pauses are the member's own, used privately or by DM; no server owns them."""

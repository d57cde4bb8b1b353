"""/checkin: a member's mood (1-5) and up to three feeling ids, at an instant. Never text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.local_time import utc_text
from bot.storage.database import Database

MAX_FEELINGS = 3


@dataclass(frozen=True)
class CheckIn:
    at: datetime
    mood: int
    feelings: tuple[str, ...]


class CheckIns:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(self, user_id: int, at: datetime, mood: int, feelings: Sequence[str]) -> None:
        if not 1 <= mood <= 5 or len(feelings) > MAX_FEELINGS:
            raise ValueError("a check-in is a mood from 1 to 5 and at most three feelings")
        await self._db.execute(
            "INSERT INTO checkins (user_id, at_utc, mood, feelings) VALUES (?, ?, ?, ?)",
            (user_id, utc_text(at), mood, ",".join(feelings)),
        )

    async def since(self, user_id: int, since: datetime) -> list[CheckIn]:
        rows = await self._db.fetchall(
            "SELECT at_utc, mood, feelings FROM checkins WHERE user_id = ? AND at_utc >= ? ORDER BY at_utc",
            (user_id, utc_text(since)),
        )
        return [
            CheckIn(datetime.fromisoformat(row[0]), int(row[1]), tuple(f for f in row[2].split(",") if f))
            for row in rows
        ]

    async def count(self, user_id: int) -> int:
        row = await self._db.fetchone("SELECT COUNT(*) FROM checkins WHERE user_id = ?", (user_id,))
        return int(row[0]) if row else 0

    async def purge_before(self, cutoff: datetime) -> int:
        return await self._db.execute("DELETE FROM checkins WHERE at_utc < ?", (utc_text(cutoff),))

    async def forget_member(self, user_id: int) -> None:
        await self._db.execute("DELETE FROM checkins WHERE user_id = ?", (user_id,))

    async def forget_guild(self, guild_id: int) -> None:
        """Check-ins are the member's own, made privately; no server owns them."""

"""Daily counts of what Lantern did about safety, per server: no member ids, no message ids, no text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from bot.storage.database import Database

InsightKind = Literal["hurt", "pursuit", "crisis", "member"]


@dataclass(frozen=True)
class DailyCount:
    day: date
    kind: InsightKind
    outcome: str
    count: int


class SafetyInsights:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(self, guild_id: int, day: date, kind: InsightKind, outcome: str, n: int = 1) -> None:
        """Count `n` more of (kind, outcome) on that day; one atomic upsert, safe under concurrency."""
        await self._db.execute(
            "INSERT INTO safety_insights (guild_id, day, kind, outcome, count) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (guild_id, day, kind, outcome) DO UPDATE SET count = safety_insights.count + excluded.count",
            (guild_id, day.isoformat(), kind, outcome, n),
        )

    async def between(self, guild_id: int, first: date, last: date) -> list[DailyCount]:
        rows = await self._db.fetchall(
            "SELECT day, kind, outcome, count FROM safety_insights WHERE guild_id = ? AND day BETWEEN ? AND ? "
            "ORDER BY day, kind, outcome",
            (guild_id, first.isoformat(), last.isoformat()),
        )
        return [DailyCount(date.fromisoformat(r["day"]), r["kind"], r["outcome"], r["count"]) for r in rows]

    async def purge_before(self, cutoff: date) -> int:
        return await self._db.execute("DELETE FROM safety_insights WHERE day < ?", (cutoff.isoformat(),))

    async def forget_member(self, user_id: int) -> None:
        """Counts hold no member: nothing here is about anyone."""

    async def forget_guild(self, guild_id: int) -> None:
        await self._db.execute("DELETE FROM safety_insights WHERE guild_id = ?", (guild_id,))

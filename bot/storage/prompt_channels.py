"""A server's prompt of the day: one channel, a local time, claimed before each post."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time

from bot.local_time import utc_text
from bot.storage.database import Database


@dataclass(frozen=True)
class PromptChannel:
    guild_id: int
    channel_id: int
    local_time: time
    timezone: str
    theme: str | None
    next_due: datetime
    last_local_date: date | None


class PromptChannels:
    def __init__(self, db: Database) -> None:
        self._db = db

    @staticmethod
    def _row(r: object) -> PromptChannel:
        return PromptChannel(
            guild_id=r["guild_id"],  # type: ignore[index]
            channel_id=r["channel_id"],  # type: ignore[index]
            local_time=time.fromisoformat(r["local_time"]),  # type: ignore[index]
            timezone=r["timezone"],  # type: ignore[index]
            theme=r["theme"],  # type: ignore[index]
            next_due=datetime.fromisoformat(r["next_due_utc"]),  # type: ignore[index]
            last_local_date=date.fromisoformat(r["last_local_date"]) if r["last_local_date"] else None,  # type: ignore[index]
        )

    async def get(self, guild_id: int) -> PromptChannel | None:
        row = await self._db.fetchone("SELECT * FROM guild_prompt_channels WHERE guild_id = ?", (guild_id,))
        return self._row(row) if row else None

    async def save(
        self, guild_id: int, channel_id: int, at: time, timezone: str, theme: str | None, next_due: datetime
    ) -> None:
        await self._db.execute(
            "INSERT INTO guild_prompt_channels (guild_id, channel_id, local_time, timezone, theme, next_due_utc) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET channel_id = excluded.channel_id, "
            "local_time = excluded.local_time, timezone = excluded.timezone, theme = excluded.theme, "
            "next_due_utc = excluded.next_due_utc",
            (guild_id, channel_id, at.strftime("%H:%M"), timezone, theme, utc_text(next_due)),
        )

    async def delete(self, guild_id: int) -> bool:
        return await self._db.execute("DELETE FROM guild_prompt_channels WHERE guild_id = ?", (guild_id,)) > 0

    async def earliest_due(self) -> datetime | None:
        row = await self._db.fetchone("SELECT MIN(next_due_utc) FROM guild_prompt_channels")
        return datetime.fromisoformat(row[0]) if row and row[0] else None

    async def claim_due(
        self, now: datetime, limit: int, plan: Callable[[PromptChannel], tuple[datetime, date | None]]
    ) -> tuple[int, list[tuple[PromptChannel, date]]]:
        """Claim up to `limit` due prompts of the day (skipping rows another process is claiming):
        each moves to the instant `plan` gives. Returns how many rows were claimed (fewer than
        `limit`: nothing more is due now) and the (channel, local day) pairs to post now. In
        batches, so a claimed row is posted soon after, and a crash costs at most one batch."""
        async with self._db.transaction():
            rows = await self._db.fetchall(
                "SELECT * FROM guild_prompt_channels WHERE next_due_utc <= ? ORDER BY next_due_utc LIMIT ?"
                + self._db.skip_locked,
                (utc_text(now), limit),
            )
            planned = [(channel, *plan(channel)) for channel in map(self._row, rows)]
            await self._db.executemany(
                "UPDATE guild_prompt_channels SET next_due_utc = ?, last_local_date = COALESCE(?, last_local_date) "
                "WHERE guild_id = ?",
                [(utc_text(following), day.isoformat() if day else None, c.guild_id) for c, following, day in planned],
            )
        return len(planned), [(channel, day) for channel, _, day in planned if day is not None]

    async def forget_member(self, user_id: int) -> None:
        """The prompt of the day belongs to the server."""

    async def forget_guild(self, guild_id: int) -> None:
        await self.delete(guild_id)

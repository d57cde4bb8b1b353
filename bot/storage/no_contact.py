"""/nocontact: stretches of days a member chose not to reach out, as local dates (no text, no names)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.storage.database import Database


@dataclass(frozen=True)
class NoContactRun:
    user_id: int
    started_on: date  # day 0
    ended_on: date | None  # the last day counted; None while counting
    timezone: str | None  # a zone given to /nocontact start
    milestone: int  # the largest milestone already shown

    def days(self, today: date) -> int:
        """Day N of this stretch on the member's local date `today` (day 0 is the day it began)."""
        return max(0, ((self.ended_on or today) - self.started_on).days)


def _run(row: object) -> NoContactRun:
    r = row  # aiosqlite.Row
    return NoContactRun(
        user_id=r["user_id"],  # type: ignore[index]
        started_on=date.fromisoformat(r["started_on"]),  # type: ignore[index]
        ended_on=date.fromisoformat(r["ended_on"]) if r["ended_on"] else None,  # type: ignore[index]
        timezone=r["timezone"],  # type: ignore[index]
        milestone=r["milestone"],  # type: ignore[index]
    )


class NoContactRuns:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def current(self, user_id: int) -> NoContactRun | None:
        row = await self._db.fetchone(
            "SELECT * FROM no_contact_runs WHERE user_id = ? AND ended_on IS NULL", (user_id,)
        )
        return _run(row) if row else None

    async def start(self, user_id: int, started_on: date, timezone: str | None, milestone: int) -> None:
        """Begin counting from `started_on` (replacing the open stretch's start, if one is open)."""
        async with self._db.transaction():
            await self._hold(user_id)
            await self._db.execute(
                "DELETE FROM no_contact_runs WHERE user_id = ? AND (ended_on IS NULL OR started_on = ?)",
                (user_id, started_on.isoformat()),
            )
            await self._db.execute(
                "INSERT INTO no_contact_runs (user_id, started_on, timezone, milestone) VALUES (?, ?, ?, ?)",
                (user_id, started_on.isoformat(), timezone, milestone),
            )

    async def reset(self, user_id: int, today: date, timezone: str | None) -> NoContactRun | None:
        """They reached out today: the open stretch ends yesterday (kept for their chart if it had a
        day in it), and a new one starts today at day 0. Returns the stretch kept, if any."""
        async with self._db.transaction():
            await self._hold(user_id)
            previous = await self.current(user_id)
            ended = await self._end(user_id, today - timedelta(days=1))
            await self._db.execute(
                "DELETE FROM no_contact_runs WHERE user_id = ? AND started_on = ?", (user_id, today.isoformat())
            )
            await self._db.execute(
                "INSERT INTO no_contact_runs (user_id, started_on, timezone) VALUES (?, ?, ?)",
                (user_id, today.isoformat(), previous.timezone if previous else timezone),
            )
        return ended

    async def stop(self, user_id: int, today: date) -> NoContactRun | None:
        """Stop counting: the open stretch ends today. Returns it, or None if none was open."""
        async with self._db.transaction():
            await self._hold(user_id)
            return await self._end(user_id, today)

    async def _hold(self, user_id: int) -> None:
        """One change to a member's stretches at a time: on PostgreSQL two clicks' transactions run
        side by side, and both would read "nothing open" and insert (one-open-stretch violation)."""
        await self._db.lock_in_transaction(f"no-contact:{user_id}")

    async def _end(self, user_id: int, last_day: date) -> NoContactRun | None:
        run = await self.current(user_id)
        if run is None:
            return None
        if last_day < run.started_on:  # not a single day in it: nothing to keep
            await self._db.execute("DELETE FROM no_contact_runs WHERE user_id = ? AND ended_on IS NULL", (user_id,))
            return None
        await self._db.execute(
            "UPDATE no_contact_runs SET ended_on = ? WHERE user_id = ? AND ended_on IS NULL",
            (last_day.isoformat(), user_id),
        )
        return NoContactRun(run.user_id, run.started_on, last_day, run.timezone, run.milestone)

    async def mark_milestone(self, run: NoContactRun, milestone: int) -> None:
        """Remember that `milestone` was shown, so it is shown once (wherever it was seen first)."""
        await self._db.execute(  # (raised, never lowered: portable where MAX(a, b) is SQLite's own)
            "UPDATE no_contact_runs SET milestone = ? "
            "WHERE user_id = ? AND started_on = ? AND ended_on IS NULL AND milestone < ?",
            (milestone, run.user_id, run.started_on.isoformat(), milestone),
        )

    async def since(self, user_id: int, first_day: date) -> list[NoContactRun]:
        """Every stretch with a day on or after `first_day` (for the member's own chart)."""
        rows = await self._db.fetchall(
            "SELECT * FROM no_contact_runs WHERE user_id = ? AND (ended_on IS NULL OR ended_on >= ?) "
            "ORDER BY started_on",
            (user_id, first_day.isoformat()),
        )
        return [_run(row) for row in rows]

    async def ended_count(self, user_id: int) -> int:
        row = await self._db.fetchone(
            "SELECT COUNT(*) FROM no_contact_runs WHERE user_id = ? AND ended_on IS NOT NULL", (user_id,)
        )
        return int(row[0]) if row else 0

    async def purge_ended_before(self, cutoff: date) -> int:
        return await self._db.execute(
            "DELETE FROM no_contact_runs WHERE ended_on IS NOT NULL AND ended_on < ?", (cutoff.isoformat(),)
        )

    async def forget_member(self, user_id: int) -> None:
        await self._db.execute("DELETE FROM no_contact_runs WHERE user_id = ?", (user_id,))

    async def forget_guild(self, guild_id: int) -> None:
        """A no-contact count is the member's own goal; no server owns it."""

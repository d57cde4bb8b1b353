"""Daily subscriptions: claimed before sending, so a crash can lose a day's prompt but never repeat it.

Claiming is in batches: one transaction reads up to a batch of due rows, skipping rows another
process is claiming at that moment (`FOR UPDATE SKIP LOCKED` on PostgreSQL), and moves each to its
next due instant before committing. Two processes claiming at once (two scheduler leaders
overlapping for a moment after a failover) therefore never claim the same member's day twice,
and never waste their time on rows the other holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Literal

from bot.local_time import utc_text
from bot.storage.database import Database

PAUSE_AFTER_FAILURES = 3
# Why a subscription is paused: the member's DMs are closed (403), or its prompts could not be
# delivered for another reason (the member is gone, or days given up after their retries).
PauseReason = Literal["dms_closed", "undeliverable"]


# What to do with a due subscription: its next due instant, and the local day to deliver now (None: skip).
Planner = Callable[["Subscription"], tuple[datetime, date | None]]


@dataclass(frozen=True)
class Subscription:
    user_id: int
    local_time: time
    timezone: str
    theme: str | None
    next_due: datetime
    last_local_date: date | None
    dm_channel_id: int | None
    consecutive_failures: int
    paused_reason: str | None
    retry_due: datetime | None
    snoozed_until: date | None = None  # the local date prompts resume on (/daily snooze)
    checkin_reminder: bool = False  # a "Check in" button in each daily DM (/checkin reminder)


def _row(row: object) -> Subscription:
    r = row  # aiosqlite.Row
    return Subscription(
        user_id=r["user_id"],  # type: ignore[index]
        local_time=time.fromisoformat(r["local_time"]),  # type: ignore[index]
        timezone=r["timezone"],  # type: ignore[index]
        theme=r["theme"],  # type: ignore[index]
        next_due=datetime.fromisoformat(r["next_due_utc"]),  # type: ignore[index]
        last_local_date=date.fromisoformat(r["last_local_date"]) if r["last_local_date"] else None,  # type: ignore[index]
        dm_channel_id=r["dm_channel_id"],  # type: ignore[index]
        consecutive_failures=r["consecutive_failures"],  # type: ignore[index]
        paused_reason=r["paused_reason"],  # type: ignore[index]
        retry_due=datetime.fromisoformat(r["retry_due_utc"]) if r["retry_due_utc"] else None,  # type: ignore[index]
        snoozed_until=date.fromisoformat(r["snoozed_until"]) if r["snoozed_until"] else None,  # type: ignore[index]
        checkin_reminder=bool(r["checkin_reminder"]),  # type: ignore[index]
    )


class DailySubscriptions:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, user_id: int) -> Subscription | None:
        row = await self._db.fetchone("SELECT * FROM daily_subscriptions WHERE user_id = ?", (user_id,))
        return _row(row) if row else None

    async def save(
        self, user_id: int, at: time, timezone: str, theme: str | None, next_due: datetime, dm_channel_id: int | None
    ) -> None:
        """Start or change a subscription (resumes a paused or snoozed one; keeps the last delivered day)."""
        await self._db.execute(
            "INSERT INTO daily_subscriptions (user_id, local_time, timezone, theme, next_due_utc, dm_channel_id) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET local_time = excluded.local_time, "
            "timezone = excluded.timezone, theme = excluded.theme, next_due_utc = excluded.next_due_utc, "
            "dm_channel_id = excluded.dm_channel_id, consecutive_failures = 0, paused_reason = NULL, "
            "retry_due_utc = NULL, snoozed_until = NULL",
            (user_id, at.strftime("%H:%M"), timezone, theme, utc_text(next_due), dm_channel_id),
        )

    async def restore(self, user_id: int, previous: Subscription | None) -> None:
        """Put back the subscription as it was before a change that could not be completed."""
        if previous is None:
            await self.delete(user_id)
            return
        await self._db.execute(
            "INSERT INTO daily_subscriptions (user_id, local_time, timezone, theme, next_due_utc, "
            "last_local_date, dm_channel_id, consecutive_failures, paused_reason, retry_due_utc, snoozed_until, "
            "checkin_reminder) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET "
            "local_time = excluded.local_time, timezone = excluded.timezone, theme = excluded.theme, "
            "next_due_utc = excluded.next_due_utc, last_local_date = excluded.last_local_date, "
            "dm_channel_id = excluded.dm_channel_id, consecutive_failures = excluded.consecutive_failures, "
            "paused_reason = excluded.paused_reason, retry_due_utc = excluded.retry_due_utc, "
            "snoozed_until = excluded.snoozed_until, checkin_reminder = excluded.checkin_reminder",
            (
                user_id,
                previous.local_time.strftime("%H:%M"),
                previous.timezone,
                previous.theme,
                utc_text(previous.next_due),
                previous.last_local_date.isoformat() if previous.last_local_date else None,
                previous.dm_channel_id,
                previous.consecutive_failures,
                previous.paused_reason,
                utc_text(previous.retry_due) if previous.retry_due else None,
                previous.snoozed_until.isoformat() if previous.snoozed_until else None,
                int(previous.checkin_reminder),
            ),
        )

    async def snooze(self, user_id: int, until: date, next_due: datetime) -> bool:
        """No prompts before the local date `until`; the next one is due at `next_due` (on that date)."""
        changed = await self._db.execute(
            "UPDATE daily_subscriptions SET snoozed_until = ?, next_due_utc = ?, retry_due_utc = NULL "
            "WHERE user_id = ?",
            (until.isoformat(), utc_text(next_due), user_id),
        )
        return changed == 1

    async def resume(self, user_id: int, next_due: datetime) -> bool:
        """End a snooze early; False if the member had none."""
        changed = await self._db.execute(
            "UPDATE daily_subscriptions SET snoozed_until = NULL, next_due_utc = ? "
            "WHERE user_id = ? AND snoozed_until IS NOT NULL",
            (utc_text(next_due), user_id),
        )
        return changed == 1

    async def set_checkin_reminder(self, user_id: int, enabled: bool) -> bool:
        """Turn the check-in reminder in the daily DM on or off; False without a subscription."""
        changed = await self._db.execute(
            "UPDATE daily_subscriptions SET checkin_reminder = ? WHERE user_id = ?", (int(enabled), user_id)
        )
        return changed == 1

    async def delete(self, user_id: int) -> bool:
        return await self._db.execute("DELETE FROM daily_subscriptions WHERE user_id = ?", (user_id,)) > 0

    async def forget_member(self, user_id: int) -> None:
        await self.delete(user_id)

    async def forget_guild(self, guild_id: int) -> None:
        """Daily prompts go by DM; they belong to the member, not to a server."""

    async def earliest_due(self) -> datetime | None:
        row = await self._db.fetchone("SELECT MIN(next_due_utc) FROM daily_subscriptions WHERE paused_reason IS NULL")
        return datetime.fromisoformat(row[0]) if row and row[0] else None

    async def due(self, now: datetime, limit: int) -> list[Subscription]:
        rows = await self._db.fetchall(
            "SELECT * FROM daily_subscriptions WHERE paused_reason IS NULL AND next_due_utc <= ? "
            "ORDER BY next_due_utc LIMIT ?",
            (utc_text(now), limit),
        )
        return [_row(row) for row in rows]

    async def claim_due(self, now: datetime, limit: int, plan: Planner) -> tuple[int, list[tuple[Subscription, date]]]:
        """Claim up to `limit` due subscriptions at once: each moves to the instant `plan` gives.

        Returns how many rows were claimed (fewer than `limit`: nothing more is due, or the rest is
        being claimed by another process) and the (subscription, local day) pairs to deliver now.
        """
        async with self._db.transaction():
            rows = await self._db.fetchall(
                "SELECT * FROM daily_subscriptions WHERE paused_reason IS NULL AND next_due_utc <= ? "
                "ORDER BY next_due_utc LIMIT ?" + self._db.skip_locked,
                (utc_text(now), limit),
            )
            planned = [(sub, *plan(sub)) for sub in map(_row, rows)]
            await self._db.executemany(
                "UPDATE daily_subscriptions SET next_due_utc = ?, last_local_date = COALESCE(?, last_local_date), "
                "retry_due_utc = NULL WHERE user_id = ?",
                [
                    (utc_text(following), day.isoformat() if day else None, sub.user_id)
                    for sub, following, day in planned
                ],
            )
        return len(planned), [(sub, day) for sub, _, day in planned if day is not None]

    async def record_success(self, user_id: int, dm_channel_id: int | None) -> None:
        await self._db.execute(
            "UPDATE daily_subscriptions SET consecutive_failures = 0, "
            "dm_channel_id = COALESCE(?, dm_channel_id) WHERE user_id = ?",
            (dm_channel_id, user_id),
        )

    async def record_failure(self, user_id: int, reason: PauseReason) -> int:
        """Count a day whose prompt could not be delivered; pause after three in a row, for `reason`.

        Returns the new count. Any kind of failure counts (closed DMs, a member Discord no longer
        knows, a day given up after its retries), so no subscription retries forever.
        """
        async with self._db.transaction():
            await self._db.execute(
                "UPDATE daily_subscriptions SET consecutive_failures = consecutive_failures + 1 WHERE user_id = ?",
                (user_id,),
            )
            await self._db.execute(
                "UPDATE daily_subscriptions SET paused_reason = ? WHERE user_id = ? AND consecutive_failures >= ?",
                (reason, user_id, PAUSE_AFTER_FAILURES),
            )
            row = await self._db.fetchone(
                "SELECT consecutive_failures FROM daily_subscriptions WHERE user_id = ?", (user_id,)
            )
        return int(row[0]) if row else 0

    async def schedule_retry(self, user_id: int, retry_at: datetime, original_due: datetime) -> None:
        await self._db.execute(
            "UPDATE daily_subscriptions SET next_due_utc = ?, retry_due_utc = ? WHERE user_id = ?",
            (utc_text(retry_at), utc_text(original_due), user_id),
        )

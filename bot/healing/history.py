"""`/checkin history`: a member's own moods over time, with their pauses and no-contact days on the
same timeline, as counts and a small chart (bot/charts.py). Dates and numbers only."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import fmean

from bot import charts
from bot.content import Content
from bot.healing.calendar import MemberZone, member_zone
from bot.storage import Stores
from bot.storage.pauses import PauseCounts

DEFAULT_DAYS = 30
MAX_DAYS = 365  # check-ins and pauses are kept a year
MOOD_RANGE = (1.0, 5.0)


@dataclass(frozen=True)
class History:
    zone: MemberZone
    days: list[date]  # every local date in the window, oldest first
    moods: list[float | None]  # the day's average mood, None without a check-in
    checkins: int
    feelings: Counter[str]
    pause_days: list[date]  # one entry per pause
    pauses: PauseCounts
    no_contact_days: list[date]

    @property
    def empty(self) -> bool:
        return not (self.checkins or self.pauses.pauses or self.no_contact_days)

    @property
    def average_mood(self) -> float | None:
        values = [m for m in self.moods if m is not None]
        return fmean(values) if values else None


async def build_history(stores: Stores, user_id: int, now: datetime, days: int) -> History:
    """The last `days` local dates (today included) of the member's check-ins, pauses and no-contact days."""
    zone = await member_zone(stores, user_id)
    today = zone.today(now)
    first = today - timedelta(days=days - 1)
    window = [first + timedelta(days=offset) for offset in range(days)]
    since = zone.start_of(first)
    by_day: dict[date, list[int]] = {}
    feelings: Counter[str] = Counter()
    checkins = await stores.checkins.since(user_id, since)
    for checkin in checkins:
        by_day.setdefault(zone.today(checkin.at), []).append(checkin.mood)
        feelings.update(checkin.feelings)
    pause_days = [zone.today(at) for at in await stores.pauses.started(user_id, since)]
    pauses = await stores.pauses.counts(user_id, since, now + timedelta(seconds=1))
    counted: set[date] = set()
    for run in await stores.no_contact.since(user_id, first):
        last = min(run.ended_on or today, today)
        day = max(run.started_on, first)
        while day <= last:
            counted.add(day)
            day += timedelta(days=1)
    return History(
        zone=zone,
        days=window,
        moods=[fmean(by_day[d]) if d in by_day else None for d in window],
        checkins=len(checkins),
        feelings=feelings,
        pause_days=pause_days,
        pauses=pauses,
        no_contact_days=sorted(counted),
    )


def history_summary(history: History, content: Content, days: int) -> str:
    """The chart's numbers in words, for the member alone (and for anyone who can't see images)."""
    dates = f"dates in {history.zone.name}" if history.zone.known else "dates in UTC"
    lines = [f"Your last {days} days ({dates}):"]
    if history.checkins:
        average = history.average_mood
        checkins = "1 check-in" if history.checkins == 1 else f"{history.checkins} check-ins"
        lines.append(f"• {checkins}, average mood {average:.1f} of 5." if average is not None else f"• {checkins}.")
        if history.feelings:
            top = ", ".join(
                f"{content.feelings[f].label.lower() if f in content.feelings else f} ({n})"
                for f, n in history.feelings.most_common(3)
            )
            lines.append(f"• Felt most often: {top}.")
    else:
        lines.append("• No check-ins yet: `/checkin now` takes ten seconds.")
    pauses = history.pauses
    if pauses.pauses:
        lines.append(f"• {'1 pause' if pauses.pauses == 1 else f'{pauses.pauses} pauses'}, {pauses.passed} passed.")
    if history.no_contact_days:
        count = len(history.no_contact_days)
        lines.append(f"• {'1 no-contact day' if count == 1 else f'{count} no-contact days'}.")
    lines.append("Only you see this.")
    return "\n".join(lines)


def history_chart(history: History, days: int) -> bytes:
    """A PNG: moods as a line (1 to 5), pauses and no-contact days as marks along the bottom."""
    return charts.timeline(
        f"Your check-ins, last {days} days",
        history.days,
        history.moods,
        y_label="mood (1 to 5)",
        y_range=MOOD_RANGE,
        markers={
            f"pauses ({history.pauses.pauses})": sorted(set(history.pause_days)),
            f"no-contact days ({len(history.no_contact_days)})": history.no_contact_days,
        },
    )

"""Pure time arithmetic for daily deliveries at a member's local time (zoneinfo, no discord).

Rules: 09:00 Europe/Berlin stays 09:00 local across both daylight-saving switches; a local time
that does not exist on a spring-forward day is delivered at the first valid minute after it; a
local time that happens twice on a fall-back day is delivered once, at its first occurrence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

# "9", "09:30", "21.15", "7h05", "9am", "9:30 pm", "9 p.m.", "0930"
_TIME = re.compile(
    r"^(?:(?P<hour>\d{1,2})(?:\s*[:.h]\s*(?P<minute>\d{2}))?|(?P<packed>\d{3,4}))h?"
    r"\s*(?P<half>a\.?\s*m\.?|p\.?\s*m\.?|a|p)?$"
)
_NAMED_TIMES = {"noon": time(12), "midday": time(12), "midnight": time(0)}
CATCH_UP = timedelta(hours=6)


@dataclass(frozen=True)
class TimeReading:
    """A local time read from what a member typed; `bare_hour` when it was a lone hour such as "9"
    (read on the 24-hour clock, so "9" is the morning: the confirmation says so)."""

    at: time
    bare_hour: bool = False


def read_local_time(text: str) -> TimeReading | None:
    """What a member typed → a time, forgivingly ("9am", "9:30 pm", "21:30", "9", "noon"); else None."""
    cleaned = " ".join(text.strip().lower().split())
    if cleaned in _NAMED_TIMES:
        return TimeReading(_NAMED_TIMES[cleaned])
    match = _TIME.match(cleaned)
    if not match:
        return None
    if match["packed"]:
        hour, minute = divmod(int(match["packed"]), 100)
    else:
        hour, minute = int(match["hour"]), int(match["minute"] or 0)
    half = (match["half"] or "").replace(".", "").replace(" ", "")[:1]
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "p" else 0)
    if hour > 23 or minute > 59:
        return None
    return TimeReading(time(hour, minute), bare_hour=not half and not match["minute"] and not match["packed"])


def parse_local_time(text: str) -> time | None:
    """ "09:00", "9:30", "21.15", "7h05", "9am", "9:30 pm", "9" → a time; anything else → None."""
    reading = read_local_time(text)
    return reading.at if reading else None


def time_in_words(at: time) -> str:
    """09:00 → "9 in the morning", 21:30 → "9:30 in the evening", 12:00 → "noon"."""
    if at == time(0):
        return "midnight"
    if at == time(12):
        return "noon"
    hour12 = at.hour % 12 or 12
    clock = f"{hour12}" if at.minute == 0 else f"{hour12}:{at.minute:02d}"
    if 5 <= at.hour < 12:
        part = "in the morning"
    elif 12 <= at.hour < 18:
        part = "in the afternoon"
    elif 18 <= at.hour < 22:
        part = "in the evening"
    else:
        part = "at night"
    return f"{clock} {part}"


MAX_ZONE_LENGTH = 64  # the longest IANA name is about half that


def parse_zone(name: str) -> ZoneInfo | None:
    """An IANA zone from what someone typed, or None: never an exception, whatever was typed."""
    cleaned = name.strip().replace(" ", "_")
    if not cleaned or len(cleaned) > MAX_ZONE_LENGTH or cleaned.startswith(("/", ".")) or ".." in cleaned:
        return None
    for candidate in (cleaned, _canonical_case(cleaned)):
        if candidate is None:
            continue
        try:
            return ZoneInfo(candidate)
        except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: "Europe" is a folder of zones
            continue
    return None


@cache
def zone_names() -> tuple[str, ...]:
    return tuple(sorted(z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/"))))


def _canonical_case(name: str) -> str | None:
    lowered = name.lower()
    return next((z for z in zone_names() if z.lower() == lowered), None)


def _exists(local: datetime, zone: ZoneInfo) -> bool:
    round_trip = local.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)
    return round_trip.replace(tzinfo=None) == local


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant when `zone` first shows `at` on `day`, or the first valid minute after it.

    Where the clocks jump at midnight (America/Nuuk springs from 23:00 to 00:00), the first valid
    minute after 23:30 is already the next day; that day's delivery then comes at the last valid
    minute before the gap instead, so each local day still gets exactly one.
    """
    wanted = datetime.combine(day, at)
    local = wanted
    minutes = 0
    while not _exists(local, zone) and minutes < 24 * 60:
        local += timedelta(minutes=1)
        minutes += 1
    if local.date() != day:
        local = wanted
        while not _exists(local, zone) and local.date() == day:
            local -= timedelta(minutes=1)
    return local.replace(tzinfo=zone, fold=0).astimezone(UTC)


def next_delivery(after: datetime, at: time, zone: ZoneInfo, *, not_on: date | None = None) -> datetime:
    """The first delivery instant strictly after `after`; never on the local date `not_on`."""
    local_today = after.astimezone(zone).date()
    for offset in range(0, 4):
        day = local_today + timedelta(days=offset)
        if day == not_on:
            continue
        instant = local_instant(day, at, zone)
        if instant > after:
            return instant
    raise AssertionError("a local time always recurs within four days")


def plan_delivery(
    due: datetime, last_local_date: date | None, at: time, zone: ZoneInfo, now: datetime, *, retrying: bool = False
) -> tuple[datetime, date | None]:
    """For something due: its next due instant, and the local day to deliver now (None: skip it).

    Skipped: anything more than six hours late (after downtime), or a day already delivered
    (a duplicate tick) unless this is a retry of that same day's failed send.
    """
    local_day = local_date_of(due, zone)
    if is_too_late(due, now) or (last_local_date == local_day and not retrying):
        return next_delivery(now, at, zone, not_on=last_local_date), None
    return next_delivery(max(now, due), at, zone, not_on=local_day), local_day


def local_date_of(instant: datetime, zone: ZoneInfo) -> date:
    return instant.astimezone(zone).date()


def is_too_late(due: datetime, now: datetime) -> bool:
    """After downtime: a prompt due more than six hours ago is skipped, never sent late in a burst."""
    return now - due > CATCH_UP


def utc_text(instant: datetime) -> str:
    """A fixed-width UTC ISO string, so stored instants sort and compare as text."""
    return instant.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%S+00:00")

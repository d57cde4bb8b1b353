"""Pure time arithmetic for daily deliveries at a member's local time (zoneinfo, no discord).

Rules: 09:00 Europe/Berlin stays 09:00 local across both daylight-saving switches; a local time
that does not exist on a spring-forward day is delivered at the first valid minute after it; a
local time that happens twice on a fall-back day is delivered once, at its first occurrence.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

_HHMM = re.compile(r"^\s*(\d{1,2})[:.h](\d{2})\s*$")
CATCH_UP = timedelta(hours=6)


def parse_local_time(text: str) -> time | None:
    """ "09:00", "9:30", "21.15", "7h05" → a time; anything else → None."""
    match = _HHMM.match(text)
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


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


def find_zones(typed: str, limit: int = 25) -> list[str]:
    """Zones whose name or city contains what was typed ("berl", "new york", "tokyo")."""
    needle = typed.strip().lower().replace(" ", "_")
    if not needle:
        return ["Europe/London", "America/New_York", "Europe/Berlin", "Australia/Sydney", "Asia/Tokyo"][:limit]
    starts = [z for z in zone_names() if z.lower().split("/")[-1].startswith(needle)]
    contains = [z for z in zone_names() if needle in z.lower() and z not in starts]
    return (starts + contains)[:limit]


def _exists(local: datetime, zone: ZoneInfo) -> bool:
    round_trip = local.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)
    return round_trip.replace(tzinfo=None) == local


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant when `zone` first shows `at` on `day` (or the first valid minute after it)."""
    local = datetime.combine(day, at)
    minutes = 0
    while not _exists(local, zone) and minutes < 24 * 60:
        local += timedelta(minutes=1)
        minutes += 1
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

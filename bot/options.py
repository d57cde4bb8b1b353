"""Parsing and autocomplete for values members and moderators type, shared by every cog.

Each parser returns a value or raises `BadInput` with a kind sentence that says what would work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from discord import app_commands

from bot.content import Content
from bot.content.regions import normalise_region
from bot.errors import BadInput
from bot.local_time import read_local_time, time_in_words
from bot.zone_lookup import ZoneLookup, city_of, describe_zone, find_zones, lookup_zone, offset_in

Choices = list[app_commands.Choice[str]]
CHOICE_LIMIT = 25  # Discord shows at most 25 suggestions


@dataclass(frozen=True)
class Schedule:
    """A local time and zone read from what was typed (said back with `daily_start.schedule_words`)."""

    at: time
    zone: ZoneInfo
    note: str = ""  # how a lone hour was read ("9" is 09:00): said back in the confirmation


def zone_words(zone: str) -> str:
    """ "Europe/Berlin" → "Berlin time (Europe/Berlin)"; "UTC" stays "UTC"."""
    return zone if zone == "UTC" else f"{city_of(zone)} time ({zone})"


def parse_time(text: str) -> tuple[time, str]:
    """A local time and, for a lone hour, a note saying how it was read; BadInput otherwise."""
    reading = read_local_time(text)
    if reading is None:
        raise BadInput(f"“{text.strip()[:20]}” isn't a time I can read. Try 9am, 9:30 pm, 21:30 or 9 (that's 09:00).")
    note = ""
    if reading.bare_hour and 1 <= reading.at.hour <= 11:
        evening = reading.at.hour + 12
        note = (
            f"I read “{text.strip()}” as {reading.at:%H:%M}, {time_in_words(reading.at)}. "
            f"For {time_in_words(time(evening))}, use {evening}:00 or {reading.at.hour}pm."
        )
    return reading.at, note


def _hours(value: float) -> str:
    sign = "+" if value >= 0 else "−"
    whole, minutes = divmod(round(abs(value) * 60), 60)
    return f"UTC{sign}{whole}" + (f":{minutes:02d}" if minutes else "")


def _examples(zones: tuple[str, ...]) -> str:
    return ", ".join(f"{describe_zone(z).split(',')[0]} ({z})" if z != "UTC" else "UTC" for z in zones)


def _drift(fixed: float, zones: tuple[str, ...]) -> str:
    """How far off a fixed offset runs where the suggested places change their clocks."""
    deltas = [offset_in(zone, month) - fixed for zone in zones[:1] for month in (1, 7)]
    delta = max(deltas, key=abs, default=0.0)
    if not delta:
        return ""
    hours = abs(delta)
    amount = "an hour" if hours == 1 else f"{hours:g} hours"
    return f", so for part of each year your prompt would come {amount} {'late' if delta > 0 else 'early'}"


def zone_problem(found: ZoneLookup, typed: str) -> str:
    """Why a typed zone was refused, and what to type instead."""
    shown = typed.strip()[:40]
    instead = "Type your city or country instead"
    if found.how == "fixed" and found.offset_hours is not None and found.meant_hours is not None:
        if found.offset_hours != found.meant_hours:  # Etc/GMT±N counts backwards
            late = found.meant_hours - found.offset_hours
            return (
                f"“{shown}” means {_hours(found.offset_hours)}: these names count backwards. If you are at "
                f"{_hours(found.meant_hours)}, your prompt would come {abs(late):g} hours "
                f"{'late' if late > 0 else 'early'}. {instead}, like {_examples(found.suggestions)}."
            )
        return (
            f"“{shown}” is a fixed offset ({_hours(found.offset_hours)} all year), but many places change their "
            f"clocks for summer, so your prompt could come an hour off for part of the year. "
            f"{instead}, like {_examples(found.suggestions)}."
        )
    if found.how == "abbreviation" and found.offset_hours is not None:
        if found.changes_clocks:
            utc = " (or UTC, if you really want UTC all year)" if "UTC" in found.suggestions else ""
            places = tuple(z for z in found.suggestions if z != "UTC")
            return (
                f"“{shown}” is a clock, not a place: it means {_hours(found.offset_hours)} all year"
                f"{_drift(found.offset_hours, places)}. {instead}, like {_examples(places)}{utc}."
            )
        return (
            f"“{shown}” is an abbreviation; with your city or country I can follow the clocks where you live. "
            f"{instead}, like {_examples(found.suggestions)}."
        )
    if found.how == "ambiguous":
        return (
            f"{found.matched} has more than one time zone. Type your city, or one of: {_examples(found.suggestions)}."
        )
    maybe = f" Maybe: {', '.join(found.suggestions)}." if found.suggestions else ""
    return (
        f"I don't know the time zone “{shown}”. Type your city or country (like Berlin, Manila or India) "
        f"or a name like Europe/Berlin; start typing to see suggestions.{maybe}"
    )


def parse_timezone(text: str) -> ZoneInfo:
    """A zone from an IANA name, a unique city or country; BadInput explaining anything else."""
    found = lookup_zone(text)
    if found.zone is None:
        raise BadInput(zone_problem(found, text))
    return found.zone


def parse_schedule(time_text: str, zone_text: str) -> Schedule:
    """A local time and a zone from what a member typed, or a kind BadInput with examples."""
    at, note = parse_time(time_text)
    return Schedule(at, parse_timezone(zone_text), note)


def _offset_label(zone: str, now: datetime) -> str:
    offset = now.astimezone(ZoneInfo(zone)).utcoffset()
    return _hours(offset.total_seconds() / 3600) if offset is not None else ""


def zone_choices(current: str, now: datetime) -> Choices:
    """Time zones matching what was typed (city and country matches first), for any timezone option."""
    return [
        app_commands.Choice(name=f"{describe_zone(zone)} · {zone} · {_offset_label(zone, now)} now"[:100], value=zone)
        for zone in find_zones(current, CHOICE_LIMIT)
    ]


def resolve_theme(content: Content, value: str | None) -> str | None:
    """A theme id from an id or a name; None for "any theme"; BadInput listing themes otherwise."""
    if value is None or not value.strip():
        return None
    cleaned = value.strip().lower()
    for theme_id, theme in content.themes.items():
        if cleaned in (theme_id, theme.name.lower()):
            return theme_id
    names = ", ".join(theme.name for theme in content.themes.values())
    raise BadInput(f"I don't have a theme called “{value[:60]}”. Themes: {names}. Or leave it empty for any theme.")


def theme_choices(content: Content, current: str) -> Choices:
    """Themes whose id or name contains what was typed, for any command's theme option."""
    typed = current.strip().lower()
    return [
        app_commands.Choice(name=theme.name, value=theme_id)
        for theme_id, theme in content.themes.items()
        if typed in theme_id or typed in theme.name.lower()
    ][:CHOICE_LIMIT]


def parse_region(content: Content, value: str) -> str:
    """A region code from a code or a name, or BadInput listing the regions Lantern has."""
    code = normalise_region(value, content.regions)
    if code is None:
        known = ", ".join(f"{code} ({name})" for code, name in content.regions.items())
        raise BadInput(f"I don't have resources for “{value.strip()[:40]}” yet. Regions: {known}.")
    return code


def region_choices(content: Content, current: str) -> Choices:
    """Regions whose code or name contains what was typed, for any command's region option."""
    typed = current.strip().lower()
    return [
        app_commands.Choice(name=f"{name} ({code})", value=code)
        for code, name in content.regions.items()
        if typed in code.lower() or typed in name.lower()
    ][:CHOICE_LIMIT]


def name_choices(names: list[str], current: str) -> Choices:
    """Names (a server's own resources, …) containing what was typed, for a `name` option."""
    typed = current.strip().lower()
    return [app_commands.Choice(name=name[:100], value=name[:100]) for name in names if typed in name.lower()][
        :CHOICE_LIMIT
    ]


MAX_DAYS_BACK = 3650  # ten years


def parse_since(text: str, today: date) -> date:
    """A start date: `2026-11-01`, `today`, `yesterday`, or a number of days ago (`12`); never in the future."""
    cleaned = text.strip().lower()
    if cleaned in ("today", "yesterday"):
        return today - timedelta(days=cleaned == "yesterday")
    if cleaned.isdigit() and len(cleaned) <= 5:
        days = int(cleaned)
        if days > MAX_DAYS_BACK:
            raise BadInput("That's more than ten years ago. Give a date like 2026-11-01.")
        return today - timedelta(days=days)
    try:
        day = date.fromisoformat(cleaned)
    except ValueError:
        raise BadInput(
            f"“{text.strip()[:20]}” isn't a date I can use. "
            "Try 2026-11-01, `yesterday`, or a number of days ago like 12."
        ) from None
    if day > today:
        raise BadInput(f"{day:%d %B %Y} hasn't happened yet where you are; count from today or an earlier day.")
    if (today - day).days > MAX_DAYS_BACK:
        raise BadInput("That's more than ten years ago. Give a date within the last ten years.")
    return day

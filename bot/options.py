"""Parsing and autocomplete for values members and moderators type, shared by every cog.

Each parser returns a value or raises `BadInput` with a kind sentence that says what would work.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

from discord import app_commands

from bot.content import Content
from bot.content.regions import normalise_region
from bot.errors import BadInput
from bot.local_time import find_zones, parse_local_time, parse_zone

Choices = list[app_commands.Choice[str]]
CHOICE_LIMIT = 25  # Discord shows at most 25 suggestions


def parse_schedule(time_text: str, zone_text: str) -> tuple[time, ZoneInfo]:
    """A local time and an IANA zone from what a member typed, or a kind BadInput with examples."""
    at = parse_local_time(time_text)
    if at is None:
        raise BadInput(f"“{time_text[:20]}” isn't a time I can use. Try 24-hour time like 09:00 or 21:30.")
    return at, parse_timezone(zone_text)


def zone_choices(current: str) -> Choices:
    """Time zones matching what was typed, for any command's timezone option."""
    return [app_commands.Choice(name=zone, value=zone) for zone in find_zones(current)]


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
    typed = current.strip().lower()
    return [
        app_commands.Choice(name=f"{name} ({code})", value=code)
        for code, name in content.regions.items()
        if typed in code.lower() or typed in name.lower()
    ][:CHOICE_LIMIT]


def parse_timezone(zone_text: str) -> ZoneInfo:
    """An IANA zone from what a member typed, or a kind BadInput with suggestions."""
    zone = parse_zone(zone_text)
    if zone is None:
        suggestions = ", ".join(find_zones(zone_text, 3)) or "Europe/Berlin, America/New_York"
        raise BadInput(
            f"I don't know the time zone “{zone_text[:40]}”. Use a name like Europe/Berlin or "
            f"America/New_York; start typing your city to see suggestions. Maybe: {suggestions}."
        )
    return zone


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

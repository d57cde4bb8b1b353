"""Settings as moderators think of them: a name, a value in words, the default, and the command
that changes it. `/config show`, every change announcement and `/config history` say the same.

The audit trail keeps each value in a stored form (JSON of the setting's value; for the prompt
of the day and server resources, a small JSON object) so its history can be put into words later.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import time
from typing import Any

from bot.daily_start import schedule_words
from bot.presenters import inert
from bot.storage.guild_settings import GuildSettings

Regions = Mapping[str, str]
PROMPT_CHANNEL = "prompt_channel"
RESOURCES = "resources"


def on_off(value: Any, regions: Regions) -> str:
    return "✅ On" if value else "❌ Off"


def channel(value: Any, regions: Regions) -> str:
    return f"<#{value}>" if value else "❌ not set"


def role(value: Any, regions: Regions) -> str:
    return f"<@&{value}>" if value else "not set"


def channels(value: Any, regions: Regions) -> str:
    return " ".join(f"<#{v}>" for v in value or ()) or "none"


def roles(value: Any, regions: Regions) -> str:
    return " ".join(f"<@&{v}>" for v in value or ()) or "none"


def hours(value: Any, regions: Regions) -> str:
    amount = float(value)
    if amount < 1:
        return f"{round(amount * 60)} minutes"
    return f"{amount:g} hour{'s' if amount != 1 else ''}"


MODE_WORDS = {
    "reply": "Reply in the channel",
    "dm": "Reply by direct message",
    "alert": "Alert the moderators instead of replying",
}


def mode(value: Any, regions: Regions) -> str:
    return MODE_WORDS.get(str(value), str(value))


def region(value: Any, regions: Regions) -> str:
    if not value:
        return "❌ not set: international lines first"
    return f"{regions.get(value, value)} ({value})"


@dataclass(frozen=True)
class Setting:
    key: str
    label: str
    command: str  # how to change it, as a moderator would type it
    show: Callable[[Any, Regions], str]


SETTINGS: tuple[Setting, ...] = (
    Setting("safety_enabled", "Safety replies", "`/config safety enabled:`", on_off),
    Setting("safety_mode", "Mode", "`/config safety mode:`", mode),
    Setting("safety_cooldown_hours", "Cooldown", "`/config safety cooldown_hours:`", hours),
    Setting("alert_channel_id", "Crisis alert channel", "`/config alerts channel:`", channel),
    Setting("responder_role_id", "Responder role", "`/config alerts role:`", role),
    Setting("alert_all_events", "Every safety event to the alert channel", "`/config alerts all_events:`", on_off),
    Setting("region", "Region", "`/config region`", region),
    Setting("exempt_channel_ids", "Quiet channels", "`/config exempt`", channels),
    Setting("exempt_role_ids", "Quiet roles", "`/config exempt`", roles),
)
BY_KEY = {setting.key: setting for setting in SETTINGS}
# What `/config history setting:` offers: every setting, the prompt of the day and server resources.
HISTORY_TOPICS = {
    **{setting.key: setting.label for setting in SETTINGS},
    PROMPT_CHANNEL: "Prompt of the day",
    RESOURCES: "Server resources",
}


def label_of(key: str) -> str:
    return HISTORY_TOPICS.get(key, key.replace("_", " "))


def shown(key: str, value: Any, regions: Regions) -> str:
    """A setting's value in words (channels and roles as mentions, which never ping here)."""
    return BY_KEY[key].show(value, regions)


def change_line(key: str, old: Any, new: Any, regions: Regions) -> str:
    """ "Safety replies: ✅ On → ❌ Off" """
    return f"{label_of(key)}: {shown(key, old, regions)} → {shown(key, new, regions)}"


# ----- the audit trail's stored form ------------------------------------------------------------


def stored(settings: GuildSettings, key: str) -> str | None:
    """A setting's value as the audit trail keeps it (JSON; None for "not set")."""
    value = settings.model_dump(mode="json")[key]
    return None if value is None else json.dumps(value)


def stored_prompt_channel(channel_id: int, at: str, zone: str, theme: str | None) -> str:
    return json.dumps({"channel_id": channel_id, "time": at, "zone": zone, "theme": theme})


def stored_resource(name: str, url: str, region_code: str | None) -> str:
    return json.dumps({"name": name, "url": url, "region": region_code})


def prompt_channel_words(channel_id: int, at: time, zone: str, theme_name: str | None) -> str:
    """ "<#123> at 09:00 (9 in the morning), Berlin time (Europe/Berlin), theme Fear" """
    return f"<#{channel_id}> at {schedule_words(at, zone, theme_name)}"


def resource_words(data: Mapping[str, Any], regions: Regions) -> str:
    where = regions.get(data.get("region") or "", "") or "all regions"
    return f"“{inert(str(data.get('name', '')))}” ({data.get('url', '')}, {where})"


def audit_value_words(key: str, value: str | None, regions: Regions, themes: Mapping[str, str]) -> str:
    """What an audit trail entry held, in words. Entries written before the stored form was JSON
    (server resources, the prompt of the day) are shown as they were written, made inert."""
    if value is None:
        if key == PROMPT_CHANNEL:
            return "off"
        if key == RESOURCES:
            return "none"
        return shown(key, None, regions) if key in BY_KEY else "not set"
    try:
        data = json.loads(value)
    except ValueError:
        return inert(value)
    if key in BY_KEY:
        return shown(key, data, regions)
    if key == PROMPT_CHANNEL and isinstance(data, dict):
        theme = themes.get(data.get("theme") or "")
        return prompt_channel_words(
            int(data["channel_id"]), time.fromisoformat(str(data["time"])), str(data["zone"]), theme
        )
    if key == RESOURCES and isinstance(data, dict):
        return resource_words(data, regions)
    return inert(value)

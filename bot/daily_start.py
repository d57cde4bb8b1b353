"""What `/daily start` does for a member who may already have daily prompts: welcome, change,
resume or nothing, and the same schedule said in words everywhere (replies, /daily status,
/privacy show)."""

from __future__ import annotations

from datetime import time
from enum import StrEnum

from bot.local_time import time_in_words
from bot.options import zone_words
from bot.storage.daily import Subscription


class Start(StrEnum):
    NEW = "new"  # a welcome DM, which also shows that DMs reach the member
    CHANGE = "change"  # they already get prompts: change the schedule quietly, no second welcome
    RESUME = "resume"  # paused or failing: a short DM checks that DMs reach them again
    SAME = "same"  # nothing to change


def plan_start(existing: Subscription | None, at: time, zone: str, theme: str | None) -> Start:
    if existing is None:
        return Start.NEW
    if existing.paused_reason or existing.consecutive_failures or existing.dm_channel_id is None:
        return Start.RESUME
    if (existing.local_time, existing.timezone, existing.theme) == (at, zone, theme):
        return Start.SAME
    return Start.CHANGE


def schedule_words(at: time, zone: str, theme_name: str | None) -> str:
    """ "09:00 (9 in the morning), Berlin time (Europe/Berlin), theme Fear" """
    theme = f", theme {theme_name}" if theme_name else ""
    return f"{at:%H:%M} ({time_in_words(at)}), {zone_words(zone)}{theme}"

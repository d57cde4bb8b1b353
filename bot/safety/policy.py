"""What Lantern does with a detected label: pure rules for replies, alerts and cooldowns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

Family = Literal["hurt", "pursuit", "crisis"]
Action = Literal["none", "reply", "dm", "alert_only"]

CRISIS_COOLDOWN = timedelta(minutes=10)  # crisis replies are never silenced for longer
CHANNEL_FLOOD_WINDOW = timedelta(minutes=2)
CHANNEL_FLOOD_LIMIT = 3  # safety replies per channel per window (crisis is exempt)
RETENTION = timedelta(days=30)


def family_of(label: str) -> Family:
    if label == "crisis":
        return "crisis"
    if label == "pursuit":
        return "pursuit"
    return "hurt"


def cooldown_for(family: Family, configured_hours: float) -> timedelta:
    configured = timedelta(hours=configured_hours)
    return min(configured, CRISIS_COOLDOWN) if family == "crisis" else configured


@dataclass(frozen=True)
class Decision:
    action: Action
    alert: bool  # post to the moderators' alert channel
    why: str


def decide(
    label: str,
    *,
    enabled: bool,
    mode: str,
    is_dm: bool,
    opted_out: bool,
    has_alert_channel: bool,
    alert_all_events: bool,
    last_reply: datetime | None,
    cooldown_hours: float,
    channel_recent_replies: int,
    now: datetime,
) -> Decision:
    """The action for one labelled message. Crisis alerts ignore the member's opt-out."""
    if label == "none":
        return Decision("none", False, "nothing detected")
    crisis = label == "crisis"
    alert = has_alert_channel and not is_dm and (crisis or alert_all_events)
    if not is_dm and not enabled:
        return Decision("none", False, "safety replies are off on this server")
    family = family_of(label)
    if last_reply is not None and now - last_reply < cooldown_for(family, cooldown_hours):
        return Decision("none", False, "member cooldown")
    if opted_out and not crisis:
        return Decision("none", alert, "member opted out")
    if not is_dm and not crisis and channel_recent_replies >= CHANNEL_FLOOD_LIMIT:
        return Decision("none", alert, "channel flood guard")
    if is_dm:
        return Decision("reply", False, "direct message")
    if mode == "alert":
        return Decision("alert_only", has_alert_channel, "alert-only mode")
    if mode == "dm":
        return Decision("dm", alert, "dm mode")
    return Decision("reply", alert, "reply mode")

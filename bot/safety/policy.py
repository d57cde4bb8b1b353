"""What Lantern does with a detected label in its situation: pure rules for replies, alerts, cooldowns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

Family = Literal["hurt", "pursuit", "crisis"]
Action = Literal["none", "reply", "dm", "alert_only"]
SafetyMode = Literal["reply", "dm", "alert"]

CRISIS_COOLDOWN = timedelta(minutes=10)  # crisis replies are never silenced for longer
CHANNEL_FLOOD_WINDOW = timedelta(minutes=2)
CHANNEL_FLOOD_LIMIT = 3  # safety replies per channel per window (crisis is exempt)
RETENTION = timedelta(days=30)
DEFAULT_COOLDOWN_HOURS = 6.0


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
class Situation:
    """Everything about where and by whom a message was written that the decision depends on."""

    now: datetime
    is_dm: bool = False
    enabled: bool = True
    mode: SafetyMode = "reply"
    quiet_here: bool = False  # a quiet (exempt) channel, or the member has a quiet role
    has_alert_channel: bool = False
    alert_all_events: bool = False
    opted_out: bool = False
    last_reply: datetime | None = None  # Lantern's last reply to this member for this label's family
    cooldown_hours: float = DEFAULT_COOLDOWN_HOURS
    channel_recent_replies: int = 0


@dataclass(frozen=True)
class Decision:
    action: Action
    alert: bool  # post to the moderators' alert channel
    why: str


def decide(label: str, situation: Situation) -> Decision:
    """The action for one labelled message. Crisis alerts ignore the member's opt-out."""
    s = situation
    if label == "none":
        return Decision("none", False, "nothing detected")
    if s.quiet_here:
        return Decision("none", False, "a quiet channel or role")
    crisis = label == "crisis"
    alert = s.has_alert_channel and not s.is_dm and (crisis or s.alert_all_events)
    if not s.is_dm and not s.enabled:
        return Decision("none", False, "safety replies are off on this server")
    family = family_of(label)
    if s.last_reply is not None and s.now - s.last_reply < cooldown_for(family, s.cooldown_hours):
        return Decision("none", False, "member cooldown")
    if s.opted_out and not crisis:
        return Decision("none", alert, "member opted out")
    if not s.is_dm and not crisis and s.channel_recent_replies >= CHANNEL_FLOOD_LIMIT:
        return Decision("none", alert, "channel flood guard")
    if s.is_dm:
        return Decision("reply", False, "direct message")
    if s.mode == "alert":
        return Decision("alert_only", s.has_alert_channel, "alert-only mode")
    if s.mode == "dm":
        return Decision("dm", alert, "dm mode")
    return Decision("reply", alert, "reply mode")

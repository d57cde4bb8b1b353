"""What Lantern does with a detected label in its situation: pure rules for replies, alerts, cooldowns.

Crisis outranks every quiet setting. Quiet channels and roles, `enabled: false` and `alert` mode quiet
the *hurt* and *pursuit* replies only: a crisis always gets the member crisis lines (publicly in
`reply` mode, otherwise by DM with a short public reply when DMs are closed) and an alert wherever
the server has an alert channel. The only thing that can keep Lantern from answering a crisis is
the 10-minute crisis cooldown (it answered moments ago), and then the alert still goes out. A
crisis label the detector is not sure of goes the DM way too (never quieter), so a false alarm on a
joke is not a public crisis reply.

`decide` says what to try; `outcome_of` says, from what was delivered, what Lantern actually did
and why, so an alert, `/config test` and the insights never claim more than happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Literal

Family = Literal["hurt", "pursuit", "crisis"]
Action = Literal["none", "reply", "dm", "alert_only"]
SafetyMode = Literal["reply", "dm", "alert"]
Step = Literal["reply", "dm"]  # a public reply in the channel, or a direct message

CRISIS_COOLDOWN = timedelta(minutes=10)  # crisis replies are never silenced for longer
CHANNEL_FLOOD_WINDOW = timedelta(minutes=2)
CHANNEL_FLOOD_LIMIT = 3  # safety replies per channel per window (crisis is exempt)
RETENTION = timedelta(days=30)
DEFAULT_COOLDOWN_HOURS = 6.0


class Why(StrEnum):
    """Why Lantern took the route it did, or stayed quiet."""

    NOTHING = "nothing detected"
    DIRECT_MESSAGE = "a direct message to Lantern"
    REPLY_MODE = "reply mode"
    DM_MODE = "dm mode"
    ALERT_MODE = "alert mode"
    QUIET_CHANNEL = "quiet channel"
    QUIET_ROLE = "quiet role"
    DISABLED = "safety replies are off"
    COOLDOWN = "cooldown"
    FLOOD_GUARD = "flood guard"
    OPTED_OUT = "opted out"
    NO_ALERT_CHANNEL = "alert mode without an alert channel"
    UNSURE = "not sure it's a crisis, so privately first"


class Done(StrEnum):
    """What Lantern actually did for the member (the value is the insights' key)."""

    REPLIED = "reply"
    DMED = "dm"
    DM_FAILED_REPLIED = "dm_failed_reply"
    REPLY_FAILED_DMED = "reply_failed_dm"
    DM_FAILED_QUIET = "dm_failed_quiet"
    ALERT_ONLY = "alert_only"
    QUIET = "quiet"
    FAILED = "failed"  # every way to reach the member was refused


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
    quiet_channel: bool = False  # a quiet (exempt) channel, or a thread in one
    quiet_role: bool = False  # the member has a quiet (exempt) role
    has_alert_channel: bool = False
    alert_all_events: bool = False
    opted_out: bool = False
    last_reply: datetime | None = None  # Lantern's last reply to this member for this label's family
    cooldown_hours: float = DEFAULT_COOLDOWN_HOURS
    channel_recent_replies: int = 0
    unsure_crisis: bool = False  # the detector labelled crisis below its sure threshold


@dataclass(frozen=True)
class Decision:
    """What to try, in order, until one is delivered; whether to alert; and why."""

    steps: tuple[Step, ...]
    alert: bool  # post to the moderators' alert channel
    why: Why
    crisis: bool = False
    last_reply: datetime | None = None  # set when the cooldown keeps Lantern quiet
    no_fallback: Why | None = None  # why a failed DM is not followed by a public reply

    @property
    def action(self) -> Action:
        if self.steps:
            return self.steps[0]
        return "alert_only" if self.why is Why.ALERT_MODE else "none"


@dataclass(frozen=True)
class Outcome:
    """What Lantern did, why, and (for a cooldown) when it last replied."""

    done: Done
    why: Why
    crisis: bool = False
    last_reply: datetime | None = None

    @property
    def reached_member(self) -> bool:
        return self.done in (Done.REPLIED, Done.DMED, Done.DM_FAILED_REPLIED, Done.REPLY_FAILED_DMED)

    @property
    def shown_in_channel(self) -> bool:
        """A public reply in the channel: what the channel's flood guard counts (DMs do not)."""
        return self.done in (Done.REPLIED, Done.DM_FAILED_REPLIED)

    @property
    def key(self) -> str:
        """How the insights count it: what was done, and for quiet, why."""
        if self.done in (Done.QUIET, Done.DM_FAILED_QUIET):
            return f"quiet:{self.why.name.lower()}"
        return self.done.value


def _quiet(why: Why, *, alert: bool = False, crisis: bool = False, last_reply: datetime | None = None) -> Decision:
    return Decision((), alert, why, crisis=crisis, last_reply=last_reply)


def decide(label: str, situation: Situation) -> Decision:
    """The route for one labelled message. Crisis alerts ignore the member's opt-out."""
    s = situation
    if label == "none":
        return _quiet(Why.NOTHING)
    family = family_of(label)
    cooling = s.last_reply is not None and s.now - s.last_reply < cooldown_for(family, s.cooldown_hours)
    if label == "crisis":
        return _decide_crisis(s, cooling)
    can_alert = s.has_alert_channel and not s.is_dm and s.alert_all_events
    if not s.is_dm:
        if s.quiet_channel:
            return _quiet(Why.QUIET_CHANNEL)
        if s.quiet_role:
            return _quiet(Why.QUIET_ROLE)
        if not s.enabled:
            return _quiet(Why.DISABLED)
    if cooling:
        return _quiet(Why.COOLDOWN, last_reply=s.last_reply)
    if s.opted_out:
        return _quiet(Why.OPTED_OUT, alert=can_alert)
    if s.is_dm:
        return Decision(("reply",), False, Why.DIRECT_MESSAGE)
    if s.mode == "alert":
        if s.has_alert_channel:
            return Decision((), True, Why.ALERT_MODE)
        return _quiet(Why.NO_ALERT_CHANNEL)
    flooded = s.channel_recent_replies >= CHANNEL_FLOOD_LIMIT
    if s.mode == "dm":
        # A DM does not add to the channel; only a public fallback would, so only that is guarded.
        if flooded:
            return Decision(("dm",), can_alert, Why.DM_MODE, no_fallback=Why.FLOOD_GUARD)
        return Decision(("dm", "reply"), can_alert, Why.DM_MODE)
    if flooded:
        return _quiet(Why.FLOOD_GUARD, alert=can_alert)
    return Decision(("reply",), can_alert, Why.REPLY_MODE)


def _decide_crisis(s: Situation, cooling: bool) -> Decision:
    can_alert = s.has_alert_channel and not s.is_dm
    if cooling:
        return _quiet(Why.COOLDOWN, alert=can_alert, crisis=True, last_reply=s.last_reply)
    if s.is_dm:
        return Decision(("reply",), False, Why.DIRECT_MESSAGE, crisis=True)
    # Every quiet setting turns the public reply into crisis lines by DM, never into silence.
    for applies, why in (
        (s.quiet_channel, Why.QUIET_CHANNEL),
        (s.quiet_role, Why.QUIET_ROLE),
        (not s.enabled, Why.DISABLED),
        (s.mode == "alert", Why.ALERT_MODE),
        (s.mode == "dm", Why.DM_MODE),
        # A crisis label the detector is unsure of: most false alarms (a joke, a game, a lyric)
        # would otherwise be a public crisis reply; the member still gets the lines, privately.
        (s.unsure_crisis, Why.UNSURE),
    ):
        if applies:
            return Decision(("dm", "reply"), can_alert, why, crisis=True)
    # Reply mode: crisis lines in the channel; by DM if Lantern cannot post there.
    return Decision(("reply", "dm"), can_alert, Why.REPLY_MODE, crisis=True)


def outcome_of(decision: Decision, delivered: Step | None) -> Outcome:
    """What Lantern did, given which step (if any) reached the member."""
    d = decision
    if not d.steps:
        done = Done.ALERT_ONLY if d.why is Why.ALERT_MODE else Done.QUIET
        return Outcome(done, d.why, d.crisis, d.last_reply)
    if delivered is None:
        if d.no_fallback is not None:
            return Outcome(Done.DM_FAILED_QUIET, d.no_fallback, d.crisis)
        return Outcome(Done.FAILED, d.why, d.crisis)
    if delivered == d.steps[0]:
        return Outcome(Done.REPLIED if delivered == "reply" else Done.DMED, d.why, d.crisis)
    return Outcome(Done.DM_FAILED_REPLIED if delivered == "reply" else Done.REPLY_FAILED_DMED, d.why, d.crisis)

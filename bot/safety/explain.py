"""The safety decision in words: for alerts, `/config test`, and every setting that changes a crisis.

Each sentence is computed from `policy.decide`, never written beside it, so what Lantern says it
does (or would do) is what the listener does.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from bot.safety.policy import Decision, Done, Outcome, Situation, Why, decide
from bot.storage.guild_settings import GuildSettings

# A route chosen because of a setting is named in the alert; reply and dm modes are the usual ones.
ROUTE_NOTES = {Why.QUIET_CHANNEL, Why.QUIET_ROLE, Why.DISABLED, Why.ALERT_MODE, Why.UNSURE}


def _ago(last: datetime | None, now: datetime) -> str:
    if last is None:
        return ""
    minutes = int((now - last).total_seconds() // 60)
    if minutes < 1:
        return ", replied less than a minute ago"
    if minutes < 120:
        return f", replied {minutes} minute{'s' if minutes != 1 else ''} ago"
    return f", replied {minutes // 60} hours ago"


def describe_outcome(outcome: Outcome, now: datetime) -> str:
    """What Lantern did, after "Lantern …": "replied", "DM'd them crisis lines (quiet channel)", …"""
    lines = " crisis lines" if outcome.crisis else ""
    note = f" ({outcome.why})" if outcome.why in ROUTE_NOTES else ""
    match outcome.done:
        case Done.REPLIED:
            return f"replied{' with crisis lines' if outcome.crisis else ''}{note}"
        case Done.DMED:
            return f"DM'd them{lines}{note}"
        case Done.DM_FAILED_REPLIED:
            return f"tried to DM them (DMs closed), so replied publicly{' with crisis lines' * outcome.crisis}{note}"
        case Done.REPLY_FAILED_DMED:
            return f"couldn't post in the channel, so DM'd them{lines} instead"
        case Done.DM_FAILED_QUIET:
            return f"tried to DM them (DMs closed) and stayed quiet: {outcome.why}"
        case Done.ALERT_ONLY:
            return "only alerted the moderators (alert mode)"
        case Done.FAILED:
            return "could not reach them: the channel and their DMs both refused"
        case _:
            return f"stayed quiet: {outcome.why}{_ago(outcome.last_reply, now)}"


def describe_decision(decision: Decision, *, in_server: bool = True) -> str:
    """What Lantern would do, after "Lantern would …" (what `/config test` says)."""
    d = decision
    lines = " crisis lines" if d.crisis else ""
    match d.steps:
        case ("reply", "dm"):
            what = f"reply in the channel with{lines or ' a reply'} (by DM if it can't post there)"
        case ("reply",):
            what = "reply in the channel" + (" with crisis lines" if d.crisis else "")
        case ("dm", "reply"):
            closed = "a short public reply" if d.crisis else "reply in the channel"
            what = f"send the member{lines or ' a reply'} by DM (or {closed} if their DMs are closed)"
        case ("dm",):
            what = f"send the member a reply by DM (and stay quiet if their DMs are closed: {d.no_fallback})"
        case _:
            what = "only alert the moderators" if d.action == "alert_only" else "not reply"
    if d.alert and d.action != "alert_only":
        what += " and alert the moderators"
    elif d.crisis and in_server and not d.alert:
        what += ", and alert nobody: there is no alert channel"
    return f"{what} ({d.why})"


def _route(settings: GuildSettings, *, quiet_channel: bool = False) -> Decision:
    situation = Situation(
        now=datetime(2000, 1, 1, tzinfo=UTC),
        enabled=settings.safety_enabled,
        mode=settings.safety_mode,
        has_alert_channel=settings.alert_channel_id is not None,
        alert_all_events=settings.alert_all_events,
        cooldown_hours=settings.safety_cooldown_hours,
        quiet_channel=quiet_channel,
    )
    return decide("crisis", situation)


def _crisis_route(decision: Decision) -> str:
    if decision.steps[0] == "reply":
        return (
            "crisis lines in a public reply (by DM if Lantern can't post there, or first when it isn't sure"
            " it's a crisis)"
        )
    return "crisis lines by DM (a short public reply if their DMs are closed)"


def crisis_summary(settings: GuildSettings) -> str:
    """One paragraph: what a member in crisis gets on this server, and who is alerted."""
    usual = _route(settings)
    quiet = _route(settings, quiet_channel=True)
    text = f"A member in crisis gets {_crisis_route(usual)}"
    if quiet.steps != usual.steps:
        text += f"; in quiet channels and for quiet roles, {_crisis_route(quiet)}"
    text += ". "
    if settings.alert_channel_id is None:
        text += "No moderator is alerted: there is no alert channel (`/config alerts channel:`)."
    else:
        who = f", pinging <@&{settings.responder_role_id}>" if settings.responder_role_id else ""
        text += f"Moderators are alerted in <#{settings.alert_channel_id}>{who}."
    return text + " Crisis replies wait at most 10 minutes between one and the next; the alert never waits."


_VALUE_FIRST = re.compile(r"^(?:on|off|reply|dm|alert|not set)(?::\s+|,\s+but\s+)")


def crisis_effect(setting: str, settings: GuildSettings, *, with_value: bool = True) -> str:
    """What one setting's current value means when a member is in crisis (for confirmations and `/config show`).

    `with_value=False` leaves out the value it starts with ("on: …", "not set: …") where the value
    is already shown beside it."""
    effect = _crisis_effect(setting, settings)
    return effect if with_value else _VALUE_FIRST.sub("", effect)


def _crisis_effect(setting: str, settings: GuildSettings) -> str:
    usual = _crisis_route(_route(settings))
    match setting:
        case "safety_enabled":
            if settings.safety_enabled:
                return f"on: hurt and pursuit replies are posted; a crisis gets {usual}"
            return f"off: hurt and pursuit replies stay quiet; a crisis still gets {usual}"
        case "safety_mode":
            if settings.safety_mode == "alert" and settings.alert_channel_id is None:
                return f"alert, but there is no alert channel: hurt and pursuit get nothing; a crisis gets {usual}"
            return f"{settings.safety_mode}: a crisis gets {usual}"
        case "safety_cooldown_hours":
            return "crisis replies wait at most 10 minutes whatever this is; the crisis alert is still posted"
        case "alert_channel_id":
            if settings.alert_channel_id is None:
                return "not set: nobody is alerted on crisis"
            return f"crisis alerts (with I'm on it / Resolved) go to <#{settings.alert_channel_id}>"
        case "responder_role_id":
            if settings.responder_role_id is None:
                return "not set: crisis alerts ping nobody"
            return f"<@&{settings.responder_role_id}> is pinged on crisis alerts only"
        case "alert_all_events":
            if settings.alert_channel_id is None:
                return "no alert channel: nothing is posted, crisis included"
            return "crisis is always alerted; this adds every hurt and pursuit event"
        case "region":
            return (
                "crisis lines for this region" if settings.region else "international crisis lines, with a region menu"
            )
        case "exempt_channel_ids" | "exempt_role_ids":
            quiet = _crisis_route(_route(settings, quiet_channel=True))
            return f"hurt and pursuit replies stay quiet there; a crisis still gets {quiet}"
    return ""

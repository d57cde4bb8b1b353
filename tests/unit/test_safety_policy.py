from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.safety.explain import crisis_effect, crisis_summary, describe_decision, describe_outcome
from bot.safety.policy import (
    CHANNEL_FLOOD_LIMIT,
    Decision,
    Done,
    Situation,
    Why,
    cooldown_for,
    decide,
    family_of,
    outcome_of,
)
from bot.storage.guild_settings import GuildSettings

NOW = datetime(2026, 11, 22, 9, tzinfo=UTC)


def run(label: str, **overrides: Any) -> Decision:
    return decide(label, Situation(now=NOW, **overrides))


def test_families_and_cooldowns() -> None:
    assert {family_of(x) for x in ("ignored", "rejected", "blocked")} == {"hurt"}
    assert family_of("pursuit") == "pursuit" and family_of("crisis") == "crisis"
    assert cooldown_for("hurt", 6) == timedelta(hours=6)
    assert cooldown_for("crisis", 6) == timedelta(minutes=10)
    assert cooldown_for("crisis", 0.5) == timedelta(minutes=10)


def test_modes() -> None:
    assert run("blocked").steps == ("reply",)
    assert run("blocked", mode="dm").steps == ("dm", "reply")
    alert_only = run("blocked", mode="alert", has_alert_channel=True)
    assert alert_only.action == "alert_only" and alert_only.alert and alert_only.steps == ()


def test_alert_mode_without_a_channel_is_honestly_quiet() -> None:
    decision = run("blocked", mode="alert")
    assert decision.action == "none" and not decision.alert and decision.why is Why.NO_ALERT_CHANNEL


def test_crisis_alerts_even_when_opted_out_but_others_respect_it() -> None:
    assert run("ignored", opted_out=True).action == "none"
    assert run("ignored", opted_out=True, has_alert_channel=True, alert_all_events=True).alert
    decision = run("crisis", opted_out=True, has_alert_channel=True)
    assert decision.steps == ("reply", "dm") and decision.alert


def test_cooldowns_and_flood_guard() -> None:
    recent = NOW - timedelta(hours=1)
    assert run("blocked", last_reply=recent).action == "none"
    assert run("blocked", last_reply=NOW - timedelta(hours=7)).action == "reply"
    assert run("crisis", last_reply=NOW - timedelta(minutes=11)).action == "reply"
    flooded = run("blocked", channel_recent_replies=CHANNEL_FLOOD_LIMIT, has_alert_channel=True, alert_all_events=True)
    assert flooded.action == "none" and flooded.why is Why.FLOOD_GUARD and flooded.alert
    assert run("crisis", channel_recent_replies=CHANNEL_FLOOD_LIMIT).action == "reply"


def test_dm_mode_is_not_held_by_the_flood_guard_but_its_public_fallback_is() -> None:
    decision = run("blocked", mode="dm", channel_recent_replies=CHANNEL_FLOOD_LIMIT)
    assert decision.steps == ("dm",) and decision.no_fallback is Why.FLOOD_GUARD
    assert outcome_of(decision, "dm").done is Done.DMED
    failed = outcome_of(decision, None)
    assert failed.done is Done.DM_FAILED_QUIET and failed.key == "quiet:flood_guard"


def test_disabled_servers_and_direct_messages() -> None:
    assert run("blocked", enabled=False).action == "none"
    assert run("blocked", is_dm=True, enabled=False).action == "reply"
    assert run("none").action == "none"


def test_quiet_channels_and_roles_quiet_hurt_and_pursuit() -> None:
    assert run("blocked", quiet_channel=True).why is Why.QUIET_CHANNEL
    assert run("pursuit", quiet_role=True).why is Why.QUIET_ROLE
    assert not run("blocked", quiet_channel=True, has_alert_channel=True, alert_all_events=True).alert


SETTINGS = {
    "quiet_channel": [False, True],
    "quiet_role": [False, True],
    "enabled": [True, False],
    "mode": ["reply", "dm", "alert"],
    "has_alert_channel": [False, True],
    "alert_all_events": [False, True],
    "opted_out": [False, True],
    "channel_recent_replies": [0, CHANNEL_FLOOD_LIMIT],
    "unsure_crisis": [False, True],
}


def test_no_setting_silences_a_crisis() -> None:
    """Every combination: a crisis reaches the member (by two routes) and alerts wherever it can."""
    for values in itertools.product(*SETTINGS.values()):
        situation = dict(zip(SETTINGS, values, strict=True))
        decision = run("crisis", **situation)
        assert set(decision.steps) == {"reply", "dm"}, situation
        assert decision.alert == situation["has_alert_channel"], situation
        quiet_setting = situation["quiet_channel"] or situation["quiet_role"] or not situation["enabled"]
        if quiet_setting or situation["mode"] != "reply" or situation["unsure_crisis"]:
            assert decision.steps == ("dm", "reply"), "quiet settings send crisis lines privately first"
        cooling = run("crisis", last_reply=NOW - timedelta(minutes=3), **situation)
        assert cooling.steps == () and cooling.why is Why.COOLDOWN
        assert cooling.alert == situation["has_alert_channel"], "the cooldown never holds back the alert"


def test_an_unsure_crisis_goes_privately_first_and_settings_name_their_own_route() -> None:
    unsure = run("crisis", unsure_crisis=True, has_alert_channel=True)
    assert unsure.steps == ("dm", "reply") and unsure.alert and unsure.why is Why.UNSURE
    assert run("crisis", has_alert_channel=True).steps == ("reply", "dm")
    assert run("crisis", unsure_crisis=True, quiet_channel=True).why is Why.QUIET_CHANNEL
    assert run("crisis", unsure_crisis=True, is_dm=True).steps == ("reply",)  # in a DM the reply is private
    assert run("blocked", unsure_crisis=True).steps == ("reply",)  # only a crisis label is ever unsure
    said = describe_outcome(outcome_of(unsure, "dm"), NOW)
    assert said == "DM'd them crisis lines (not sure it's a crisis, so privately first)"


def test_outcomes_say_what_was_done() -> None:
    quiet_channel = run("crisis", quiet_channel=True, has_alert_channel=True)
    assert describe_outcome(outcome_of(quiet_channel, "dm"), NOW) == "DM'd them crisis lines (quiet channel)"
    fell_back = outcome_of(quiet_channel, "reply")
    assert fell_back.done is Done.DM_FAILED_REPLIED and fell_back.shown_in_channel
    assert "tried to DM them (DMs closed), so replied publicly" in describe_outcome(fell_back, NOW)
    assert describe_outcome(outcome_of(run("blocked"), "reply"), NOW) == "replied"
    assert describe_outcome(outcome_of(run("blocked", mode="dm"), "dm"), NOW) == "DM'd them"
    cooling = run("crisis", last_reply=NOW - timedelta(minutes=4), has_alert_channel=True)
    assert describe_outcome(outcome_of(cooling, None), NOW) == "stayed quiet: cooldown, replied 4 minutes ago"
    flooded = run("pursuit", channel_recent_replies=5, has_alert_channel=True, alert_all_events=True)
    assert describe_outcome(outcome_of(flooded, None), NOW) == "stayed quiet: flood guard"
    assert describe_outcome(outcome_of(run("ignored", opted_out=True), None), NOW) == "stayed quiet: opted out"
    nothing = outcome_of(run("crisis"), None)
    assert nothing.done is Done.FAILED and not nothing.reached_member
    assert outcome_of(run("crisis"), "dm").done is Done.REPLY_FAILED_DMED


def test_previews_name_both_routes_and_who_is_alerted() -> None:
    assert describe_decision(run("crisis", mode="alert", has_alert_channel=True)) == (
        "send the member crisis lines by DM (or a short public reply if their DMs are closed) "
        "and alert the moderators (alert mode)"
    )
    assert describe_decision(run("crisis")).endswith("and alert nobody: there is no alert channel (reply mode)")
    assert describe_decision(run("blocked", mode="alert", has_alert_channel=True)) == (
        "only alert the moderators (alert mode)"
    )


def test_every_setting_that_changes_a_crisis_says_so() -> None:
    plain = GuildSettings()
    assert "No moderator is alerted" in crisis_summary(plain)
    quiet = GuildSettings(exempt_channel_ids=(1,), alert_channel_id=2, responder_role_id=3, safety_enabled=False)
    summary = crisis_summary(quiet)
    assert "crisis lines by DM" in summary and "<#2>" in summary and "<@&3>" in summary
    assert crisis_effect("safety_enabled", quiet).startswith("off: hurt and pursuit replies stay quiet; a crisis still")
    assert "crisis lines in a public reply" in crisis_effect("safety_mode", plain)
    assert "crisis lines by DM" in crisis_effect("exempt_channel_ids", plain)
    assert crisis_effect("safety_cooldown_hours", plain).startswith("crisis replies wait at most 10 minutes")
    assert crisis_effect("alert_all_events", plain) == "no alert channel: nothing is posted, crisis included"
    assert crisis_effect("alert_all_events", quiet).startswith("crisis is always alerted")
    legacy = GuildSettings(safety_mode="alert")  # held from before alert mode needed a channel
    assert crisis_effect("safety_mode", legacy).startswith("alert, but there is no alert channel: hurt and pursuit")

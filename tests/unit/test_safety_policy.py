from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bot.safety.policy import CHANNEL_FLOOD_LIMIT, Situation, cooldown_for, decide, family_of

NOW = datetime(2026, 11, 22, 9, tzinfo=UTC)


def run(label: str, **overrides: Any) -> Any:
    return decide(label, Situation(now=NOW, **overrides))


def test_families_and_cooldowns() -> None:
    assert {family_of(x) for x in ("ignored", "rejected", "blocked")} == {"hurt"}
    assert family_of("pursuit") == "pursuit" and family_of("crisis") == "crisis"
    assert cooldown_for("hurt", 6) == timedelta(hours=6)
    assert cooldown_for("crisis", 6) == timedelta(minutes=10)
    assert cooldown_for("crisis", 0.5) == timedelta(minutes=10)


def test_modes() -> None:
    assert run("blocked").action == "reply"
    assert run("blocked", mode="dm").action == "dm"
    assert run("blocked", mode="alert", has_alert_channel=True).action == "alert_only"
    assert run("blocked", mode="alert", has_alert_channel=True).alert


def test_crisis_alerts_even_when_opted_out_but_others_respect_it() -> None:
    assert run("ignored", opted_out=True).action == "none"
    decision = run("crisis", opted_out=True, has_alert_channel=True)
    assert decision.action == "reply" and decision.alert


def test_cooldowns_and_flood_guard() -> None:
    recent = NOW - timedelta(hours=1)
    assert run("blocked", last_reply=recent).action == "none"
    assert run("blocked", last_reply=NOW - timedelta(hours=7)).action == "reply"
    assert run("crisis", last_reply=NOW - timedelta(minutes=11)).action == "reply"
    assert run("blocked", channel_recent_replies=CHANNEL_FLOOD_LIMIT).action == "none"
    assert run("crisis", channel_recent_replies=CHANNEL_FLOOD_LIMIT).action == "reply"


def test_disabled_servers_and_direct_messages() -> None:
    assert run("blocked", enabled=False).action == "none"
    assert run("blocked", is_dm=True, enabled=False).action == "reply"
    assert run("none").action == "none"


def test_quiet_channels_and_roles() -> None:
    assert run("blocked", quiet_here=True).action == "none"

"""Moderators' insights: weeks, counts, medians, and a chart drawn off the event loop."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest

from bot import insights
from bot.storage import Database, Stores

NOW = datetime(2026, 11, 22, 15, tzinfo=UTC)
GUILD = 7


async def test_weeks_end_today_and_count_only_this_server(db: Database) -> None:
    stores = Stores(db)
    await stores.safety_insights.add(GUILD, date(2026, 11, 22), "crisis", "dm")
    await stores.safety_insights.add(GUILD, date(2026, 11, 16), "hurt", "reply", 2)  # the week before
    await stores.safety_insights.add(GUILD, date(2026, 11, 15), "hurt", "quiet:flood_guard")
    await stores.safety_insights.add(GUILD, date(2026, 11, 1), "hurt", "reply")  # older than 2 weeks
    await stores.safety_insights.add(GUILD, date(2026, 11, 20), "member", "not_about_that")
    await stores.safety_insights.add(GUILD + 1, date(2026, 11, 22), "crisis", "reply")  # another server
    report = await insights.gather(stores, GUILD, 2, NOW)
    assert [(w.first, w.last) for w in report.weeks] == [
        (date(2026, 11, 9), date(2026, 11, 15)),
        (date(2026, 11, 16), date(2026, 11, 22)),
    ]
    assert insights.week_line(report.weeks[0]) == "hurt 1 (quiet: flood guard 1) · pursuit 0 · crisis 0"
    assert insights.week_line(report.weeks[1]) == "hurt 2 (replied 2) · pursuit 0 · crisis 1 (DM'd 1)"
    assert report.member_choices["not_about_that"] == 1


async def test_alert_medians_in_minutes(db: Database) -> None:
    stores = Stores(db)
    for message_id, take, resolve in ((1, 2, 30), (2, 6, None), (3, None, None)):
        start = NOW - timedelta(hours=message_id)
        await stores.safety_alerts.open(message_id, GUILD, "crisis", start)
        if take is not None:
            await stores.safety_alerts.take(message_id, 99, start + timedelta(minutes=take))
        if resolve is not None:
            await stores.safety_alerts.resolve(message_id, 99, start + timedelta(minutes=resolve))
    report = await insights.gather(stores, GUILD, 1, NOW)
    assert (report.median_minutes_to_take, report.median_minutes_to_resolve) == (4, 30)
    assert insights.alerts_line(report) == (
        "3 posted · 2 taken, median 4 min to take · 1 resolved, median 30 min to resolve"
    )


async def test_the_chart_is_drawn_off_the_event_loop(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    drawn_in: list[int] = []

    def fake_chart(report: insights.Insights) -> bytes:
        drawn_in.append(threading.get_ident())
        return b"png"

    monkeypatch.setattr(insights, "chart", fake_chart)
    report = await insights.gather(Stores(db), GUILD, 1, NOW)
    assert await insights.render_chart(report) == b"png"
    assert drawn_in and drawn_in[0] != threading.get_ident()

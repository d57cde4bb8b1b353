"""Pure parts of the healing tools: milestones, start dates, local months, the history and its chart."""

from __future__ import annotations

import struct
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.content import load_content
from bot.errors import BadInput
from bot.healing.calendar import MemberZone, member_zone
from bot.healing.history import build_history, history_chart, history_summary
from bot.healing.milestones import MILESTONES, new_milestone, next_milestone, reached
from bot.healing.wording import MILESTONE_WORDS
from bot.options import parse_since
from bot.safety.wording import PUBLIC_REPLY
from bot.storage import Database, Stores

TODAY = date(2026, 11, 22)


def test_milestones_are_shown_once_and_only_the_largest_reached() -> None:
    assert [new_milestone(d, 0) for d in (0, 1, 2, 3)] == [None, 1, 1, 3]
    assert new_milestone(3, 3) is None
    assert new_milestone(10, 3) == 7, "after days away, one message, not a burst"
    assert reached(400) == 365 and next_milestone(365) is None and next_milestone(8) == 14
    assert set(MILESTONE_WORDS) == set(MILESTONES)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026-11-01", date(2026, 11, 1)),
        (" Yesterday ", date(2026, 11, 21)),
        ("today", TODAY),
        ("12", date(2026, 11, 10)),
        ("0", TODAY),
    ],
)
def test_a_start_date_can_be_typed_several_ways(typed: str, expected: date) -> None:
    assert parse_since(typed, TODAY) == expected


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("2026-11-23", "hasn't happened yet"),
        ("last tuesday", "isn't a date I can use"),
        ("4000", "more than ten years"),
        ("1999-01-01", "more than ten years"),
        ("9" * 40, "isn't a date I can use"),
    ],
)
def test_start_dates_that_cannot_be_used_say_what_would_work(typed: str, says: str) -> None:
    with pytest.raises(BadInput, match=says):
        parse_since(typed, TODAY)


def test_a_local_month_begins_at_local_midnight() -> None:
    zone = MemberZone(ZoneInfo("Pacific/Auckland"), True)
    start, end = zone.month_bounds(datetime(2026, 11, 30, 12, tzinfo=UTC))  # already 1 December there
    assert start == datetime(2026, 11, 30, 11, tzinfo=UTC) and end == datetime(2026, 12, 31, 11, tzinfo=UTC)


def test_lantern_never_suggests_no_contact_in_reply_to_someone() -> None:
    """No contact is the member's own goal: the safety replies never bring it up."""
    for reply in PUBLIC_REPLY.values():
        assert "contact" not in reply.lower() and "/nocontact" not in reply


async def test_the_zone_is_the_one_given_then_the_daily_one_then_utc(db: Database) -> None:
    stores = Stores(db)
    assert not (await member_zone(stores, 1)).known
    await stores.daily.save(1, time(9), "America/Chicago", None, datetime(2026, 11, 22, tzinfo=UTC), None)
    assert (await member_zone(stores, 1)).name == "America/Chicago"
    await stores.no_contact.start(1, TODAY, None, 0)
    assert (await member_zone(stores, 1)).name == "America/Chicago"
    await stores.no_contact.start(1, TODAY, "Asia/Tokyo", 0)
    assert (await member_zone(stores, 1)).name == "Asia/Tokyo"


async def test_history_counts_by_local_date_and_renders_a_png(db: Database) -> None:
    stores, content = Stores(db), load_content()
    await stores.no_contact.start(7, date(2026, 11, 1), "America/Los_Angeles", 0)
    now = datetime(2026, 11, 22, 7, 30, tzinfo=UTC)  # 23:30 on 21 November in Los Angeles
    await stores.checkins.add(7, now - timedelta(hours=1), 2, ["anxious"])
    await stores.checkins.add(7, now, 4, ["anxious", "hopeful"])
    await stores.checkins.add(7, now - timedelta(days=40), 5, [])  # outside the window
    pause = await stores.pauses.start(7, now - timedelta(days=2))
    await stores.pauses.record_outcome(pause, 7, True)
    await stores.no_contact.reset(7, date(2026, 11, 15), None)  # a stretch 1-14, then 15-today
    history = await build_history(stores, 7, now, 14)
    assert history.days[0] == date(2026, 11, 8) and history.days[-1] == date(2026, 11, 21)
    assert history.moods[-1] == 3.0 and history.checkins == 2, "both on the local 21st, averaged"
    assert history.pause_days == [date(2026, 11, 19)]
    assert history.no_contact_days == history.days, "both stretches cover the window"
    summary = history_summary(history, content, 14)
    assert "dates in America/Los_Angeles" in summary and "2 check-ins, average mood 3.0" in summary
    assert "anxious (2), hopeful (1)" in summary and "1 pause, 1 passed" in summary
    assert "14 no-contact days" in summary
    png = history_chart(history, 14)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24])[0] > 300
    empty = await build_history(stores, 8, now, 30)
    assert empty.empty and "No check-ins yet" in history_summary(empty, content, 30)


async def test_no_contact_changes_from_many_clicks_at_once_leave_one_open_stretch(db: Database) -> None:
    """A double click (or ten) on start, reset and stop: on PostgreSQL the transactions run side by
    side, so each holds the member's lock, and none fails on the one-open-stretch rule."""
    import asyncio

    stores = Stores(db)
    await asyncio.gather(*(stores.no_contact.start(9, TODAY - timedelta(days=n), None, 0) for n in range(10)))
    await asyncio.gather(*(stores.no_contact.reset(9, TODAY, None) for _ in range(10)))
    open_stretch = await stores.no_contact.current(9)
    assert open_stretch is not None and open_stretch.started_on == TODAY
    await asyncio.gather(*(stores.no_contact.stop(9, TODAY) for _ in range(5)))
    assert await stores.no_contact.current(9) is None

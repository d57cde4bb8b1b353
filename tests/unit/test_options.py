"""What members type for a time zone: names, unique cities and countries, never a fixed offset."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from bot.daily_start import schedule_words
from bot.errors import BadInput
from bot.options import parse_schedule, parse_timezone, zone_choices
from bot.zone_lookup import find_zones, lookup_zone

NOW = datetime(2026, 11, 22, 8, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("Berlin", "Europe/Berlin"),
        ("london", "Europe/London"),
        ("Manila", "Asia/Manila"),
        ("India", "Asia/Kolkata"),
        ("Germany", "Europe/Berlin"),  # "most of Germany"; Büsingen keeps Swiss time
        ("Spain", "Europe/Madrid"),  # the mainland
        ("UK", "Europe/London"),
        ("South Korea", "Asia/Seoul"),
        ("New York", "America/New_York"),
        ("Calcutta", "Asia/Kolkata"),  # an old name leads to the current one
        ("Japan", "Asia/Tokyo"),  # a country, not tzdata's old "Japan" link
        ("UTC", "UTC"),
    ],
)
def test_a_unique_city_or_country_is_enough(typed: str, zone: str) -> None:
    assert parse_timezone(typed).key == zone


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("EST", ["UTC−5 all year", "an hour late", "America/New_York"]),
        ("PDT", ["UTC−7 all year", "an hour early", "America/Los_Angeles"]),
        ("GMT", ["UTC+0 all year", "Europe/London", "or UTC"]),
        ("Etc/GMT+1", ["means UTC−1", "count backwards", "2 hours late", "Europe/Berlin"]),
        ("Etc/GMT-10", ["means UTC+10", "20 hours early", "Pacific/Honolulu"]),
        ("UTC+2", ["fixed offset", "Europe/Athens"]),
        ("+05:30", ["fixed offset", "Asia/Kolkata"]),
        ("JST", ["abbreviation", "Asia/Tokyo"]),
        ("United States", ["more than one time zone", "America/New_York", "America/Los_Angeles"]),
        ("Australia", ["more than one time zone", "Australia/Sydney"]),
        ("Korea", ["Maybe: Asia/Seoul, Asia/Pyongyang"]),
        ("Atlantis", ["I don't know the time zone “Atlantis”", "Berlin, Manila or India"]),
    ],
)
def test_fixed_offsets_and_unclear_names_are_refused_with_the_reason(typed: str, says: list[str]) -> None:
    with pytest.raises(BadInput) as refused:
        parse_timezone(typed)
    for words in says:
        assert words in str(refused.value), (typed, str(refused.value))


def test_a_lone_hour_is_read_on_the_24_hour_clock_and_said_back_in_words() -> None:
    nine = parse_schedule("9", "Berlin")
    assert nine.at == time(9)
    assert schedule_words(nine.at, nine.zone.key, None) == "09:00 (9 in the morning), Berlin time (Europe/Berlin)"
    assert "21:00 or 9pm" in nine.note
    assert parse_schedule("9pm", "India").note == "", "nothing to explain when it was unambiguous"
    with pytest.raises(BadInput, match="9am, 9:30 pm, 21:30"):
        parse_schedule("nine-ish", "UTC")


def test_autocomplete_ranks_city_and_country_matches_first() -> None:
    assert find_zones("berl")[0] == "Europe/Berlin"
    assert find_zones("india")[0] == "Asia/Kolkata"
    assert find_zones("lon")[0] == "Europe/London", "a well-known city before Longyearbyen"
    assert find_zones("aus")[:2] == ["Australia/Sydney", "Australia/Melbourne"]
    assert find_zones("new york")[0] == "America/New_York"
    assert "Asia/Calcutta" not in find_zones("kol")[:3]
    [first, *_] = zone_choices("manila", NOW)
    assert first.value == "Asia/Manila"
    assert first.name == "Manila, Philippines · Asia/Manila · UTC+8 now"
    assert all(len(choice.name) <= 100 for choice in zone_choices("a", NOW))
    assert lookup_zone("Europe/Berlin").how == "name"

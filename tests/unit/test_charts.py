from __future__ import annotations

import struct
from datetime import date, timedelta

import pytest

from bot.charts import MAX_BYTES, stacked_bars, timeline

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_stacked_bars_is_a_png_discord_accepts() -> None:
    data = stacked_bars("Replies", ["w1", "w2", "w3"], {"hurt": [1, 0, 4], "crisis": [0, 2, 1]}, y_label="replies")
    width, height = png_size(data)
    assert 200 < width < 2000 and 150 < height < 1500
    assert len(data) < MAX_BYTES


def test_bars_refuse_mismatched_series() -> None:
    with pytest.raises(ValueError, match="3 columns"):
        stacked_bars("x", ["a", "b", "c"], {"s": [1, 2]}, y_label="n")


def test_timeline_with_gaps_and_markers() -> None:
    days = [date(2026, 11, 1) + timedelta(days=i) for i in range(10)]
    moods = [3, None, 4, 2, None, None, 5, 4, 3, None]
    data = timeline("Mood", days, moods, y_label="mood", y_range=(1, 5), markers={"pauses": days[2:4]})
    assert png_size(data)[0] > 200
    empty = timeline("Mood", days, [None] * 10, y_label="mood")
    assert empty != data

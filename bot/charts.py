"""Small PNG charts (moderators' insights, a member's own check-in history), rendered off-screen.

matplotlib is imported on first use, so start-up pays nothing for it. Charts carry counts and dates
only: never names, ids or text.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

MAX_BYTES = 1_000_000  # far below Discord's attachment limit; a chart here is ~20-60 kB
PALETTE = ("#E8AA42", "#588CC8", "#C8584F", "#6BA368", "#8E6BBF", "#7F7F7F")
FIGURE_SIZE = (7.0, 3.6)
DPI = 100


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")  # no display: render to memory
    import matplotlib.pyplot as plt

    return plt


def _png(figure: Any) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", metadata={"Software": None})
    _pyplot().close(figure)
    data = buffer.getvalue()
    if len(data) > MAX_BYTES:
        raise ValueError(f"chart is {len(data)} bytes, over {MAX_BYTES}")
    return data


def stacked_bars(title: str, columns: Sequence[str], series: Mapping[str, Sequence[int]], *, y_label: str) -> bytes:
    """One bar per column (e.g. a week), stacked by series (e.g. kind of reply)."""
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=FIGURE_SIZE)
    bottoms = [0] * len(columns)
    for index, (name, values) in enumerate(series.items()):
        if len(values) != len(columns):
            raise ValueError(f"series {name!r} has {len(values)} values for {len(columns)} columns")
        axes.bar(columns, values, bottom=bottoms, label=name, color=PALETTE[index % len(PALETTE)])
        bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
    axes.set_title(title)
    axes.set_ylabel(y_label)
    axes.yaxis.get_major_locator().set_params(integer=True)
    if series:
        axes.legend(loc="upper left", fontsize="small", frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    figure.autofmt_xdate(rotation=30)
    return _png(figure)


def timeline(
    title: str,
    days: Sequence[date],
    values: Sequence[float | None],
    *,
    y_label: str,
    y_range: tuple[float, float] | None = None,
    markers: Mapping[str, Sequence[date]] | None = None,
) -> bytes:
    """A line of daily values (gaps where None), with optional event markers along the bottom."""
    if len(days) != len(values):
        raise ValueError("days and values differ in length")
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=FIGURE_SIZE)
    points = [(d, v) for d, v in zip(days, values, strict=True) if v is not None]
    if points:
        xs, ys = zip(*points, strict=True)
        axes.plot(xs, ys, marker="o", color=PALETTE[0], linewidth=2)
    if y_range is not None:
        axes.set_ylim(*y_range)
    low = y_range[0] if y_range is not None else 0
    for index, (name, when) in enumerate((markers or {}).items()):
        if when:
            axes.scatter(when, [low] * len(when), marker="|", s=200, label=name, color=PALETTE[(index + 1) % 6])
    axes.set_title(title)
    axes.set_ylabel(y_label)
    if markers:
        axes.legend(loc="upper left", fontsize="small", frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    figure.autofmt_xdate(rotation=30)
    return _png(figure)

"""Small PNG charts (moderators' insights, a member's own check-in history), rendered off-screen.

matplotlib is imported on first use, so start-up pays nothing for it. Each chart is its own Figure
(matplotlib's object API, not pyplot's global state), so charts can be rendered in a worker thread
without blocking the bot. Charts carry counts and dates only: never names, ids or text.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

MAX_BYTES = 1_000_000  # far below Discord's attachment limit; a chart here is ~20-60 kB
PALETTE = ("#E8AA42", "#588CC8", "#C8584F", "#6BA368", "#8E6BBF", "#7F7F7F")
FIGURE_SIZE = (7.0, 3.6)
DPI = 100
MARKER_ROW = 0.08  # the height of one row of event markers, as a share of the values' range


def _figure() -> tuple[Any, Any]:
    """A new figure and its axes, rendered to memory (Agg) and owned by nobody else."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=FIGURE_SIZE)
    return figure, figure.subplots()


def _png(figure: Any) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", metadata={"Software": None})
    data = buffer.getvalue()
    if len(data) > MAX_BYTES:
        raise ValueError(f"chart is {len(data)} bytes, over {MAX_BYTES}")
    return data


def stacked_bars(title: str, columns: Sequence[str], series: Mapping[str, Sequence[int]], *, y_label: str) -> bytes:
    """One bar per column (e.g. a week), stacked by series (e.g. kind of reply)."""
    figure, axes = _figure()
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
    """A line of daily values (broken where None), with event markers in rows of their own below it."""
    if len(days) != len(values):
        raise ValueError("days and values differ in length")
    figure, axes = _figure()
    present = [v for v in values if v is not None]
    if present:
        # NaN breaks the line, so a day without a value is a gap, not a straight line across it.
        axes.plot(days, [math.nan if v is None else v for v in values], marker="o", color=PALETTE[0], linewidth=2)
    low, high = y_range if y_range is not None else (min(present, default=0.0), max(present, default=1.0))
    step = ((high - low) or 1.0) * MARKER_ROW
    rows = list((markers or {}).items())
    for index, (name, when) in enumerate(rows):
        # Each kind of event on its own row under the values, so one never hides another.
        y = low - step * (index + 1)
        axes.scatter(when, [y] * len(when), marker="|", s=160, label=name, color=PALETTE[(index + 1) % len(PALETTE)])
    if y_range is not None or rows:
        axes.set_ylim(low - step * (len(rows) + 1), high + step / 2)
        axes.set_yticks([tick for tick in axes.get_yticks() if low <= tick <= high])
    axes.set_title(title, pad=24 if rows else 6)
    axes.set_ylabel(y_label)
    if rows:
        axes.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=len(rows), fontsize="small", frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    figure.autofmt_xdate(rotation=30)
    return _png(figure)

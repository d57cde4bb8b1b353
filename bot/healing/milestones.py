"""No-contact milestones: pure arithmetic on the member's local dates."""

from __future__ import annotations

MILESTONES = (1, 3, 7, 14, 30, 60, 90, 180, 365)


def reached(days: int) -> int:
    """The largest milestone at or below `days` (0 before the first)."""
    return max((m for m in MILESTONES if m <= days), default=0)


def new_milestone(days: int, last_shown: int) -> int | None:
    """The milestone to show now, if `days` passed one not shown yet (only the largest, never a burst)."""
    milestone = reached(days)
    return milestone if milestone > last_shown else None


def next_milestone(days: int) -> int | None:
    return next((m for m in MILESTONES if m > days), None)

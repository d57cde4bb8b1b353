"""No-repeat prompt rotation: every prompt of a scope once, in random order, before any repeats."""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence


def choose_next(
    scope: Sequence[str], seen: Collection[str], last: str | None, rng: random.Random, avoid: str | None = None
) -> tuple[str, bool]:
    """The next prompt id, and whether it starts a new cycle.

    A new cycle starts once every prompt of the scope was seen; its first pick avoids the prompt
    shown just before, so the cycle boundary never shows the same prompt twice in a row. `avoid`
    is the prompt the member is reading right now (someone else's, or the prompt of the day): it
    counts as seen for this pick, so "Another prompt" never shows it again.
    """
    if not scope:
        raise ValueError("a rotation needs at least one prompt")
    remaining = [p for p in scope if p not in seen and p != avoid]
    if remaining:
        return rng.choice(remaining), False
    fresh = [p for p in scope if p not in (last, avoid)] or [p for p in scope if p != avoid] or list(scope)
    return rng.choice(fresh), True

"""Moderators' insights: what Lantern did about safety per week, and how alerts were handled.

Built from daily counts per server (`safety_insights`) and the alerts' times (`safety_alerts`): no
member ids and no text exist to show. Weeks are the last N seven-day spans ending today (UTC).
"""

from __future__ import annotations

import asyncio
import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from bot.charts import stacked_bars
from bot.safety.alerts import AlertRecord
from bot.storage import Stores

KINDS = ("hurt", "pursuit", "crisis")
MAX_WEEKS = 12  # counts are kept 90 days
OUTCOME_WORDS = {
    "reply": "replied",
    "dm": "DM'd",
    "dm_failed_reply": "DM failed, replied publicly",
    "reply_failed_dm": "couldn't post, DM'd",
    "alert_only": "alert only",
    "failed": "couldn't reach them",
}


def outcome_words(key: str) -> str:
    """An insights key in words: "quiet:flood_guard" → "quiet: flood guard"."""
    if key.startswith("quiet:"):
        return "quiet: " + key.removeprefix("quiet:").replace("_", " ")
    return OUTCOME_WORDS.get(key, key.replace("_", " "))


@dataclass
class Week:
    first: date
    last: date
    outcomes: dict[str, Counter[str]] = field(default_factory=lambda: {k: Counter() for k in KINDS})

    @property
    def label(self) -> str:
        return f"{self.first:%b %d}–{self.last:%b %d}"

    def total(self, kind: str) -> int:
        return sum(self.outcomes[kind].values())


@dataclass
class Insights:
    weeks: list[Week]
    alerts: list[AlertRecord]
    member_choices: Counter[str]

    def _minutes(self, attr: str) -> list[float]:
        times = [(getattr(a, attr), a.created_at) for a in self.alerts]
        return [(at - created).total_seconds() / 60 for at, created in times if at is not None]

    @property
    def median_minutes_to_take(self) -> float | None:
        values = self._minutes("taken_at")
        return statistics.median(values) if values else None

    @property
    def median_minutes_to_resolve(self) -> float | None:
        values = self._minutes("resolved_at")
        return statistics.median(values) if values else None


async def gather(stores: Stores, guild_id: int, weeks: int, now: datetime) -> Insights:
    weeks = max(1, min(MAX_WEEKS, weeks))
    today = now.date()
    spans = [
        Week(today - timedelta(days=7 * (weeks - i) - 1), today - timedelta(days=7 * (weeks - i - 1)))
        for i in range(weeks)
    ]
    choices: Counter[str] = Counter()
    for row in await stores.safety_insights.between(guild_id, spans[0].first, today):
        if row.kind == "member":
            choices[row.outcome] += row.count
            continue
        week = next(w for w in spans if w.first <= row.day <= w.last)
        week.outcomes[row.kind][row.outcome] += row.count
    start = datetime.combine(spans[0].first, datetime.min.time(), tzinfo=now.tzinfo)
    return Insights(spans, await stores.safety_alerts.since(guild_id, start), choices)


def _minutes_text(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} min"


def week_line(week: Week) -> str:
    parts = []
    for kind in KINDS:
        total = week.total(kind)
        detail = ", ".join(f"{outcome_words(k)} {n}" for k, n in sorted(week.outcomes[kind].items()))
        parts.append(f"{kind} {total}" + (f" ({detail})" if detail else ""))
    return " · ".join(parts)


def alerts_line(insights: Insights) -> str:
    alerts = insights.alerts
    talks = sum(1 for a in alerts if a.kind == "talk")
    taken = sum(1 for a in alerts if a.taken_at is not None)
    resolved = sum(1 for a in alerts if a.resolved_at is not None)
    posted = f"{len(alerts)} posted" + (f" ({talks} a member's request to talk)" if talks else "")
    return (
        f"{posted} · {taken} taken, median {_minutes_text(insights.median_minutes_to_take)} to take · "
        f"{resolved} resolved, median {_minutes_text(insights.median_minutes_to_resolve)} to resolve"
    )


def choices_line(insights: Insights) -> str:
    c = insights.member_choices
    return f"pressed “Don't reply to me”: {c['opt_out']} · “Not about that”: {c['not_about_that']}"


_CHART_LOCK = asyncio.Lock()  # pyplot keeps global state: one chart at a time


async def render_chart(insights: Insights) -> bytes:
    """The chart, drawn off the event loop (the first one pays for importing matplotlib, ~1 s), so
    a member's message is never kept waiting behind a moderator's report."""
    async with _CHART_LOCK:
        return await asyncio.to_thread(chart, insights)


def chart(insights: Insights) -> bytes:
    """Safety events per week, stacked by kind (a PNG)."""
    columns = [w.label for w in insights.weeks]
    series = {kind: [w.total(kind) for w in insights.weeks] for kind in KINDS}
    return stacked_bars("Safety events per week, by kind", columns, series, y_label="events")

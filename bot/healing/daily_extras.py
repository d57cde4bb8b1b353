"""What the healing tools add to a member's daily prompt DM: a no-contact milestone reached on their
local date, and a "Check in" button when they asked for check-in reminders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import discord

from bot.healing.milestones import new_milestone
from bot.healing.wording import REMINDER_IN_DM, day_count, milestone_line
from bot.presenters import PROMPT_COLOUR
from bot.storage import Stores
from bot.storage.daily import Subscription
from bot.storage.no_contact import NoContactRun

CHECKIN_OPEN_ID = "lantern:checkin:open"  # the "Check in" button; cogs/checkin.py answers it


@dataclass(frozen=True)
class DailyExtras:
    run: NoContactRun | None
    days: int
    milestone: int | None
    checkin_reminder: bool

    def embed(self) -> discord.Embed | None:
        lines: list[str] = []
        if self.milestone is not None:
            lines.append(f"{milestone_line(self.milestone)} (your no-contact count: {day_count(self.days)})")
        if self.checkin_reminder:
            lines.append(REMINDER_IN_DM)
        if not lines:
            return None
        return discord.Embed(description="\n\n".join(lines), colour=PROMPT_COLOUR).set_footer(text="Only you see this.")

    async def delivered(self, stores: Stores) -> None:
        """The DM arrived: its milestone has been shown, so it is not shown again."""
        if self.run is not None and self.milestone is not None:
            await stores.no_contact.mark_milestone(self.run, self.milestone)


async def daily_extras(stores: Stores, sub: Subscription, now: datetime) -> DailyExtras:
    run = await stores.no_contact.current(sub.user_id)
    if run is None:
        return DailyExtras(None, 0, None, sub.checkin_reminder)
    # The member's zone (bot/healing/calendar.py): the one given to /nocontact start, else this DM's.
    days = run.days(now.astimezone(ZoneInfo(run.timezone or sub.timezone)).date())
    return DailyExtras(run, days, new_milestone(days, run.milestone), sub.checkin_reminder)


async def milestones_by_dm(stores: Stores, user_id: int, now: datetime) -> bool:
    """Whether the member's milestones travel in their daily DM: subscribed, delivering and not
    snoozed today (otherwise `/nocontact status` shows them)."""
    sub = await stores.daily.get(user_id)
    if sub is None or sub.paused_reason is not None:
        return False
    return sub.snoozed_until is None or sub.snoozed_until <= now.astimezone(ZoneInfo(sub.timezone)).date()

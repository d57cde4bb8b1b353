"""`/nocontact start|status|reset|stop`: a private count of the days a member chose not to reach out.

It is the member's own goal, counted by their local date; only they ever see it, and Lantern never
suggests it to anyone. Milestones come in their daily DM when they have one, else in `status`.
"""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import LanternBot
from bot.healing.calendar import MemberZone, member_zone
from bot.healing.daily_extras import milestones_by_dm
from bot.healing.milestones import new_milestone, next_milestone, reached
from bot.healing.wording import (
    DAY_ZERO,
    NO_COUNT,
    PRIVATE_FOOTER,
    STOPPED,
    UTC_NOTE,
    day_count,
    milestone_line,
)
from bot.interactions import send_private
from bot.options import parse_since, parse_timezone, zone_choices


def _zone_note(zone: MemberZone) -> str:
    return f" Counted by your local date ({zone.name})." if zone.known else UTC_NOTE


class NoContact(
    commands.GroupCog,
    group_name="nocontact",
    group_description="A private count of the days you choose not to reach out",
):
    def __init__(self, bot: LanternBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(
        name="start", description="Start counting the days you choose not to reach out (only you see it)"
    )
    @app_commands.describe(
        since="The day you began, like 2026-11-01, yesterday, or a number of days ago (default: today)",
        timezone="Your time zone, like Europe/Berlin, so days turn at your midnight (start typing a city)",
    )
    async def start(
        self, interaction: discord.Interaction, since: str | None = None, timezone: str | None = None
    ) -> None:
        stores, user_id = self.bot.stores, interaction.user.id
        given = parse_timezone(timezone) if timezone else None
        current = await stores.no_contact.current(user_id)
        zone = MemberZone(given, True) if given else await member_zone(stores, user_id, current)
        today = zone.today(self.bot.clock.now())
        started_on = parse_since(since, today) if since else today
        days = (today - started_on).days
        kept_zone = given.key if given else (current.timezone if current else None)
        # Milestones already behind the start day are not celebrated all at once.
        await stores.no_contact.start(user_id, started_on, kept_zone, reached(days))
        verb = "Updated: counting" if current else "Counting"
        where = (
            "in your daily DM"
            if await milestones_by_dm(stores, user_id, self.bot.clock.now())
            else "in `/nocontact status`"
        )
        await send_private(
            interaction,
            f"{verb} from {started_on:%A %d %B %Y}: today is day {days}.{_zone_note(zone)}\n"
            f"Only you see this count. Milestones (1, 3, 7, 14, 30 days and on) come {where}.",
        )

    @start.autocomplete("timezone")
    async def timezone_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return zone_choices(current, self.bot.clock.now())

    @app_commands.command(name="status", description="Your no-contact count (only you see it)")
    async def status(self, interaction: discord.Interaction) -> None:
        stores, user_id, now = self.bot.stores, interaction.user.id, self.bot.clock.now()
        run = await stores.no_contact.current(user_id)
        if run is None:
            await send_private(interaction, NO_COUNT)
            return
        zone = await member_zone(stores, user_id, run)
        days = run.days(zone.today(now))
        lines = [f"Day {days} of choosing not to reach out, since {run.started_on:%A %d %B %Y}.{_zone_note(zone)}"]
        milestone = new_milestone(days, run.milestone)
        if milestone is not None and not await milestones_by_dm(stores, user_id, now):
            lines.insert(0, milestone_line(milestone))
            await stores.no_contact.mark_milestone(run, milestone)
        upcoming = next_milestone(days)
        if upcoming is not None:
            lines.append(f"Next milestone: {day_count(upcoming)}, in {day_count(upcoming - days)}.")
        lines.append(PRIVATE_FOOTER)
        await send_private(interaction, "\n".join(lines))

    @app_commands.command(
        name="reset", description="For when you reached out: begin again at day 0 (day 0 is a start too)"
    )
    async def reset(self, interaction: discord.Interaction) -> None:
        stores, user_id = self.bot.stores, interaction.user.id
        run = await stores.no_contact.current(user_id)
        zone = await member_zone(stores, user_id, run)
        today = zone.today(self.bot.clock.now())
        before = run.days(today) if run else 0
        await stores.no_contact.reset(user_id, today, None)
        kept = f"\nYour last stretch: {day_count(before)}. Those days still count." if before else ""
        await send_private(interaction, f"{DAY_ZERO}{kept}")

    @app_commands.command(name="stop", description="Stop counting")
    async def stop(self, interaction: discord.Interaction) -> None:
        stores, user_id = self.bot.stores, interaction.user.id
        run = await stores.no_contact.current(user_id)
        if run is None:
            await send_private(interaction, NO_COUNT)
            return
        zone = await member_zone(stores, user_id, run)
        today = zone.today(self.bot.clock.now())
        await stores.no_contact.stop(user_id, today)
        await send_private(interaction, f"Stopped at day {run.days(today)}. {STOPPED}")


async def setup(bot: LanternBot) -> None:
    await bot.add_cog(NoContact(bot))

"""`/daily start|stop|status`: a reflection prompt by DM every day at the member's own local time.

Delivery claims a subscription (moves it to its next day) before sending, so a crash can cost one
day's prompt but never send it twice. Sends are paced below Discord's global limit and each has
a timeout, so one slow or failing member never holds up the rest.
"""

from __future__ import annotations

import asyncio
import logging
import re
from datetime import datetime, time, timedelta
from time import monotonic
from typing import Any
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import LanternBot
from bot.errors import BadInput, SafeDynamicButton, send_private
from bot.presenters import prompt_embed
from bot.scheduling import find_zones, is_too_late, next_delivery, parse_local_time, parse_zone, plan_delivery
from bot.storage.daily import PAUSE_AFTER_FAILURES, Subscription
from bot.storage.members import ALL_THEMES
from cogs.reflection import resolve_theme, theme_choices

log = logging.getLogger(__name__)
STOP_LABEL = "Stop daily prompts"
STOPPED = "Stopped. You won't get daily prompts any more."
ALREADY_OFF = "Daily prompts are already off."
BATCH = 500
CONCURRENT_SENDS = 20
SEND_TIMEOUT = 30.0
RETRY_AFTER = timedelta(minutes=5)
ALLOW_DMS_HELP = (
    "I couldn't send you a direct message, so I haven't saved anything. To get daily prompts, allow DMs "
    "from server members: open the server menu → Privacy Settings → turn on Direct Messages, then run "
    "`/daily start` again."
)


def parse_schedule(time_text: str, zone_text: str) -> tuple[time, ZoneInfo]:
    """A local time and an IANA zone from what a member typed, or a kind BadInput with examples."""
    at = parse_local_time(time_text)
    if at is None:
        raise BadInput(f"“{time_text[:20]}” isn't a time I can use. Try 24-hour time like 09:00 or 21:30.")
    zone = parse_zone(zone_text)
    if zone is None:
        suggestions = ", ".join(find_zones(zone_text, 3)) or "Europe/Berlin, America/New_York"
        raise BadInput(
            f"I don't know the time zone “{zone_text[:40]}”. Use a name like Europe/Berlin or "
            f"America/New_York; start typing your city to see suggestions. Maybe: {suggestions}."
        )
    return at, zone


def zone_choices(current: str) -> list[app_commands.Choice[str]]:
    """Time zones matching what was typed, for any command's timezone option."""
    return [app_commands.Choice(name=zone, value=zone) for zone in find_zones(current)]


def discord_timestamp(instant: datetime) -> str:
    unix = int(instant.timestamp())
    return f"<t:{unix}:F> (<t:{unix}:R>)"


class Pacer:
    """At most `rate` sends per second, evenly spaced (real time: Discord's limits are real time)."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        async with self._lock:
            now = monotonic()
            if self._next > now:
                await asyncio.sleep(self._next - now)
                now = self._next
            self._next = max(now, self._next) + self.interval


class StopDailyButton(SafeDynamicButton, template=r"lantern:daily:stop"):
    """On every daily DM; its custom_id is stable, so it keeps working after a restart."""

    def __init__(self) -> None:
        super().__init__(
            discord.ui.Button(label=STOP_LABEL, style=discord.ButtonStyle.secondary, custom_id="lantern:daily:stop")
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> StopDailyButton:
        return cls()

    async def respond(self, interaction: discord.Interaction[Any]) -> None:
        bot: LanternBot = interaction.client
        stopped = await bot.daily.delete(interaction.user.id)
        bot.scheduler.wake()
        await send_private(interaction, STOPPED if stopped else ALREADY_OFF)


def stop_view() -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(StopDailyButton())
    return view


class DailyDelivery:
    """The scheduler job: send what is due, once per member per local day."""

    name = "daily-dms"

    def __init__(self, bot: LanternBot) -> None:
        self.bot = bot
        self.pacer = Pacer(bot.settings.daily_sends_per_second)
        self._slots = asyncio.Semaphore(CONCURRENT_SENDS)

    async def next_due(self) -> datetime | None:
        return await self.bot.daily.earliest_due()

    async def run_due(self, now: datetime) -> None:
        while True:
            due = await self.bot.daily.due(now, BATCH)
            sends = [task for sub in due if (task := await self._claim(sub, now)) is not None]
            if sends:
                await asyncio.gather(*sends)
            if len(due) < BATCH:
                return

    async def _claim(self, sub: Subscription, now: datetime) -> asyncio.Task[None] | None:
        original = sub.retry_due or sub.next_due
        following, local_day = plan_delivery(
            original,
            sub.last_local_date,
            sub.local_time,
            ZoneInfo(sub.timezone),
            now,
            retrying=sub.retry_due is not None,
        )
        if not await self.bot.daily.claim(sub, following, local_day) or local_day is None:
            return None
        return asyncio.create_task(self._deliver(sub, original, now), name=f"daily-dm-{sub.user_id}")

    async def _deliver(self, sub: Subscription, original: datetime, now: datetime) -> None:
        async with self._slots:
            try:
                await asyncio.wait_for(self._send(sub), SEND_TIMEOUT)
            except discord.Forbidden:
                failures = await self.bot.daily.record_closed_dms(sub.user_id)
                if failures >= PAUSE_AFTER_FAILURES:
                    log.info("Paused daily prompts for a member after %d closed-DM failures", failures)
            except (discord.HTTPException, TimeoutError, OSError) as exc:
                retry_at = now + RETRY_AFTER
                if not is_too_late(original, retry_at):
                    await self.bot.daily.schedule_retry(sub.user_id, retry_at, original)
                log.warning("Daily prompt send failed (%s); retrying in 5 minutes", type(exc).__name__)

    async def _send(self, sub: Subscription) -> None:
        bot = self.bot
        scope = bot.content.prompt_ids(sub.theme if sub.theme in bot.content.themes else None)
        prompt_id = await bot.prompt_rotation.next_prompt(sub.user_id, sub.theme or ALL_THEMES, scope, bot.rng)
        embed = prompt_embed(bot.content, bot.content.prompts[prompt_id])
        channel_id = sub.dm_channel_id
        if channel_id is None:
            await self.pacer.wait()
            channel_id = (await bot.create_dm(discord.Object(id=sub.user_id))).id
        await self.pacer.wait()
        channel = bot.get_partial_messageable(channel_id, type=discord.ChannelType.private)
        await channel.send("Your reflection for today:", embed=embed, view=stop_view())
        await bot.daily.record_success(sub.user_id, channel_id)


class Daily(commands.GroupCog, group_name="daily", group_description="A reflection prompt by DM every day"):
    def __init__(self, bot: LanternBot) -> None:
        self.bot = bot
        self.delivery = DailyDelivery(bot)
        super().__init__()

    async def cog_load(self) -> None:
        self.bot.scheduler.register(self.delivery)

    async def cog_unload(self) -> None:
        self.bot.scheduler.unregister(self.delivery)

    @app_commands.command(name="start", description="Get a prompt by DM every day at your local time")
    @app_commands.describe(
        time="Your local time, like 09:00 or 21:30",
        timezone="Your time zone, like Europe/Berlin (start typing a city)",
        theme="Only prompts of this theme (leave empty for any)",
    )
    async def start(self, interaction: discord.Interaction, time: str, timezone: str, theme: str | None = None) -> None:
        at, zone = parse_schedule(time, timezone)
        theme_id = resolve_theme(self.bot, theme)
        await interaction.response.defer(ephemeral=True, thinking=True)
        existing = await self.bot.daily.get(interaction.user.id)
        now = self.bot.clock.now()
        next_due = next_delivery(now, at, zone, not_on=existing.last_local_date if existing else None)
        try:
            dm = await interaction.user.create_dm()
            await dm.send(
                f"Welcome to daily reflections. I'll send you a prompt here every day at {at:%H:%M} "
                f"({zone.key}). The first one comes {discord_timestamp(next_due)}. You can stop any time.",
                view=stop_view(),
            )
        except discord.Forbidden:
            await send_private(interaction, ALLOW_DMS_HELP)
            return
        await self.bot.daily.save(interaction.user.id, at, zone.key, theme_id, next_due, dm.id)
        self.bot.scheduler.wake()
        theme_note = f", theme {self.bot.content.themes[theme_id].name}" if theme_id else ""
        await send_private(
            interaction,
            f"Done: every day at {at:%H:%M} {zone.key}{theme_note}. Next prompt {discord_timestamp(next_due)}.",
        )

    @start.autocomplete("timezone")
    async def timezone_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return zone_choices(current)

    @start.autocomplete("theme")
    async def theme_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return theme_choices(self.bot, current)

    @app_commands.command(name="stop", description="Stop your daily prompts")
    async def stop(self, interaction: discord.Interaction) -> None:
        stopped = await self.bot.daily.delete(interaction.user.id)
        self.bot.scheduler.wake()
        await send_private(interaction, STOPPED if stopped else ALREADY_OFF)

    @app_commands.command(name="status", description="When your next daily prompt comes")
    async def status(self, interaction: discord.Interaction) -> None:
        sub = await self.bot.daily.get(interaction.user.id)
        if sub is None:
            await send_private(
                interaction,
                "You don't have daily prompts. Start with `/daily start time:09:00 timezone:Europe/London`.",
            )
            return
        if sub.paused_reason == "dms_closed":
            await send_private(
                interaction,
                f"Paused: my last {PAUSE_AFTER_FAILURES} DMs to you couldn't be delivered. Allow direct messages "
                "from server members (server menu → Privacy Settings), then run `/daily start` again to resume.",
            )
            return
        zone = ZoneInfo(sub.timezone)
        local = sub.next_due.astimezone(zone)
        theme = f" (theme {self.bot.content.themes[sub.theme].name})" if sub.theme in self.bot.content.themes else ""
        await send_private(
            interaction,
            f"Every day at {sub.local_time:%H:%M} {sub.timezone}{theme}. Next: {local:%A %d %B, %H:%M} your time, "
            f"{discord_timestamp(sub.next_due)}.",
        )


async def setup(bot: LanternBot) -> None:
    bot.add_dynamic_items(StopDailyButton)
    await bot.add_cog(Daily(bot))

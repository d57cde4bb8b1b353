"""`/daily start|stop|status`: a reflection prompt by DM every day at the member's own local time.

Delivery claims a subscription (moves it to its next day) before sending, so a crash can cost one
day's prompt but never send it twice. Sends are paced below Discord's global limit and each has
a timeout, so one slow or failing member never holds up the rest.
"""

from __future__ import annotations

import asyncio
import logging
import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import LanternBot
from bot.interactions import SafeDynamicButton, send_private
from bot.local_time import is_too_late, next_delivery, plan_delivery
from bot.options import parse_schedule, resolve_theme, theme_choices, zone_choices
from bot.pacing import Pacer
from bot.presenters import discord_timestamp, prompt_embed
from bot.prompts import next_prompt
from bot.storage.daily import PAUSE_AFTER_FAILURES, Subscription

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
        stopped = await bot.stores.daily.delete(interaction.user.id)
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
        return await self.bot.stores.daily.earliest_due()

    async def run_due(self, now: datetime) -> None:
        while True:
            due = await self.bot.stores.daily.due(now, BATCH)
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
        if not await self.bot.stores.daily.claim(sub, following, local_day) or local_day is None:
            return None
        return asyncio.create_task(self._deliver(sub, original, now), name=f"daily-dm-{sub.user_id}")

    async def _deliver(self, sub: Subscription, original: datetime, now: datetime) -> None:
        async with self._slots:
            try:
                await asyncio.wait_for(self._send(sub), SEND_TIMEOUT)
            except discord.Forbidden:
                failures = await self.bot.stores.daily.record_closed_dms(sub.user_id)
                if failures >= PAUSE_AFTER_FAILURES:
                    log.info("Paused daily prompts for a member after %d closed-DM failures", failures)
            except (discord.HTTPException, TimeoutError, OSError) as exc:
                retry_at = now + RETRY_AFTER
                if not is_too_late(original, retry_at):
                    await self.bot.stores.daily.schedule_retry(sub.user_id, retry_at, original)
                log.warning("Daily prompt send failed (%s); retrying in 5 minutes", type(exc).__name__)

    async def _send(self, sub: Subscription) -> None:
        bot = self.bot
        prompt = await next_prompt(bot.content, bot.stores.prompt_rotation, bot.rng, sub.user_id, sub.theme)
        embed = prompt_embed(bot.content, prompt)
        channel_id = sub.dm_channel_id
        if channel_id is None:
            await self.pacer.wait()
            channel_id = (await bot.create_dm(discord.Object(id=sub.user_id))).id
        await self.pacer.wait()
        channel = bot.get_partial_messageable(channel_id, type=discord.ChannelType.private)
        await channel.send("Your reflection for today:", embed=embed, view=stop_view())
        await bot.stores.daily.record_success(sub.user_id, channel_id)


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
        theme_id = resolve_theme(self.bot.content, theme)
        await interaction.response.defer(ephemeral=True, thinking=True)
        existing = await self.bot.stores.daily.get(interaction.user.id)
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
        await self.bot.stores.daily.save(interaction.user.id, at, zone.key, theme_id, next_due, dm.id)
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
        return theme_choices(self.bot.content, current)

    @app_commands.command(name="stop", description="Stop your daily prompts")
    async def stop(self, interaction: discord.Interaction) -> None:
        stopped = await self.bot.stores.daily.delete(interaction.user.id)
        self.bot.scheduler.wake()
        await send_private(interaction, STOPPED if stopped else ALREADY_OFF)

    @app_commands.command(name="status", description="When your next daily prompt comes")
    async def status(self, interaction: discord.Interaction) -> None:
        sub = await self.bot.stores.daily.get(interaction.user.id)
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

"""`/daily start|stop|status`: a reflection prompt by DM every day at the member's own local time.

Delivery claims a subscription (moves it to its next day) before sending, so a crash can cost one
day's prompt but never send it twice. Every send of a day's prompt carries the same nonce, so a
send Discord made but whose answer was lost is never doubled by its retries. Sends are paced below
Discord's global limit and each has a timeout, so one slow or failing member never holds up the
rest; a day that cannot be delivered counts as a failure, and three in a row pause the subscription.
"""

from __future__ import annotations

import asyncio
import logging
import random
import re
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

from bot.client import LanternBot
from bot.daily_start import Start, plan_start, schedule_words
from bot.healing.daily_extras import CHECKIN_OPEN_ID, daily_extras
from bot.healing.wording import CHECK_IN_LABEL, NO_DAILY, NOT_SNOOZED
from bot.interactions import SafeDynamicButton, send_private
from bot.local_time import is_too_late, local_instant, next_delivery, plan_delivery
from bot.nonces import daily_prompt_nonce, nonce_for
from bot.options import parse_schedule, resolve_theme, theme_choices, zone_choices, zone_words
from bot.pacing import Pacer
from bot.presenters import discord_timestamp, prompt_embed
from bot.prompts import mark_seen, pick_prompt
from bot.storage.daily import PAUSE_AFTER_FAILURES, PauseReason, Subscription

log = logging.getLogger(__name__)
STOP_LABEL = "Stop daily prompts"
STOPPED = "Stopped. You won't get daily prompts any more."
ALREADY_OFF = "Daily prompts are already off."
# Claimed at a time: about two seconds of sends at the pace, so a process killed mid-batch costs at
# most that many members one day's prompt (never a repeat), and a claim stays one short transaction.
CLAIM_SECONDS = 2.0
MIN_BATCH = 50
CONCURRENT_SENDS = 20
SEND_TIMEOUT = 30.0
# A send that failed in a way that may have reached Discord (5xx, timeout, lost connection) is
# retried with the same nonce. The first retry comes well inside the few minutes in which Discord
# de-duplicates by nonce, so a message Discord did create is returned, not sent again.
FIRST_RETRY_AFTER = timedelta(minutes=1)
RETRY_AFTER = timedelta(minutes=5)
TRANSIENT = (discord.DiscordServerError, TimeoutError, OSError, aiohttp.ClientError)
HOW_TO_ALLOW_DMS = (
    "allow DMs from server members (server menu → Privacy Settings → turn on Direct Messages), then run "
    "`/daily start` again."
)
ALLOW_DMS_HELP = (
    f"I couldn't send you a direct message, so I haven't saved anything. To get daily prompts, {HOW_TO_ALLOW_DMS}"
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


def stop_view(*, check_in: bool = False) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    if check_in:  # answered by cogs/checkin.py, whose dynamic item matches this custom_id
        view.add_item(
            discord.ui.Button(label=CHECK_IN_LABEL, style=discord.ButtonStyle.primary, custom_id=CHECKIN_OPEN_ID)
        )
    view.add_item(StopDailyButton())
    return view


def _plan(sub: Subscription, now: datetime) -> tuple[datetime, date | None]:
    """A due subscription's next due instant, and the local day to deliver now (None: skip it)."""
    return plan_delivery(
        sub.retry_due or sub.next_due,
        sub.last_local_date,
        sub.local_time,
        ZoneInfo(sub.timezone),
        now,
        retrying=sub.retry_due is not None,
    )


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
        """Claim due subscriptions a batch at a time (rows another process is claiming are skipped,
        never waited for or doubled), then deliver the batch."""
        batch = max(MIN_BATCH, int(self.bot.settings.daily_sends_per_second * CLAIM_SECONDS))
        while True:
            claimed, deliveries = await self.bot.stores.daily.claim_due(now, batch, lambda sub: _plan(sub, now))
            sends = [
                asyncio.create_task(
                    self._deliver(sub, sub.retry_due or sub.next_due, local_day, now), name=f"daily-dm-{sub.user_id}"
                )
                for sub, local_day in deliveries
            ]
            if sends:
                await asyncio.gather(*sends)
            if claimed < batch or self.bot.scheduler.stopping:  # (shutting down: the rest is a standby's)
                return

    async def _deliver(self, sub: Subscription, original: datetime, local_day: date, now: datetime) -> None:
        async with self._slots:
            try:
                await asyncio.wait_for(self._send(sub, local_day), SEND_TIMEOUT)
            except discord.Forbidden:
                await self._failed(sub, "dms_closed")
            except TRANSIENT as exc:
                await self._retry_or_give_up(sub, original, now, type(exc).__name__)
            except discord.HTTPException as exc:  # 404 after opening the DM again, or a 4xx: not worth retrying
                log.warning("Daily prompt could not be delivered (HTTP %s)", exc.status)
                await self._failed(sub, "undeliverable")
            except Exception:
                log.exception("Daily prompt delivery failed unexpectedly")

    async def _retry_or_give_up(self, sub: Subscription, original: datetime, now: datetime, why: str) -> None:
        retry_at = now + (FIRST_RETRY_AFTER if sub.retry_due is None else RETRY_AFTER)
        if is_too_late(original, retry_at):
            log.warning("Daily prompt send failed (%s); giving up on this day", why)
            await self._failed(sub, "undeliverable")
            return
        await self.bot.stores.daily.schedule_retry(sub.user_id, retry_at, original)
        log.warning("Daily prompt send failed (%s); retrying at %s", why, retry_at.isoformat())

    async def _failed(self, sub: Subscription, reason: PauseReason) -> None:
        failures = await self.bot.stores.daily.record_failure(sub.user_id, reason)
        if failures >= PAUSE_AFTER_FAILURES:
            log.info("Paused daily prompts for a member after %d failed days (%s)", failures, reason)

    async def _send(self, sub: Subscription, local_day: date) -> None:
        bot = self.bot
        nonce = daily_prompt_nonce(sub.user_id, local_day)
        # Chosen now, recorded as seen only once delivered: a prompt the member never got stays
        # unseen. Chosen by the day's nonce, so a retry of the day (same nonce: Discord may return
        # the message it already made) picks the same prompt it records.
        rng = random.Random(nonce)
        pick = await pick_prompt(bot.content, bot.stores.prompt_rotation, rng, sub.user_id, sub.theme)
        embed = prompt_embed(bot.content, pick.prompt)
        extras = await daily_extras(bot.stores, sub, bot.clock.now())  # a no-contact milestone, a check-in
        embeds = [embed] if (more := extras.embed()) is None else [embed, more]
        channel_id = sub.dm_channel_id if sub.dm_channel_id is not None else await self._open_dm(sub.user_id)
        try:
            await self._post(channel_id, embeds, nonce, check_in=extras.checkin_reminder)
        except discord.NotFound:
            if sub.dm_channel_id is None:
                raise
            # The stored DM channel is gone (or the database came from another install): open
            # the member's DM channel again, once. A 404 there means Discord no longer knows them.
            channel_id = await self._open_dm(sub.user_id)
            await self._post(channel_id, embeds, nonce, check_in=extras.checkin_reminder)
        await mark_seen(bot.stores.prompt_rotation, pick)
        await bot.stores.daily.record_success(sub.user_id, channel_id)
        await extras.delivered(bot.stores)

    async def _open_dm(self, user_id: int) -> int:
        await self.pacer.wait()
        return (await self.bot.create_dm(discord.Object(id=user_id))).id

    async def _post(self, channel_id: int, embeds: list[discord.Embed], nonce: str, *, check_in: bool) -> None:
        await self.pacer.wait()
        channel = self.bot.get_partial_messageable(channel_id, type=discord.ChannelType.private)
        await channel.send("Your reflection for today:", embeds=embeds, view=stop_view(check_in=check_in), nonce=nonce)


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
        time="Your local time, like 9am, 9:30 pm or 21:30",
        timezone="Your city or country, like Berlin or India (start typing for suggestions)",
        theme="Only prompts of this theme (leave empty for any)",
    )
    async def start(self, interaction: discord.Interaction, time: str, timezone: str, theme: str | None = None) -> None:
        schedule = parse_schedule(time, timezone)
        theme_id = resolve_theme(self.bot.content, theme)
        await interaction.response.defer(ephemeral=True, thinking=True)
        daily = self.bot.stores.daily
        existing = await daily.get(interaction.user.id)
        how = plan_start(existing, schedule.at, schedule.zone.key, theme_id)
        new = schedule_words(schedule.at, schedule.zone.key, self._theme_name(theme_id))
        old = self._words(existing) if existing else ""
        note = f"\n{schedule.note}" if schedule.note else ""
        if how is Start.SAME:
            assert existing is not None
            await send_private(
                interaction,
                f"Your daily prompts are already set for {new}; nothing changed. "
                f"Next prompt {discord_timestamp(existing.next_due)}.{note}",
            )
            return
        now = self.bot.clock.now()
        next_due = next_delivery(now, schedule.at, schedule.zone, not_on=existing.last_local_date if existing else None)
        dm = await interaction.user.create_dm()
        # Save first, then the DM: if storage fails, the member gets no message about a subscription
        # that does not exist, and the central handler says that nothing was changed. The DM also
        # shows that direct messages reach the member; if they don't, the previous state comes back.
        await daily.save(interaction.user.id, schedule.at, schedule.zone.key, theme_id, next_due, dm.id)
        said = {
            Start.NEW: f"Welcome to daily reflections. I'll send you a prompt here every day at {new}. "
            f"The first one comes {discord_timestamp(next_due)}.",
            Start.CHANGE: f"Your daily reflections now come every day at {new} (before: {old}). "
            f"The next one comes {discord_timestamp(next_due)}.",
            Start.RESUME: f"Your daily reflections are back on: every day at {new}. "
            f"The next one comes {discord_timestamp(next_due)}.",
        }[how]
        try:
            await dm.send(
                f"{said} You can stop any time.", view=stop_view(), nonce=nonce_for(f"daily-{how}", interaction.id)
            )
        except discord.Forbidden:
            await daily.restore(interaction.user.id, existing)
            if existing is None:
                await send_private(interaction, ALLOW_DMS_HELP)
            else:
                paused = " (paused)" if existing.paused_reason else ""
                await send_private(
                    interaction,
                    f"I couldn't send you a direct message, so nothing changed: your daily prompts stay at "
                    f"{old}{paused}. To change them, {HOW_TO_ALLOW_DMS}",
                )
            return
        except discord.HTTPException as exc:  # the subscription works; only the message about it is missing
            log.warning("Could not send the daily prompts DM (HTTP %s); the subscription is saved", exc.status)
        self.bot.scheduler.wake()
        if how is Start.NEW:
            reply = f"Done: every day at {new}."
        elif how is Start.RESUME:
            reply = f"Your daily prompts are back on: every day at {new}" + (f" (was {old})." if old != new else ".")
        else:
            reply = f"Changed your daily prompts from {old} to {new}."
        if existing is not None and existing.snoozed_until is not None:
            reply += " That also ended your snooze."
        await send_private(interaction, f"{reply} Next prompt {discord_timestamp(next_due)}.{note}")

    def _theme_name(self, theme_id: str | None) -> str | None:
        theme = self.bot.content.themes.get(theme_id) if theme_id else None
        return theme.name if theme else None

    def _words(self, sub: Subscription) -> str:
        return schedule_words(sub.local_time, sub.timezone, self._theme_name(sub.theme))

    @start.autocomplete("timezone")
    async def timezone_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return zone_choices(current, self.bot.clock.now())

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
                interaction, "You don't have daily prompts. Start with `/daily start time:9am timezone:London`."
            )
            return
        if sub.paused_reason == "dms_closed":
            await send_private(
                interaction,
                f"Paused: my last {PAUSE_AFTER_FAILURES} direct messages to you couldn't be delivered "
                f"(your schedule: {self._words(sub)}). To resume, {HOW_TO_ALLOW_DMS}",
            )
            return
        if sub.paused_reason is not None:
            await send_private(
                interaction,
                f"Paused: your daily prompts couldn't be delivered {PAUSE_AFTER_FAILURES} days in a row, so I "
                f"stopped trying (your schedule: {self._words(sub)}). Run `/daily start` again to resume.",
            )
            return
        local = sub.next_due.astimezone(ZoneInfo(sub.timezone))
        reminder = " Each one has a Check in button." if sub.checkin_reminder else ""
        if _snoozed(sub, self.bot.clock.now()):
            await send_private(
                interaction,
                f"Snoozed: your prompts resume {local:%A %d %B} at {sub.local_time:%H:%M} "
                f"{zone_words(sub.timezone)}, {discord_timestamp(sub.next_due)}.{reminder} "
                "`/daily resume` brings them back sooner.",
            )
            return
        await send_private(
            interaction,
            f"Every day at {self._words(sub)}. Next: {local:%A %d %B, %H:%M} your time, "
            f"{discord_timestamp(sub.next_due)}.{reminder}",
        )

    @app_commands.command(name="snooze", description="Pause your daily prompts for 1 to 30 days")
    @app_commands.describe(days="How many days without prompts (1 to 30)")
    async def snooze(self, interaction: discord.Interaction, days: app_commands.Range[int, 1, 30]) -> None:
        sub = await self.bot.stores.daily.get(interaction.user.id)
        if sub is None:
            await send_private(interaction, NO_DAILY)
            return
        zone = ZoneInfo(sub.timezone)
        # The next `days` deliveries are skipped: counted from the next one due (today's, unless it came).
        upcoming = next_delivery(self.bot.clock.now(), sub.local_time, zone, not_on=sub.last_local_date)
        resume_on = upcoming.astimezone(zone).date() + timedelta(days=days)
        resume_at = local_instant(resume_on, sub.local_time, zone)
        await self.bot.stores.daily.snooze(interaction.user.id, resume_on, resume_at)
        self.bot.scheduler.wake()
        span = "a day" if days == 1 else f"{days} days"
        await send_private(
            interaction,
            f"Snoozed for {span}. Your prompts resume on {resume_on:%A %d %B} at {sub.local_time:%H:%M} "
            f"{sub.timezone}, {discord_timestamp(resume_at)}. `/daily resume` brings them back sooner.",
        )

    @app_commands.command(name="resume", description="End a snooze: daily prompts from the next delivery time")
    async def resume(self, interaction: discord.Interaction) -> None:
        sub = await self.bot.stores.daily.get(interaction.user.id)
        if sub is None:
            await send_private(interaction, NO_DAILY)
            return
        now = self.bot.clock.now()
        next_due = next_delivery(now, sub.local_time, ZoneInfo(sub.timezone), not_on=sub.last_local_date)
        if not await self.bot.stores.daily.resume(interaction.user.id, next_due):
            await send_private(interaction, NOT_SNOOZED)
            return
        self.bot.scheduler.wake()
        await send_private(interaction, f"Welcome back. Your next prompt comes {discord_timestamp(next_due)}.")


def _snoozed(sub: Subscription, now: datetime) -> bool:
    return sub.snoozed_until is not None and sub.snoozed_until > now.astimezone(ZoneInfo(sub.timezone)).date()


async def setup(bot: LanternBot) -> None:
    bot.add_dynamic_items(StopDailyButton)
    await bot.add_cog(Daily(bot))

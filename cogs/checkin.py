"""`/checkin now|history|reminder`: how a member is, over time, for their eyes only.

A mood from 1 to 5 and up to three feelings, chosen in select menus; a chart of their own moods with
their pauses and no-contact days; an optional "Check in" button inside their daily DM.
"""

from __future__ import annotations

import asyncio
import io
import re
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import LanternBot
from bot.content import Content
from bot.healing.daily_extras import CHECKIN_OPEN_ID
from bot.healing.history import DEFAULT_DAYS, MAX_DAYS, build_history, history_chart, history_summary
from bot.healing.retention import HealingPurge
from bot.healing.wording import (
    CHECK_IN_LABEL,
    CHECKIN_ASK,
    FEELINGS_PLACEHOLDER,
    MOOD_PLACEHOLDER,
    MOODS,
    REMINDER_NEEDS_DAILY,
    SAVE_AS_IS_LABEL,
    mood_label,
)
from bot.interactions import SafeDynamicButton, SafeDynamicSelect, handled_elsewhere, send_private
from bot.storage.checkins import MAX_FEELINGS

MIN_DAYS = 7


def mood_view() -> discord.ui.View:
    return handled_elsewhere(MoodSelect())


def feelings_view(content: Content, mood: int) -> discord.ui.View:
    options = [discord.SelectOption(label=f.label, value=f.id) for f in content.feelings_for("checkin")]
    return handled_elsewhere(FeelingsSelect(mood, options), SaveAsIsButton(mood))


async def save_checkin(interaction: discord.Interaction[Any], mood: int, chosen: list[str]) -> None:
    """Store the check-in (mood and feeling ids only) and close the menus."""
    bot: LanternBot = interaction.client
    feelings = [f for f in dict.fromkeys(chosen) if f in bot.content.feelings][:MAX_FEELINGS]
    await bot.stores.checkins.add(interaction.user.id, bot.clock.now(), mood, feelings)
    named = ", ".join(bot.content.feelings[f].label.lower() for f in feelings)
    shown = f"{mood_label(mood)}" + (f" · {named}" if named else "")
    await interaction.response.edit_message(
        content=f"Saved: {shown}. `/checkin history` shows how you've been. Only you see this.", view=None
    )


class MoodSelect(SafeDynamicSelect, template=r"lantern:checkin:mood"):
    def __init__(self) -> None:
        super().__init__(
            discord.ui.Select(
                custom_id="lantern:checkin:mood",
                placeholder=MOOD_PLACEHOLDER,
                options=[discord.SelectOption(label=mood_label(mood), value=str(mood)) for mood in MOODS],
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> MoodSelect:
        return cls()

    async def respond(self, interaction: discord.Interaction[Any]) -> None:
        values = getattr(self.item, "values", [])
        mood = int(values[0]) if values and values[0] in {str(m) for m in MOODS} else None
        if mood is None:
            await send_private(interaction, "Pick a mood from 1 to 5.")
            return
        await interaction.response.edit_message(
            content=f"{mood_label(mood)}. Anything you're feeling? Pick up to three, or save it as it is.",
            view=feelings_view(interaction.client.content, mood),
        )


class FeelingsSelect(SafeDynamicSelect, template=r"lantern:checkin:feelings:(?P<mood>[1-5])"):
    """The mood travels in the custom_id, so nothing half-done is stored between the two menus."""

    def __init__(self, mood: int, options: list[discord.SelectOption] | None = None) -> None:
        options = options or []
        super().__init__(
            discord.ui.Select(
                custom_id=f"lantern:checkin:feelings:{mood}",
                placeholder=FEELINGS_PLACEHOLDER,
                min_values=1,
                max_values=min(MAX_FEELINGS, max(1, len(options))),
                options=options,
            )
        )
        self.mood = mood

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> FeelingsSelect:
        return cls(int(match["mood"]))

    async def respond(self, interaction: discord.Interaction[Any]) -> None:
        await save_checkin(interaction, self.mood, list(getattr(self.item, "values", [])))


class SaveAsIsButton(SafeDynamicButton, template=r"lantern:checkin:save:(?P<mood>[1-5])"):
    def __init__(self, mood: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=SAVE_AS_IS_LABEL, style=discord.ButtonStyle.secondary, custom_id=f"lantern:checkin:save:{mood}"
            )
        )
        self.mood = mood

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> SaveAsIsButton:
        return cls(int(match["mood"]))

    async def respond(self, interaction: discord.Interaction[Any]) -> None:
        await save_checkin(interaction, self.mood, [])


class OpenCheckinButton(SafeDynamicButton, template=CHECKIN_OPEN_ID):
    """The "Check in" button inside a daily DM (cogs/daily.py puts it there)."""

    def __init__(self) -> None:
        super().__init__(
            discord.ui.Button(label=CHECK_IN_LABEL, style=discord.ButtonStyle.primary, custom_id=CHECKIN_OPEN_ID)
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> OpenCheckinButton:
        return cls()

    async def respond(self, interaction: discord.Interaction[Any]) -> None:
        await send_private(interaction, CHECKIN_ASK, view=mood_view())


class CheckIn(commands.GroupCog, group_name="checkin", group_description="How you are, over time (only you see it)"):
    def __init__(self, bot: LanternBot) -> None:
        self.bot = bot
        self.purge = HealingPurge(bot.stores, bot.clock)
        self._render = asyncio.Semaphore(1)  # one chart at a time: the machine's cores serve everyone else
        super().__init__()

    async def cog_load(self) -> None:
        self.bot.scheduler.register(self.purge)

    async def cog_unload(self) -> None:
        self.bot.scheduler.unregister(self.purge)

    @app_commands.command(name="now", description="How are you right now? A mood and up to three feelings")
    async def now(self, interaction: discord.Interaction) -> None:
        await send_private(interaction, CHECKIN_ASK, view=mood_view())

    @app_commands.command(name="history", description="A chart of your own check-ins, pauses and no-contact days")
    @app_commands.describe(days=f"How many days back (default {DEFAULT_DAYS})")
    async def history(
        self, interaction: discord.Interaction, days: app_commands.Range[int, MIN_DAYS, MAX_DAYS] = DEFAULT_DAYS
    ) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        history = await build_history(self.bot.stores, interaction.user.id, self.bot.clock.now(), days)
        summary = history_summary(history, self.bot.content, days)
        if history.empty:
            await send_private(interaction, summary)
            return
        async with self._render:
            png = await asyncio.to_thread(history_chart, history, days)
        await send_private(interaction, summary, file=discord.File(io.BytesIO(png), filename="checkins.png"))

    @app_commands.command(name="reminder", description="A Check in button inside your daily prompt DM")
    @app_commands.describe(enabled="true to get the reminder, false to stop it")
    async def reminder(self, interaction: discord.Interaction, enabled: bool) -> None:
        if not await self.bot.stores.daily.set_checkin_reminder(interaction.user.id, enabled):
            await send_private(interaction, REMINDER_NEEDS_DAILY)
            return
        text = (
            "Done: each daily prompt DM now has a Check in button."
            if enabled
            else "Done: no more check-in reminders in your daily DM."
        )
        await send_private(interaction, text)


async def setup(bot: LanternBot) -> None:
    bot.add_dynamic_items(MoodSelect, FeelingsSelect, SaveAsIsButton, OpenCheckinButton)
    await bot.add_cog(CheckIn(bot))

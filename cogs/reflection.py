"""`/reflect` and a server's prompt of the day: journaling prompts, no repeats until all are seen."""

from __future__ import annotations

import logging
import re
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import LanternBot
from bot.interactions import SafeDynamicButton
from bot.local_time import plan_delivery
from bot.nonces import prompt_of_the_day_nonce
from bot.options import Choices, resolve_theme, theme_choices
from bot.presenters import prompt_embed
from bot.prompts import mark_seen, next_prompt, pick_prompt
from bot.sending import send_once
from bot.storage.members import ALL_THEMES
from bot.storage.prompt_channels import PromptChannel

log = logging.getLogger(__name__)
ANOTHER_LABEL = "Another prompt"
NO_PINGS = discord.AllowedMentions.none()


CUSTOM_ID_LIMIT = 100  # Discord's limit on a component's custom_id
CLAIM_BATCH = 50  # prompts of the day claimed at once: about a second of posts


def another_prompt_view(theme: str | None, showing: str | None) -> discord.ui.View:
    """The "Another prompt" button under a prompt; `showing` is that prompt's id."""
    view = discord.ui.View(timeout=None)
    view.add_item(AnotherPromptButton(theme or ALL_THEMES, showing))
    return view


class AnotherPromptButton(
    SafeDynamicButton, template=r"lantern:reflect:another:(?P<scope>[a-z0-9*-]+)(?::(?P<showing>[a-z0-9-]+))?"
):
    """Works after restarts: the theme and the prompt it sits under live in the custom_id, the
    rotation in the database. The prompt it sits under is never the "another" one."""

    def __init__(self, scope: str, showing: str | None) -> None:
        custom_id = f"lantern:reflect:another:{scope}"
        if showing and len(f"{custom_id}:{showing}") <= CUSTOM_ID_LIMIT:
            custom_id += f":{showing}"
        super().__init__(
            discord.ui.Button(label=ANOTHER_LABEL, style=discord.ButtonStyle.secondary, custom_id=custom_id)
        )
        self.scope, self.showing = scope, showing

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> AnotherPromptButton:
        return cls(match["scope"], match["showing"])

    async def respond(self, interaction: discord.Interaction[Any]) -> None:
        bot: LanternBot = interaction.client
        theme = None if self.scope == ALL_THEMES else self.scope
        prompt = await next_prompt(
            bot.content, bot.stores.prompt_rotation, bot.rng, interaction.user.id, theme, avoid=self.showing
        )
        embed, view = prompt_embed(bot.content, prompt), another_prompt_view(theme, prompt.id)
        message = interaction.message
        if message is not None and message.flags.ephemeral:
            await interaction.response.edit_message(embed=embed, view=view)
        else:
            # Someone else's public prompt: the next one is for the clicker alone.
            await interaction.response.send_message(embed=embed, view=view, ephemeral=True)


class PromptOfTheDay:
    """Posts a server's prompt of the day once per local day, claimed before posting."""

    name = "prompt-of-the-day"

    def __init__(self, bot: LanternBot) -> None:
        self.bot = bot

    async def next_due(self) -> datetime | None:
        return await self.bot.stores.prompt_channels.earliest_due()

    async def run_due(self, now: datetime) -> None:
        def plan(setting: PromptChannel) -> tuple[datetime, date | None]:
            return plan_delivery(
                setting.next_due, setting.last_local_date, setting.local_time, ZoneInfo(setting.timezone), now
            )

        while True:
            claimed, posts = await self.bot.stores.prompt_channels.claim_due(now, CLAIM_BATCH, plan)
            for setting, local_day in posts:
                await self._post(setting, local_day)
            if claimed < CLAIM_BATCH or self.bot.scheduler.stopping:  # (shutting down: the rest is a standby's)
                return

    async def _post(self, setting: PromptChannel, local_day: date) -> None:
        bot = self.bot
        # Not the channel cache: the scheduler runs in one process, and the server may be on a shard
        # another process runs. Discord says whether the channel is gone (404) or closed to Lantern (403).
        channel = bot.get_partial_messageable(
            setting.channel_id, guild_id=setting.guild_id, type=discord.ChannelType.text
        )
        # A server's rotation is kept under the server's id; a post that failed was not seen.
        pick = await pick_prompt(bot.content, bot.stores.prompt_rotation, bot.rng, setting.guild_id, setting.theme)
        try:
            nonce = prompt_of_the_day_nonce(setting.guild_id, setting.channel_id, local_day)
            await send_once(
                lambda: channel.send(
                    "Today's reflection:",
                    embed=prompt_embed(bot.content, pick.prompt),
                    view=another_prompt_view(setting.theme, pick.prompt.id),
                    allowed_mentions=NO_PINGS,
                    nonce=nonce,
                ),
                what="the prompt of the day",
            )
        except discord.NotFound:
            log.warning("Prompt channel %s of server %s is gone", setting.channel_id, setting.guild_id)
            return
        except discord.HTTPException as exc:  # 403: Lantern may no longer post there
            log.warning("Could not post the prompt of the day in %s (HTTP %s)", setting.channel_id, exc.status)
            return
        await mark_seen(bot.stores.prompt_rotation, pick)


class Reflection(commands.Cog):
    def __init__(self, bot: LanternBot) -> None:
        self.bot = bot
        self.prompt_of_the_day = PromptOfTheDay(bot)

    async def cog_load(self) -> None:
        self.bot.scheduler.register(self.prompt_of_the_day)

    async def cog_unload(self) -> None:
        self.bot.scheduler.unregister(self.prompt_of_the_day)

    @app_commands.command(name="reflect", description="A journaling prompt to reflect on")
    @app_commands.describe(theme="A theme to reflect on (leave empty for any)", private="Only you see the prompt")
    async def reflect(self, interaction: discord.Interaction, theme: str | None = None, private: bool = False) -> None:
        theme_id = resolve_theme(self.bot.content, theme)
        prompt = await next_prompt(
            self.bot.content, self.bot.stores.prompt_rotation, self.bot.rng, interaction.user.id, theme_id
        )
        await interaction.response.send_message(
            embed=prompt_embed(self.bot.content, prompt),
            view=another_prompt_view(theme_id, prompt.id),
            ephemeral=private,
        )

    @reflect.autocomplete("theme")
    async def theme_autocomplete(self, interaction: discord.Interaction, current: str) -> Choices:
        return theme_choices(self.bot.content, current)


async def setup(bot: LanternBot) -> None:
    bot.add_dynamic_items(AnotherPromptButton)
    await bot.add_cog(Reflection(bot))

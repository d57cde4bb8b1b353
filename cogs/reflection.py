"""`/reflect`: a journaling prompt, no repeats until a member has seen them all, with "Another prompt"."""

from __future__ import annotations

import re
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import LanternBot
from bot.errors import BadInput, SafeDynamicButton
from bot.presenters import prompt_embed
from bot.storage.members import ALL_THEMES

ANOTHER_LABEL = "Another prompt"


def resolve_theme(bot: LanternBot, value: str | None) -> str | None:
    """A theme id from an id or a name; None for "any theme"; BadInput listing themes otherwise."""
    if value is None or not value.strip():
        return None
    cleaned = value.strip().lower()
    for theme_id, theme in bot.content.themes.items():
        if cleaned in (theme_id, theme.name.lower()):
            return theme_id
    names = ", ".join(theme.name for theme in bot.content.themes.values())
    raise BadInput(f"I don't have a theme called “{value[:60]}”. Themes: {names}. Or leave it empty for any theme.")


def theme_choices(bot: LanternBot, current: str) -> list[app_commands.Choice[str]]:
    """Themes whose id or name contains what was typed, for any command's theme option."""
    typed = current.strip().lower()
    return [
        app_commands.Choice(name=theme.name, value=theme_id)
        for theme_id, theme in bot.content.themes.items()
        if typed in theme_id or typed in theme.name.lower()
    ][:25]


async def next_prompt_embed(bot: LanternBot, user_id: int, theme: str | None) -> discord.Embed:
    scope = bot.content.prompt_ids(theme)
    prompt_id = await bot.prompt_rotation.next_prompt(user_id, theme or ALL_THEMES, scope, bot.rng)
    return prompt_embed(bot.content, bot.content.prompts[prompt_id])


def another_prompt_view(theme: str | None) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(AnotherPromptButton(theme or ALL_THEMES))
    return view


class AnotherPromptButton(SafeDynamicButton, template=r"lantern:reflect:another:(?P<scope>[a-z0-9*-]+)"):
    """Works after restarts: the theme lives in the custom_id, the rotation in the database."""

    def __init__(self, scope: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=ANOTHER_LABEL,
                style=discord.ButtonStyle.secondary,
                custom_id=f"lantern:reflect:another:{scope}",
            )
        )
        self.scope = scope

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> AnotherPromptButton:
        return cls(match["scope"])

    async def respond(self, interaction: discord.Interaction[Any]) -> None:
        bot: LanternBot = interaction.client
        theme = None if self.scope == ALL_THEMES or self.scope not in bot.content.themes else self.scope
        embed = await next_prompt_embed(bot, interaction.user.id, theme)
        message = interaction.message
        if message is not None and message.flags.ephemeral:
            await interaction.response.edit_message(embed=embed, view=another_prompt_view(theme))
        else:
            # Someone else's public prompt: the next one is for the clicker alone.
            await interaction.response.send_message(embed=embed, view=another_prompt_view(theme), ephemeral=True)


class Reflection(commands.Cog):
    def __init__(self, bot: LanternBot) -> None:
        self.bot = bot

    @app_commands.command(name="reflect", description="A journaling prompt to reflect on")
    @app_commands.describe(theme="A theme to reflect on (leave empty for any)", private="Only you see the prompt")
    async def reflect(self, interaction: discord.Interaction, theme: str | None = None, private: bool = False) -> None:
        theme_id = resolve_theme(self.bot, theme)
        embed = await next_prompt_embed(self.bot, interaction.user.id, theme_id)
        await interaction.response.send_message(embed=embed, view=another_prompt_view(theme_id), ephemeral=private)

    @reflect.autocomplete("theme")
    async def theme_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return theme_choices(self.bot, current)


async def setup(bot: LanternBot) -> None:
    bot.add_dynamic_items(AnotherPromptButton)
    await bot.add_cog(Reflection(bot))

"""`/help`: what Lantern is and which commands it has, built from the live command tree."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import LanternBot
from bot.help import build_help_embed
from bot.interactions import send_private


class Meta(commands.Cog):
    def __init__(self, bot: LanternBot) -> None:
        self.bot = bot

    @app_commands.command(name="help", description="What Lantern is and how to use it")
    async def help(self, interaction: discord.Interaction) -> None:
        moderator = interaction.guild_id is not None and interaction.permissions.manage_guild
        embed = build_help_embed(
            self.bot.tree.get_commands(),
            self.bot.settings.privacy_url,
            await self.bot.app_command_ids(),
            moderator=moderator,
        )
        await send_private(interaction, embed=embed)


async def setup(bot: LanternBot) -> None:
    await bot.add_cog(Meta(bot))

"""Benchmark-only extension: replies to every member message, so message round trips can be timed."""

from __future__ import annotations

import discord
from discord.ext import commands


class Echo(commands.Cog):
    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if not message.author.bot:
            await message.reply("heard you", mention_author=False)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Echo())

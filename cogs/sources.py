"""`/sources list|show|compare`: the community's articles, summarised in Lantern's own words."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import LanternBot
from bot.errors import BadInput
from bot.presenters import comparison_pages, source_embed, sources_list_embed


class Sources(commands.GroupCog, group_name="sources", group_description="The articles the community draws on"):
    def __init__(self, bot: LanternBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="list", description="Every source, one line each")
    async def list_sources(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(embed=sources_list_embed(self.bot.content))

    @app_commands.command(name="show", description="A source's summary, key points and origin")
    @app_commands.describe(name="Which source")
    async def show(self, interaction: discord.Interaction, name: str) -> None:
        content = self.bot.content
        wanted = name.strip().lower()
        source = content.sources.get(wanted) or next(
            (s for s in content.sources.values() if s.title.lower() == wanted), None
        )
        if source is None:
            known = "; ".join(f"{s.id} ({s.title})" for s in content.sources.values())
            raise BadInput(f"I don't know a source called “{name[:60]}”. Sources: {known}.")
        await interaction.response.send_message(embed=source_embed(content, source))

    @show.autocomplete("name")
    async def name_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        typed = current.strip().lower()
        return [
            app_commands.Choice(name=f"{s.title} ({s.author})"[:100], value=s.id)
            for s in self.bot.content.sources.values()
            if typed in s.id or typed in s.title.lower() or typed in s.author.lower()
        ][:25]

    @app_commands.command(name="compare", description="Where the sources disagree, side by side")
    async def compare(self, interaction: discord.Interaction) -> None:
        first, *rest = comparison_pages(self.bot.content)
        await interaction.response.send_message(embed=first)
        for page in rest:
            await interaction.followup.send(embed=page)


async def setup(bot: LanternBot) -> None:
    await bot.add_cog(Sources(bot))

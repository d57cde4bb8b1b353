"""`/resources`: support lines for the member's region, always with the international finder."""

from __future__ import annotations

from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import LanternBot
from bot.content.regions import normalise_region, resolve_region
from bot.errors import BadInput
from bot.interactions import send_private
from bot.presenters import resources_embed

Topic = Literal["relationships", "crisis"]


class Resources(commands.Cog):
    def __init__(self, bot: LanternBot) -> None:
        self.bot = bot

    @app_commands.command(name="resources", description="Support lines and services for your region (only you see it)")
    @app_commands.describe(
        region="Your region, e.g. US, UK, CA, IE, AU or INTL",
        topic="relationships (the default) or crisis",
        remember="Save this region for next time",
    )
    async def resources(
        self,
        interaction: discord.Interaction,
        region: str | None = None,
        topic: Topic = "relationships",
        remember: bool = False,
    ) -> None:
        content = self.bot.content
        chosen: str | None = None
        if region is not None:
            chosen = normalise_region(region, content.regions)
            if chosen is None:
                known = ", ".join(f"{code} ({name})" for code, name in content.regions.items())
                raise BadInput(f"I don't have resources for “{region[:40]}” yet. Regions: {known}.")
        if remember and chosen is None:
            raise BadInput("Tell me which region to remember, e.g. `/resources region:UK remember:true`.")
        saved = await self.bot.stores.member_settings.region(interaction.user.id)
        server = (
            (await self.bot.stores.guild_settings.get(interaction.guild_id)).region if interaction.guild_id else None
        )
        choice = resolve_region(chosen, saved, server, content.regions)
        if remember and chosen is not None:
            await self.bot.stores.member_settings.set_region(interaction.user.id, chosen)
        crisis = topic == "crisis"
        title = "Crisis support" if crisis else "Relationship support"
        server_own = await self.bot.stores.guild_resources.list(interaction.guild_id) if interaction.guild_id else []
        embed = resources_embed(
            content, content.resources_for(choice.code, topic), choice, crisis=crisis, title=title, server=server_own
        )
        note = f"Saved {content.regions[chosen]} as your region." if remember and chosen else None
        await send_private(interaction, note, embed=embed)

    @resources.autocomplete("region")
    async def region_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        typed = current.strip().lower()
        return [
            app_commands.Choice(name=f"{name} ({code})", value=code)
            for code, name in self.bot.content.regions.items()
            if typed in code.lower() or typed in name.lower()
        ][:25]


async def setup(bot: LanternBot) -> None:
    await bot.add_cog(Resources(bot))

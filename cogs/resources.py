"""`/resources`: support lines for the member's region, always with the international finder."""

from __future__ import annotations

import re
from typing import Any, cast

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import LanternBot
from bot.content.models import ResourceTopic
from bot.content.regions import RegionChoice
from bot.errors import BadInput
from bot.interactions import SafeDynamicSelect, handled_elsewhere, send_private_pages
from bot.options import Choices, parse_region, region_choices
from bot.presenters import REGION_MENU_TEMPLATE, region_menu
from bot.support import member_region, support_pages

NO_PINGS = discord.AllowedMentions.none()
# The topics the Resources button under a safety reply uses, offered by name.
TOPICS = [
    app_commands.Choice(name="relationships", value="relationships"),
    app_commands.Choice(name="crisis", value="crisis"),
    app_commands.Choice(name="own feelings and behaviour", value="own-behaviour"),
]


class RegionMenu(SafeDynamicSelect, template=REGION_MENU_TEMPLATE):
    """The region picker on crisis replies and on `/resources` for a member with no region yet:
    one click shows that region's lines (nothing is saved; `remember:true` saves a region)."""

    def __init__(self, item: discord.ui.Select[Any], topic: str, edit: bool) -> None:
        super().__init__(item)
        self.topic, self.edit = topic, edit

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> RegionMenu:
        assert isinstance(item, discord.ui.Select)
        return cls(item, match["topic"], match["how"] == "e")

    async def respond(self, interaction: discord.Interaction[Any]) -> None:
        bot: LanternBot = interaction.client
        content = bot.content
        code = str(self.item.values[0]) if self.item.values else ""
        if code not in content.regions:
            raise BadInput("That region isn't one I have resources for any more. Try `/resources`.")
        topic = cast(ResourceTopic, self.topic)
        first, *rest = pages = await support_pages(
            bot.stores, content, topic, RegionChoice(code, "you chose it"), interaction.guild_id
        )
        note = f"To keep {content.regions[code]} for next time: `/resources region:{code} remember:true`."
        if self.edit:
            menu = region_menu(content, self.topic, edit=True, chosen=code)
            await interaction.response.edit_message(content=note, embed=first, view=handled_elsewhere(menu))
            for page in rest:
                await interaction.followup.send(embed=page, ephemeral=True, allowed_mentions=NO_PINGS)
        else:
            await send_private_pages(interaction, pages, note)


class Resources(commands.Cog):
    def __init__(self, bot: LanternBot) -> None:
        self.bot = bot

    @app_commands.command(name="resources", description="Support lines and services for your region (only you see it)")
    @app_commands.describe(
        region="Your region: start typing (United States, Canada, United Kingdom, Ireland, Australia, International)",
        topic="relationships (the default), crisis, or own feelings and behaviour",
        remember="Save this region for next time",
    )
    @app_commands.choices(topic=TOPICS)
    async def resources(
        self,
        interaction: discord.Interaction,
        region: str | None = None,
        topic: app_commands.Choice[str] | None = None,
        remember: bool = False,
    ) -> None:
        content = self.bot.content
        chosen = parse_region(content, region) if region is not None else None
        if remember and chosen is None:
            raise BadInput("Tell me which region to remember, e.g. `/resources region:UK remember:true`.")
        stores = self.bot.stores
        choice = await member_region(stores, content, interaction.user.id, interaction.guild_id, chosen)
        if remember and chosen is not None:
            await stores.member_settings.set_region(interaction.user.id, chosen)
        topic_id = cast(ResourceTopic, topic.value if topic else "relationships")
        pages = await support_pages(stores, content, topic_id, choice, interaction.guild_id)
        note = f"Saved {content.regions[chosen]} as your region." if remember and chosen else None
        view = None
        if choice.reason == "no region set":
            view = handled_elsewhere(region_menu(content, topic_id, edit=True))
        await send_private_pages(interaction, pages, note, view=view)

    @resources.autocomplete("region")
    async def region_autocomplete(self, interaction: discord.Interaction, current: str) -> Choices:
        return region_choices(self.bot.content, current)


async def setup(bot: LanternBot) -> None:
    bot.add_dynamic_items(RegionMenu)
    await bot.add_cog(Resources(bot))

"""Arrival and setup: one message when Lantern joins a server, and the setup panel's menus and buttons.

On joining, Lantern posts what is on by default and a checklist to the server's system channel, or
DMs the owner when it cannot post there. The panel (`/config setup`, or the arrival message's button)
changes settings in place; every change is audited like a `/config` command.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import discord
from discord.ext import commands
from discord.ui.select import BaseSelect

from bot.client import LanternBot
from bot.errors import BadInput
from bot.guild_config import change_settings
from bot.interactions import SafeDynamicButton, SafeDynamicSelect, send_private
from bot.nonces import nonce_for
from bot.sending import send_once
from bot.setup_panel import (
    ALERT_CHANNEL_ID,
    OPEN_ID,
    QUIET_ID,
    REGION_ID,
    ROLE_ID,
    TOGGLE_TEMPLATE,
    arrival_embed,
    open_panel_view,
    panel_embed,
    panel_view,
)
from bot.storage.guild_settings import GuildSettings

log = logging.getLogger(__name__)
MODERATORS_ONLY = "The setup panel is for moderators (Manage Server)."


def _check_moderator(interaction: discord.Interaction[Any]) -> int:
    if interaction.guild_id is None or not interaction.permissions.manage_guild:
        raise BadInput(MODERATORS_ONLY)
    return interaction.guild_id


async def _apply(interaction: discord.Interaction[Any], **changes: Any) -> None:
    """Change settings (audited), then show the panel again in place."""
    bot: LanternBot = interaction.client
    guild_id = _check_moderator(interaction)
    after = await change_settings(bot, guild_id, interaction.user, **changes)
    await _redraw(interaction, after)


async def _redraw(interaction: discord.Interaction[Any], settings: GuildSettings) -> None:
    bot: LanternBot = interaction.client
    await interaction.response.edit_message(
        embed=panel_embed(bot.content, settings), view=panel_view(bot.content, settings)
    )


class _PanelSelect(SafeDynamicSelect, template=r"lantern:setup:never-sent"):
    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> _PanelSelect:
        assert isinstance(item, BaseSelect)
        return cls(item)

    @property
    def ids(self) -> list[int]:
        return [value.id if not isinstance(value, str) else int(value) for value in self.item.values]


class RegionSelect(_PanelSelect, template=REGION_ID):
    async def respond(self, interaction: discord.Interaction[Any]) -> None:
        await _apply(interaction, region=str(self.item.values[0]))


class AlertChannelSelect(_PanelSelect, template=ALERT_CHANNEL_ID):
    async def respond(self, interaction: discord.Interaction[Any]) -> None:
        _check_moderator(interaction)
        [channel_id] = self.ids
        channel = interaction.guild.get_channel(channel_id) if interaction.guild else None
        if not isinstance(channel, discord.TextChannel):
            raise BadInput("I can't find that channel. Pick a text channel.")
        perms = channel.permissions_for(channel.guild.me)
        if not (perms.view_channel and perms.send_messages):
            raise BadInput(f"I can't post in {channel.mention}: I need View Channel and Send Messages there.")
        await _apply(interaction, alert_channel_id=channel_id)


class RoleSelect(_PanelSelect, template=ROLE_ID):
    async def respond(self, interaction: discord.Interaction[Any]) -> None:
        ids = self.ids
        if interaction.guild_id in ids:
            raise BadInput("Pick a role for the responders, not @everyone.")
        await _apply(interaction, responder_role_id=ids[0] if ids else None)


class QuietChannelsSelect(_PanelSelect, template=QUIET_ID):
    async def respond(self, interaction: discord.Interaction[Any]) -> None:
        await _apply(interaction, exempt_channel_ids=tuple(self.ids))


class PanelToggle(SafeDynamicButton, template=TOGGLE_TEMPLATE):
    def __init__(self, what: str) -> None:
        super().__init__(discord.ui.Button(label=what, custom_id=f"lantern:setup:{what}"))
        self.what = what

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> PanelToggle:
        return cls(match["what"])

    async def respond(self, interaction: discord.Interaction[Any]) -> None:
        bot: LanternBot = interaction.client
        settings = await bot.stores.guild_settings.get(_check_moderator(interaction))
        if self.what == "enabled":
            await _apply(interaction, safety_enabled=not settings.safety_enabled)
        elif self.what == "events":
            await _apply(interaction, alert_all_events=not settings.alert_all_events)
        else:
            await _apply(interaction, safety_mode=self.what)


class OpenPanelButton(SafeDynamicButton, template=OPEN_ID):
    def __init__(self) -> None:
        super().__init__(discord.ui.Button(label="Open the setup panel", custom_id=OPEN_ID))

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> OpenPanelButton:
        return cls()

    async def respond(self, interaction: discord.Interaction[Any]) -> None:
        bot: LanternBot = interaction.client
        settings = await bot.stores.guild_settings.get(_check_moderator(interaction))
        await send_private(
            interaction, embed=panel_embed(bot.content, settings), view=panel_view(bot.content, settings)
        )


class Arrival(commands.Cog):
    def __init__(self, bot: LanternBot) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        """One setup message: in the system channel if Lantern can post there, else to the owner by DM."""
        settings = await self.bot.stores.guild_settings.get(guild.id)
        content = self.bot.content
        channel = guild.system_channel
        if channel is not None:
            perms = channel.permissions_for(guild.me)
            if perms.view_channel and perms.send_messages and perms.embed_links:
                try:
                    nonce = nonce_for("arrival", guild.id, channel.id)
                    await send_once(
                        lambda: channel.send(
                            embed=arrival_embed(content, settings, in_server=True), view=open_panel_view(), nonce=nonce
                        ),
                        what="the arrival message",
                    )
                    return
                except discord.HTTPException as exc:
                    log.warning("Could not greet server %s in its system channel (HTTP %s)", guild.id, exc.status)
        try:
            if guild.owner_id:
                dm = await self.bot.create_dm(discord.Object(id=guild.owner_id))
                nonce = nonce_for("arrival", guild.id, dm.id)
                await send_once(
                    lambda: dm.send(embed=arrival_embed(content, settings, in_server=False), nonce=nonce),
                    what="the arrival message",
                )
                return
        except discord.HTTPException as exc:
            log.warning("Could not DM the owner of server %s (HTTP %s)", guild.id, exc.status)
        log.warning("Joined server %s but could reach neither its system channel nor its owner", guild.id)


async def setup(bot: LanternBot) -> None:
    bot.add_dynamic_items(
        RegionSelect, AlertChannelSelect, RoleSelect, QuietChannelsSelect, PanelToggle, OpenPanelButton
    )
    await bot.add_cog(Arrival(bot))

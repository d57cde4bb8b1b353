"""The safety listener: notices being ignored, rejected, blocked, pursuit and crisis, and answers with care.

Message text goes to the detector and nowhere else: it is never stored or logged.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from typing import Any

import discord
from discord.ext import commands

from bot.client import LanternBot
from bot.content.regions import resolve_region
from bot.interactions import SafeDynamicButton, send_private
from bot.presenters import resources_embed
from bot.safety.policy import RETENTION
from bot.safety.responder import Where
from bot.safety.wording import (
    OPT_IN_LABEL,
    OPT_OUT_LABEL,
    OPTED_IN,
    OPTED_OUT,
    PUBLIC_REPLY,
    RESOURCE_TITLE,
    RESOURCE_TOPIC,
    RESOURCES_LABEL,
    alert_text,
)

log = logging.getLogger(__name__)
NO_PINGS = discord.AllowedMentions.none()
READABLE_TYPES = (discord.MessageType.default, discord.MessageType.reply)


async def _region_for(bot: LanternBot, user_id: int, guild_id: int | None) -> Any:
    saved = await bot.stores.member_settings.region(user_id)
    server = (await bot.stores.guild_settings.get(guild_id)).region if guild_id else None
    return resolve_region(None, saved, server, bot.content.regions)


async def resources_for_label(bot: LanternBot, label: str, user_id: int, guild_id: int | None) -> discord.Embed:
    choice = await _region_for(bot, user_id, guild_id)
    topic = RESOURCE_TOPIC.get(label, "relationships")
    resources = bot.content.resources_for(choice.code, topic)  # type: ignore[arg-type]
    title = RESOURCE_TITLE.get(label, "Relationship support")
    server_own = await bot.stores.guild_resources.list(guild_id) if guild_id and label != "crisis" else []
    return resources_embed(bot.content, resources, choice, crisis=label == "crisis", title=title, server=server_own)


class ResourcesButton(SafeDynamicButton, template=r"lantern:safety:resources:(?P<label>[a-z]+)"):
    def __init__(self, label: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=RESOURCES_LABEL,
                style=discord.ButtonStyle.primary,
                custom_id=f"lantern:safety:resources:{label}",
            )
        )
        self.label = label

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ResourcesButton:
        return cls(match["label"])

    async def respond(self, interaction: discord.Interaction[Any]) -> None:
        embed = await resources_for_label(interaction.client, self.label, interaction.user.id, interaction.guild_id)
        await send_private(interaction, embed=embed)


class OptOutButton(SafeDynamicButton, template=r"lantern:safety:optout"):
    def __init__(self) -> None:
        super().__init__(
            discord.ui.Button(
                label=OPT_OUT_LABEL, style=discord.ButtonStyle.secondary, custom_id="lantern:safety:optout"
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> OptOutButton:
        return cls()

    async def respond(self, interaction: discord.Interaction[Any]) -> None:
        bot: LanternBot = interaction.client
        await bot.stores.safety_opt_outs.opt_out(interaction.user.id, bot.clock.now())
        view = discord.ui.View(timeout=None)
        view.add_item(OptInButton())
        await send_private(interaction, OPTED_OUT, view=view)


class OptInButton(SafeDynamicButton, template=r"lantern:safety:optin"):
    def __init__(self) -> None:
        super().__init__(
            discord.ui.Button(label=OPT_IN_LABEL, style=discord.ButtonStyle.secondary, custom_id="lantern:safety:optin")
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> OptInButton:
        return cls()

    async def respond(self, interaction: discord.Interaction[Any]) -> None:
        bot: LanternBot = interaction.client
        await bot.stores.safety_opt_outs.opt_in(interaction.user.id)
        await send_private(interaction, OPTED_IN)


def reply_view(label: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(ResourcesButton(label))
    view.add_item(OptOutButton())
    return view


def where_of(message: discord.Message) -> Where:
    """Ids only: where a message was written, by whom, and the author's roles (for quiet roles)."""
    roles = getattr(message.author, "roles", [])
    return Where(
        guild_id=message.guild.id if message.guild else None,
        channel_id=message.channel.id,
        author_id=message.author.id,
        parent_channel_id=getattr(message.channel, "parent_id", None),
        role_ids=frozenset(role.id for role in roles),
    )


class SafetyPurge:
    """Deletes cooldown records older than 30 days, once a day."""

    name = "safety-purge"

    def __init__(self, bot: LanternBot) -> None:
        self.bot = bot
        self._next: datetime = bot.clock.now()

    async def next_due(self) -> datetime | None:
        return self._next

    async def run_due(self, now: datetime) -> None:
        removed = await self.bot.stores.safety_cooldowns.purge_before(now - RETENTION)
        if removed:
            log.info("Purged %d safety cooldown records older than 30 days", removed)
        self._next = now + timedelta(days=1)


class Safety(commands.Cog):
    def __init__(self, bot: LanternBot) -> None:
        self.bot = bot
        self._purge = SafetyPurge(bot)

    async def cog_load(self) -> None:
        self.bot.scheduler.register(self._purge)

    async def cog_unload(self) -> None:
        self.bot.scheduler.unregister(self._purge)

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or message.webhook_id is not None or message.type not in READABLE_TYPES:
            return
        if not message.content:
            return
        where = where_of(message)
        plan = await self.bot.safety_responder.plan(message.content, where)
        if plan.label == "none":
            return
        label, decision = plan.label, plan.decision
        log.info("Safety label=%s action=%s (%s) guild=%s", label, decision.action, decision.why, where.guild_key)
        action_done = "did not reply"
        if decision.action == "reply":
            await self._reply(message, label)
            action_done = "replied with crisis lines" if label == "crisis" else "replied"
        elif decision.action == "dm":
            if await self._dm(message, label):
                action_done = "sent them a direct message"
            else:
                await self._reply(message, label)
                action_done = "replied (their DMs are closed)"
        elif decision.action == "alert_only":
            action_done = "only alerted moderators (alert mode)"
        await self.bot.safety_responder.record(plan, where, counted_in_channel=decision.action != "alert_only")
        alert_channel_id = plan.settings.alert_channel_id
        if decision.alert and alert_channel_id:
            await self._alert(message, label, alert_channel_id, action_done)

    async def _reply_parts(self, message: discord.Message, label: str) -> dict[str, Any]:
        parts: dict[str, Any] = {"content": PUBLIC_REPLY[label], "view": reply_view(label)}
        if label == "crisis":
            guild_id = message.guild.id if message.guild else None
            parts["embed"] = await resources_for_label(self.bot, "crisis", message.author.id, guild_id)
        return parts

    async def _reply(self, message: discord.Message, label: str) -> None:
        parts = await self._reply_parts(message, label)
        try:
            await message.reply(**parts, mention_author=False, allowed_mentions=NO_PINGS)
        except discord.HTTPException as exc:
            log.warning("Could not post a safety reply in channel %s (HTTP %s)", message.channel.id, exc.status)

    async def _dm(self, message: discord.Message, label: str) -> bool:
        parts = await self._reply_parts(message, label)
        try:
            await message.author.send(**parts, allowed_mentions=NO_PINGS)
        except discord.Forbidden:
            return False
        except discord.HTTPException as exc:
            log.warning("Could not DM a safety reply (HTTP %s)", exc.status)
            return False
        return True

    async def _alert(self, message: discord.Message, label: str, channel_id: int, action: str) -> None:
        channel = self.bot.get_channel(channel_id)
        if not isinstance(channel, discord.abc.Messageable):
            log.warning("Alert channel %s is not available", channel_id)
            return
        text = alert_text(
            label, message.author.mention, getattr(message.channel, "mention", "a channel"), message.jump_url, action
        )
        try:
            await channel.send(text, allowed_mentions=NO_PINGS)
        except discord.HTTPException as exc:
            log.warning("Could not post a safety alert in channel %s (HTTP %s)", channel_id, exc.status)


async def setup(bot: LanternBot) -> None:
    bot.add_dynamic_items(ResourcesButton, OptOutButton, OptInButton)
    await bot.add_cog(Safety(bot))

"""The responder workflow on crisis alerts: **I'm on it**, **Resolved**, and a member's **Talk to a moderator**.

Every button keeps its state in its custom_id and in storage (`safety_alerts`), so it works after a
restart. The alert is edited in place, re-rendered from its stored record.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import discord
from discord.ext import commands

from bot.client import LanternBot
from bot.interactions import SafeDynamicButton, send_private
from bot.nonces import safety_nonce
from bot.safety.alerts import (
    RESOLVE_ID,
    TAKE_ID,
    TALK_TEMPLATE,
    AlertKind,
    AlertRecord,
    TalkTarget,
    alert_content,
    header_of,
    may_respond,
    new_alert_view,
    ping_for,
    talk_alert_header,
    workflow_view,
)
from bot.safety.wording import NOT_YOUR_BUTTON, TALK_ALREADY, TALK_FAILED, TALK_NO_CHANNEL, TALK_SENT
from bot.sending import send_once

log = logging.getLogger(__name__)
NO_PINGS = discord.AllowedMentions.none()
NOT_A_RESPONDER = "Only moderators and this server's responder role can take or resolve alerts."


def _who(user_id: int | None) -> str:
    return f"<@{user_id}>" if user_id else "A moderator"


class _WorkflowButton(SafeDynamicButton, template=r"lantern:alert:never-sent"):
    """Shared by I'm on it and Resolved: check who presses, change the record, re-render the alert."""

    async def respond(self, interaction: discord.Interaction[Any]) -> None:
        bot: LanternBot = interaction.client
        message, guild_id = interaction.message, interaction.guild_id
        if message is None or guild_id is None:
            return
        settings = await bot.stores.guild_settings.get(guild_id)
        roles = {role.id for role in getattr(interaction.user, "roles", [])}
        if not may_respond(settings, manage_guild=interaction.permissions.manage_guild, role_ids=roles):
            await send_private(interaction, NOT_A_RESPONDER)
            return
        alerts = bot.stores.safety_alerts
        if await alerts.get(message.id) is None:  # posted before a lost write, or purged: start it now
            kind: AlertKind = "talk" if "asked to talk to a moderator" in message.content else "crisis"
            await alerts.open(message.id, guild_id, kind, message.created_at)
        won, record = await self.change(bot, message.id, interaction.user.id)
        if record is None:
            return
        # Always redraw from the record: a press that lost a race (or follows a crash between the
        # record and the edit) still leaves the alert showing the truth.
        await interaction.response.edit_message(
            content=alert_content(header_of(message.content), record),
            view=workflow_view(record),
            allowed_mentions=NO_PINGS,
        )
        if not won:
            await send_private(interaction, self.already(record, interaction.user.id))

    async def change(self, bot: LanternBot, message_id: int, user_id: int) -> tuple[bool, AlertRecord | None]:
        raise NotImplementedError

    def already(self, record: AlertRecord, user_id: int) -> str:
        raise NotImplementedError


class TakeButton(_WorkflowButton, template=TAKE_ID):
    def __init__(self) -> None:
        super().__init__(discord.ui.Button(label="I'm on it", style=discord.ButtonStyle.primary, custom_id=TAKE_ID))

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> TakeButton:
        return cls()

    async def change(self, bot: LanternBot, message_id: int, user_id: int) -> tuple[bool, AlertRecord | None]:
        return await bot.stores.safety_alerts.take(message_id, user_id, bot.clock.now())

    def already(self, record: AlertRecord, user_id: int) -> str:
        if record.resolved_at is not None:
            return f"{_who(record.resolved_by)} already resolved this alert."
        if record.taken_by == user_id:
            return "You're already on it."
        return f"{_who(record.taken_by)} is already on it."


class ResolveButton(_WorkflowButton, template=RESOLVE_ID):
    def __init__(self) -> None:
        super().__init__(discord.ui.Button(label="Resolved", style=discord.ButtonStyle.success, custom_id=RESOLVE_ID))

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ResolveButton:
        return cls()

    async def change(self, bot: LanternBot, message_id: int, user_id: int) -> tuple[bool, AlertRecord | None]:
        return await bot.stores.safety_alerts.resolve(message_id, user_id, bot.clock.now())

    def already(self, record: AlertRecord, user_id: int) -> str:
        return f"{_who(record.resolved_by)} already resolved this alert."


class TalkButton(SafeDynamicButton, template=TALK_TEMPLATE):
    """On a crisis reply: the member asks for a human. The request goes to the alert channel with a
    jump link to their message (no text), pinging the responder role, with the same workflow."""

    def __init__(self, target: TalkTarget) -> None:
        super().__init__(
            discord.ui.Button(label="Talk to a moderator", style=discord.ButtonStyle.danger, custom_id=target.custom_id)
        )
        self.target = target

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> TalkButton:
        return cls(TalkTarget.from_match(match))

    async def respond(self, interaction: discord.Interaction[Any]) -> None:
        bot: LanternBot = interaction.client
        target = self.target
        if interaction.user.id != target.user_id:
            await send_private(interaction, NOT_YOUR_BUTTON)
            return
        settings = await bot.stores.guild_settings.get(target.guild_id)
        if settings.alert_channel_id is None:
            await send_private(interaction, TALK_NO_CHANNEL)
            return
        # Not the channel cache: pressed in a DM, the press arrives on shard 0's process, and the
        # server may be on a shard another process runs. Discord says whether the channel is gone.
        channel = bot.get_partial_messageable(
            settings.alert_channel_id, guild_id=target.guild_id, type=discord.ChannelType.text
        )
        if not bot.safety_responder.talk_requests.first(target, bot.clock.now()):
            await send_private(interaction, TALK_ALREADY)
            return
        ping, allowed = ping_for(settings)
        header = ping + talk_alert_header(f"<@{target.user_id}>", target.jump_url)
        try:
            nonce = safety_nonce(target.message_id, "talk")
            sent = await send_once(
                lambda: channel.send(
                    alert_content(header, None), allowed_mentions=allowed, view=new_alert_view(), nonce=nonce
                ),
                what="a request to talk",
            )
        except discord.HTTPException as exc:
            log.warning(
                "Could not post a request to talk in channel %s (HTTP %s)", settings.alert_channel_id, exc.status
            )
            bot.safety_responder.talk_requests.forget(target)
            gone = isinstance(exc, discord.NotFound)  # the channel was deleted
            await send_private(interaction, TALK_NO_CHANNEL if gone else TALK_FAILED)
            return
        await bot.stores.safety_alerts.open(sent.id, target.guild_id, "talk", bot.clock.now())
        await send_private(interaction, TALK_SENT)


class Alerts(commands.Cog):
    def __init__(self, bot: LanternBot) -> None:
        self.bot = bot


async def setup(bot: LanternBot) -> None:
    bot.add_dynamic_items(TakeButton, ResolveButton, TalkButton)
    await bot.add_cog(Alerts(bot))

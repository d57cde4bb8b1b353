"""The safety listener: notices being ignored, rejected, blocked, pursuit and crisis, and answers with care.

Message text goes to the detector and nowhere else: it is never stored or logged. What to try, and
what it amounts to, is decided in `bot/safety/` (the responder and its policy); this cog delivers it.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from typing import Any

import discord
from discord.ext import commands

from bot.client import LanternBot
from bot.content.regions import RegionChoice
from bot.interactions import SafeDynamicButton, handled_elsewhere, send_private, send_private_pages
from bot.logging_setup import exception_name, traceback_without_values
from bot.nonces import safety_nonce
from bot.presenters import MORE_IN_RESOURCES_BUTTON, embed_as_text, region_menu
from bot.safety.alerts import (
    WORKFLOW_RETENTION,
    TalkTarget,
    alert_content,
    b36,
    crisis_alert_header,
    event_alert_header,
    from_b36,
    new_alert_view,
    ping_for,
    talk_button,
)
from bot.safety.explain import describe_outcome
from bot.safety.policy import RETENTION, Outcome, Step
from bot.safety.responder import Plan, Where
from bot.safety.wording import (
    NOT_ABOUT_LABEL,
    NOT_ABOUT_THANKS,
    NOT_YOUR_BUTTON,
    OPT_IN_LABEL,
    OPT_OUT_LABEL,
    OPTED_IN,
    RESOURCES_LABEL,
    opted_out_text,
    public_reply,
)
from bot.sending import send_once
from bot.support import member_region, support_pages, topic_for_label

log = logging.getLogger(__name__)
NO_PINGS = discord.AllowedMentions.none()
READABLE_TYPES = (discord.MessageType.default, discord.MessageType.reply)


async def resources_for_label(
    bot: LanternBot, label: str, user_id: int, guild_id: int | None, *, more: str | None = None
) -> tuple[list[discord.Embed], RegionChoice]:
    """The resources for a label as embeds that each fit one message (`more`: where the rest is), and
    the region they are for."""
    choice = await member_region(bot.stores, bot.content, user_id, guild_id)
    options = {"more": more} if more else {}
    pages = await support_pages(bot.stores, bot.content, topic_for_label(label), choice, guild_id, **options)
    return pages, choice


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
        bot: LanternBot = interaction.client
        pages, choice = await resources_for_label(bot, self.label, interaction.user.id, interaction.guild_id)
        view = None
        if choice.reason == "no region set":
            view = handled_elsewhere(region_menu(bot.content, topic_for_label(self.label), edit=True))
        await send_private_pages(interaction, pages, view=view)


class OptOutButton(SafeDynamicButton, template=r"lantern:safety:optout(?::(?P<guild>[0-9a-z]+))?"):
    """The server the reply was in travels in the custom_id (a DM'd reply has no server of its own)."""

    def __init__(self, guild_id: int | None = None) -> None:
        suffix = f":{b36(guild_id)}" if guild_id else ""
        super().__init__(
            discord.ui.Button(
                label=OPT_OUT_LABEL, style=discord.ButtonStyle.secondary, custom_id=f"lantern:safety:optout{suffix}"
            )
        )
        self.guild_id = guild_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> OptOutButton:
        return cls(from_b36(match["guild"]) if match["guild"] else interaction.guild_id)

    async def respond(self, interaction: discord.Interaction[Any]) -> None:
        bot: LanternBot = interaction.client
        await bot.stores.safety_opt_outs.opt_out(interaction.user.id, bot.clock.now())
        await bot.safety_responder.count_member_choice(self.guild_id, "opt_out")
        settings = await bot.safety_responder.settings_for(self.guild_id)
        view = discord.ui.View(timeout=None)
        view.add_item(OptInButton())
        await send_private(interaction, opted_out_text(settings.alert_channel_id is not None), view=view)


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


class NotAboutThatButton(
    SafeDynamicButton, template=r"lantern:safety:notabout:(?P<user>[0-9a-z]+):(?P<guild>[0-9a-z]+)"
):
    """On hurt and pursuit replies: the member it answered removes a reply that misread them.

    Who it answered travels in the custom_id (and so survives restarts); anyone else gets a kind note.
    """

    def __init__(self, user_id: int, guild_id: int | None) -> None:
        super().__init__(
            discord.ui.Button(
                label=NOT_ABOUT_LABEL,
                style=discord.ButtonStyle.secondary,
                custom_id=f"lantern:safety:notabout:{b36(user_id)}:{b36(guild_id or 0)}",
            )
        )
        self.user_id, self.guild_id = user_id, guild_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> NotAboutThatButton:
        return cls(from_b36(match["user"]), from_b36(match["guild"]) or None)

    async def respond(self, interaction: discord.Interaction[Any]) -> None:
        if interaction.user.id != self.user_id:
            await send_private(interaction, NOT_YOUR_BUTTON)
            return
        bot: LanternBot = interaction.client
        await bot.safety_responder.count_member_choice(self.guild_id, "not_about_that")
        await send_private(interaction, NOT_ABOUT_THANKS)
        if interaction.message is not None:
            try:
                await interaction.message.delete()
            except discord.HTTPException as exc:
                log.warning("Could not remove a safety reply (HTTP %s)", exc.status)


def plain_reply(parts: dict[str, Any]) -> dict[str, Any]:
    """The reply with its embed (the crisis lines) written into the text, for a channel without Embed Links."""
    embed = parts.get("embed")
    if embed is None:
        return parts
    text = f"{parts['content']}\n\n{embed_as_text(embed)}"
    return {key: value for key, value in parts.items() if key != "embed"} | {"content": text[:2000]}


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
    """Once a day: cooldown records older than 30 days, alerts and insights older than 90."""

    name = "safety-purge"

    def __init__(self, bot: LanternBot) -> None:
        self.bot = bot
        self._next: datetime = bot.clock.now()

    async def next_due(self) -> datetime | None:
        return self._next

    async def run_due(self, now: datetime) -> None:
        stores = self.bot.stores
        removed = await stores.safety_cooldowns.purge_before(now - RETENTION)
        removed += await stores.safety_alerts.purge_before(now - WORKFLOW_RETENTION)
        removed += await stores.safety_insights.purge_before((now - WORKFLOW_RETENTION).date())
        if removed:
            log.info("Purged %d safety records past their retention", removed)
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
        await self._answer(message)

    @commands.Cog.listener()
    async def on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        """A message edited into a crisis statement is answered like a new one. Other labels are not:
        a member fixing a typo should not get a second reply (and the crisis cooldown keeps an edit
        of an already-answered crisis from doubling its reply)."""
        if "content" in payload.data:
            await self._answer(payload.message, only_crisis=True)

    async def _answer(self, message: discord.Message, *, only_crisis: bool = False) -> None:
        if message.author.bot or message.webhook_id is not None or message.type not in READABLE_TYPES:
            return
        if not message.content:
            return
        where = where_of(message)
        responder = self.bot.safety_responder
        plan = await responder.plan(message.content, where, only_crisis=only_crisis)
        if plan.label == "none":
            return
        try:
            delivered = await self._deliver(message, plan)
        except Exception as error:  # a failed reply must never also cost the moderators' crisis alert
            log.error("Safety reply failed (%s)\n%s", exception_name(error), traceback_without_values(error))
            delivered = None
        outcome = await responder.record(plan, where, delivered)
        log.info("Safety label=%s did=%s (%s) guild=%s", plan.label, outcome.done, outcome.why, where.guild_key)
        alert_channel_id = plan.settings.alert_channel_id
        if plan.decision.alert and alert_channel_id and message.guild is not None:
            await self._alert(message, plan, outcome, alert_channel_id)

    async def _deliver(self, message: discord.Message, plan: Plan) -> Step | None:
        """Try each step the decision names until one reaches the member; None if none did."""
        for step in plan.decision.steps:
            parts = await self._reply_parts(message, plan)
            if step == "reply" and await self._reply(message, parts):
                return step
            if step == "dm" and await self._dm(message, parts):
                return step
        return None

    async def _reply_parts(self, message: discord.Message, plan: Plan) -> dict[str, Any]:
        label, guild_id = plan.label, (message.guild.id if message.guild else None)
        items: list[discord.ui.Item[Any]] = [ResourcesButton(label)]
        if not plan.situation.opted_out:  # a member who opted out still gets crisis lines, not the button again
            items.append(OptOutButton(guild_id))
        parts: dict[str, Any] = {"content": public_reply(label, plan.assessment.reasons)}
        if label == "crisis":
            pages, choice = await resources_for_label(
                self.bot, "crisis", message.author.id, guild_id, more=MORE_IN_RESOURCES_BUTTON
            )
            parts["embed"] = pages[0]  # one message: the rest is behind the Resources button
            if guild_id is not None and plan.settings.alert_channel_id is not None:
                items.append(talk_button(TalkTarget(message.author.id, guild_id, message.channel.id, message.id)))
            if choice.reason == "no region set":
                items.append(region_menu(self.bot.content, "crisis", edit=False))
        else:
            items.append(NotAboutThatButton(message.author.id, guild_id))
        parts["view"] = handled_elsewhere(*items)
        return parts

    async def _reply(self, message: discord.Message, parts: dict[str, Any]) -> bool:
        """Reply in the channel; where Lantern may not embed or read history it still replies (the
        crisis lines written into the text, sent without a reference), so a missing permission never
        costs the reply."""
        perms = message.channel.permissions_for(message.guild.me) if message.guild is not None else None
        if perms is not None and not perms.embed_links and "embed" in parts:
            parts = plain_reply(parts)
        as_reply = perms is None or perms.read_message_history  # Discord refuses a reply without it
        nonce = safety_nonce(message.id, "reply")

        def send() -> Any:
            if as_reply:
                return message.reply(**parts, mention_author=False, allowed_mentions=NO_PINGS, nonce=nonce)
            return message.channel.send(**parts, allowed_mentions=NO_PINGS, nonce=nonce)

        try:
            await send_once(send, what="a safety reply")
        except discord.HTTPException as exc:
            log.warning("Could not post a safety reply in channel %s (HTTP %s)", message.channel.id, exc.status)
            return False
        return True

    async def _dm(self, message: discord.Message, parts: dict[str, Any]) -> bool:
        try:
            nonce = safety_nonce(message.id, "dm")
            await send_once(
                lambda: message.author.send(**parts, allowed_mentions=NO_PINGS, nonce=nonce), what="a safety DM"
            )
        except discord.Forbidden:
            return False
        except discord.HTTPException as exc:
            log.warning("Could not DM a safety reply (HTTP %s)", exc.status)
            return False
        return True

    async def _alert(self, message: discord.Message, plan: Plan, outcome: Outcome, channel_id: int) -> None:
        channel = self.bot.get_channel(channel_id)
        if not isinstance(channel, discord.abc.Messageable) or message.guild is None:
            log.warning("Alert channel %s is not available", channel_id)
            return
        member, where = message.author.mention, getattr(message.channel, "mention", "a channel")
        did = describe_outcome(outcome, self.bot.clock.now())
        try:
            nonce = safety_nonce(message.id, "alert")
            if plan.label != "crisis":
                text = event_alert_header(plan.label, member, where, message.jump_url, did)
                await send_once(
                    lambda: channel.send(text, allowed_mentions=NO_PINGS, nonce=nonce), what="a safety alert"
                )
                return
            ping, allowed = ping_for(plan.settings)
            header = ping + crisis_alert_header(member, where, message.jump_url, did)
            sent = await send_once(
                lambda: channel.send(
                    alert_content(header, None), allowed_mentions=allowed, view=new_alert_view(), nonce=nonce
                ),
                what="a crisis alert",
            )
        except discord.HTTPException as exc:
            log.warning("Could not post a safety alert in channel %s (HTTP %s)", channel_id, exc.status)
            return
        await self.bot.stores.safety_alerts.open(sent.id, message.guild.id, "crisis", self.bot.clock.now())


async def setup(bot: LanternBot) -> None:
    bot.add_dynamic_items(ResourcesButton, OptOutButton, OptInButton, NotAboutThatButton)
    await bot.add_cog(Safety(bot))

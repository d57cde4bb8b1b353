"""`/config …`: a server's moderators shape Lantern without touching files. Every change is audited."""

from __future__ import annotations

import io
import logging
import re
from typing import Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot import insights as insights_report
from bot.client import LanternBot
from bot.config_views import (
    ALL,
    HISTORY_TEMPLATE,
    history_embed,
    history_page,
    history_topic_choices,
    history_view,
    resources_check_pages,
    settings_pages,
)
from bot.content.models import require_https_url
from bot.embeds import chunk_lines
from bot.errors import BadInput
from bot.guild_config import announce, change_settings, record_audit, safe_text
from bot.interactions import SafeDynamicButton, send_private, send_private_pages
from bot.local_time import next_delivery
from bot.options import (
    Choices,
    name_choices,
    parse_region,
    parse_schedule,
    region_choices,
    resolve_theme,
    theme_choices,
    zone_choices,
)
from bot.safety.explain import crisis_effect, crisis_summary, describe_decision
from bot.safety.policy import family_of
from bot.safety.responder import Where
from bot.settings_words import (
    PROMPT_CHANNEL,
    RESOURCES,
    audit_value_words,
    resource_words,
    shown,
    stored_prompt_channel,
    stored_resource,
)
from bot.setup_panel import panel_embed, panel_view
from bot.storage.guild_resources import GuildResource
from bot.storage.guild_settings import GuildSettings

log = logging.getLogger(__name__)
NAME_LIMIT, DESCRIPTION_LIMIT = 80, 200
INSIGHTS_FILE = "insights.png"
NO_PINGS = discord.AllowedMentions.none()
MAX_SERVER_RESOURCES = 25  # what one /resources answer shows beside Lantern's own lines


def where_of_interaction(interaction: discord.Interaction[Any], member: discord.Member | None = None) -> Where:
    """A preview is for a member writing in the channel the moderator is in: an ordinary member
    (no roles), or the member named, with their roles."""
    channel = interaction.channel
    return Where(
        guild_id=interaction.guild_id,
        channel_id=interaction.channel_id or 0,
        author_id=member.id if member is not None else 0,
        parent_channel_id=getattr(channel, "parent_id", None),
        role_ids=frozenset(role.id for role in member.roles) if member is not None else frozenset(),
    )


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class ServerConfig(commands.GroupCog, group_name="config", group_description="Lantern's settings for this server"):
    resources = app_commands.Group(name="resources", description="This server's own support resources")

    def __init__(self, bot: LanternBot) -> None:
        self.bot = bot
        super().__init__()

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        """Server owners can re-grant the command in Discord's settings; the check in code is what counts."""
        if interaction.guild is None:
            raise app_commands.NoPrivateMessage()
        if not interaction.permissions.manage_guild:
            raise app_commands.MissingPermissions(["manage_guild"])
        return True

    # ----- helpers ---------------------------------------------------------------------------------
    def _guild_id(self, interaction: discord.Interaction[Any]) -> int:
        assert interaction.guild_id is not None  # guild_only
        return interaction.guild_id

    async def _change(self, interaction: discord.Interaction[Any], **changes: Any) -> GuildSettings:
        return await change_settings(self.bot, self._guild_id(interaction), interaction.user, **changes)

    async def _audit(
        self, interaction: discord.Interaction[Any], setting: str, old: str | None, new: str | None
    ) -> None:
        await record_audit(self.bot, self._guild_id(interaction), interaction.user.id, setting, old, new)

    async def _announce(self, interaction: discord.Interaction[Any], settings: GuildSettings, lines: list[str]) -> None:
        await announce(self.bot, settings, interaction.user.mention, lines)

    async def _send_chunks(
        self, interaction: discord.Interaction[Any], lines: list[str], *, embeds: list[discord.Embed] | None = None
    ) -> None:
        """Lines that may not fit one message: as many messages as they need, nothing cut off; then
        any embeds, one message each."""
        first, *rest = chunk_lines(lines)
        await send_private(interaction, first)
        for chunk in rest:
            await interaction.followup.send(chunk, ephemeral=True, allowed_mentions=NO_PINGS)
        for embed in embeds or []:
            await interaction.followup.send(embed=embed, ephemeral=True, allowed_mentions=NO_PINGS)

    # ----- commands --------------------------------------------------------------------------------
    @app_commands.command(name="show", description="Every setting in words, its default, and how to change it")
    async def show(self, interaction: discord.Interaction) -> None:
        guild_id = self._guild_id(interaction)
        stores = self.bot.stores
        pages = settings_pages(
            self.bot.content,
            await stores.guild_settings.get(guild_id),
            await stores.prompt_channels.get(guild_id),
            await stores.guild_resources.list(guild_id),
            self.bot.clock.now().date(),
        )
        await send_private_pages(interaction, pages)

    @app_commands.command(name="history", description="Who changed which setting, from what to what, and when")
    @app_commands.describe(setting="Only this setting (leave empty for every change)")
    @app_commands.choices(setting=[app_commands.Choice(name=n, value=v) for n, v in history_topic_choices()])
    async def history(self, interaction: discord.Interaction, setting: app_commands.Choice[str] | None = None) -> None:
        page = await history_page(self.bot.stores, self._guild_id(interaction), setting.value if setting else ALL)
        await send_private(interaction, embed=history_embed(self.bot.content, page), view=history_view(page))

    @app_commands.command(name="safety", description="Safety replies: on or off, mode, cooldown")
    @app_commands.describe(
        enabled="Reply when a member seems hurt", mode="reply, dm or alert", cooldown_hours="Hours between replies"
    )
    async def safety(
        self,
        interaction: discord.Interaction,
        enabled: bool | None = None,
        mode: Literal["reply", "dm", "alert"] | None = None,
        cooldown_hours: app_commands.Range[float, 0.5, 168.0] | None = None,
    ) -> None:
        changes = {
            k: v
            for k, v in {
                "safety_enabled": enabled,
                "safety_mode": mode,
                "safety_cooldown_hours": cooldown_hours,
            }.items()
            if v is not None
        }
        if not changes:
            raise BadInput("Give at least one of enabled, mode or cooldown_hours.")
        after = await self._change(interaction, **changes)
        regions = self.bot.content.regions
        await send_private(
            interaction,
            f"Safety replies: {shown('safety_enabled', after.safety_enabled, regions)} · "
            f"Mode: {shown('safety_mode', after.safety_mode, regions)} · "
            f"Cooldown: {shown('safety_cooldown_hours', after.safety_cooldown_hours, regions)} between replies to "
            "the same member "
            f"(hurt and pursuit; crisis replies wait at most 10 minutes).\n**On crisis:** {crisis_summary(after)}",
        )

    @app_commands.command(name="exempt", description="Channels and roles where safety replies stay quiet")
    @app_commands.describe(action="add, remove or list", channel="A channel", role="A role")
    async def exempt(
        self,
        interaction: discord.Interaction,
        action: Literal["add", "remove", "list"],
        channel: discord.TextChannel | None = None,
        role: discord.Role | None = None,
    ) -> None:
        settings = await self.bot.stores.guild_settings.get(self._guild_id(interaction))
        channels, roles = list(settings.exempt_channel_ids), list(settings.exempt_role_ids)
        if action != "list":
            if channel is None and role is None:
                raise BadInput("Name a channel or a role to add or remove.")
            for ids, item in ((channels, channel), (roles, role)):
                if item is None:
                    continue
                if action == "add" and item.id not in ids:
                    ids.append(item.id)
                elif action == "remove" and item.id in ids:
                    ids.remove(item.id)
            settings = await self._change(interaction, exempt_channel_ids=tuple(channels), exempt_role_ids=tuple(roles))
        shown_channels = " ".join(f"<#{c}>" for c in settings.exempt_channel_ids) or "none"
        shown_roles = " ".join(f"<@&{r}>" for r in settings.exempt_role_ids) or "none"
        await self._send_chunks(
            interaction,
            [
                f"Quiet channels: {shown_channels}",
                f"Quiet roles: {shown_roles}",
                f"In them, {crisis_effect('exempt_channel_ids', settings).replace(' there;', ';')}.",
            ],
        )

    @app_commands.command(name="alerts", description="Where crisis alerts (and optionally all safety events) go")
    @app_commands.describe(
        channel="The moderators' channel",
        role="A responder role to ping on crisis alerts (only on crisis)",
        all_events="Also post every safety event (counts and links)",
    )
    async def alerts(
        self,
        interaction: discord.Interaction,
        channel: discord.TextChannel,
        role: discord.Role | None = None,
        all_events: bool | None = None,
    ) -> None:
        me = channel.guild.me
        perms = channel.permissions_for(me)
        if not (perms.view_channel and perms.send_messages):
            raise BadInput(
                f"I can't post in {channel.mention}: I need View Channel and Send Messages there. "
                "Give me those and try again."
            )
        changes: dict[str, Any] = {"alert_channel_id": channel.id}
        if role is not None:
            if role.is_default():
                raise BadInput("Pick a role for the responders, not @everyone.")
            changes["responder_role_id"] = role.id
        if all_events is not None:
            changes["alert_all_events"] = all_events
        after = await self._change(interaction, **changes)
        extra = " and every safety event" if after.alert_all_events else ""
        lines = [f"Crisis alerts{extra} will go to {channel.mention}. I checked I can post there."]
        if role is not None:
            lines.append(f"{role.mention} will be pinged on crisis alerts only.")
            if not role.mentionable and not perms.mention_everyone:
                lines.append(
                    f"⚠ {role.mention} isn't mentionable, so the ping won't reach anyone: allow anyone to mention "
                    "it (Server Settings → Roles), or give me Mention All Roles in that channel."
                )
        lines.append(f"**On crisis:** {crisis_summary(after)}")
        await send_private(interaction, "\n".join(lines))

    @app_commands.command(name="region", description="The server's default region for resources")
    @app_commands.describe(
        region="Start typing: United States, Canada, United Kingdom, Ireland, Australia or International"
    )
    async def region(self, interaction: discord.Interaction, region: str) -> None:
        code = parse_region(self.bot.content, region)
        after = await self._change(interaction, region=code)
        await send_private(
            interaction,
            f"Default region: {self.bot.content.regions[code]} ({code}). On crisis: {crisis_effect('region', after)}.",
        )

    @region.autocomplete("region")
    async def region_autocomplete(self, interaction: discord.Interaction, current: str) -> Choices:
        return region_choices(self.bot.content, current)

    @resources.command(name="add", description="Add one of this server's own resources (same name: replaces it)")
    @app_commands.describe(
        name="Its name (an existing name replaces that resource)",
        url="An https link",
        description="What it is for",
        region="Only for this region (leave empty for every region)",
    )
    async def resources_add(
        self,
        interaction: discord.Interaction,
        name: app_commands.Range[str, 1, NAME_LIMIT],
        url: app_commands.Range[str, 1, 300],
        description: app_commands.Range[str, 1, DESCRIPTION_LIMIT],
        region: str | None = None,
    ) -> None:
        if not name.strip() or not description.strip():
            raise BadInput("Give the resource a name and a description (not only spaces).")
        try:
            require_https_url(url.strip())
        except ValueError:
            raise BadInput("The link must start with https:// and be a web address.") from None
        code = parse_region(self.bot.content, region) if region is not None else None
        guild_id = self._guild_id(interaction)
        resource = GuildResource(name.strip(), url.strip(), description.strip(), code)
        resources = self.bot.stores.guild_resources
        async with self.bot.db.transaction():  # the check, the change and its audit, or none of them
            await resources.hold_for_change(guild_id)
            before = await resources.get(guild_id, resource.name)
            if before is None and len(await resources.list(guild_id)) >= MAX_SERVER_RESOURCES:
                raise BadInput(
                    f"This server already has {MAX_SERVER_RESOURCES} resources of its own, as many as members can "
                    "be shown at once. Remove one with `/config resources remove` first."
                )
            old = stored_resource(before.name, before.url, before.region) if before else None
            new = stored_resource(resource.name, resource.url, resource.region)
            await resources.add(guild_id, resource)
            await self._audit(interaction, RESOURCES, old, new)
        regions = self.bot.content.regions
        now_words = resource_words({"name": resource.name, "url": resource.url, "region": code}, regions)
        if before is None:
            line, said = f"Server resource added: {now_words}", f"Added {now_words}."
        else:
            was = resource_words({"name": before.name, "url": before.url, "region": before.region}, regions)
            line = f"Server resource replaced: {was} → {now_words}"
            said = f"Replaced the server resource {was} with {now_words}."
            if before.region and not code:
                only = regions.get(before.region, before.region)
                said += (
                    f" It now shows in every region; to keep it for {only} only, add it again with "
                    f"`region:{before.region}`."
                )
        await self._announce(interaction, await self.bot.stores.guild_settings.get(guild_id), [line])
        await send_private(interaction, said)

    @resources_add.autocomplete("region")
    async def resource_region_autocomplete(self, interaction: discord.Interaction, current: str) -> Choices:
        return region_choices(self.bot.content, current)

    @resources.command(name="remove", description="Remove one of this server's resources")
    @app_commands.describe(name="Which one (start typing its name)")
    async def resources_remove(self, interaction: discord.Interaction, name: str) -> None:
        guild_id = self._guild_id(interaction)
        before = await self.bot.stores.guild_resources.get(guild_id, name.strip())
        async with self.bot.db.transaction():  # the change and its audit, or neither
            if before is None or not await self.bot.stores.guild_resources.remove(guild_id, before.name):
                raise BadInput(
                    f"There is no server resource called “{safe_text(name)[:80]}”. See `/config resources list`."
                )
            await self._audit(interaction, RESOURCES, stored_resource(before.name, before.url, before.region), None)
        was = resource_words(
            {"name": before.name, "url": before.url, "region": before.region}, self.bot.content.regions
        )
        await self._announce(
            interaction, await self.bot.stores.guild_settings.get(guild_id), [f"Server resource removed: {was}"]
        )
        await send_private(interaction, f"Removed {was}.")

    @resources_remove.autocomplete("name")
    async def resource_name_autocomplete(self, interaction: discord.Interaction, current: str) -> Choices:
        own = await self.bot.stores.guild_resources.list(self._guild_id(interaction))
        return name_choices([r.name for r in own], current)

    @resources.command(name="list", description="This server's own resources, and how Lantern's were checked")
    async def resources_list(self, interaction: discord.Interaction) -> None:
        own = await self.bot.stores.guild_resources.list(self._guild_id(interaction))
        regions = self.bot.content.regions
        lines = [
            f"**{safe_text(r.name)}** ({regions.get(r.region, r.region) if r.region else 'all regions'}): "
            f"{safe_text(r.description)} {r.url}"
            for r in own
        ]
        heading = (
            ["This server's own resources:", *lines]
            if lines
            else ["This server has no resources of its own yet (`/config resources add`)."]
        )
        checks = resources_check_pages(self.bot.content, self.bot.clock.now().date())
        await self._send_chunks(interaction, heading, embeds=checks)

    @app_commands.command(name="prompt-channel", description="Post a prompt of the day in a channel at a local time")
    @app_commands.describe(
        channel="Where",
        time="Local time, like 9am, 9:30 pm or 21:30",
        timezone="A city or country, like Berlin or India (start typing for suggestions)",
        theme="Only prompts of this theme (leave empty for any)",
    )
    async def prompt_channel(
        self,
        interaction: discord.Interaction,
        channel: discord.TextChannel,
        time: str,
        timezone: str,
        theme: str | None = None,
    ) -> None:
        schedule = parse_schedule(time, timezone)
        perms = channel.permissions_for(channel.guild.me)
        if not (perms.view_channel and perms.send_messages and perms.embed_links):
            raise BadInput(f"I can't post in {channel.mention}: I need View Channel, Send Messages and Embed Links.")
        theme_id = resolve_theme(self.bot.content, theme)
        guild_id = self._guild_id(interaction)
        existing = await self.bot.stores.prompt_channels.get(guild_id)
        old = (
            stored_prompt_channel(
                existing.channel_id, f"{existing.local_time:%H:%M}", existing.timezone, existing.theme
            )
            if existing
            else None
        )
        new = stored_prompt_channel(channel.id, f"{schedule.at:%H:%M}", schedule.zone.key, theme_id)
        note = f"\n{schedule.note}" if schedule.note else ""
        themes = {key: t.name for key, t in self.bot.content.themes.items()}
        regions = self.bot.content.regions
        new_words = audit_value_words(PROMPT_CHANNEL, new, regions, themes)
        if old == new:
            await send_private(interaction, f"The prompt of the day is already {new_words}; nothing changed.{note}")
            return
        next_due = next_delivery(
            self.bot.clock.now(), schedule.at, schedule.zone, not_on=existing.last_local_date if existing else None
        )
        async with self.bot.db.transaction():  # the change and its audit, or neither
            await self.bot.stores.prompt_channels.save(
                guild_id, channel.id, schedule.at, schedule.zone.key, theme_id, next_due
            )
            await self._audit(interaction, PROMPT_CHANNEL, old, new)
        self.bot.scheduler.wake()
        if old is None:
            line = said = f"Prompt of the day: {new_words}"
        else:
            old_words = audit_value_words(PROMPT_CHANNEL, old, regions, themes)
            line = f"Prompt of the day: {old_words} → {new_words}"
            said = f"Changed the prompt of the day from {old_words} to {new_words}"
        await self._announce(interaction, await self.bot.stores.guild_settings.get(guild_id), [line])
        await send_private(interaction, f"{said}. The first one comes <t:{int(next_due.timestamp())}:F>.{note}")

    @prompt_channel.autocomplete("theme")
    async def theme_autocomplete(self, interaction: discord.Interaction, current: str) -> Choices:
        return theme_choices(self.bot.content, current)

    @prompt_channel.autocomplete("timezone")
    async def zone_autocomplete(self, interaction: discord.Interaction, current: str) -> Choices:
        return zone_choices(current, self.bot.clock.now())

    @app_commands.command(name="prompt-channel-off", description="Stop the prompt of the day")
    async def prompt_channel_off(self, interaction: discord.Interaction) -> None:
        guild_id = self._guild_id(interaction)
        existing = await self.bot.stores.prompt_channels.get(guild_id)
        deleted = False
        if existing is not None:
            old = stored_prompt_channel(
                existing.channel_id, f"{existing.local_time:%H:%M}", existing.timezone, existing.theme
            )
            async with self.bot.db.transaction():  # the change and its audit, or neither
                deleted = await self.bot.stores.prompt_channels.delete(guild_id)
                if deleted:
                    await self._audit(interaction, PROMPT_CHANNEL, old, None)
        if deleted:
            await self._announce(
                interaction, await self.bot.stores.guild_settings.get(guild_id), ["Prompt of the day: ✅ On → ❌ Off"]
            )
        self.bot.scheduler.wake()
        await send_private(interaction, "The prompt of the day is off.")

    @app_commands.command(name="test", description="Preview what Lantern would do with a message (nothing is posted)")
    @app_commands.describe(
        text="A message to try", member="As written by this member (their roles, opt-out and cooldown) right now"
    )
    async def test(
        self,
        interaction: discord.Interaction,
        text: app_commands.Range[str, 1, 2000],
        member: discord.Member | None = None,
    ) -> None:
        where = where_of_interaction(interaction, member)
        plan = await self.bot.safety_responder.preview(text, where, as_member=member is not None)
        assessment = plan.assessment
        who = (
            f"for {member.mention} as things stand" if member else "for a member with no quiet role, not in a cooldown"
        )
        if assessment.label == "none":
            detected = "Detector: nothing detected."
        else:
            reasons = ", ".join(assessment.reasons) or "no reason given"
            detected = (
                f"Detector: **{assessment.label}**, confidence {assessment.confidence:.2f} ({reasons}); "
                f"kind of label: {family_of(assessment.label)}."
            )
        await send_private(
            interaction, f"{detected}\nWith these settings Lantern would {describe_decision(plan.decision)}, {who}."
        )

    @app_commands.command(name="setup", description="A panel to set Lantern up: region, alerts, roles, quiet channels")
    async def setup_panel(self, interaction: discord.Interaction) -> None:
        settings = await self.bot.stores.guild_settings.get(self._guild_id(interaction))
        content = self.bot.content
        await send_private(interaction, embed=panel_embed(content, settings), view=panel_view(content, settings))

    @app_commands.command(name="insights", description="What Lantern did about safety, week by week (counts only)")
    @app_commands.describe(weeks="How many weeks back (1-12; counts are kept 90 days)")
    async def insights(
        self, interaction: discord.Interaction, weeks: app_commands.Range[int, 1, insights_report.MAX_WEEKS] = 4
    ) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        report = await insights_report.gather(self.bot.stores, self._guild_id(interaction), weeks, self.bot.clock.now())
        embed = discord.Embed(
            title=f"Safety insights · last {weeks} week{'s' if weeks != 1 else ''}",
            description="Counts only, per 7-day span ending today (UTC): no member is identified. Kept 90 days.",
            colour=discord.Colour.gold(),
        )
        for week in report.weeks:
            embed.add_field(name=week.label, value=insights_report.week_line(week)[:1024], inline=False)
        embed.add_field(name="Crisis alerts", value=insights_report.alerts_line(report), inline=False)
        embed.add_field(name="Members", value=insights_report.choices_line(report), inline=False)
        embed.set_image(url=f"attachment://{INSIGHTS_FILE}")
        chart = await insights_report.render_chart(report)
        await send_private(interaction, embed=embed, file=discord.File(io.BytesIO(chart), INSIGHTS_FILE))


class HistoryPageButton(SafeDynamicButton, template=HISTORY_TEMPLATE):
    """◀ Newer / Older ▶ under `/config history`: the page's place travels in the custom_id."""

    def __init__(self, item: discord.ui.Button[Any], topic: str, way: str, anchor: int) -> None:
        super().__init__(item)
        self.topic, self.way, self.anchor = topic, way, anchor

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> HistoryPageButton:
        assert isinstance(item, discord.ui.Button)
        return cls(item, match["topic"], match["way"], int(match["anchor"]))

    async def respond(self, interaction: discord.Interaction[Any]) -> None:
        if interaction.guild_id is None or not interaction.permissions.manage_guild:
            raise app_commands.MissingPermissions(["manage_guild"])
        bot: LanternBot = interaction.client
        older, newer = (self.anchor, None) if self.way == "o" else (None, self.anchor)
        page = await history_page(bot.stores, interaction.guild_id, self.topic, older_than=older, newer_than=newer)
        await interaction.response.edit_message(embed=history_embed(bot.content, page), view=history_view(page))


async def setup(bot: LanternBot) -> None:
    bot.add_dynamic_items(HistoryPageButton)
    await bot.add_cog(ServerConfig(bot))

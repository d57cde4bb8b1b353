"""`/config …`: a server's moderators shape Lantern without touching files. Every change is audited."""

from __future__ import annotations

import io
import logging
from typing import Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot import insights as insights_report
from bot.client import LanternBot
from bot.content.models import require_https_url
from bot.content.regions import normalise_region
from bot.embeds import FIELD_VALUE_LIMIT, Field, chunk_lines, fit_lines, paginate
from bot.errors import BadInput
from bot.guild_config import announce, change_settings, record_audit, safe_text, show_value
from bot.interactions import send_private, send_private_pages
from bot.local_time import next_delivery
from bot.options import parse_schedule, resolve_theme, theme_choices, zone_choices
from bot.safety.explain import crisis_effect, crisis_summary, describe_decision
from bot.safety.policy import family_of
from bot.safety.responder import Where
from bot.setup_panel import panel_embed, panel_view
from bot.storage.guild_resources import GuildResource
from bot.storage.guild_settings import DEFAULT_GUILD_SETTINGS, GuildSettings
from bot.storage.prompt_channels import PromptChannel

log = logging.getLogger(__name__)
NAME_LIMIT, DESCRIPTION_LIMIT = 80, 200
INSIGHTS_FILE = "insights.png"
NO_PINGS = discord.AllowedMentions.none()
MAX_SERVER_RESOURCES = 25  # what one /resources answer shows beside Lantern's own lines
LIST_VALUE_LIMIT = 400  # a list of channels or roles in /config show; /config exempt lists all
LISTED_AS_MENTIONS = {"exempt_channel_ids": "<#{}>", "exempt_role_ids": "<@&{}>"}


def _field_value(value: Any, key: str) -> str:
    """A setting as /config show lists it: long lists of channels or roles are shortened."""
    if key in LISTED_AS_MENTIONS:
        items = [LISTED_AS_MENTIONS[key].format(v) for v in value]
        more = "… and {} more (`/config exempt action:list`)"
        return fit_lines(items, LIST_VALUE_LIMIT, more.format, separator=" ") or "none"
    return show_value(value, key)


def settings_pages(
    settings: GuildSettings, prompt: PromptChannel | None, resource_count: int, stale: list[str]
) -> list[discord.Embed]:
    """`/config show`: every setting with its default and what it means on crisis, within Discord's
    limits however long the lists."""
    fields = []
    for key in GuildSettings.model_fields:
        value, default = getattr(settings, key), getattr(DEFAULT_GUILD_SETTINGS, key)
        shown = f"{_field_value(value, key)} (default: {show_value(default, key)})"
        effect = crisis_effect(key, settings)
        if effect:
            shown += f"\nOn crisis: {effect}"
        fields.append(Field(key.replace("_", " "), shown))
    fields.append(
        Field(
            "prompt of the day",
            f"<#{prompt.channel_id}> at {prompt.local_time:%H:%M} {prompt.timezone}" if prompt else "off",
        )
    )
    fields.append(Field("server resources", str(resource_count)))
    if stale:
        names = fit_lines(stale, FIELD_VALUE_LIMIT, "…and {} more".format, separator=", ")
        fields.append(Field("⚠ not re-checked for over a year", names))
    return paginate(
        title="Lantern settings",
        description=f"**On crisis:** {crisis_summary(settings)}",
        fields=fields,
        colour=discord.Colour.gold(),
    )


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

    async def _send_chunks(self, interaction: discord.Interaction[Any], lines: list[str]) -> None:
        """Lines that may not fit one message: as many messages as they need, nothing cut off."""
        first, *rest = chunk_lines(lines)
        await send_private(interaction, first)
        for chunk in rest:
            await interaction.followup.send(chunk, ephemeral=True, allowed_mentions=NO_PINGS)

    # ----- commands --------------------------------------------------------------------------------
    @app_commands.command(name="show", description="Every setting, its value and its default")
    async def show(self, interaction: discord.Interaction) -> None:
        guild_id = self._guild_id(interaction)
        settings = await self.bot.stores.guild_settings.get(guild_id)
        prompt = await self.bot.stores.prompt_channels.get(guild_id)
        own = await self.bot.stores.guild_resources.list(guild_id)
        stale = [r.name for r in self.bot.content.stale_resources(self.bot.clock.now().date())]
        await send_private_pages(interaction, settings_pages(settings, prompt, len(own), stale))

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
        await send_private(
            interaction,
            f"Safety replies: {'on' if after.safety_enabled else 'off'}, mode {after.safety_mode}, "
            f"cooldown {after.safety_cooldown_hours:g} h (hurt and pursuit; crisis replies wait at most 10 minutes)."
            f"\n**On crisis:** {crisis_summary(after)}",
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
    @app_commands.describe(region="US, CA, UK, IE, AU or INTL")
    async def region(self, interaction: discord.Interaction, region: str) -> None:
        code = normalise_region(region, self.bot.content.regions)
        if code is None:
            known = ", ".join(self.bot.content.regions)
            raise BadInput(f"I don't have resources for “{safe_text(region)[:40]}”. Regions: {known}.")
        after = await self._change(interaction, region=code)
        await send_private(
            interaction,
            f"Default region: {self.bot.content.regions[code]} ({code}). On crisis: {crisis_effect('region', after)}.",
        )

    @resources.command(name="add", description="Add (or update) one of this server's own resources")
    @app_commands.describe(
        name="Its name", url="An https link", description="What it is for", region="Only for this region"
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
        code = None
        if region is not None:
            code = normalise_region(region, self.bot.content.regions)
            if code is None:
                raise BadInput(f"Unknown region. Regions: {', '.join(self.bot.content.regions)}.")
        resource = GuildResource(name.strip(), url.strip(), description.strip(), code)
        existing = await self.bot.stores.guild_resources.list(self._guild_id(interaction))
        if len(existing) >= MAX_SERVER_RESOURCES and resource.name not in {r.name for r in existing}:
            raise BadInput(
                f"This server already has {MAX_SERVER_RESOURCES} resources of its own, as many as members can be "
                "shown at once. Remove one with `/config resources remove` first."
            )
        async with self.bot.db.transaction():  # the change and its audit, or neither
            replaced = await self.bot.stores.guild_resources.add(self._guild_id(interaction), resource)
            await self._audit(interaction, "resources", None if not replaced else name, f"{name} <{url}>")
        settings = await self.bot.stores.guild_settings.get(self._guild_id(interaction))
        await self._announce(
            interaction, settings, [f"resource {'updated' if replaced else 'added'}: {safe_text(name)}"]
        )
        await send_private(interaction, f"{'Updated' if replaced else 'Added'} “{safe_text(name)}”.")

    @resources.command(name="remove", description="Remove one of this server's resources")
    async def resources_remove(self, interaction: discord.Interaction, name: str) -> None:
        async with self.bot.db.transaction():  # the change and its audit, or neither
            if not await self.bot.stores.guild_resources.remove(self._guild_id(interaction), name.strip()):
                raise BadInput(f"There is no server resource called “{safe_text(name)[:80]}”.")
            await self._audit(interaction, "resources", name, None)
        settings = await self.bot.stores.guild_settings.get(self._guild_id(interaction))
        await self._announce(interaction, settings, [f"resource removed: {safe_text(name)}"])
        await send_private(interaction, f"Removed “{safe_text(name)}”.")

    @resources.command(name="list", description="This server's own resources")
    async def resources_list(self, interaction: discord.Interaction) -> None:
        own = await self.bot.stores.guild_resources.list(self._guild_id(interaction))
        lines = [
            f"**{safe_text(r.name)}** ({r.region or 'all regions'}): {safe_text(r.description)} {r.url}" for r in own
        ]
        await self._send_chunks(interaction, lines or ["This server has no resources of its own yet."])

    @app_commands.command(name="prompt-channel", description="Post a prompt of the day in a channel at a local time")
    @app_commands.describe(channel="Where", time="Local time like 09:00", timezone="Like Europe/Berlin", theme="Theme")
    async def prompt_channel(
        self,
        interaction: discord.Interaction,
        channel: discord.TextChannel,
        time: str,
        timezone: str,
        theme: str | None = None,
    ) -> None:
        at, zone = parse_schedule(time, timezone)
        perms = channel.permissions_for(channel.guild.me)
        if not (perms.view_channel and perms.send_messages and perms.embed_links):
            raise BadInput(f"I can't post in {channel.mention}: I need View Channel, Send Messages and Embed Links.")
        theme_id = resolve_theme(self.bot.content, theme)
        guild_id = self._guild_id(interaction)
        existing = await self.bot.stores.prompt_channels.get(guild_id)
        next_due = next_delivery(self.bot.clock.now(), at, zone, not_on=existing.last_local_date if existing else None)
        described = f"#{channel.name} at {at:%H:%M} {zone.key}" + (f" ({theme_id})" if theme_id else "")
        old = f"#{self.bot.get_channel(existing.channel_id)} at {existing.local_time:%H:%M}" if existing else "off"
        async with self.bot.db.transaction():  # the change and its audit, or neither
            await self.bot.stores.prompt_channels.save(guild_id, channel.id, at, zone.key, theme_id, next_due)
            await self._audit(interaction, "prompt_channel", old, described)
        self.bot.scheduler.wake()
        await self._announce(
            interaction, await self.bot.stores.guild_settings.get(guild_id), [f"prompt of the day: {described}"]
        )
        await send_private(interaction, f"Prompt of the day: {channel.mention} at {at:%H:%M} {zone.key}.")

    @prompt_channel.autocomplete("theme")
    async def theme_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return theme_choices(self.bot.content, current)

    @prompt_channel.autocomplete("timezone")
    async def zone_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return zone_choices(current)

    @app_commands.command(name="prompt-channel-off", description="Stop the prompt of the day")
    async def prompt_channel_off(self, interaction: discord.Interaction) -> None:
        guild_id = self._guild_id(interaction)
        async with self.bot.db.transaction():  # the change and its audit, or neither
            deleted = await self.bot.stores.prompt_channels.delete(guild_id)
            if deleted:
                await self._audit(interaction, "prompt_channel", "on", "off")
        if deleted:
            await self._announce(
                interaction, await self.bot.stores.guild_settings.get(guild_id), ["prompt of the day: off"]
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
        reasons = ", ".join(assessment.reasons) or "-"
        who = (
            f"for {member.mention} as things stand" if member else "for a member with no quiet role, not in a cooldown"
        )
        await send_private(
            interaction,
            f"Detector: **{assessment.label}** ({reasons}); kind of label: {family_of(assessment.label)}.\n"
            f"With these settings Lantern would {describe_decision(plan.decision)}, {who}.",
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


async def setup(bot: LanternBot) -> None:
    await bot.add_cog(ServerConfig(bot))

"""The setup panel (`/config setup`) and the message Lantern posts when it joins a server.

Both show what is on by default and a checklist: region, alert channel, responder role, quiet
channels. The panel's menus and buttons are answered by the arrival cog (templates below); every
change goes through `bot.guild_config.change_settings`, so it is audited like a `/config` command.
"""

from __future__ import annotations

from typing import Any

import discord

from bot.content import Content
from bot.embeds import fit_lines
from bot.interactions import handled_elsewhere
from bot.safety.explain import crisis_effect, crisis_summary
from bot.storage.guild_settings import GuildSettings

REGION_ID = "lantern:setup:region"
ALERT_CHANNEL_ID = "lantern:setup:alerts"
ROLE_ID = "lantern:setup:role"
QUIET_ID = "lantern:setup:quiet"
TOGGLE_TEMPLATE = r"lantern:setup:(?P<what>enabled|reply|dm|alert|events)"
OPEN_ID = "lantern:setup:open"
OPEN_LABEL = "Open the setup panel"
PANEL_COLOUR = discord.Colour.gold()
MODE_WORDS = {"reply": "Reply mode", "dm": "DM mode", "alert": "Alert mode"}


def _tick(done: bool) -> str:
    return "☑" if done else "☐"


def checklist(settings: GuildSettings) -> str:
    return "\n".join(
        [
            f"{_tick(settings.region is not None)} **Region**: whose phone numbers members see first "
            "(until then: international lines, with a region menu).",
            f"{_tick(settings.alert_channel_id is not None)} **Alert channel**: where crisis alerts go "
            "(until then: nobody is alerted).",
            f"{_tick(settings.responder_role_id is not None)} **Responder role**: pinged on crisis alerts only.",
            f"{_tick(bool(settings.exempt_channel_ids or settings.exempt_role_ids))} **Quiet channels**: "
            "venting spaces where hurt and pursuit replies stay quiet (a crisis still gets crisis lines by DM).",
        ]
    )


def _defaults_line(settings: GuildSettings) -> str:
    """What hurt and pursuit get now (crisis has its own line)."""
    when = (
        "when a member seems ignored, rejected, blocked or keeps pursuing someone, at most once every "
        f"{settings.safety_cooldown_hours:g} hours per member"
    )
    if not settings.safety_enabled:
        return "Safety replies are **off**: hurt and pursuit get no reply."
    what = {
        "reply": "a short kind reply in the channel (never quoting anyone)",
        "dm": "a short kind reply by DM (in the channel if DMs are closed)",
        "alert": "the moderators get an alert instead of a reply",
    }[settings.safety_mode]
    return f"Safety replies are **on**, in **{settings.safety_mode}** mode: {what}, {when}."


def _listed(mentions: list[str]) -> str:
    """Channels or roles, as many as fit a field beside a crisis note; `/config exempt` lists them all."""
    return fit_lines(mentions, 700, "… and {} more (`/config exempt action:list`)".format, separator=" ")


def panel_embed(content: Content, settings: GuildSettings) -> discord.Embed:
    embed = discord.Embed(title="Set up Lantern", description=_defaults_line(settings), colour=PANEL_COLOUR)
    embed.add_field(name="On crisis", value=crisis_summary(settings)[:1024], inline=False)
    region = f"{content.regions.get(settings.region, settings.region)} ({settings.region})" if settings.region else None
    rows = [
        ("Region", region or "not set", "region"),
        ("Alert channel", f"<#{settings.alert_channel_id}>" if settings.alert_channel_id else "not set", ""),
        ("Responder role", f"<@&{settings.responder_role_id}>" if settings.responder_role_id else "not set", ""),
        ("Quiet channels", _listed([f"<#{c}>" for c in settings.exempt_channel_ids]) or "none", ""),
        ("Quiet roles", _listed([f"<@&{r}>" for r in settings.exempt_role_ids]) or "none (`/config exempt`)", ""),
        ("Every safety event to the alert channel", "on" if settings.alert_all_events else "off", "alert_all_events"),
    ]
    for name, value, key in rows:
        effect = crisis_effect(key, settings) if key else ""
        embed.add_field(name=name, value=(value + (f"\n*{effect}*" if effect else ""))[:1024], inline=True)
    embed.add_field(name="Checklist", value=checklist(settings), inline=False)
    embed.set_footer(text="Every change here is recorded in the audit trail and posted to the alert channel.")
    return embed


def panel_view(content: Content, settings: GuildSettings) -> discord.ui.View:
    region = discord.ui.Select[Any](
        custom_id=REGION_ID,
        placeholder="Region",
        options=[
            discord.SelectOption(label=f"{name} ({code})"[:100], value=code, default=code == settings.region)
            for code, name in list(content.regions.items())[:25]
        ],
    )
    alert_channel = discord.ui.ChannelSelect[Any](
        custom_id=ALERT_CHANNEL_ID,
        placeholder="Alert channel",
        channel_types=[discord.ChannelType.text],
        default_values=[discord.Object(settings.alert_channel_id)] if settings.alert_channel_id else [],
    )
    role = discord.ui.RoleSelect[Any](
        custom_id=ROLE_ID,
        placeholder="Responder role",
        min_values=0,
        default_values=[discord.Object(settings.responder_role_id)] if settings.responder_role_id else [],
    )
    quiet = discord.ui.ChannelSelect[Any](
        custom_id=QUIET_ID,
        placeholder="Quiet channels",
        channel_types=[discord.ChannelType.text],
        min_values=0,
        max_values=25,
        default_values=[discord.Object(c) for c in settings.exempt_channel_ids[:25]],
    )
    enabled = "on" if settings.safety_enabled else "off"
    buttons: list[discord.ui.Item[Any]] = [
        discord.ui.Button(
            label=f"Safety replies: {enabled}",
            style=discord.ButtonStyle.success if settings.safety_enabled else discord.ButtonStyle.secondary,
            custom_id="lantern:setup:enabled",
        )
    ]
    for mode, words in MODE_WORDS.items():
        current = settings.safety_mode == mode
        buttons.append(
            discord.ui.Button(
                label=words,
                style=discord.ButtonStyle.primary if current else discord.ButtonStyle.secondary,
                custom_id=f"lantern:setup:{mode}",
                disabled=current,
            )
        )
    buttons.append(
        discord.ui.Button(
            label=f"All events: {'on' if settings.alert_all_events else 'off'}",
            style=discord.ButtonStyle.secondary,
            custom_id="lantern:setup:events",
        )
    )
    return handled_elsewhere(region, alert_channel, role, quiet, *buttons)


def arrival_embed(content: Content, settings: GuildSettings, *, in_server: bool) -> discord.Embed:
    """What Lantern says once, when it joins: what is on by default and what to set up."""
    how = (
        f"Press **{OPEN_LABEL}** (moderators) or run `/config setup`."
        if in_server
        else "Run `/config setup` in the server to open the setup panel."
    )
    embed = discord.Embed(
        title="Hello, I'm Lantern",
        description=(
            "A gentle companion for peer support: reflection prompts, support lines, and a kind word when "
            f"someone seems to be hurting. Not a therapist, and I never store what anyone writes.\n\n"
            f"**On by default.** {_defaults_line(settings)}\n**On crisis.** {crisis_summary(settings)}"
        )[:4096],
        colour=PANEL_COLOUR,
    )
    embed.add_field(name="Checklist for moderators", value=checklist(settings), inline=False)
    embed.add_field(name="Next", value=how, inline=False)
    return embed


def open_panel_view() -> discord.ui.View:
    return handled_elsewhere(discord.ui.Button(label=OPEN_LABEL, style=discord.ButtonStyle.primary, custom_id=OPEN_ID))

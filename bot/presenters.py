"""Embeds built from content. Every text here comes from data/ or from moderators, never members.

Each fits Discord's limits whatever the content files and moderators wrote (bot/embeds.py): what
cannot fit goes to a further embed, or a note says how to see it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import discord

from bot.content import Content
from bot.content.models import Contact, Prompt, Resource, Source
from bot.content.regions import RegionChoice
from bot.embeds import (
    DESCRIPTION_LIMIT,
    FIELD_VALUE_LIMIT,
    FOOTER_LIMIT,
    TITLE_LIMIT,
    Field,
    clip,
    fit_lines,
    paginate,
)
from bot.storage.guild_resources import GuildResource

EMERGENCY_LINE = "If you are in immediate danger, call your local emergency number now."
REGION_MENU_TEMPLATE = r"lantern:region:(?P<topic>crisis|relationships|own-behaviour):(?P<how>[ep])"
REGION_MENU_PLACEHOLDER = "Choose your region for local numbers"
PROMPT_COLOUR = discord.Colour.from_rgb(232, 170, 66)
SUPPORT_COLOUR = discord.Colour.from_rgb(88, 140, 200)


def discord_timestamp(instant: datetime) -> str:
    """The instant in each reader's own time zone and relative to now, as Discord renders it."""
    unix = int(instant.timestamp())
    return f"<t:{unix}:F> (<t:{unix}:R>)"


def source_label(source: Source) -> str:
    return source.author if source.author != "unattributed" else f"“{source.title}”"


def prompt_embed(content: Content, prompt: Prompt) -> discord.Embed:
    theme = content.themes[prompt.theme]
    source, point = content.source_of(prompt)
    embed = discord.Embed(
        title=clip(f"Reflection · {theme.name}", TITLE_LIMIT),
        description=clip(prompt.text, DESCRIPTION_LIMIT),
        colour=PROMPT_COLOUR,
    )
    embed.set_footer(
        text=clip(f"Grows from {source_label(source)}: {point}\nFor reflection, not advice.", FOOTER_LIMIT)
    )
    return embed


def contact_line(contact: Contact) -> str:
    match contact.kind:
        case "call":
            return f"Call {contact.value}"
        case "text":
            return contact.value
        case "chat":
            return f"Chat: {contact.value}"
        case "email":
            return f"Email {contact.value}"
        case _:
            return contact.value


def resource_field(resource: Resource) -> tuple[str, str]:
    """What a member sees: the service, what it is for and how to reach it (how it was checked is
    for moderators: `check_words`)."""
    name = resource.name if resource.hours is None else f"{resource.name} ({resource.hours})"
    lines = [resource.purpose, *(contact_line(c) for c in resource.contacts)]
    return name[:256], "\n".join(lines)[:1024]


CHECK_RESULT_WORDS = {
    "own-page": "confirmed on the service's own page",
    "indirect": "confirmed only indirectly",
    "not-rechecked": "not re-checked",
}


def check_words(resource: Resource) -> str:
    """How an entry was last checked, for moderators: result, date, page and how."""
    return (
        f"{CHECK_RESULT_WORDS[resource.check_result]} on {resource.checked_on:%d %B %Y} "
        f"against {resource.checked_against}: {resource.checked_how}"
    )


def inert(text: str) -> str:
    """Text written by moderators or members, shown so it can never ping or restyle the message."""
    return discord.utils.escape_markdown(discord.utils.escape_mentions(text))


RESOURCES_FOOTER = "Lantern is not a crisis service or a therapist. These services are free and confidential."
MORE_RESOURCES = "More support lines follow in the next message."
MORE_IN_RESOURCES_BUTTON = "More support lines: press Resources below (only you will see them)."


def resources_pages(
    content: Content,
    resources: Sequence[Resource],
    choice: RegionChoice,
    *,
    crisis: bool,
    title: str,
    server: Sequence[GuildResource] = (),
    more: str = MORE_RESOURCES,
) -> list[discord.Embed]:
    """Lantern's lines for the region, then the server's own, over as many embeds as they need.

    The first embed always has the intro (and the emergency line for crisis); a reply that can
    carry only one embed passes `more` to say where the rest is.
    """
    region_name = content.regions.get(choice.code, choice.code)
    intro = f"Showing **{region_name}** ({choice.reason})."
    if choice.reason != "you chose it":
        intro += " Pick another with `/resources region:` and add `remember:true` to keep it."
    if crisis:
        intro = f"{EMERGENCY_LINE}\n{intro}"
    fields = [Field(*resource_field(resource)) for resource in resources]
    for own in server:
        if own.region in (None, choice.code):
            value = f"{inert(own.description)}\n{own.url}\nAdded by this server's moderators"
            fields.append(Field(inert(own.name), value))
    return paginate(
        title=title, description=intro, fields=fields, footer=RESOURCES_FOOTER, colour=SUPPORT_COLOUR, more=more
    )


def embed_as_text(embed: discord.Embed) -> str:
    """An embed's words as plain text, for a channel where Lantern may not post embeds."""
    lines = [f"**{embed.title}**" if embed.title else "", embed.description or ""]
    for fld in embed.fields:
        lines.append(f"**{fld.name}**\n{fld.value}")
    if embed.footer and embed.footer.text:
        lines.append(f"*{embed.footer.text}*")
    return "\n".join(line for line in lines if line)


def source_embed(content: Content, source: Source) -> discord.Embed:
    points = "\n".join(f"• {p.text}" for p in source.key_points)
    embed = discord.Embed(
        title=source.title,
        description=f"{source.summary}\n\n**Key points**\n{points}",
        colour=PROMPT_COLOUR,
        url=source.url,
    )
    embed.add_field(name="Author", value=source.author, inline=True)
    embed.add_field(name="Where it came from", value=source.origin, inline=False)
    embed.set_footer(text=content.comparison.balanced_note)
    return embed


def sources_list_embed(content: Content) -> discord.Embed:
    lines = [f"**{s.title}** ({s.author}) · `/sources show name:{s.id}`" for s in content.sources.values()]
    description = fit_lines(
        lines,
        DESCRIPTION_LIMIT,
        lambda n: f"…and {n} more: start typing in `/sources show name:` to find them.",
    )
    embed = discord.Embed(title="Sources", description=description, colour=PROMPT_COLOUR)
    embed.set_footer(text="Summaries are in Lantern's own words. /sources compare shows where they disagree.")
    return embed


def comparison_pages(content: Content) -> list[discord.Embed]:
    fields = []
    for point in content.comparison.points:
        lines = [
            f"**{source_label(content.sources[source_id])}**: {position}"
            for source_id, position in point.positions.items()
        ]
        fields.append(Field(point.topic, fit_lines(lines, FIELD_VALUE_LIMIT, lambda n: f"…and {n} more sources.")))
    return paginate(
        title="Where the sources disagree",
        fields=fields,
        footer=content.comparison.balanced_note,
        colour=PROMPT_COLOUR,
    )


def region_menu(content: Content, topic: str, *, edit: bool, chosen: str | None = None) -> discord.ui.Select[Any]:
    """A region picker for a member without a region: one click for local numbers.

    `edit`: the answer replaces the message the menu is on (a private `/resources` reply);
    otherwise it comes as a new private message (a public crisis reply stays as it was).
    Handled by the resources cog (`REGION_MENU_TEMPLATE`).
    """
    options = [
        discord.SelectOption(label=f"{name} ({code})"[:100], value=code, default=code == chosen)
        for code, name in list(content.regions.items())[:25]
    ]
    return discord.ui.Select(
        custom_id=f"lantern:region:{topic}:{'e' if edit else 'p'}",
        placeholder=REGION_MENU_PLACEHOLDER,
        options=options,
    )

"""Support lines for the member themselves: help with their own feelings and actions when an urge
stays strong, and crisis lines when an unsent letter sounds like a crisis."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import discord

from bot.content import Content
from bot.content.models import ResourceTopic
from bot.content.regions import resolve_region
from bot.healing.wording import OWN_SUPPORT_TITLE
from bot.presenters import region_menu, resources_pages
from bot.safety.detector import assess
from bot.storage import Stores

MORE_CRISIS = "More crisis lines: /resources topic:crisis (only you see them)."
MORE_SUPPORT = "More support lines: /resources (only you see them)."


@dataclass(frozen=True)
class Support:
    embed: discord.Embed
    region_menu: discord.ui.Select[Any] | None  # a region picker while the member has none


async def support_for(
    stores: Stores, content: Content, user_id: int, guild_id: int | None, topic: ResourceTopic
) -> Support:
    """The lines on `topic` for the member's region (saved, else the server's, else international),
    and the region picker the other support replies offer when no region is set."""
    saved = await stores.member_settings.region(user_id)
    server = (await stores.guild_settings.get(guild_id)).region if guild_id else None
    choice = resolve_region(None, saved, server, content.regions)
    crisis = topic == "crisis"
    title = "Crisis support" if crisis else OWN_SUPPORT_TITLE
    own = await stores.guild_resources.list(guild_id) if guild_id and not crisis else []
    pages = resources_pages(
        content,
        content.resources_for(choice.code, topic),
        choice,
        crisis=crisis,
        title=title,
        server=own,
        more=MORE_CRISIS if crisis else MORE_SUPPORT,
    )
    menu = region_menu(content, topic, edit=False) if choice.reason == "no region set" else None
    return Support(pages[0], menu)  # one message: a rare second page is named in its footer


def letter_sounds_like_crisis(text: str) -> bool:
    """Read once, in memory, by the same detector as messages; the text goes nowhere else."""
    return assess(text).label == "crisis"

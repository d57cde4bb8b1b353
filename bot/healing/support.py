"""Support lines for the member themselves: help with their own feelings and actions when an urge
stays strong, and crisis lines when an unsent letter sounds like a crisis."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import discord

from bot.content import Content
from bot.content.models import ResourceTopic
from bot.presenters import region_menu
from bot.safety.detector import assess
from bot.storage import Stores
from bot.support import member_region, support_pages

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
    choice = await member_region(stores, content, user_id, guild_id)
    more = MORE_CRISIS if topic == "crisis" else MORE_SUPPORT
    pages = await support_pages(stores, content, topic, choice, guild_id, more=more)
    menu = region_menu(content, topic, edit=False) if choice.reason == "no region set" else None
    return Support(pages[0], menu)  # one message: a rare second page is named in its footer


def letter_sounds_like_crisis(text: str) -> bool:
    """Read once, in memory, by the same detector as messages; the text goes nowhere else."""
    return assess(text).label == "crisis"

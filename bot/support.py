"""Which support lines a member sees: one place for `/resources`, the Resources button, the crisis
reply, the region menu and `/pause`'s "still strong".

The region: what the member chose, else their saved region, else the server's, else international.
A server's own resources appear beside every topic but crisis, so crisis lines stay focused.
"""

from __future__ import annotations

import logging

import discord

from bot.content import Content
from bot.content.models import ResourceTopic
from bot.content.regions import RegionChoice, resolve_region
from bot.presenters import MORE_RESOURCES, resources_pages
from bot.storage import Stores
from bot.storage.database import storage_failures

log = logging.getLogger(__name__)

TOPIC_TITLES: dict[ResourceTopic, str] = {
    "relationships": "Relationship support",
    "crisis": "Crisis support",
    "own-behaviour": "Support for your own feelings and actions",
}
LABEL_TOPICS: dict[str, ResourceTopic] = {"crisis": "crisis", "pursuit": "own-behaviour"}  # others: relationships


def topic_for_label(label: str) -> ResourceTopic:
    """Crisis lines for crisis, help with one's own feelings and behaviour for pursuit (never a
    victims' line for someone who pursues), relationship support for being hurt."""
    return LABEL_TOPICS.get(label, "relationships")


async def member_region(
    stores: Stores, content: Content, user_id: int, guild_id: int | None, chosen: str | None = None
) -> RegionChoice:
    try:
        saved = await stores.member_settings.region(user_id)
        server = (await stores.guild_settings.get(guild_id)).region if guild_id is not None else None
    except storage_failures() as error:  # support lines matter more than their region: the general ones
        log.error("Storage failed reading a region (%s); showing lines for no region", type(error).__name__)
        saved = server = None
    return resolve_region(chosen, saved, server, content.regions)


async def support_pages(
    stores: Stores,
    content: Content,
    topic: ResourceTopic,
    region: RegionChoice,
    guild_id: int | None,
    *,
    more: str = MORE_RESOURCES,
) -> list[discord.Embed]:
    """The lines on `topic` for `region`, as embeds that each fit one message (`more`: where the
    rest is, for a reply that carries only the first)."""
    own = await stores.guild_resources.list(guild_id) if guild_id is not None and topic != "crisis" else []
    return resources_pages(
        content,
        content.resources_for(region.code, topic),
        region,
        crisis=topic == "crisis",
        title=TOPIC_TITLES[topic],
        server=own,
        more=more,
    )

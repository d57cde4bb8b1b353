"""Changing a server's settings: validated, audited (who, what, old → new, when) and announced in the
alert channel. `/config …` and the setup panel both change settings through here."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import discord

from bot.errors import BadInput
from bot.nonces import nonce_for
from bot.presenters import inert
from bot.sending import send_once
from bot.settings_words import change_line, stored
from bot.storage.guild_settings import GuildSettings

if TYPE_CHECKING:
    from bot.client import LanternBot

log = logging.getLogger(__name__)
NO_PINGS = discord.AllowedMentions.none()
ALERT_MODE_NEEDS_CHANNEL = (
    "Alert mode sends hurt and pursuit events to the moderators instead of replying, so it needs an alert "
    "channel first: `/config alerts channel:#your-moderators-channel`, then `/config safety mode:alert`."
)


def safe_text(text: str) -> str:
    """Member- or moderator-written text made inert: no pings, no markdown tricks. Escape it once,
    where it is put into a sentence; `announce` adds nothing on top."""
    return inert(text.strip())


def check_change(before: GuildSettings, changes: dict[str, Any]) -> None:
    """Refuse a combination that would leave a promise unkept: alert mode with nowhere to alert."""
    mode = changes.get("safety_mode", before.safety_mode)
    channel = changes.get("alert_channel_id", before.alert_channel_id)
    if mode == "alert" and channel is None:
        raise BadInput(ALERT_MODE_NEEDS_CHANNEL)


async def record_audit(
    bot: LanternBot, guild_id: int, user_id: int, setting: str, old: str | None, new: str | None
) -> None:
    """One entry of the trail; `old` and `new` in the stored form of `bot.settings_words`."""
    await bot.stores.config_audit.record(guild_id, user_id, setting, old, new, bot.clock.now())


async def announce(bot: LanternBot, settings: GuildSettings, who: str, lines: list[str]) -> None:
    """Post a change to the alert channel (if there is one), so every moderator sees it.

    `lines` are already in words, member-written parts already made inert: channel and role
    mentions render as they should, and the allowed mentions keep them from pinging anyone.
    """
    if settings.alert_channel_id is None or not lines:
        return
    channel = bot.get_channel(settings.alert_channel_id)
    if isinstance(channel, discord.abc.Messageable):
        text = f"{who} changed Lantern's settings:\n" + "\n".join(f"• {line}" for line in lines)
        text += "\nEvery change: `/config history`."
        nonce = nonce_for("settings-change", settings.alert_channel_id, who, bot.clock.now().isoformat(), text)
        try:
            await send_once(
                lambda: channel.send(text[:2000], allowed_mentions=NO_PINGS, nonce=nonce), what="a settings change"
            )
        except discord.HTTPException as exc:
            log.warning("Could not post a settings change in %s (HTTP %s)", settings.alert_channel_id, exc.status)


async def change_settings(bot: LanternBot, guild_id: int, user: discord.abc.User, **changes: Any) -> GuildSettings:
    """Check, store, audit and announce `changes`; returns the settings after them."""
    before = await bot.stores.guild_settings.get(guild_id)
    check_change(before, changes)
    regions = bot.content.regions
    lines = []
    async with bot.db.transaction():  # the change and its audit, or neither
        after = await bot.stores.guild_settings.update(guild_id, **changes)
        for key in changes:
            old, new = getattr(before, key), getattr(after, key)
            if old != new:
                await record_audit(bot, guild_id, user.id, key, stored(before, key), stored(after, key))
                lines.append(change_line(key, old, new, regions))
    await announce(bot, after, user.mention, lines)
    return after

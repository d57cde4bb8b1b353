"""REST: a channel, and the bot opening a DM with a member."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from emulator import state as st
from emulator.errors import APIError, unknown
from emulator.routes.base import json_response

if TYPE_CHECKING:
    from emulator.server import Emulator


def channel_of(emulator: Emulator, request: web.Request) -> st.Channel:
    """The {channel_id} of the path; guild channels vanish for the bot once it has left the guild."""
    try:
        channel = emulator.channels[int(request.match_info["channel_id"])]
    except (KeyError, ValueError):
        raise unknown("Channel", 10003) from None
    guild = emulator.guild_of(channel)
    if guild is not None and (not guild.present or not emulator.can_see(emulator.bot_member(guild), channel)):
        raise unknown("Channel", 10003) if not guild.present else APIError(403, 50001, "Missing Access")
    return channel


async def get_channel(emulator: Emulator, request: web.Request, body: Any) -> web.Response:
    return json_response(channel_of(emulator, request).payload())


async def create_dm(emulator: Emulator, request: web.Request, body: Any) -> web.Response:
    try:
        recipient = int((body or {}).get("recipient_id", 0))
    except (TypeError, ValueError):
        raise unknown("User", 10013) from None
    user = emulator.find_user(recipient)
    if user is None:
        raise unknown("User", 10013)
    return json_response(emulator.dm_channel(user).payload())

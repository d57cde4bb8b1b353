"""REST: a channel, and the bot opening a DM with a member."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from emulator import state as st
from emulator.errors import unknown
from emulator.routes.base import json_response

if TYPE_CHECKING:
    from emulator.server import Emulator


def channel_of(emulator: Emulator, request: web.Request) -> st.Channel:
    """The {channel_id} of the path; guild channels vanish for the bot once it has left the guild."""
    try:
        channel = emulator.channels[int(request.match_info["channel_id"])]
    except (KeyError, ValueError):
        raise unknown("Channel", 10003) from None
    if channel.guild_id is not None and not emulator.guild_present:
        raise unknown("Channel", 10003)
    return channel


async def get_channel(emulator: Emulator, request: web.Request, body: Any) -> web.Response:
    return json_response(channel_of(emulator, request).payload())


async def create_dm(emulator: Emulator, request: web.Request, body: Any) -> web.Response:
    user = emulator.find_user(int((body or {}).get("recipient_id", 0)))
    if user is None:
        raise unknown("User", 10013)
    return json_response(emulator.dm_channel(user).payload())

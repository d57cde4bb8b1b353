"""REST: the guild, its channel list and members, and the bot leaving it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from emulator.errors import unknown
from emulator.routes.base import json_response

if TYPE_CHECKING:
    from emulator.server import Emulator

# Fields only GUILD_CREATE carries; GET /guilds/{guild_id} leaves them out.
GATEWAY_ONLY_FIELDS = ("members", "channels", "threads", "presences", "voice_states")


def check_guild(emulator: Emulator, request: web.Request) -> None:
    """Refuse a {guild_id} that is not the emulator's guild, or any once the bot has left it."""
    if request.match_info["guild_id"] != str(emulator.guild_id) or not emulator.guild_present:
        raise unknown("Guild", 10004)


async def get_guild(emulator: Emulator, request: web.Request, body: Any) -> web.Response:
    check_guild(emulator, request)
    payload = emulator.guild_payload()
    for key in GATEWAY_ONLY_FIELDS:
        payload.pop(key)
    return json_response(payload)


async def get_guild_channels(emulator: Emulator, request: web.Request, body: Any) -> web.Response:
    check_guild(emulator, request)
    return json_response([c.payload() for c in emulator.channels.values() if c.type == 0])


async def get_member(emulator: Emulator, request: web.Request, body: Any) -> web.Response:
    check_guild(emulator, request)
    member = emulator.members.get(int(request.match_info["user_id"]))
    if member is None:
        raise unknown("Member", 10007)
    return json_response(member.payload())


async def leave_guild(emulator: Emulator, request: web.Request, body: Any) -> web.Response:
    check_guild(emulator, request)
    await emulator.remove_bot_from_guild()
    return json_response(None, 204)

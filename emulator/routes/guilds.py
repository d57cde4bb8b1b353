"""REST: a guild, its channel list and members, and the bot leaving it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from emulator import state as st
from emulator.errors import unknown
from emulator.routes.base import json_response

if TYPE_CHECKING:
    from emulator.server import Emulator

# Fields only GUILD_CREATE carries; GET /guilds/{guild_id} leaves them out.
GATEWAY_ONLY_FIELDS = (
    "members",
    "channels",
    "threads",
    "presences",
    "voice_states",
    "joined_at",
    "large",
    "unavailable",
    "member_count",
    "stage_instances",
    "guild_scheduled_events",
    "soundboard_sounds",
    "embedded_activities",
    "activity_instances",
    "lazy",
)


def guild_of_request(emulator: Emulator, request: web.Request) -> st.Guild:
    """The {guild_id} of the path: a guild the bot is in (not one it has left)."""
    try:
        guild = emulator.guilds[int(request.match_info["guild_id"])]
    except (KeyError, ValueError):
        raise unknown("Guild", 10004) from None
    if not guild.present:
        raise unknown("Guild", 10004)
    return guild


def check_guild(emulator: Emulator, request: web.Request) -> None:
    guild_of_request(emulator, request)


async def get_guild(emulator: Emulator, request: web.Request, body: Any) -> web.Response:
    payload = emulator.guild_payload(guild_of_request(emulator, request))
    for key in GATEWAY_ONLY_FIELDS:
        payload.pop(key, None)
    return json_response(payload)


async def get_guild_channels(emulator: Emulator, request: web.Request, body: Any) -> web.Response:
    guild = guild_of_request(emulator, request)
    channels = [c for c in emulator.channels.values() if c.guild_id == guild.id and not c.is_thread]
    return json_response([c.payload() for c in channels])


async def get_member(emulator: Emulator, request: web.Request, body: Any) -> web.Response:
    guild = guild_of_request(emulator, request)
    try:
        member = guild.members[int(request.match_info["user_id"])]
    except (KeyError, ValueError):
        raise unknown("Member", 10007) from None
    return json_response(member.payload())


async def leave_guild(emulator: Emulator, request: web.Request, body: Any) -> web.Response:
    guild = guild_of_request(emulator, request)
    await emulator.remove_bot_from_guild(guild)
    return json_response(None, 204)

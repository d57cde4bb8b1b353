"""REST: the application and its bot user, where the gateway is, and command registration."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from emulator.errors import unknown
from emulator.routes.base import json_response
from emulator.routes.guilds import guild_of_request
from emulator.validation import check_commands

if TYPE_CHECKING:
    from emulator.server import Emulator


async def get_gateway(emulator: Emulator, request: web.Request, body: Any) -> web.Response:
    return json_response({"url": emulator.gateway_url.rstrip("/")})


async def get_gateway_bot(emulator: Emulator, request: web.Request, body: Any) -> web.Response:
    return json_response(
        {
            "url": emulator.gateway_url.rstrip("/"),
            "shards": emulator.shard_count,
            "session_start_limit": emulator.sharding.session_start_limit(),
        }
    )


async def get_me(emulator: Emulator, request: web.Request, body: Any) -> web.Response:
    return json_response(
        {**emulator.bot_user.payload(), "verified": True, "mfa_enabled": False, "locale": "en-US", "email": None}
    )


async def get_application(emulator: Emulator, request: web.Request, body: Any) -> web.Response:
    return json_response(
        {
            "id": str(emulator.application_id),
            "name": emulator.bot_user.name,
            "icon": None,
            "description": "Lantern in the emulator",
            "rpc_origins": [],
            "bot_public": True,
            "bot_require_code_grant": False,
            "bot": emulator.bot_user.payload(),
            "owner": emulator.owner.payload(),
            "summary": "",
            "verify_key": "0" * 64,
            "team": None,
            "type": None,
            "flags": 1 << 19,
            "flags_new": str(1 << 19),
            "role_connections_verification_url": None,
            "approximate_guild_count": len([g for g in emulator.guilds.values() if g.present]),
            "approximate_user_install_count": 0,
            "approximate_user_authorization_count": 0,
            "explicit_content_filter": 0,
            "eligible_oauth2_scopes": ["bot", "applications.commands"],
            "tags": [],
            "integration_types_config": {},
            "redirect_uris": [],
            "interactions_endpoint_url": None,
        }
    )


def check_application(emulator: Emulator, request: web.Request) -> None:
    if request.match_info["application_id"] != str(emulator.application_id):
        raise unknown("Application", 10002)


def store_commands(
    emulator: Emulator, target: dict[str, dict[str, Any]], body: Any, guild_id: int | None
) -> list[dict[str, Any]]:
    """A bulk overwrite, checked like Discord: `target` becomes exactly `body`; kept commands keep their id.

    Stored as Discord answers: permissions as a string, `contexts` and `integration_types` filled
    in for global commands, `nsfw` false, descriptions present.
    """
    check_commands(body, emulator.limits)
    stored: dict[str, dict[str, Any]] = {}
    for command in body:
        previous = target.get(command["name"])
        permissions = command.get("default_member_permissions")
        entry = {
            **command,
            "id": previous["id"] if previous else str(emulator.ids.next()),
            "application_id": str(emulator.application_id),
            "version": str(emulator.ids.next()),
            "type": command.get("type", 1),
            "description": command.get("description") or "",
            "default_member_permissions": str(permissions) if permissions is not None else None,
            "dm_permission": command.get("dm_permission", True),
            "nsfw": bool(command.get("nsfw", False)),
        }
        if guild_id is not None:
            entry["guild_id"] = str(guild_id)
            entry.pop("integration_types", None)
            entry.pop("contexts", None)
        else:
            entry["integration_types"] = command.get("integration_types") or [0]
            if entry.get("contexts") is None:
                entry["contexts"] = None
        stored[command["name"]] = entry
    target.clear()
    target.update(stored)
    return list(stored.values())


async def get_global_commands(emulator: Emulator, request: web.Request, body: Any) -> web.Response:
    check_application(emulator, request)
    return json_response(list(emulator.global_commands.values()))


async def put_global_commands(emulator: Emulator, request: web.Request, body: Any) -> web.Response:
    check_application(emulator, request)
    return json_response(store_commands(emulator, emulator.global_commands, body, None))


async def get_guild_commands(emulator: Emulator, request: web.Request, body: Any) -> web.Response:
    check_application(emulator, request)
    return json_response(list(guild_of_request(emulator, request).commands.values()))


async def put_guild_commands(emulator: Emulator, request: web.Request, body: Any) -> web.Response:
    check_application(emulator, request)
    guild = guild_of_request(emulator, request)
    return json_response(store_commands(emulator, guild.commands, body, guild.id))

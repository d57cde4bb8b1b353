"""What outlives one run of the emulator: the world's ids, kept beside a sandbox's database.

A bot's database keeps the ids of members, channels, DMs, roles and guilds. A second run with the
same database must meet the same world, so `snapshot_world` writes it (no messages, nothing
anyone wrote) and `restore_world` rebuilds it, and new ids continue after the old ones.
"""

from __future__ import annotations

import base64
import secrets
from datetime import datetime
from typing import TYPE_CHECKING, Any

from emulator import state as st

if TYPE_CHECKING:
    from emulator.server import Emulator

WORLD_VERSION = 1


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def bot_token(application_id: int) -> str:
    """A token shaped like Discord's: the bot's id in base64, a timestamp part and an HMAC-like part."""
    return f"{_b64(str(application_id).encode())}.{_b64(secrets.token_bytes(4))}.{_b64(secrets.token_bytes(28))}"


def interaction_token(interaction_id: int) -> str:
    """An interaction token shaped like Discord's ("aW50ZXJhY3Rpb246…": base64 of interaction:ID:…)."""
    return _b64(f"interaction:{interaction_id}:".encode() + secrets.token_bytes(48))


def _iso(instant: datetime | None) -> str | None:
    return instant.isoformat() if instant else None


def _instant(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def snapshot_world(emulator: Emulator) -> dict[str, Any]:
    return {
        "version": WORLD_VERSION,
        "last_id": emulator.ids.last,
        "application_id": emulator.application_id,
        "owner_id": emulator.owner.id,
        "default_guild_id": emulator.guild.id,
        "users": [{"id": u.id, "name": u.name, "bot": u.bot, "dms_open": u.dms_open} for u in emulator.users.values()],
        "guilds": [
            {
                "id": g.id,
                "name": g.name,
                "owner_id": g.owner_id,
                "present": g.present,
                "moderator_role_id": g.moderator_role_id,
                "bot_role_id": g.bot_role_id,
                "system_channel_id": g.system_channel_id,
                "joined_at": _iso(g.joined_at),
                "roles": [
                    {
                        "id": r.id,
                        "name": r.name,
                        "permissions": r.permissions,
                        "position": r.position,
                        "managed": r.managed,
                    }
                    for r in g.roles.values()
                ],
                "members": [
                    {"user_id": m.id, "role_ids": m.role_ids, "joined_at": _iso(m.joined_at)}
                    for m in g.members.values()
                ],
            }
            for g in emulator.guilds.values()
        ],
        "channels": [
            {
                "id": c.id,
                "name": c.name,
                "type": c.type,
                "guild_id": c.guild_id,
                "position": c.position,
                "recipient_id": c.recipient.id if c.recipient else None,
                "overwrites": [[target, allow, deny] for target, (allow, deny) in c.overwrites.items()],
                "member_overwrites": sorted(c.member_overwrites),
                "parent_id": c.parent_id,
                "owner_id": c.owner_id,
                "created_at": _iso(c.created_at),
            }
            for c in emulator.channels.values()
        ],
    }


def restore_world(emulator: Emulator, world: dict[str, Any]) -> None:
    if world.get("version") != WORLD_VERSION:
        raise ValueError(f"unsupported world version {world.get('version')!r}")
    emulator.ids.continue_after(int(world["last_id"]))
    for data in world["users"]:
        user = st.User(int(data["id"]), data["name"], bot=data["bot"], dms_open=data["dms_open"])
        emulator.users[user.id] = user
    emulator.application_id = int(world["application_id"])
    emulator.bot_user = emulator.users[emulator.application_id]
    emulator.owner = emulator.users[int(world["owner_id"])]
    for data in world["guilds"]:
        guild = st.Guild(
            int(data["id"]),
            data["name"],
            int(data["owner_id"]),
            present=data["present"],
            moderator_role_id=int(data["moderator_role_id"]),
            bot_role_id=int(data["bot_role_id"]),
            system_channel_id=data["system_channel_id"],
            joined_at=_instant(data["joined_at"]),
        )
        for role in data["roles"]:
            guild.roles[int(role["id"])] = st.Role(
                int(role["id"]), role["name"], int(role["permissions"]), role["position"], role["managed"]
            )
        for member in data["members"]:
            user = emulator.users[int(member["user_id"])]
            joined = _instant(member["joined_at"]) or emulator.now()
            guild.members[user.id] = st.Member(user, [int(r) for r in member["role_ids"]], joined, guild.id)
        emulator.guilds[guild.id] = guild
    emulator.guild = emulator.guilds[int(world["default_guild_id"])]
    for data in world["channels"]:
        channel = st.Channel(
            int(data["id"]),
            data["name"],
            int(data["type"]),
            guild_id=data["guild_id"],
            position=data["position"],
            recipient=emulator.users.get(data["recipient_id"]) if data["recipient_id"] else None,
            overwrites={int(t): (int(a), int(d)) for t, a, d in data["overwrites"]},
            member_overwrites={int(t) for t in data["member_overwrites"]},
            parent_id=data["parent_id"],
            owner_id=data["owner_id"],
            created_at=_instant(data["created_at"]),
        )
        emulator.channels[channel.id] = channel

"""The emulator's world: one guild with roles, channels and members, DMs, and messages.

Payload builders produce what Discord's API v10 sends, field for field, for what discord.py reads.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

DISCORD_EPOCH_MS = 1420070400000

# Permission bits (Discord's documented values).
ADMINISTRATOR = 1 << 3
MANAGE_GUILD = 1 << 5
ADD_REACTIONS = 1 << 6
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
USE_APPLICATION_COMMANDS = 1 << 31
SEND_MESSAGES_IN_THREADS = 1 << 38
ALL_PERMISSIONS = (1 << 51) - 1

EVERYONE_PERMISSIONS = (
    VIEW_CHANNEL | SEND_MESSAGES | ADD_REACTIONS | EMBED_LINKS | ATTACH_FILES | READ_MESSAGE_HISTORY
) | USE_APPLICATION_COMMANDS
BOT_PERMISSIONS = VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | READ_MESSAGE_HISTORY | SEND_MESSAGES_IN_THREADS

EPHEMERAL_FLAG = 1 << 6


class Snowflakes:
    """Discord-style ids: the time comes from the emulator's clock, and ids always increase."""

    def __init__(self, now: Any) -> None:
        self._now = now
        self._last = 0
        self._counter = itertools.count()

    def next(self) -> int:
        instant: datetime = self._now()
        ms = int(instant.timestamp() * 1000) - DISCORD_EPOCH_MS
        candidate = (ms << 22) | (next(self._counter) & 0xFFF)
        self._last = max(self._last + 1, candidate)
        return self._last


def iso(instant: datetime) -> str:
    return instant.astimezone(UTC).isoformat()


@dataclass
class User:
    id: int
    name: str
    bot: bool = False
    dms_open: bool = True

    def payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "username": self.name,
            "global_name": self.name,
            "discriminator": "0",
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
        }


@dataclass
class Role:
    id: int
    name: str
    permissions: int
    position: int = 0
    managed: bool = False
    mentionable: bool = False

    def payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "name": self.name,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "position": self.position,
            "permissions": str(self.permissions),
            "managed": self.managed,
            "mentionable": self.mentionable,
            "flags": 0,
        }


@dataclass
class Member:
    user: User
    role_ids: list[int] = field(default_factory=list)
    joined_at: datetime = field(default_factory=lambda: datetime(2025, 1, 1, tzinfo=UTC))

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def name(self) -> str:
        return self.user.name

    def payload(self, *, with_user: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "roles": [str(r) for r in self.role_ids],
            "joined_at": iso(self.joined_at),
            "deaf": False,
            "mute": False,
            "flags": 0,
            "nick": None,
            "avatar": None,
            "pending": False,
            "premium_since": None,
            "communication_disabled_until": None,
        }
        if with_user:
            data["user"] = self.user.payload()
        return data


@dataclass
class Channel:
    id: int
    name: str
    type: int  # 0 guild text, 1 DM
    guild_id: int | None = None
    position: int = 0
    recipient: User | None = None
    # per-member (or role) overwrites: id -> (allow, deny)
    overwrites: dict[int, tuple[int, int]] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"dm:{self.recipient.name}" if self.recipient else f"#{self.name}"

    def payload(self) -> dict[str, Any]:
        if self.type == 1:
            assert self.recipient is not None
            return {
                "id": str(self.id),
                "type": 1,
                "last_message_id": None,
                "recipients": [self.recipient.payload()],
                "flags": 0,
            }
        return {
            "id": str(self.id),
            "type": self.type,
            "guild_id": str(self.guild_id),
            "name": self.name,
            "position": self.position,
            "parent_id": None,
            "topic": None,
            "nsfw": False,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "flags": 0,
            "permission_overwrites": [
                {"id": str(target), "type": 1, "allow": str(allow), "deny": str(deny)}
                for target, (allow, deny) in self.overwrites.items()
            ],
        }


@dataclass
class Message:
    """A message as Discord stores it, plus who may see it (ephemeral) and which line caused it."""

    id: int
    channel: Channel
    author: User
    content: str
    timestamp: datetime
    embeds: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    flags: int = 0
    reference_id: int | None = None
    allowed_mentions: dict[str, Any] | None = None
    edited: datetime | None = None
    visible_to: int | None = None  # ephemeral: the only member who sees it
    interaction: dict[str, Any] | None = None  # interaction_metadata for command responses
    webhook_id: int | None = None
    deleted: bool = False
    origin_line: int | None = None
    type: int = 0
    attachments: list[dict[str, Any]] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)  # attachment id -> the bytes uploaded

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & EPHEMERAL_FLAG)

    def payload(self, *, guild_member: Member | None = None, resolve: Any = None) -> dict[str, Any]:
        user_mentions = [int(m) for m in re.findall(r"<@!?(\d+)>", self.content)]
        role_mentions = re.findall(r"<@&(\d+)>", self.content)
        data: dict[str, Any] = {
            "id": str(self.id),
            "channel_id": str(self.channel.id),
            "author": self.author.payload(),
            "content": self.content,
            "timestamp": iso(self.timestamp),
            "edited_timestamp": iso(self.edited) if self.edited else None,
            "tts": False,
            "mention_everyone": "@everyone" in self.content or "@here" in self.content,
            "mentions": [resolve(uid).payload() for uid in user_mentions if resolve and resolve(uid)],
            "mention_roles": role_mentions,
            "attachments": self.attachments,
            "embeds": self.embeds,
            "pinned": False,
            "type": self.type,
            "flags": self.flags,
            "components": self.components,
        }
        if self.channel.guild_id is not None:
            data["guild_id"] = str(self.channel.guild_id)
            if guild_member is not None:
                data["member"] = guild_member.payload(with_user=False)
        if self.reference_id is not None:
            data["message_reference"] = {
                "type": 0,
                "message_id": str(self.reference_id),
                "channel_id": str(self.channel.id),
                **({"guild_id": str(self.channel.guild_id)} if self.channel.guild_id else {}),
            }
        if self.webhook_id is not None:
            data["webhook_id"] = str(self.webhook_id)
        if self.interaction is not None:
            data["interaction_metadata"] = self.interaction
        return data


BUTTON = 2
# Select menu component types and what each offers: its own options, or entities of the guild.
STRING_SELECT, USER_SELECT, ROLE_SELECT, MENTIONABLE_SELECT, CHANNEL_SELECT = 3, 5, 6, 7, 8
SELECT_KINDS = {
    STRING_SELECT: "option",
    USER_SELECT: "member",
    ROLE_SELECT: "role",
    MENTIONABLE_SELECT: "member or role",
    CHANNEL_SELECT: "channel",
}


def components_of(components: list[dict[str, Any]], types: set[int] | frozenset[int]) -> list[dict[str, Any]]:
    """Every component of the given types in a message (rows, containers and sections included)."""
    found: list[dict[str, Any]] = []
    for component in components:
        if component.get("type") in types:
            found.append(component)
        for key in ("components", "accessory"):
            inner = component.get(key)
            if isinstance(inner, list):
                found.extend(components_of(inner, types))
            elif isinstance(inner, dict):
                found.extend(components_of([inner], types))
    return found


def buttons_of(components: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every button in a message's components."""
    return components_of(components, {BUTTON})


def selects_of(components: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every select menu (string, user, role, mentionable or channel) in a message's components."""
    return components_of(components, frozenset(SELECT_KINDS))


def pinged(
    content: str,
    allowed: dict[str, Any] | None,
    *,
    replied_author: int | None,
    user_name: Any,
    role_name: Any,
) -> list[str]:
    """Whom a message notifies, computed the way Discord does from its content and allowed_mentions.

    Embeds never ping. Without `allowed_mentions`, Discord parses every kind of mention and pings
    the author of a replied-to message.
    """
    if allowed is None:
        parse = {"everyone", "users", "roles"}
        users: set[str] = set()
        roles: set[str] = set()
        replied_user = True
    else:
        parse = set(allowed.get("parse") or [])
        users = {str(u) for u in allowed.get("users") or []}
        roles = {str(r) for r in allowed.get("roles") or []}
        replied_user = bool(allowed.get("replied_user", False))
    result: list[str] = []
    if "everyone" in parse:
        for word in ("@everyone", "@here"):
            if word in content:
                result.append(word)
    for uid in dict.fromkeys(re.findall(r"<@!?(\d+)>", content)):
        if "users" in parse or uid in users:
            result.append(f"@{user_name(int(uid))}")
    for rid in dict.fromkeys(re.findall(r"<@&(\d+)>", content)):
        if "roles" in parse or rid in roles:
            result.append(f"@&{role_name(int(rid))}")
    if replied_author is not None and replied_user:
        mention = f"@{user_name(replied_author)}"
        if mention not in result:
            result.append(mention)
    return result

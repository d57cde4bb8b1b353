"""The emulator's world: guilds with roles, channels, threads and members, DMs, and messages.

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
MENTION_EVERYONE = 1 << 17
MANAGE_ROLES = 1 << 28
USE_APPLICATION_COMMANDS = 1 << 31
MANAGE_THREADS = 1 << 34
CREATE_PUBLIC_THREADS = 1 << 35
SEND_MESSAGES_IN_THREADS = 1 << 38
ALL_PERMISSIONS = (1 << 51) - 1

# Channel types.
GUILD_TEXT, DM, PUBLIC_THREAD, PRIVATE_THREAD = 0, 1, 11, 12
THREAD_TYPES = (10, PUBLIC_THREAD, PRIVATE_THREAD)
ROLE_OVERWRITE, MEMBER_OVERWRITE = 0, 1

EVERYONE_PERMISSIONS = (
    (VIEW_CHANNEL | SEND_MESSAGES | ADD_REACTIONS | EMBED_LINKS | ATTACH_FILES | READ_MESSAGE_HISTORY)
    | USE_APPLICATION_COMMANDS
    | CREATE_PUBLIC_THREADS
    | SEND_MESSAGES_IN_THREADS
)
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

    @property
    def last(self) -> int:
        return self._last

    def continue_after(self, last: int) -> None:
        """Never hand out an id at or below `last` (ids of a world restored from an earlier run)."""
        self._last = max(self._last, last)


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
            "flags": 0,
            "banner": None,
            "accent_color": None,
            "avatar_decoration_data": None,
            "collectibles": None,
            "primary_guild": None,
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
    guild_id: int = 0

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
            "banner": None,
            "collectibles": None,
        }
        if with_user:
            data["user"] = self.user.payload()
        return data


@dataclass
class Channel:
    id: int
    name: str
    type: int  # 0 guild text, 1 DM, 11 public thread, 12 private thread
    guild_id: int | None = None
    position: int = 0
    recipient: User | None = None
    # overwrites: target id -> (allow, deny); a target is a role (its id, the guild's id for
    # @everyone) or a member, as `overwrite_types` says (role unless listed there as a member)
    overwrites: dict[int, tuple[int, int]] = field(default_factory=dict)
    member_overwrites: set[int] = field(default_factory=set)
    parent_id: int | None = None  # a thread's channel
    owner_id: int | None = None  # a thread's creator
    archived: bool = False
    created_at: datetime | None = None

    @property
    def is_thread(self) -> bool:
        return self.type in THREAD_TYPES

    @property
    def label(self) -> str:
        return f"dm:{self.recipient.name}" if self.recipient else f"#{self.name}"

    def overwrite_payloads(self) -> list[dict[str, Any]]:
        return [
            {
                "id": str(target),
                "type": MEMBER_OVERWRITE if target in self.member_overwrites else ROLE_OVERWRITE,
                "allow": str(allow),
                "deny": str(deny),
            }
            for target, (allow, deny) in self.overwrites.items()
        ]

    def payload(self) -> dict[str, Any]:
        if self.type == DM:
            assert self.recipient is not None
            return {
                "id": str(self.id),
                "type": DM,
                "last_message_id": None,
                "recipients": [self.recipient.payload()],
                "flags": 0,
            }
        if self.is_thread:
            return {
                "id": str(self.id),
                "type": self.type,
                "guild_id": str(self.guild_id),
                "parent_id": str(self.parent_id),
                "owner_id": str(self.owner_id),
                "name": self.name,
                "last_message_id": None,
                "rate_limit_per_user": 0,
                "flags": 0,
                "message_count": 0,
                "member_count": 1,
                "total_message_sent": 0,
                "thread_metadata": {
                    "archived": self.archived,
                    "auto_archive_duration": 1440,
                    "archive_timestamp": iso(self.created_at or datetime(2025, 1, 1, tzinfo=UTC)),
                    "locked": False,
                    "create_timestamp": iso(self.created_at or datetime(2025, 1, 1, tzinfo=UTC)),
                    **({"invitable": True} if self.type == PRIVATE_THREAD else {}),
                },
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
            "permission_overwrites": self.overwrite_payloads(),
        }


@dataclass
class Guild:
    """A server: its roles (the @everyone role's id is the guild's), members and the bot's place in it."""

    id: int
    name: str
    owner_id: int
    roles: dict[int, Role] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)
    commands: dict[str, dict[str, Any]] = field(default_factory=dict)  # guild commands by name
    present: bool = True  # the bot is in it
    unavailable: bool = False  # an outage: Discord sent GUILD_DELETE with unavailable
    moderator_role_id: int = 0
    bot_role_id: int = 0
    system_channel_id: int | None = None
    joined_at: datetime | None = None

    def find_role(self, name: str) -> Role | None:
        return next((r for r in self.roles.values() if r.name == name), None)

    def find_member(self, name: str) -> Member | None:
        return next((m for m in self.members.values() if m.name == name), None)


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
        user_mentions = list(dict.fromkeys(int(m) for m in re.findall(r"<@!?(\d+)>", self.content)))
        role_mentions = list(dict.fromkeys(re.findall(r"<@&(\d+)>", self.content)))
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


def normalized_components(components: list[Any]) -> list[Any]:
    """Components as Discord stores and returns them: every component numbered (`id`, in document
    order, where the bot gave none) and selects with their min/max values filled in."""
    counter = itertools.count(1)
    taken = set()

    def scan(items: list[Any]) -> None:
        for item in items:
            if isinstance(item, dict):
                if isinstance(item.get("id"), int):
                    taken.add(item["id"])
                scan([*(item.get("components") or []), *([item["accessory"]] if item.get("accessory") else [])])

    def number(items: list[Any]) -> list[Any]:
        result = []
        for item in items:
            if not isinstance(item, dict):
                result.append(item)
                continue
            copy = dict(item)
            if not isinstance(copy.get("id"), int):
                copy["id"] = next(i for i in counter if i not in taken)
            if copy.get("type") in (3, 5, 6, 7, 8):  # select menus
                copy.setdefault("min_values", 1)
                copy.setdefault("max_values", 1)
                if isinstance(copy.get("default_values"), list):  # ids are returned as strings
                    copy["default_values"] = [{**v, "id": str(v.get("id"))} for v in copy["default_values"]]
            if isinstance(copy.get("components"), list):
                copy["components"] = number(copy["components"])
            if isinstance(copy.get("accessory"), dict):
                copy["accessory"] = number([copy["accessory"]])[0]
            result.append(copy)
        return result

    scan(components)
    return number(components)


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

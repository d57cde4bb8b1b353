"""Discord's permission arithmetic: names for permission bits, and the overwrite algorithm."""

from __future__ import annotations

from emulator.state import (
    ADD_REACTIONS,
    ADMINISTRATOR,
    ALL_PERMISSIONS,
    ATTACH_FILES,
    CREATE_PUBLIC_THREADS,
    EMBED_LINKS,
    MANAGE_GUILD,
    MANAGE_ROLES,
    MANAGE_THREADS,
    MENTION_EVERYONE,
    READ_MESSAGE_HISTORY,
    SEND_MESSAGES,
    SEND_MESSAGES_IN_THREADS,
    USE_APPLICATION_COMMANDS,
    VIEW_CHANNEL,
    Channel,
    Guild,
    Member,
)

# Names for permissions in sandbox lines (`:role helpers send_messages,embed_links`).
PERMISSION_NAMES = {
    "administrator": ADMINISTRATOR,
    "manage_guild": MANAGE_GUILD,
    "manage_server": MANAGE_GUILD,
    "add_reactions": ADD_REACTIONS,
    "view_channel": VIEW_CHANNEL,
    "send_messages": SEND_MESSAGES,
    "embed_links": EMBED_LINKS,
    "attach_files": ATTACH_FILES,
    "read_message_history": READ_MESSAGE_HISTORY,
    "mention_everyone": MENTION_EVERYONE,
    "manage_roles": MANAGE_ROLES,
    "use_application_commands": USE_APPLICATION_COMMANDS,
    "manage_threads": MANAGE_THREADS,
    "create_public_threads": CREATE_PUBLIC_THREADS,
    "send_messages_in_threads": SEND_MESSAGES_IN_THREADS,
}


def parse_permissions(text: str) -> int:
    """`send_messages,embed_links` or an integer; ValueError names an unknown permission."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    value = 0
    for name in filter(None, (part.strip().lower() for part in text.replace("+", ",").split(","))):
        if name not in PERMISSION_NAMES:
            raise ValueError(f"unknown permission “{name}”; known: {', '.join(sorted(PERMISSION_NAMES))}")
        value |= PERMISSION_NAMES[name]
    return value


def compute_permissions(guild: Guild, member: Member, channel: Channel | None, parent: Channel | None = None) -> int:
    """Discord's permission algorithm: base from roles, then @everyone, role and member overwrites.

    A thread uses its parent's overwrites; without View Channel nothing else is left.
    """
    if member.id == guild.owner_id:
        return ALL_PERMISSIONS
    value = guild.roles[guild.id].permissions if guild.id in guild.roles else 0
    for role_id in member.role_ids:
        role = guild.roles.get(role_id)
        if role is not None:
            value |= role.permissions
    if value & ADMINISTRATOR:
        return ALL_PERMISSIONS
    source = parent if channel is not None and channel.is_thread else channel
    if source is None:
        return value
    overwrites = source.overwrites
    allow, deny = overwrites.get(guild.id, (0, 0))
    value = (value & ~deny) | allow
    role_allow = role_deny = 0
    for role_id in member.role_ids:
        if role_id in overwrites and role_id not in source.member_overwrites:
            role_allow |= overwrites[role_id][0]
            role_deny |= overwrites[role_id][1]
    value = (value & ~role_deny) | role_allow
    if member.id in overwrites:
        allow, deny = overwrites[member.id]
        value = (value & ~deny) | allow
    if not value & VIEW_CHANNEL:
        return 0
    return value

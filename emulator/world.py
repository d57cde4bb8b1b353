"""The world the emulator keeps: guilds with their roles, members, channels and threads, and DMs.

`World` is the part of the `Emulator` facade that builds and reads the world; changes a bot
would hear of are dispatched through the gateway (`dispatch`, supplied by the Emulator).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from emulator import state as st
from emulator.gateway import INTENT_GUILD_MEMBERS, INTENT_GUILDS, Shape
from emulator.permissions import compute_permissions
from emulator.sharding import snowflake_on_shard


class World:
    """Guilds (the first is the default one for methods given no `guild=`), users, channels, messages."""

    ids: st.Snowflakes
    users: dict[int, st.User]
    guilds: dict[int, st.Guild]
    channels: dict[int, st.Channel]
    messages: dict[int, st.Message]
    bot_user: st.User
    owner: st.User
    guild: st.Guild

    def now(self) -> datetime:
        raise NotImplementedError

    async def dispatch(
        self, event: str, data: dict[str, Any], *, intent: int = 0, shape: Shape | None = None
    ) -> int | None:
        raise NotImplementedError

    def session_intents(self) -> int:
        """The intents of the bot's current gateway session (0 before it identifies)."""
        raise NotImplementedError

    # ----- guilds ---------------------------------------------------------------------------------
    def add_guild(self, name: str, *, owner: st.User | None = None, shard: tuple[int, int] | None = None) -> st.Guild:
        """A guild the bot is in, with @everyone, the bot's managed role and a Moderator role; with
        `shard` = (shard_id, shard_count), its id puts it on that shard."""
        guild_id = snowflake_on_shard(self.ids, *shard) if shard else self.ids.next()
        guild = st.Guild(guild_id, name, (owner or self.owner).id, joined_at=self.now())
        guild.roles[guild_id] = st.Role(guild_id, "@everyone", st.EVERYONE_PERMISSIONS)
        bot_role = st.Role(self.ids.next(), "Lantern", st.BOT_PERMISSIONS, position=1, managed=True)
        mod_role = st.Role(self.ids.next(), "Moderator", st.MANAGE_GUILD, position=2)
        guild.roles[bot_role.id] = bot_role
        guild.roles[mod_role.id] = mod_role
        guild.bot_role_id, guild.moderator_role_id = bot_role.id, mod_role.id
        guild.members[self.bot_user.id] = st.Member(self.bot_user, [bot_role.id], self.now(), guild_id)
        guild.members[guild.owner_id] = st.Member(self.users[guild.owner_id], [], self.now(), guild_id)
        self.guilds[guild_id] = guild
        return guild

    def find_guild(self, name: str) -> st.Guild | None:
        return next((g for g in self.guilds.values() if g.name == name), None)

    async def create_guild(self, name: str) -> st.Guild:
        """The guild `name`; a new one is joined by the bot (GUILD_CREATE with a #general), as an invite does."""
        found = self.find_guild(name)
        if found is None:
            found = self.add_guild(name)
            general = self.channel("general", guild=found)
            found.system_channel_id = general.id
            await self.dispatch("GUILD_CREATE", self.joined_guild_payload(found), intent=INTENT_GUILDS)
        return found

    def _guild(self, guild: st.Guild | None) -> st.Guild:
        return guild if guild is not None else self.guild

    def guild_of(self, channel: st.Channel) -> st.Guild | None:
        return self.guilds.get(channel.guild_id) if channel.guild_id is not None else None

    @property
    def guild_id(self) -> int:
        """The default guild's id."""
        return self.guild.id

    @property
    def guild_name(self) -> str:
        return self.guild.name

    @property
    def guild_present(self) -> bool:
        return self.guild.present

    @property
    def roles(self) -> dict[int, st.Role]:
        """The default guild's roles."""
        return self.guild.roles

    @property
    def members(self) -> dict[int, st.Member]:
        """The default guild's members."""
        return self.guild.members

    @property
    def moderator_role_id(self) -> int:
        return self.guild.moderator_role_id

    @property
    def guild_commands(self) -> dict[str, dict[str, Any]]:
        """The default guild's commands."""
        return self.guild.commands

    # ----- the world ---------------------------------------------------------------------------
    def _add_user(self, user: st.User) -> st.User:
        self.users[user.id] = user
        return user

    def member(self, name: str, *, moderator: bool | None = None, guild: st.Guild | None = None) -> st.Member:
        """The member called `name` in `guild`, created (with their user, if new) on first use."""
        guild = self._guild(guild)
        found = guild.find_member(name)
        if found is None:
            user = next((u for u in self.users.values() if u.name == name), None)
            user = user or self._add_user(st.User(self.ids.next(), name))
            found = st.Member(user, joined_at=self.now(), guild_id=guild.id)
            guild.members[found.id] = found
        if moderator is not None:
            has = guild.moderator_role_id in found.role_ids
            if moderator and not has:
                found.role_ids.append(guild.moderator_role_id)
            elif not moderator and has:
                found.role_ids.remove(guild.moderator_role_id)
        return found

    def find_member(self, name: str, guild: st.Guild | None = None) -> st.Member | None:
        return self._guild(guild).find_member(name)

    def find_user(self, user_id: int) -> st.User | None:
        """The user behind an id, if Discord would let the bot see them (a member of one of its guilds)."""
        for guild in self.guilds.values():
            if user_id in guild.members:
                return guild.members[user_id].user
        return None

    def find_role(self, name: str, guild: st.Guild | None = None) -> st.Role | None:
        return self._guild(guild).find_role(name)

    def add_role(self, name: str, permissions: int = 0, *, guild: st.Guild | None = None) -> st.Role:
        guild = self._guild(guild)
        role = guild.find_role(name)
        if role is None:
            role = st.Role(self.ids.next(), name, permissions, position=len(guild.roles))
            guild.roles[role.id] = role
        return role

    async def create_role(self, name: str, permissions: int = 0, *, guild: st.Guild | None = None) -> st.Role:
        """A new role; the bot hears of it through GUILD_ROLE_CREATE, as on Discord."""
        guild = self._guild(guild)
        existing = guild.find_role(name)
        if existing is not None:
            return existing
        role = self.add_role(name, permissions, guild=guild)
        await self.dispatch(
            "GUILD_ROLE_CREATE", {"guild_id": str(guild.id), "role": role.payload()}, intent=INTENT_GUILDS
        )
        return role

    async def give_role(self, member: st.Member, role: st.Role) -> None:
        """A moderator gives `member` the role (GUILD_MEMBER_UPDATE, sent only with Server Members)."""
        if role.id not in member.role_ids:
            member.role_ids.append(role.id)
        payload = {"guild_id": str(member.guild_id), **member.payload()}
        await self.dispatch("GUILD_MEMBER_UPDATE", payload, intent=INTENT_GUILD_MEMBERS)

    def channel(self, name: str, *, guild: st.Guild | None = None) -> st.Channel:
        """The text channel #name in `guild`, created on first use."""
        guild = self._guild(guild)
        found = self.find_channel(name, guild)
        if found is None:
            position = len([c for c in self.channels.values() if c.guild_id == guild.id])
            found = st.Channel(self.ids.next(), name, st.GUILD_TEXT, guild_id=guild.id, position=position)
            self.channels[found.id] = found
        return found

    async def create_channel(self, name: str, *, guild: st.Guild | None = None) -> st.Channel:
        """The text channel #name; a new one reaches the bot as CHANNEL_CREATE, as on Discord."""
        guild = self._guild(guild)
        found = self.find_channel(name, guild)
        if found is None:
            found = self.channel(name, guild=guild)
            await self.dispatch("CHANNEL_CREATE", found.payload(), intent=INTENT_GUILDS)
        return found

    async def create_thread(self, parent: st.Channel, name: str, owner: st.Member) -> st.Channel:
        """A public thread in `parent`, started by `owner`; the bot gets THREAD_CREATE."""
        found = next((c for c in self.channels.values() if c.parent_id == parent.id and c.name == name), None)
        if found is not None:
            return found
        thread = st.Channel(
            self.ids.next(),
            name,
            st.PUBLIC_THREAD,
            guild_id=parent.guild_id,
            parent_id=parent.id,
            owner_id=owner.id,
            created_at=self.now(),
        )
        self.channels[thread.id] = thread
        await self.dispatch("THREAD_CREATE", {**thread.payload(), "newly_created": True}, intent=INTENT_GUILDS)
        return thread

    def find_channel(self, name: str, guild: st.Guild | None = None) -> st.Channel | None:
        guild_id = self._guild(guild).id
        return next(
            (c for c in self.channels.values() if c.guild_id == guild_id and not c.is_thread and c.name == name), None
        )

    def find_thread(self, name: str, guild: st.Guild | None = None) -> st.Channel | None:
        guild_id = self._guild(guild).id
        return next(
            (c for c in self.channels.values() if c.guild_id == guild_id and c.is_thread and c.name == name), None
        )

    def dm_channel(self, user: st.User) -> st.Channel:
        found = next((c for c in self.channels.values() if c.type == st.DM and c.recipient is user), None)
        if found is None:
            found = st.Channel(self.ids.next(), f"dm-{user.name}", st.DM, recipient=user)
            self.channels[found.id] = found
        return found

    def set_dms_open(self, name: str, is_open: bool) -> None:
        self.member(name).user.dms_open = is_open

    async def set_overwrite(
        self, channel: st.Channel, target: int, *, allow: int = 0, deny: int = 0, member: bool = False
    ) -> None:
        """Change a role's (or member's) overwrite on a channel; the bot gets CHANNEL_UPDATE."""
        old_allow, old_deny = channel.overwrites.get(target, (0, 0))
        channel.overwrites[target] = ((old_allow & ~deny) | allow, (old_deny & ~allow) | deny)
        if member:
            channel.member_overwrites.add(target)
        await self.dispatch("CHANNEL_UPDATE", channel.payload(), intent=INTENT_GUILDS)

    async def deny_bot(self, channel: st.Channel, permissions: int) -> None:
        """A channel overwrite that takes permissions away from the bot there (sent as CHANNEL_UPDATE)."""
        await self.set_overwrite(channel, self.bot_user.id, deny=permissions, member=True)

    async def add_bot_to_guild(self, *, system_channel: str | None = None, guild: st.Guild | None = None) -> None:
        """Lantern is invited to the server: GUILD_CREATE without `unavailable`, which discord.py
        reports as on_guild_join (a guild in READY arrives with `unavailable: false` instead)."""
        guild = self._guild(guild)
        guild.present = True
        guild.system_channel_id = self.channel(system_channel, guild=guild).id if system_channel else None
        guild.joined_at = self.now()
        self.bot_member(guild).joined_at = self.now()
        await self.dispatch("GUILD_CREATE", self.joined_guild_payload(guild), intent=INTENT_GUILDS)

    def joined_guild_payload(self, guild: st.Guild) -> dict[str, Any]:
        payload = self.guild_payload(guild)
        del payload["unavailable"]
        return payload

    async def remove_bot_from_guild(self, guild: st.Guild | None = None) -> None:
        """The bot is kicked, or the server is deleted: GUILD_DELETE without `unavailable`."""
        guild = self._guild(guild)
        guild.present = False
        await self.dispatch("GUILD_DELETE", {"id": str(guild.id)}, intent=INTENT_GUILDS)

    async def outage(self, guild: st.Guild | None = None) -> None:
        """Discord loses the guild for a while: GUILD_DELETE with `unavailable: true` (the bot stays)."""
        guild = self._guild(guild)
        guild.unavailable = True
        await self.dispatch("GUILD_DELETE", {"id": str(guild.id), "unavailable": True}, intent=INTENT_GUILDS)

    async def recover(self, guild: st.Guild | None = None) -> None:
        """The outage is over: the guild comes back with GUILD_CREATE."""
        guild = self._guild(guild)
        guild.unavailable = False
        await self.dispatch("GUILD_CREATE", self.guild_payload(guild), intent=INTENT_GUILDS)

    def permissions(self, member: st.Member, channel: st.Channel | None = None) -> int:
        """Discord's computed permissions of `member` in `channel` (or in its guild)."""
        guild = self.guilds.get(member.guild_id) or self.guild
        parent = self.channels.get(channel.parent_id) if channel is not None and channel.parent_id else None
        return compute_permissions(guild, member, channel, parent)

    def bot_member(self, guild: st.Guild) -> st.Member:
        return guild.members[self.bot_user.id]

    def can_see(self, member: st.Member, channel: st.Channel) -> bool:
        """Whether a member sees a channel at all (View Channel after overwrites)."""
        if channel.type == st.DM:
            return channel.recipient is member.user
        return bool(self.permissions(member, channel) & st.VIEW_CHANNEL)

    def user_name(self, user_id: int) -> str:
        user = self.users.get(user_id)
        return user.name if user else str(user_id)

    def role_name(self, role_id: int) -> str:
        for guild in self.guilds.values():
            if role_id in guild.roles:
                return guild.roles[role_id].name
        return str(role_id)

    def channel_name(self, channel_id: int) -> str:
        channel = self.channels.get(channel_id)
        return channel.name if channel else str(channel_id)

    def pings(self, message: st.Message) -> list[str]:
        replied = self.messages.get(message.reference_id) if message.reference_id else None
        return st.pinged(
            message.content,
            message.allowed_mentions,
            replied_author=replied.author.id if replied else None,
            user_name=self.user_name,
            role_name=self.role_name,
        )

    def guild_payload(self, guild: st.Guild | None = None, intents: int | None = None) -> dict[str, Any]:
        """The guild as GUILD_CREATE carries it to a session with `intents` (by default the current
        session's); GET /guilds/{id} leaves out members, channels, …"""
        return guild_create_payload(self, self._guild(guild), self.session_intents() if intents is None else intents)


def guild_create_payload(emulator: World, guild: st.Guild, intents: int = 0) -> dict[str, Any]:
    """The guild as GUILD_CREATE carries it: the guild object plus the gateway-only fields.

    Without the Server Members intent Discord sends only the bot's own member.
    """
    members = list(guild.members.values())
    if not intents & INTENT_GUILD_MEMBERS:
        members = [m for m in members if m.id == emulator.bot_user.id]
    channels = [c for c in emulator.channels.values() if c.guild_id == guild.id]
    return {
        "id": str(guild.id),
        "name": guild.name,
        "icon": None,
        "icon_hash": None,
        "splash": None,
        "discovery_splash": None,
        "owner_id": str(guild.owner_id),
        "application_id": None,
        "afk_channel_id": None,
        "afk_timeout": 300,
        "widget_enabled": False,
        "widget_channel_id": None,
        "verification_level": 0,
        "default_message_notifications": 1,
        "explicit_content_filter": 0,
        "roles": [r.payload() for r in guild.roles.values()],
        "emojis": [],
        "stickers": [],
        "features": [],
        "mfa_level": 0,
        "system_channel_id": str(guild.system_channel_id) if guild.system_channel_id else None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "safety_alerts_channel_id": None,
        "max_presences": None,
        "max_members": 500000,
        "max_video_channel_users": 25,
        "max_stage_video_channel_users": 50,
        "vanity_url_code": None,
        "description": None,
        "banner": None,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": "en-US",
        "public_updates_channel_id": None,
        "nsfw": False,
        "nsfw_level": 0,
        "premium_progress_bar_enabled": False,
        "region": "deprecated",
        "home_header": None,
        "incidents_data": None,
        "joined_at": st.iso(guild.joined_at or emulator.now()),
        "large": False,
        "unavailable": False,
        "member_count": len(guild.members),
        "members": [m.payload() for m in members],
        "channels": [c.payload() for c in channels if not c.is_thread],
        "threads": [c.payload() for c in channels if c.is_thread and not c.archived],
        "presences": [],
        "voice_states": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
        "embedded_activities": [],
        "activity_instances": [],
        "lazy": True,
    }

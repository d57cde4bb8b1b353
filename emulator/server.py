"""The emulator: an aiohttp server speaking Discord's REST API v10 and gateway on 127.0.0.1.

`Emulator` is the facade the sandbox and the tests use. It holds the world (one application, one
guild with its roles, members and channels, DMs, messages, commands and interactions) and composes
the parts that speak Discord's protocols about it:

- `gateway.Gateway`: the websocket, sessions, IDENTIFY/RESUME and dispatch (`emulator.gateway`);
- `routes.RestApi`: the REST routes, the middleware (auth, rate limits via `ratelimit`) and the
  record of requests (`emulator.rest`); the handlers live in `routes/`, one module per resource.

Both receive the Emulator and use only its public API. Its own gateway and REST methods
(`dispatch`, `requests`, `global_limit`, …) delegate to them.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import discord
import yarl
from aiohttp import web

from emulator import state as st
from emulator.errors import Refused
from emulator.gateway import (
    INTENT_GUILD_MEMBERS,
    INTENT_GUILDS,
    INTENT_MESSAGE_CONTENT,
    Gateway,
    Shape,
    guild_create_payload,
)
from emulator.invocation import Invocation, Resolver, build_command_data
from emulator.limits import Limits, RateLimit
from emulator.routes import RecordedRequest, RestApi
from emulator.routes.base import API_PREFIX
from emulator.routes.interactions import (
    APPLICATION_COMMAND,
    MESSAGE_COMPONENT,
    InteractionRecord,
    check_command_allowed,
    dispatch_interaction,
    new_interaction,
)
from emulator.routes.messages import deliver_message, deliver_update
from emulator.world import bot_token, restore_world, snapshot_world

__all__ = ["Emulator", "InteractionRecord", "Limits", "RateLimit", "RecordedRequest"]

MessageListener = Callable[[st.Message, bool], None]


class Emulator:
    """One application and its bot, the guilds it is in, their members and channels, and DMs.

    The first guild is the default one: methods that take `guild=` use it when none is given.
    """

    def __init__(
        self,
        *,
        now: Callable[[], datetime] | None = None,
        token: str | None = None,
        guild_name: str = "Lantern Sandbox",
        privileged_intents: int = INTENT_MESSAGE_CONTENT,
        interaction_deadline: float | None = None,
        limits: Limits | None = None,
        world: dict[str, Any] | None = None,
    ) -> None:
        self._now = now or (lambda: datetime.now(UTC))
        self.limits = limits or Limits()
        if interaction_deadline is not None:
            self.limits.initial_response_seconds = interaction_deadline
        self.privileged_intents = privileged_intents
        self.ids = st.Snowflakes(self._now)
        self.users: dict[int, st.User] = {}
        self.guilds: dict[int, st.Guild] = {}
        self.channels: dict[int, st.Channel] = {}
        self.messages: dict[int, st.Message] = {}
        self.global_commands: dict[str, dict[str, Any]] = {}
        self.interactions: dict[int, InteractionRecord] = {}
        self.dispatch_times: dict[int, float] = {}  # message or interaction id -> perf_counter at dispatch
        self.message_listeners: list[MessageListener] = []
        # Commands a server owner opened to everyone in Discord's Integrations settings.
        self.open_to_everyone: set[str] = set()
        if world is not None:
            restore_world(self, world)
        else:
            self.application_id = self.ids.next()
            self.bot_user = self._add_user(st.User(self.application_id, "Lantern", bot=True))
            self.owner = self._add_user(st.User(self.ids.next(), "owner"))
            self.guild = self.add_guild(guild_name)
            self.channel("general")
        self.token = token or bot_token(self.application_id)
        self.gateway = Gateway(self)
        self.rest = RestApi(self)
        self._runner: web.AppRunner | None = None
        self.port = 0

    # ----- lifecycle -------------------------------------------------------------------------
    async def start(self) -> None:
        self._runner = web.AppRunner(self.rest.application(), access_log=None, handle_signals=False)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()

    async def close(self) -> None:
        await self.gateway.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/"

    @contextlib.contextmanager
    def point_discord_py_here(self) -> Iterator[None]:
        """Point discord.py's REST base and gateway at this emulator, restoring them afterwards."""
        old_base = discord.http.Route.BASE
        old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
        discord.http.Route.BASE = self.base_url + API_PREFIX
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(self.gateway_url)
        try:
            yield
        finally:
            discord.http.Route.BASE = old_base
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway

    def now(self) -> datetime:
        """The emulator's clock (the sandbox's manual clock, or real UTC time)."""
        return self._now()

    def snapshot(self) -> dict[str, Any]:
        """The world (users, guilds, roles, members, channels, commands), to restore in a later run."""
        return snapshot_world(self)

    # ----- guilds ---------------------------------------------------------------------------------
    def add_guild(self, name: str, *, owner: st.User | None = None) -> st.Guild:
        """A guild the bot is in, with @everyone, the bot's managed role and a Moderator role."""
        guild_id = self.ids.next()
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
            await self.dispatch("GUILD_CREATE", self.guild_payload(found), intent=INTENT_GUILDS)
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
        return st.compute_permissions(guild, member, channel, parent)

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

    def guild_payload(self, guild: st.Guild | None = None) -> dict[str, Any]:
        """The guild as GUILD_CREATE carries it (GET /guilds/{id} leaves out members, channels, …)."""
        session = self.gateway.session
        return guild_create_payload(self, self._guild(guild), session.intents if session else 0)

    # ----- member actions (what a person in the Discord client does) -------------------------------
    async def send_message(
        self, member: st.Member, channel: st.Channel, content: str, *, reply_to: st.Message | None = None
    ) -> st.Message:
        """A member posts a message; the bot receives MESSAGE_CREATE as Discord would deliver it."""
        if channel.guild_id is not None and channel.guild_id != member.guild_id:
            raise Refused(f"{member.name} is not a member of the server #{channel.name} is in.")
        if channel.guild_id is not None:
            needed = st.SEND_MESSAGES_IN_THREADS if channel.is_thread else st.SEND_MESSAGES
            if self.permissions(member, channel) & (st.VIEW_CHANNEL | needed) != st.VIEW_CHANNEL | needed:
                raise Refused(f"You do not have permission to send messages in {channel.label}.")
        message = st.Message(
            id=self.ids.next(),
            channel=channel,
            author=member.user,
            content=content,
            timestamp=self.now(),
            reference_id=reply_to.id if reply_to else None,
        )
        await deliver_message(self, message)
        return message

    async def edit_message(self, message: st.Message, content: str) -> None:
        """The author edits a message; the bot receives MESSAGE_UPDATE."""
        message.content = content
        message.edited = self.now()
        await deliver_update(self, message)

    def commands_for(self, guild: st.Guild | None = None) -> dict[str, dict[str, Any]]:
        """The commands a member sees: global ones, and the guild's own when in a guild."""
        return {**self.global_commands, **(guild.commands if guild is not None else {})}

    async def invoke(
        self, member: st.Member, channel: st.Channel, invocation: Invocation, *, kind: int = APPLICATION_COMMAND
    ) -> InteractionRecord:
        """A member runs a slash command (kind 2) or types into an autocomplete option (kind 4)."""
        guild = self.guild_of(channel)
        commands = self.commands_for(guild)
        command = commands.get(invocation.path[0]) if invocation.path else None
        if command is None:
            known = ", ".join(f"/{name}" for name in sorted(commands)) or "none yet"
            raise Refused(f"/{' '.join(invocation.path)} is not a command here. Commands: {known}.")
        check_command_allowed(self, command, member, channel)
        scope = guild or self.guild
        resolver = Resolver(
            member=lambda name: self.find_member(name, scope),
            channel=lambda name: self.find_channel(name, scope) or self.find_thread(name, scope),
            role=lambda name: self.find_role(name, scope),
            resolved={},
            channel_permissions=lambda c: self.permissions(member, c),
        )
        data, label = build_command_data(command, invocation, resolver)
        record, payload = new_interaction(self, kind, member.user, channel, data)
        record.label = label
        await dispatch_interaction(self, record, payload)
        return record

    async def click(self, member: st.Member, message: st.Message, custom_id: str) -> InteractionRecord:
        """A member presses a button on a message."""
        data = {"custom_id": custom_id, "component_type": 2}
        record, payload = new_interaction(self, MESSAGE_COMPONENT, member.user, message.channel, data)
        record.message_id = message.id
        payload["message"] = message.payload(resolve=self.find_user)
        await dispatch_interaction(self, record, payload)
        return record

    # ----- the gateway (emulator.gateway) --------------------------------------------------------------
    async def dispatch(
        self, event: str, data: dict[str, Any], *, intent: int = 0, shape: Shape | None = None
    ) -> int | None:
        """Send a gateway event to every session whose intents ask for it; returns its sequence number."""
        return await self.gateway.dispatch(event, data, intent=intent, shape=shape)

    async def wait_connected(self, timeout: float = 10.0) -> None:
        await self.gateway.wait_connected(timeout)

    @property
    def connected(self) -> bool:
        return self.gateway.connected

    def last_sequence(self) -> int:
        """The sequence number of the newest event sent in the current session (0 before READY)."""
        return self.gateway.last_sequence()

    async def request_reconnect(self) -> None:
        """Ask the client to reconnect and resume (op 7), as Discord does during maintenance."""
        await self.gateway.request_reconnect()

    async def drop_connection(self) -> None:
        """Close the socket abruptly (code 1006-style), as a network failure would."""
        await self.gateway.drop_connection()

    @property
    def identify_count(self) -> int:
        return self.gateway.identify_count

    @property
    def resume_count(self) -> int:
        return self.gateway.resume_count

    @property
    def gateway_closes(self) -> list[int]:
        return self.gateway.closes

    # ----- REST: recorded requests and rate limits (emulator.rest) ---------------------------------------
    @property
    def requests(self) -> list[RecordedRequest]:
        """Every REST request so far, in the order answered (tests may clear it)."""
        return self.rest.requests

    @property
    def rate_limited(self) -> list[RecordedRequest]:
        """The requests answered with 429."""
        return self.rest.rate_limited

    async def wait_for_request(
        self, predicate: Callable[[RecordedRequest], bool], timeout: float = 5.0
    ) -> RecordedRequest:
        """The first request (already recorded or still to come) that satisfies `predicate`."""
        return await self.rest.wait_for_request(predicate, timeout)

    @property
    def inflight(self) -> int:
        """REST requests being answered right now."""
        return self.rest.inflight

    @property
    def request_gate(self) -> Callable[[str], Awaitable[None]] | None:
        """Awaited with "METHOD /route" before each handler: tests hold requests mid-flight with it."""
        return self.rest.request_gate

    @request_gate.setter
    def request_gate(self, gate: Callable[[str], Awaitable[None]] | None) -> None:
        self.rest.request_gate = gate

    @property
    def route_limits(self) -> dict[str, RateLimit]:
        """Limits per route ("METHOD /path/{param}"), enforced per major parameter; Discord's by default."""
        return self.rest.limiter.route_limits

    @route_limits.setter
    def route_limits(self, limits: dict[str, RateLimit]) -> None:
        self.rest.limiter.route_limits = limits

    @property
    def invalid_requests(self) -> int:
        """401, 403 and 429 answers in the current 10-minute window (Discord bans at 10,000)."""
        return self.rest.invalid.in_window

    @property
    def global_limit(self) -> RateLimit | None:
        """A limit on every request made with the bot's token; Discord's 50 a second by default."""
        return self.rest.limiter.global_limit

    @global_limit.setter
    def global_limit(self, limit: RateLimit | None) -> None:
        self.rest.limiter.global_limit = limit

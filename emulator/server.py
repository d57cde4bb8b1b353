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
from emulator.gateway import INTENT_GUILDS, INTENT_MESSAGE_CONTENT, Gateway, guild_create_payload
from emulator.invocation import Invocation, Resolver, build_command_data
from emulator.ratelimit import RateLimit
from emulator.routes import RecordedRequest, RestApi
from emulator.routes.base import API_PREFIX
from emulator.routes.interactions import (
    APPLICATION_COMMAND,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    InteractionRecord,
    check_command_allowed,
    dispatch_interaction,
    modal_submit_data,
    new_interaction,
    select_data,
)
from emulator.routes.messages import deliver_message

__all__ = ["Emulator", "InteractionRecord", "RateLimit", "RecordedRequest"]

MessageListener = Callable[[st.Message, bool], None]


class Emulator:
    """One application, one guild, its members and channels, and the bot's view of them."""

    def __init__(
        self,
        *,
        now: Callable[[], datetime] | None = None,
        token: str = "emulator-token",
        guild_name: str = "Lantern Sandbox",
        privileged_intents: int = INTENT_MESSAGE_CONTENT,
        interaction_deadline: float = 3.0,
    ) -> None:
        self._now = now or (lambda: datetime.now(UTC))
        self.token = token
        self.privileged_intents = privileged_intents
        self.interaction_deadline = interaction_deadline
        self.ids = st.Snowflakes(self._now)
        self.application_id = self.ids.next()
        self.bot_user = st.User(self.application_id, "Lantern", bot=True)
        self.owner = st.User(self.ids.next(), "owner")
        self.guild_id = self.ids.next()
        self.guild_name = guild_name
        self.guild_present = True
        self.system_channel_id: int | None = None  # where Discord posts join messages (and bots greet)
        self.roles: dict[int, st.Role] = {
            self.guild_id: st.Role(self.guild_id, "@everyone", st.EVERYONE_PERMISSIONS),
        }
        bot_role = st.Role(self.ids.next(), "Lantern", st.BOT_PERMISSIONS, position=1, managed=True)
        mod_role = st.Role(self.ids.next(), "Moderator", st.MANAGE_GUILD, position=2)
        self.roles[bot_role.id] = bot_role
        self.roles[mod_role.id] = mod_role
        self.moderator_role_id = mod_role.id
        self.members: dict[int, st.Member] = {
            self.bot_user.id: st.Member(self.bot_user, [bot_role.id]),
            self.owner.id: st.Member(self.owner),
        }
        self.channels: dict[int, st.Channel] = {}
        self.messages: dict[int, st.Message] = {}
        # (channel id, author id, nonce) -> (message id, when): Discord's enforce_nonce de-duplication.
        self.message_nonces: dict[tuple[int, int, str], tuple[int, datetime]] = {}
        self.global_commands: dict[str, dict[str, Any]] = {}
        self.guild_commands: dict[str, dict[str, Any]] = {}
        self.interactions: dict[int, InteractionRecord] = {}
        self.open_modals: dict[int, InteractionRecord] = {}  # member id -> the interaction that opened it
        self.dispatch_times: dict[int, float] = {}  # message or interaction id -> perf_counter at dispatch
        self.message_listeners: list[MessageListener] = []
        # Commands a server owner opened to everyone in Discord's Integrations settings.
        self.open_to_everyone: set[str] = set()
        self.gateway = Gateway(self)
        self.rest = RestApi(self)
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.channel("general")

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

    # ----- the world ---------------------------------------------------------------------------
    def member(self, name: str, *, moderator: bool | None = None) -> st.Member:
        """The member called `name`, created (with a join event) on first use."""
        found = self.find_member(name)
        if found is None:
            found = st.Member(st.User(self.ids.next(), name), joined_at=self.now())
            self.members[found.id] = found
        if moderator is not None:
            has = self.moderator_role_id in found.role_ids
            if moderator and not has:
                found.role_ids.append(self.moderator_role_id)
            elif not moderator and has:
                found.role_ids.remove(self.moderator_role_id)
        return found

    def find_member(self, name: str) -> st.Member | None:
        return next((m for m in self.members.values() if m.name == name), None)

    def find_user(self, user_id: int) -> st.User | None:
        """The user behind a guild member's id (None for anyone who is not a member)."""
        member = self.members.get(user_id)
        return member.user if member else None

    def find_role(self, name: str) -> st.Role | None:
        return next((r for r in self.roles.values() if r.name == name), None)

    def add_role(self, name: str, permissions: int = 0) -> st.Role:
        role = self.find_role(name)
        if role is None:
            role = st.Role(self.ids.next(), name, permissions, position=len(self.roles))
            self.roles[role.id] = role
        return role

    async def create_role(self, name: str, permissions: int = 0) -> st.Role:
        """A new role; the bot hears of it through GUILD_ROLE_CREATE, as on Discord."""
        existing = self.find_role(name)
        if existing is not None:
            return existing
        role = self.add_role(name, permissions)
        await self.dispatch(
            "GUILD_ROLE_CREATE", {"guild_id": str(self.guild_id), "role": role.payload()}, intent=INTENT_GUILDS
        )
        return role

    def channel(self, name: str) -> st.Channel:
        """The text channel #name, created on first use."""
        found = self.find_channel(name)
        if found is None:
            found = st.Channel(self.ids.next(), name, 0, guild_id=self.guild_id, position=len(self.channels))
            self.channels[found.id] = found
        return found

    async def create_channel(self, name: str) -> st.Channel:
        """The text channel #name; a new one reaches the bot as CHANNEL_CREATE, as on Discord."""
        found = self.find_channel(name)
        if found is None:
            found = self.channel(name)
            await self.dispatch("CHANNEL_CREATE", found.payload(), intent=INTENT_GUILDS)
        return found

    def find_channel(self, name: str) -> st.Channel | None:
        return next((c for c in self.channels.values() if c.type == 0 and c.name == name), None)

    def dm_channel(self, user: st.User) -> st.Channel:
        found = next((c for c in self.channels.values() if c.type == 1 and c.recipient is user), None)
        if found is None:
            found = st.Channel(self.ids.next(), f"dm-{user.name}", 1, recipient=user)
            self.channels[found.id] = found
        return found

    def set_dms_open(self, name: str, is_open: bool) -> None:
        self.member(name).user.dms_open = is_open

    async def deny_bot(self, channel: st.Channel, permissions: int) -> None:
        """A channel overwrite that takes permissions away from the bot there (sent as CHANNEL_UPDATE)."""
        allow, deny = channel.overwrites.get(self.bot_user.id, (0, 0))
        channel.overwrites[self.bot_user.id] = (allow & ~permissions, deny | permissions)
        await self.dispatch("CHANNEL_UPDATE", channel.payload(), intent=INTENT_GUILDS)

    async def add_bot_to_guild(self, *, system_channel: str | None = None) -> None:
        """Lantern is invited to the server: GUILD_CREATE without `unavailable`, which discord.py
        reports as on_guild_join (a guild in READY arrives with `unavailable: false` instead)."""
        self.guild_present = True
        self.system_channel_id = self.channel(system_channel).id if system_channel else None
        self.members[self.bot_user.id].joined_at = self.now()
        payload = self.guild_payload()
        del payload["unavailable"]
        await self.dispatch("GUILD_CREATE", payload, intent=INTENT_GUILDS)

    async def remove_bot_from_guild(self) -> None:
        """The bot is kicked, or the server is deleted: GUILD_DELETE without `unavailable`."""
        self.guild_present = False
        await self.dispatch("GUILD_DELETE", {"id": str(self.guild_id)}, intent=INTENT_GUILDS)

    def permissions(self, member: st.Member, channel: st.Channel | None = None) -> int:
        if member.id == self.owner.id:
            return st.ALL_PERMISSIONS
        value = self.roles[self.guild_id].permissions
        for role_id in member.role_ids:
            value |= self.roles[role_id].permissions
        if value & st.ADMINISTRATOR:
            return st.ALL_PERMISSIONS
        if channel is not None and member.id in channel.overwrites:
            allow, deny = channel.overwrites[member.id]
            value = (value & ~deny) | allow
        return value

    def user_name(self, user_id: int) -> str:
        member = self.members.get(user_id)
        if member:
            return member.name
        channel = next((c for c in self.channels.values() if c.recipient and c.recipient.id == user_id), None)
        return channel.recipient.name if channel and channel.recipient else str(user_id)

    def role_name(self, role_id: int) -> str:
        role = self.roles.get(role_id)
        return role.name if role else str(role_id)

    def pings(self, message: st.Message) -> list[str]:
        replied = self.messages.get(message.reference_id) if message.reference_id else None
        return st.pinged(
            message.content,
            message.allowed_mentions,
            replied_author=replied.author.id if replied else None,
            user_name=self.user_name,
            role_name=self.role_name,
        )

    def guild_payload(self) -> dict[str, Any]:
        """The guild as GUILD_CREATE carries it (GET /guilds/{id} leaves out members, channels, …)."""
        payload = guild_create_payload(self)
        payload["system_channel_id"] = str(self.system_channel_id) if self.system_channel_id else None
        return payload

    # ----- member actions (what a person in the Discord client does) -------------------------------
    async def send_message(
        self, member: st.Member, channel: st.Channel, content: str, *, reply_to: st.Message | None = None
    ) -> st.Message:
        """A member posts a message; the bot receives MESSAGE_CREATE as Discord would deliver it."""
        self.open_modals.pop(member.id, None)  # typing in the channel means the modal was dismissed
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

    def commands_for(self) -> dict[str, dict[str, Any]]:
        return {**self.global_commands, **self.guild_commands}

    async def invoke(
        self, member: st.Member, channel: st.Channel, invocation: Invocation, *, kind: int = APPLICATION_COMMAND
    ) -> InteractionRecord:
        """A member runs a slash command (kind 2) or types into an autocomplete option (kind 4)."""
        command = self.commands_for().get(invocation.path[0]) if invocation.path else None
        if command is None:
            known = ", ".join(f"/{name}" for name in sorted(self.commands_for())) or "none yet"
            raise Refused(f"/{' '.join(invocation.path)} is not a command here. Commands: {known}.")
        check_command_allowed(self, command, member, channel)
        resolver = Resolver(member=self.find_member, channel=self.find_channel, role=self.find_role, resolved={})
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

    async def select(
        self, member: st.Member, message: st.Message, custom_id: str, picked: list[str]
    ) -> InteractionRecord:
        """A member chooses `picked` in a message's select menu (option values or labels; names of
        channels, roles or members for entity menus); Refused where Discord's client would not allow it."""
        select = next((s for s in st.selects_of(message.components) if s.get("custom_id") == custom_id), None)
        if select is None:
            raise Refused(f"That message has no select menu “{custom_id}”.")
        resolver = Resolver(member=self.find_member, channel=self.find_channel, role=self.find_role, resolved={})
        data = select_data(select, picked, resolver)
        record, payload = new_interaction(self, MESSAGE_COMPONENT, member.user, message.channel, data)
        record.message_id = message.id
        payload["message"] = message.payload(resolve=self.find_user)
        await dispatch_interaction(self, record, payload)
        return record

    def open_modal(self, member: st.Member) -> InteractionRecord | None:
        """The interaction whose modal is open in front of `member`. One at a time, as in the
        client: anything else the member does closes it."""
        return self.open_modals.get(member.id)

    async def submit_modal(self, member: st.Member, values: dict[str, str]) -> InteractionRecord:
        """A member fills in and submits the modal open in front of them (fields by label or
        custom_id): MODAL_SUBMIT, carrying the message the modal was opened from, if any. Refused
        (and the modal stays open) where Discord's client would not submit it."""
        opened = self.open_modal(member)
        if opened is None or opened.modal is None:
            raise Refused("No form is open.")
        data = modal_submit_data(opened.modal, values)
        record, payload = new_interaction(self, MODAL_SUBMIT, member.user, opened.channel, data)
        message = self.messages.get(opened.message_id or 0)
        if message is not None:
            record.message_id = message.id
            payload["message"] = message.payload(resolve=self.find_user)
        await dispatch_interaction(self, record, payload)
        return record

    # ----- the gateway (emulator.gateway) --------------------------------------------------------------
    async def dispatch(self, event: str, data: dict[str, Any], *, intent: int = 0) -> int | None:
        """Send a gateway event if the bot's intents ask for it; returns its sequence number."""
        return await self.gateway.dispatch(event, data, intent=intent)

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
    def after_success(self) -> Callable[[str], int | None] | None:
        """Called with "METHOD /route" after a handler succeeded; a status it returns replaces the answer.

        Discord did the work (the message exists) but the bot gets that 5xx instead: the fault
        behind a retried send that doubles a message.
        """
        return self.rest.after_success

    @after_success.setter
    def after_success(self, fault: Callable[[str], int | None] | None) -> None:
        self.rest.after_success = fault

    def fail_after_success(self, route: str, *, status: int = 500, times: int = 1) -> list[int]:
        """Answer the next `times` successful requests of `route` with `status`; returns a list that
        grows by one status per answer replaced, for tests to check the fault happened."""
        replaced: list[int] = []

        def fault(seen: str) -> int | None:
            if seen != route or len(replaced) >= times:
                return None
            replaced.append(status)
            return status

        self.after_success = fault
        return replaced

    @property
    def route_limits(self) -> dict[str, RateLimit]:
        """Limits per route ("METHOD /path/{param}"), enforced per major parameter; none by default."""
        return self.rest.limiter.route_limits

    @route_limits.setter
    def route_limits(self, limits: dict[str, RateLimit]) -> None:
        self.rest.limiter.route_limits = limits

    @property
    def global_limit(self) -> RateLimit | None:
        """A limit on every request made with the bot's token; none by default."""
        return self.rest.limiter.global_limit

    @global_limit.setter
    def global_limit(self, limit: RateLimit | None) -> None:
        self.rest.limiter.global_limit = limit

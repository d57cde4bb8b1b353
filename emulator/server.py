"""The emulator: an aiohttp server speaking Discord's REST API v10 and gateway on 127.0.0.1.

`Emulator` is the facade the sandbox and the tests use. It holds the world (`world.World`: one
application, its guilds with their roles, members, channels and threads, DMs, messages, commands
and interactions; `persistence` keeps it between runs) and composes the parts that speak Discord's
protocols about it:

- `gateway.Gateway`: the websocket, sessions, IDENTIFY/RESUME, compression, close codes, dispatch;
- `routes.RestApi`: the REST routes, the middleware (auth, the invalid-request ban, rate limits
  via `ratelimit`) and the record of requests; the handlers live in `routes/`, one module per
  resource, and check every body with `validation` against `limits.Limits`.

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
from emulator.gateway import INTENT_MESSAGE_CONTENT, Gateway, Shape
from emulator.invocation import Invocation, Resolver, build_command_data
from emulator.limits import Limits, RateLimit
from emulator.persistence import bot_token, restore_world, snapshot_world
from emulator.routes import RecordedRequest, RestApi
from emulator.routes.base import API_PREFIX
from emulator.routes.interactions import (
    APPLICATION_COMMAND,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    InteractionRecord,
    check_command_allowed,
    dispatch_interaction,
    new_interaction,
    select_data,
)
from emulator.routes.messages import deliver_message, deliver_update
from emulator.routes.modals import modal_submit_data
from emulator.sharding import ShardingRules
from emulator.world import World

__all__ = ["Emulator", "InteractionRecord", "Limits", "RateLimit", "RecordedRequest"]

MessageListener = Callable[[st.Message, bool], None]


class Emulator(World):
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
        sharding: ShardingRules | None = None,
        guild_shard: tuple[int, int] | None = None,
    ) -> None:
        """`sharding`: /gateway/bot's answer and the IDENTIFY bucket rule (off unless asked for, so
        tests restart quickly); `guild_shard`: (shard, count) to put the default guild on."""
        self._now = now or (lambda: datetime.now(UTC))
        self.sharding = sharding or ShardingRules(identify_interval=0.0)
        self.limits = limits or Limits()
        if interaction_deadline is not None:
            self.limits.initial_response_seconds = interaction_deadline
        self.privileged_intents = privileged_intents
        self.ids = st.Snowflakes(self._now)
        self.users: dict[int, st.User] = {}
        self.guilds: dict[int, st.Guild] = {}
        self.channels: dict[int, st.Channel] = {}
        self.messages: dict[int, st.Message] = {}
        # (channel id, author id, nonce) -> (message id, when): Discord's enforce_nonce de-duplication.
        self.message_nonces: dict[tuple[int, int, str], tuple[int, datetime]] = {}
        self.global_commands: dict[str, dict[str, Any]] = {}
        self.interactions: dict[int, InteractionRecord] = {}
        self.open_modals: dict[int, InteractionRecord] = {}  # member id -> the interaction that opened it
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
            self.guild = self.add_guild(guild_name, shard=guild_shard)
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

    def session_intents(self) -> int:
        session = self.gateway.session
        return session.intents if session else 0

    def snapshot(self) -> dict[str, Any]:
        """The world (users, guilds, roles, members, channels, commands), to restore in a later run."""
        return snapshot_world(self)

    # ----- member actions (what a person in the Discord client does) -------------------------------
    async def send_message(
        self, member: st.Member, channel: st.Channel, content: str, *, reply_to: st.Message | None = None
    ) -> st.Message:
        """A member posts a message; the bot receives MESSAGE_CREATE as Discord would deliver it."""
        self.open_modals.pop(member.id, None)  # typing in the channel means the modal was dismissed
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
        data, label = build_command_data(command, invocation, self._resolver(member, guild or self.guild))
        record, payload = new_interaction(self, kind, member.user, channel, data)
        record.label = label
        await dispatch_interaction(self, record, payload)
        return record

    def _resolver(self, member: st.Member, scope: st.Guild) -> Resolver:
        """How names a member types or picks become ids, within the server they act in."""
        return Resolver(
            member=lambda name: self.find_member(name, scope),
            channel=lambda name: self.find_channel(name, scope) or self.find_thread(name, scope),
            role=lambda name: self.find_role(name, scope),
            resolved={},
            channel_permissions=lambda c: self.permissions(member, c),
        )

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
        data = select_data(select, picked, self._resolver(member, self.guild_of(message.channel) or self.guild))
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
        record.opened_by = opened
        message = self.messages.get(opened.message_id or 0)
        if message is not None:
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

    def last_sequence(self, shard_id: int = 0) -> int:
        """The sequence number of the newest event sent in a shard's session (0 before its READY)."""
        return self.gateway.last_sequence(shard_id)

    @property
    def shard_count(self) -> int:
        """The shards /gateway/bot recommends for the guilds the bot is in."""
        return self.sharding.shards_for(sum(1 for g in self.guilds.values() if g.present))

    @property
    def identify_clashes(self) -> int:
        """IDENTIFYs refused with op 9 because another in their bucket came less than 5 s before."""
        return self.sharding.clashes

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

    def message_sends_by_nonce(self) -> dict[str, list[int]]:
        """Each nonce sent with a message, and the message id answered to every successful send
        carrying it. enforce_nonce makes a repeated send return the first message, so counting
        messages can hide a send made twice; counting these answers cannot."""
        sends: dict[str, list[int]] = {}
        for request in self.rest.requests:
            body, answer = request.body, request.response
            if request.route != "POST /channels/{channel_id}/messages" or not 200 <= request.status < 300:
                continue
            if isinstance(body, dict) and body.get("nonce") is not None and isinstance(answer, dict):
                sends.setdefault(str(body["nonce"]), []).append(int(answer["id"]))
        return sends

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

"""The emulator: an aiohttp server speaking Discord's REST API v10 and gateway on 127.0.0.1."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import discord
import yarl
from aiohttp import web

from emulator import state as st
from emulator.errors import APIError, Refused
from emulator.gateway import (
    INTENT_DIRECT_MESSAGES,
    INTENT_GUILD_MESSAGES,
    INTENT_GUILDS,
    INTENT_MESSAGE_CONTENT,
    Gateway,
)
from emulator.invocation import Invocation, Resolver, build_command_data
from emulator.ratelimit import RateLimit, RateLimiter, major_parameter
from emulator.routes import applications, channels, guilds, interactions, messages
from emulator.routes.base import API_PREFIX, Endpoint, json_response
from emulator.routes.interactions import InteractionRecord, dispatch_interaction, new_interaction

__all__ = ["Emulator", "InteractionRecord", "RateLimit", "RecordedRequest"]


@dataclass
class RecordedRequest:
    method: str
    path: str
    route: str
    body: Any
    status: int
    at: float  # perf_counter when the answer was ready
    received: float = 0.0  # perf_counter when the request arrived
    query: dict[str, str] = field(default_factory=dict)


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
        self.global_commands: dict[str, dict[str, Any]] = {}
        self.guild_commands: dict[str, dict[str, Any]] = {}
        self.interactions: dict[int, InteractionRecord] = {}
        self.requests: list[RecordedRequest] = []
        self.rate_limited: list[RecordedRequest] = []
        self.limiter = RateLimiter()
        self.dispatch_times: dict[int, float] = {}
        self.message_listeners: list[MessageListener] = []
        self._request_waiters: list[tuple[Callable[[RecordedRequest], bool], asyncio.Future[RecordedRequest]]] = []
        self.inflight = 0
        # Tests can hold requests of a route mid-flight (to simulate a crash while sending).
        self.request_gate: Callable[[str], Awaitable[None]] | None = None
        self._bodies: dict[int, Any] = {}
        self._runner: web.AppRunner | None = None
        self.port = 0
        # Commands a server owner opened to everyone in Discord's Integrations settings.
        self.open_to_everyone: set[str] = set()
        self.gateway = Gateway(self)
        self.channel("general")

    # ----- lifecycle -------------------------------------------------------------------------
    async def start(self) -> None:
        app = web.Application(middlewares=[self._middleware], client_max_size=25 * 1024 * 1024)
        self._add_routes(app)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
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

    @property
    def route_limits(self) -> dict[str, RateLimit]:
        """Limits per route ("METHOD /path/{param}"), enforced per major parameter; none by default."""
        return self.limiter.route_limits

    @route_limits.setter
    def route_limits(self, limits: dict[str, RateLimit]) -> None:
        self.limiter.route_limits = limits

    @property
    def global_limit(self) -> RateLimit | None:
        """A limit on every request made with the bot's token; none by default."""
        return self.limiter.global_limit

    @global_limit.setter
    def global_limit(self, limit: RateLimit | None) -> None:
        self.limiter.global_limit = limit

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

    def find_user(self, user_id: int) -> st.User | None:
        """The user behind a guild member's id (None for anyone who is not a member)."""
        member = self.members.get(user_id)
        return member.user if member else None

    def guild_payload(self) -> dict[str, Any]:
        return {
            "id": str(self.guild_id),
            "name": self.guild_name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "owner_id": str(self.owner.id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 1,
            "explicit_content_filter": 0,
            "roles": [r.payload() for r in self.roles.values()],
            "emojis": [],
            "stickers": [],
            "features": [],
            "mfa_level": 0,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "vanity_url_code": None,
            "description": None,
            "banner": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": "en-US",
            "public_updates_channel_id": None,
            "nsfw_level": 0,
            "premium_progress_bar_enabled": False,
            "joined_at": st.iso(self.now()),
            "large": False,
            "unavailable": False,
            "member_count": len(self.members),
            "members": [m.payload() for m in self.members.values()],
            "channels": [c.payload() for c in self.channels.values() if c.type == 0],
            "threads": [],
            "presences": [],
            "voice_states": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }

    # ----- the gateway, seen from the emulator ---------------------------------------------------------
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

    # ----- messages: the log members see, and delivery to the bot ------------------------------------
    def record_message(self, message: st.Message) -> None:
        """A message now exists as members see it: keep it, and tell the listeners."""
        self.messages[message.id] = message
        for listener in list(self.message_listeners):
            listener(message, False)

    def record_edit(self, message: st.Message) -> None:
        """Tell the listeners that a message members can see has changed."""
        for listener in list(self.message_listeners):
            listener(message, True)

    async def deliver_message(self, message: st.Message) -> None:
        """Record a new message and send the bot MESSAGE_CREATE, shaped by its intents as on Discord."""
        self.record_message(message)
        if message.ephemeral:
            return
        session = self.gateway.session
        if session is None:
            return
        is_dm = message.channel.type == 1
        intent = INTENT_DIRECT_MESSAGES if is_dm else INTENT_GUILD_MESSAGES
        payload = message.payload(
            guild_member=self.members.get(message.author.id) if not is_dm else None, resolve=self.find_user
        )
        mentioned = str(self.bot_user.id) in [m["id"] for m in payload["mentions"]]
        own = message.author.id == self.bot_user.id
        if not is_dm and not own and not mentioned and not session.intents & INTENT_MESSAGE_CONTENT:
            payload.update(content="", embeds=[], attachments=[], components=[])
        seq = await self.dispatch("MESSAGE_CREATE", payload, intent=intent)
        if seq is not None:
            self.dispatch_times[message.id] = time.perf_counter()

    # ----- member actions (what a person in the Discord client does) -------------------------------

    async def send_message(
        self, member: st.Member, channel: st.Channel, content: str, *, reply_to: st.Message | None = None
    ) -> st.Message:
        """A member posts a message; the bot receives MESSAGE_CREATE as Discord would deliver it."""
        message = st.Message(
            id=self.ids.next(),
            channel=channel,
            author=member.user,
            content=content,
            timestamp=self.now(),
            reference_id=reply_to.id if reply_to else None,
        )
        await self.deliver_message(message)
        return message

    def commands_for(self) -> dict[str, dict[str, Any]]:
        return {**self.global_commands, **self.guild_commands}

    def _check_command_allowed(self, command: dict[str, Any], member: st.Member, channel: st.Channel) -> None:
        label = f"/{command['name']}"
        if channel.type == 1:
            contexts = command.get("contexts")
            if (contexts is not None and 1 not in contexts) or command.get("dm_permission") is False:
                raise Refused(f"{label} can only be used in a server.")
            return
        required = command.get("default_member_permissions")
        if required is not None and command["name"] not in self.open_to_everyone:
            needed = int(required)
            if self.permissions(member, channel) & needed != needed:
                raise Refused(f"You don't have permission to use {label}.")

    async def invoke(
        self, member: st.Member, channel: st.Channel, invocation: Invocation, *, kind: int = 2
    ) -> InteractionRecord:
        """A member runs a slash command (kind 2) or types into an autocomplete option (kind 4)."""
        command = self.commands_for().get(invocation.path[0]) if invocation.path else None
        if command is None:
            known = ", ".join(f"/{name}" for name in sorted(self.commands_for())) or "none yet"
            raise Refused(f"/{' '.join(invocation.path)} is not a command here. Commands: {known}.")
        self._check_command_allowed(command, member, channel)
        resolver = Resolver(member=self.find_member, channel=self.find_channel, role=self.find_role, resolved={})
        data, label = build_command_data(command, invocation, resolver)
        record, payload = new_interaction(self, kind, member.user, channel, data)
        record.label = label
        await dispatch_interaction(self, record, payload)
        return record

    async def click(self, member: st.Member, message: st.Message, custom_id: str) -> InteractionRecord:
        """A member presses a button on a message."""
        data = {"custom_id": custom_id, "component_type": 2}
        record, payload = new_interaction(self, 3, member.user, message.channel, data)
        record.message_id = message.id
        payload["message"] = message.payload(resolve=self.find_user)
        await dispatch_interaction(self, record, payload)
        return record

    async def remove_bot_from_guild(self) -> None:
        """The bot is kicked, or the server is deleted: GUILD_DELETE without `unavailable`."""
        self.guild_present = False
        await self.dispatch("GUILD_DELETE", {"id": str(self.guild_id)}, intent=INTENT_GUILDS)

    # ----- recording and expectations -----------------------------------------------------------
    async def wait_for_request(
        self, predicate: Callable[[RecordedRequest], bool], timeout: float = 5.0
    ) -> RecordedRequest:
        """The first request (already recorded or still to come) that satisfies `predicate`."""
        for request in self.requests:
            if predicate(request):
                return request
        future: asyncio.Future[RecordedRequest] = asyncio.get_running_loop().create_future()
        self._request_waiters.append((predicate, future))
        return await asyncio.wait_for(future, timeout)

    def _record(self, request: RecordedRequest) -> None:
        self.requests.append(request)
        if request.status == 429:
            self.rate_limited.append(request)
        for predicate, future in list(self._request_waiters):
            if not future.done() and predicate(request):
                future.set_result(request)
                self._request_waiters.remove((predicate, future))

    # ----- REST plumbing ---------------------------------------------------------------------------
    @web.middleware
    async def _middleware(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        if request.path == "/":
            return await handler(request)
        received = time.perf_counter()
        resource = request.match_info.route.resource
        route = resource.canonical if resource is not None else request.path
        route = route.removeprefix(API_PREFIX)
        body: Any = None
        if request.can_read_body:
            body = await self._read_body(request)
        self.inflight += 1
        status = 500
        try:
            bot_auth = not route.startswith(("/interactions", "/webhooks"))
            if bot_auth and request.headers.get("Authorization") != f"Bot {self.token}":
                status = 401
                return json_response({"message": "401: Unauthorized", "code": 0}, 401)
            verdict = self.limiter.check(
                f"{request.method} {route}", major_parameter(request.match_info), bot_auth=bot_auth
            )
            headers = verdict.headers
            if verdict.refusal is not None:
                status = 429
                return json_response(verdict.refusal, 429, headers)
            self._bodies[id(request)] = body
            if self.request_gate is not None:
                await self.request_gate(f"{request.method} {route}")
            try:
                response = await handler(request)
            except APIError as exc:
                response = json_response({"message": exc.message, "code": exc.code}, exc.status)
            response.headers.update(headers)
            status = response.status
            return response
        finally:
            self._bodies.pop(id(request), None)
            self.inflight -= 1
            self._record(
                RecordedRequest(
                    method=request.method,
                    path=request.path.removeprefix(API_PREFIX),
                    route=f"{request.method} {route}",
                    body=body,
                    status=status,
                    at=time.perf_counter(),
                    received=received,
                    query=dict(request.query),
                )
            )

    @staticmethod
    async def _read_body(request: web.Request) -> Any:
        if request.content_type.startswith("multipart/"):
            form = await request.post()
            raw = form.get("payload_json")
            return json.loads(str(raw)) if raw is not None else {}
        text = await request.text()
        return json.loads(text) if text else None

    def _bind(self, endpoint: Endpoint) -> Callable[[web.Request], Awaitable[web.Response]]:
        """An aiohttp handler calling `endpoint` with this emulator and the body the middleware read."""

        async def handle(request: web.Request) -> web.Response:
            return await endpoint(self, request, self._bodies[id(request)])

        return handle

    def _add_routes(self, app: web.Application) -> None:
        r = app.router
        p = API_PREFIX
        b = self._bind
        r.add_get("/", self.gateway.serve)
        r.add_get(p + "/gateway", b(applications.get_gateway))
        r.add_get(p + "/gateway/bot", b(applications.get_gateway_bot))
        r.add_get(p + "/users/@me", b(applications.get_me))
        r.add_get(p + "/oauth2/applications/@me", b(applications.get_application))
        r.add_get(p + "/applications/@me", b(applications.get_application))
        r.add_get(p + "/applications/{application_id}/commands", b(applications.get_global_commands))
        r.add_put(p + "/applications/{application_id}/commands", b(applications.put_global_commands))
        r.add_get(p + "/applications/{application_id}/guilds/{guild_id}/commands", b(applications.get_guild_commands))
        r.add_put(p + "/applications/{application_id}/guilds/{guild_id}/commands", b(applications.put_guild_commands))
        r.add_post(p + "/users/@me/channels", b(channels.create_dm))
        r.add_delete(p + "/users/@me/guilds/{guild_id}", b(guilds.leave_guild))
        r.add_get(p + "/channels/{channel_id}", b(channels.get_channel))
        r.add_post(p + "/channels/{channel_id}/messages", b(messages.create_message))
        r.add_get(p + "/channels/{channel_id}/messages/{message_id}", b(messages.get_message))
        r.add_patch(p + "/channels/{channel_id}/messages/{message_id}", b(messages.edit_message))
        r.add_delete(p + "/channels/{channel_id}/messages/{message_id}", b(messages.delete_message))
        r.add_get(p + "/guilds/{guild_id}", b(guilds.get_guild))
        r.add_get(p + "/guilds/{guild_id}/channels", b(guilds.get_guild_channels))
        r.add_get(p + "/guilds/{guild_id}/members/{user_id}", b(guilds.get_member))
        r.add_post(p + "/interactions/{interaction_id}/{token}/callback", b(interactions.interaction_callback))
        r.add_post(p + "/webhooks/{webhook_id}/{token}", b(interactions.create_followup))
        r.add_get(p + "/webhooks/{webhook_id}/{token}/messages/{message_id}", b(interactions.get_webhook_message))
        r.add_patch(p + "/webhooks/{webhook_id}/{token}/messages/{message_id}", b(interactions.edit_webhook_message))
        r.add_delete(p + "/webhooks/{webhook_id}/{token}/messages/{message_id}", b(interactions.delete_webhook_message))

    # ----- REST: guild, channels, messages ------------------------------------------------------------

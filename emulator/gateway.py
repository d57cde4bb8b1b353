"""Discord's gateway for one bot: hello and heartbeats, IDENTIFY and RESUME, dispatch and replay.

One session at a time (a new IDENTIFY replaces it) and one live connection (a newer one closes
the older with 4000, as Discord does). Every dispatched event is kept in the session, so a client
that resumes gets what it missed since the sequence number it last saw.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import aiohttp
from aiohttp import web

from emulator import state as st

if TYPE_CHECKING:
    from emulator.server import Emulator

INTENT_GUILDS = 1 << 0
INTENT_GUILD_MEMBERS = 1 << 1
INTENT_GUILD_PRESENCES = 1 << 8
INTENT_GUILD_MESSAGES = 1 << 9
INTENT_DIRECT_MESSAGES = 1 << 12
INTENT_MESSAGE_CONTENT = 1 << 15
PRIVILEGED_INTENTS = INTENT_GUILD_MEMBERS | INTENT_GUILD_PRESENCES | INTENT_MESSAGE_CONTENT

REPLAY_LIMIT = 1000  # events a session keeps for RESUME


@dataclass
class Session:
    id: str
    intents: int
    seq: int = 0
    events: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Connection:
    ws: web.WebSocketResponse
    session: Session | None = None
    ready: bool = False


def _frame(op: int, data: Any) -> str:
    return json.dumps({"op": op, "d": data, "s": None, "t": None})


def guild_create_payload(emulator: Emulator) -> dict[str, Any]:
    """The guild as GUILD_CREATE carries it: the guild object plus the gateway-only fields."""
    return {
        "id": str(emulator.guild_id),
        "name": emulator.guild_name,
        "icon": None,
        "splash": None,
        "discovery_splash": None,
        "owner_id": str(emulator.owner.id),
        "afk_channel_id": None,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 1,
        "explicit_content_filter": 0,
        "roles": [r.payload() for r in emulator.roles.values()],
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
        "joined_at": st.iso(emulator.now()),
        "large": False,
        "unavailable": False,
        "member_count": len(emulator.members),
        "members": [m.payload() for m in emulator.members.values()],
        "channels": [c.payload() for c in emulator.channels.values() if c.type == 0],
        "threads": [],
        "presences": [],
        "voice_states": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
    }


class Gateway:
    """The websocket endpoint and the session state behind it.

    The emulator supplies what READY and GUILD_CREATE describe (the bot user, the guild and the
    token and intents the app may use); the gateway owns sessions, sequence numbers and the socket.
    """

    def __init__(self, emulator: Emulator) -> None:
        self._emulator = emulator
        self._sessions: dict[str, Session] = {}
        self._connection: Connection | None = None
        self._connected = asyncio.Event()
        self.identify_count = 0
        self.resume_count = 0
        self.closes: list[int] = []  # close codes of finished connections

    # ----- the socket ----------------------------------------------------------------------------
    async def serve(self, request: web.Request) -> web.StreamResponse:
        """The aiohttp handler for the gateway URL: one connection, until the client leaves."""
        ws = web.WebSocketResponse(max_msg_size=0, autoping=True)
        await ws.prepare(request)
        conn = Connection(ws)
        await ws.send_str(_frame(10, {"heartbeat_interval": 41250}))
        async for frame in ws:
            if frame.type != aiohttp.WSMsgType.TEXT:
                continue
            payload = json.loads(frame.data)
            op, data = payload.get("op"), payload.get("d")
            if op == 1:
                await ws.send_str(_frame(11, None))
            elif op == 2:
                await self._identify(conn, data)
            elif op == 6:
                await self._resume(conn, data)
        if self._connection is conn:
            self._connection = None
            self._connected.clear()
        if ws.close_code is not None:
            self.closes.append(ws.close_code)
        return ws

    async def close(self) -> None:
        """Close the live connection as a server going away would (1001)."""
        if self._connection is not None and not self._connection.ws.closed:
            await self._connection.ws.close(code=1001)

    async def _identify(self, conn: Connection, data: dict[str, Any]) -> None:
        emulator = self._emulator
        if data.get("token") != emulator.token:
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return
        intents = int(data.get("intents", 0))
        if intents & PRIVILEGED_INTENTS & ~emulator.privileged_intents:
            await conn.ws.close(code=4014, message=b"Disallowed intent(s).")
            return
        self.identify_count += 1
        session = Session(id=secrets.token_hex(16), intents=intents)
        self._sessions = {session.id: session}
        conn.session = session
        ready = {
            "v": 10,
            "user": {**emulator.bot_user.payload(), "verified": True, "mfa_enabled": False, "flags": 0},
            "guilds": [{"id": str(emulator.guild_id), "unavailable": True}] if emulator.guild_present else [],
            "session_id": session.id,
            "resume_gateway_url": emulator.gateway_url,
            "shard": [0, 1],
            "application": {"id": str(emulator.application_id), "flags": 1 << 19},
            "private_channels": [],
            "relationships": [],
            "user_settings": {},
            "guild_join_requests": [],
            "presences": [],
            "geo_ordered_rtc_regions": [],
        }
        self._attach(conn)
        await self._send("READY", ready)
        if emulator.guild_present and intents & INTENT_GUILDS:
            await self._send("GUILD_CREATE", emulator.guild_payload())
        conn.ready = True
        self._connected.set()

    async def _resume(self, conn: Connection, data: dict[str, Any]) -> None:
        session = self._sessions.get(data.get("session_id", ""))
        if data.get("token") != self._emulator.token or session is None:
            await conn.ws.send_str(_frame(9, False))
            return
        self.resume_count += 1
        conn.session = session
        self._attach(conn)
        last = int(data.get("seq") or 0)
        for event in session.events:
            if event["s"] > last:
                await conn.ws.send_str(json.dumps(event))
        await self._send("RESUMED", {})
        conn.ready = True
        self._connected.set()

    def _attach(self, conn: Connection) -> None:
        old = self._connection
        self._connection = conn
        if old is not None and old is not conn and not old.ws.closed:
            asyncio.get_running_loop().create_task(old.ws.close(code=4000))

    async def _send(self, event: str, data: dict[str, Any]) -> None:
        conn = self._connection
        session = conn.session if conn else self.session
        if session is None:
            return
        session.seq += 1
        frame = {"op": 0, "t": event, "s": session.seq, "d": data}
        session.events.append(frame)
        del session.events[:-REPLAY_LIMIT]
        if conn is not None and not conn.ws.closed:
            with contextlib.suppress(ConnectionResetError):
                await conn.ws.send_str(json.dumps(frame))

    # ----- what the emulator asks of it --------------------------------------------------------------
    @property
    def session(self) -> Session | None:
        """The current session (None before the first IDENTIFY)."""
        return next(iter(self._sessions.values()), None)

    async def dispatch(self, event: str, data: dict[str, Any], *, intent: int = 0) -> int | None:
        """Send a gateway event if the bot's intents ask for it; returns its sequence number."""
        session = self.session
        if session is None or (intent and not session.intents & intent):
            return None
        await self._send(event, data)
        return session.seq

    async def wait_connected(self, timeout: float = 10.0) -> None:
        await asyncio.wait_for(self._connected.wait(), timeout)

    @property
    def connected(self) -> bool:
        return self._connected.is_set()

    def last_sequence(self) -> int:
        """The sequence number of the newest event sent in the current session (0 before READY)."""
        session = self.session
        return session.seq if session else 0

    async def request_reconnect(self) -> None:
        """Ask the client to reconnect and resume (op 7), as Discord does during maintenance."""
        conn = self._connection
        if conn is not None:
            self._connected.clear()
            await conn.ws.send_str(_frame(7, None))

    async def drop_connection(self) -> None:
        """Close the socket abruptly (code 1006-style), as a network failure would."""
        conn = self._connection
        if conn is not None:
            self._connected.clear()
            await conn.ws.close(code=4000, message=b"Unknown error")

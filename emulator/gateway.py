"""Discord's gateway: hello and heartbeats, IDENTIFY and RESUME, dispatch and replay, as Discord does them.

- The URL's query is read: `v` must be 9 or 10 (else close 4012), `encoding` json, and
  `compress=zlib-stream` makes every frame the server sends part of one zlib stream, in binary
  frames ending with Z_SYNC_FLUSH's 00 00 FF FF. Clients may send text or binary JSON frames.
- Every session has its own intents, sequence and replay buffer; several connections (shards,
  or a second process) may be live at once. A RESUME takes a session over from its old
  connection, which is closed; a clean close (1000/1001) by the client ends its session.
- Sharding (`emulator.sharding`): a session carries only its shard's guilds (READY, GUILD_CREATE)
  and events, everything without a guild (DMs) going to shard 0; IDENTIFY follows the bucket rule
  of `ShardingRules` (one per `shard_id % max_concurrency` per 5 s), answered with op 9 when broken.
- Close codes as Discord's (see `CLOSE_CODES`): an unknown op, a frame that is not JSON, anything
  before IDENTIFY, a second IDENTIFY, a bad token, a RESUME past the session's sequence, more than
  120 sends a minute, an invalid shard, an unsupported version, undefined or disallowed intents.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import aiohttp
from aiohttp import web

from emulator.sharding import guild_of_event, on_shard

if TYPE_CHECKING:
    from emulator.server import Emulator

INTENT_GUILDS = 1 << 0
INTENT_GUILD_MEMBERS = 1 << 1
INTENT_GUILD_PRESENCES = 1 << 8
INTENT_GUILD_MESSAGES = 1 << 9
INTENT_DIRECT_MESSAGES = 1 << 12
INTENT_MESSAGE_CONTENT = 1 << 15
PRIVILEGED_INTENTS = INTENT_GUILD_MEMBERS | INTENT_GUILD_PRESENCES | INTENT_MESSAGE_CONTENT
# Every intent Discord defines (bits 0-16, 20, 21, 24, 25); any other bit closes with 4013.
ALL_INTENTS = sum(1 << bit for bit in (*range(17), 20, 21, 24, 25))

SUPPORTED_VERSIONS = ("9", "10")
ZLIB_SUFFIX = b"\x00\x00\xff\xff"

CLOSE_CODES = {
    4000: "Unknown error",
    4001: "Unknown opcode",
    4002: "Decode error",
    4003: "Not authenticated",
    4004: "Authentication failed",
    4005: "Already authenticated",
    4007: "Invalid seq",
    4008: "Rate limited",
    4009: "Session timed out",
    4010: "Invalid shard",
    4011: "Sharding required",
    4012: "Invalid API version",
    4013: "Invalid intent(s)",
    4014: "Disallowed intent(s)",
}

# Per-session shaping of an event (for example blanking content without the Message Content intent).
Shape = Callable[["Session", dict[str, Any]], dict[str, Any] | None]


@dataclass
class Session:
    id: str
    intents: int
    shard: tuple[int, int] = (0, 1)
    seq: int = 0
    events: list[dict[str, Any]] = field(default_factory=list)
    dropped: int = 0  # events no longer kept for replay


@dataclass
class Connection:
    ws: web.WebSocketResponse
    compressor: Any = None  # a zlib compressobj when the client asked for zlib-stream
    session: Session | None = None
    ready: bool = False
    sends: list[float] = field(default_factory=list)
    server_close: int | None = None  # the code the emulator closed with, if it closed first

    async def close(self, code: int, message: bytes = b"") -> None:
        if self.server_close is None:
            self.server_close = code
        await self.ws.close(code=code, message=message)


class GatewayClose(Exception):
    def __init__(self, code: int) -> None:
        super().__init__(CLOSE_CODES.get(code, "closed"))
        self.code = code


class Gateway:
    """The websocket endpoint and the sessions behind it."""

    def __init__(self, emulator: Emulator) -> None:
        self._emulator = emulator
        self._sessions: dict[str, Session] = {}
        self._connections: dict[str, Connection] = {}  # session id -> its live connection
        self._newest: dict[int, Session] = {}  # shard id -> the newest session identified as it
        self._connected = asyncio.Event()
        self.identify_count = 0
        self.resume_count = 0
        self.closes: list[int] = []  # close codes of finished connections
        self.queries: list[dict[str, str]] = []  # each connection's URL query (v, encoding, compress)
        self.history: list[dict[str, Any]] = []  # every event sent, in every session (the newest 5,000)

    # ----- the socket ----------------------------------------------------------------------------
    async def serve(self, request: web.Request) -> web.StreamResponse:
        """The aiohttp handler for the gateway URL: one connection, until the client leaves."""
        version = request.query.get("v", "10")
        encoding = request.query.get("encoding", "json")
        compress = request.query.get("compress")
        self.queries.append(dict(request.query))
        if encoding != "json" or compress not in (None, "zlib-stream"):
            # The emulator speaks JSON, optionally zlib-stream; ETF and zstd-stream are not emulated.
            return web.Response(status=400, text=f"encoding={encoding} compress={compress} is not emulated")
        ws = web.WebSocketResponse(max_msg_size=0, autoping=True)
        await ws.prepare(request)
        conn = Connection(ws, zlib.compressobj() if compress == "zlib-stream" else None)
        try:
            if version not in SUPPORTED_VERSIONS:
                raise GatewayClose(4012)
            hello = {"heartbeat_interval": self._emulator.limits.heartbeat_interval_ms}
            await self._send_raw(conn, {"op": 10, "d": hello, "s": None, "t": None})
            async for frame in ws:
                if frame.type not in (aiohttp.WSMsgType.TEXT, aiohttp.WSMsgType.BINARY):
                    continue
                await self._receive(conn, frame.data)
        except GatewayClose as close:
            await conn.close(close.code, CLOSE_CODES[close.code].encode())
        finally:
            self._detach(conn)
            code = conn.server_close if conn.server_close is not None else ws.close_code
            if code is not None:
                self.closes.append(int(code))
        return ws

    async def _receive(self, conn: Connection, raw: str | bytes) -> None:
        limit = self._emulator.limits.gateway_sends
        now = time.monotonic()
        conn.sends = [t for t in conn.sends if now - t < limit.per] + [now]
        if len(conn.sends) > limit.limit:
            raise GatewayClose(4008)
        try:
            payload = json.loads(raw)
            op, data = payload["op"], payload.get("d")
        except (ValueError, KeyError, TypeError):
            raise GatewayClose(4002) from None
        if op == 1:
            await self._send_raw(conn, {"op": 11, "d": None, "s": None, "t": None})
        elif op == 2:
            await self._identify(conn, data or {})
        elif op == 6:
            await self._resume(conn, data or {})
        elif op not in (3, 4, 8, 14, 31, 36):
            raise GatewayClose(4001)
        elif conn.session is None:
            raise GatewayClose(4003)

    async def close(self) -> None:
        """Close every live connection as a server going away would (1001)."""
        for conn in list(self._connections.values()):
            if not conn.ws.closed:
                await conn.close(1001)

    async def _identify(self, conn: Connection, data: dict[str, Any]) -> None:
        emulator = self._emulator
        if conn.session is not None:
            raise GatewayClose(4005)
        if data.get("token") != emulator.token:
            raise GatewayClose(4004)
        intents = int(data.get("intents", 0))
        if intents & ~ALL_INTENTS:
            raise GatewayClose(4013)
        if intents & PRIVILEGED_INTENTS & ~emulator.privileged_intents:
            raise GatewayClose(4014)
        try:
            shard_id, shard_count = (int(n) for n in data.get("shard") or (0, 1))
        except (TypeError, ValueError):
            raise GatewayClose(4010) from None
        if not 0 <= shard_id < shard_count:
            raise GatewayClose(4010)
        if not emulator.sharding.admit(shard_id):  # too soon in its bucket: invalid session
            await self._send_raw(conn, {"op": 9, "d": False, "s": None, "t": None})
            return
        self.identify_count += 1
        session = Session(id=secrets.token_hex(16), intents=intents, shard=(shard_id, shard_count))
        self._sessions[session.id] = session
        self._newest[shard_id] = session
        self._attach(conn, session)
        guilds = [g for g in emulator.guilds.values() if g.present and on_shard(g.id, session.shard)]
        ready = {
            "v": 10,
            "user": {**emulator.bot_user.payload(), "verified": True, "mfa_enabled": False, "email": None},
            "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": emulator.gateway_url,
            "shard": [session.shard[0], session.shard[1]],
            "application": {"id": str(emulator.application_id), "flags": 1 << 19},
            "private_channels": [],
            "relationships": [],
            "user_settings": {},
            "guild_join_requests": [],
            "presences": [],
            "geo_ordered_rtc_regions": [],
            "auth": {},
        }
        await self._send(session, "READY", ready)
        if intents & INTENT_GUILDS:
            for guild in guilds:
                if not guild.unavailable:
                    await self._send(session, "GUILD_CREATE", emulator.guild_payload(guild, intents))
        conn.ready = True
        self._update_connected()

    async def _resume(self, conn: Connection, data: dict[str, Any]) -> None:
        if conn.session is not None:
            raise GatewayClose(4005)
        if data.get("token") != self._emulator.token:
            raise GatewayClose(4004)
        session = self._sessions.get(data.get("session_id", ""))
        last = int(data.get("seq") or 0)
        if session is None or last < session.dropped:
            await self._send_raw(conn, {"op": 9, "d": False, "s": None, "t": None})
            return
        if last > session.seq:
            raise GatewayClose(4007)
        self.resume_count += 1
        self._attach(conn, session)
        for event in session.events:
            if event["s"] > last:
                await self._send_raw(conn, event)
        await self._send(session, "RESUMED", {})
        conn.ready = True
        self._update_connected()

    def _attach(self, conn: Connection, session: Session) -> None:
        conn.session = session
        old = self._connections.get(session.id)
        self._connections[session.id] = conn
        if old is not None and old is not conn and not old.ws.closed:
            asyncio.get_running_loop().create_task(old.close(4000))

    def _detach(self, conn: Connection) -> None:
        session = conn.session
        if session is None or self._connections.get(session.id) is not conn:
            return
        del self._connections[session.id]
        if conn.server_close is None and conn.ws.close_code in (1000, 1001):
            self._sessions.pop(session.id, None)  # a clean close by the client ends the session
        self._update_connected()

    def _update_connected(self) -> None:
        """Connected: shard 0 and every other shard's newest session have a live, ready connection."""
        shards = self.shards
        live = [self._connections.get(s.id) for s in shards.values()]
        if 0 in shards and all(c is not None and c.ready and not c.ws.closed for c in live):
            self._connected.set()
        else:
            self._connected.clear()

    async def _send_raw(self, conn: Connection, frame: dict[str, Any]) -> None:
        if conn.ws.closed:
            return
        text = json.dumps(frame)
        with contextlib.suppress(ConnectionResetError):
            if conn.compressor is not None:
                data = conn.compressor.compress(text.encode()) + conn.compressor.flush(zlib.Z_SYNC_FLUSH)
                await conn.ws.send_bytes(data)
            else:
                await conn.ws.send_str(text)

    async def _send(self, session: Session, event: str, data: dict[str, Any]) -> None:
        session.seq += 1
        frame = {"op": 0, "t": event, "s": session.seq, "d": data}
        session.events.append(frame)
        self.history.append(frame)
        del self.history[:-5000]
        limit = self._emulator.limits.replay_events
        if len(session.events) > limit:
            session.dropped = session.events[-limit - 1]["s"]
            del session.events[:-limit]
        conn = self._connections.get(session.id)
        if conn is not None:
            await self._send_raw(conn, frame)

    # ----- what the emulator asks of it --------------------------------------------------------------
    @property
    def session(self) -> Session | None:
        """Shard 0's newest session still alive, where DMs go (None before it identifies)."""
        return self.shards.get(0)

    @property
    def sessions(self) -> list[Session]:
        return list(self._sessions.values())

    @property
    def shards(self) -> dict[int, Session]:
        """Each shard's newest session still alive, by shard id."""
        return {shard: s for shard, s in sorted(self._newest.items()) if s.id in self._sessions}

    def session_for(self, guild_id: int | None) -> Session | None:
        """The newest session that carries a guild's events (shard 0's for DMs)."""
        return next((s for s in self.shards.values() if on_shard(guild_id, s.shard)), None)

    async def dispatch(
        self, event: str, data: dict[str, Any], *, intent: int = 0, shape: Shape | None = None
    ) -> int | None:
        """Send an event to every session of its guild's shard (the event's `guild_id`, or `id` for
        GUILD_CREATE/DELETE; shard 0 without one) whose intents ask for it; returns the sequence
        number it has in the newest such session (None if that session was not sent it)."""
        guild_id = guild_of_event(event, data)
        sent: set[str] = set()
        for session in list(self._sessions.values()):
            if (intent and not session.intents & intent) or not on_shard(guild_id, session.shard):
                continue
            shaped = shape(session, data) if shape is not None else data
            if shaped is not None:
                await self._send(session, event, shaped)
                sent.add(session.id)
        target = self.session_for(guild_id)
        return target.seq if target is not None and target.id in sent else None

    async def wait_connected(self, timeout: float = 10.0) -> None:
        await asyncio.wait_for(self._connected.wait(), timeout)

    @property
    def connected(self) -> bool:
        return self._connected.is_set()

    def last_sequence(self, shard_id: int = 0) -> int:
        """The sequence number of the newest event sent in a shard's newest session (0 before READY)."""
        session = self.shards.get(shard_id)
        return session.seq if session else 0

    def _connection_of(self, shard_id: int) -> Connection | None:
        session = self.shards.get(shard_id)
        return self._connections.get(session.id) if session else None

    async def request_reconnect(self, shard_id: int = 0) -> None:
        """Ask the client to reconnect and resume (op 7), as Discord does during maintenance."""
        conn = self._connection_of(shard_id)
        if conn is not None:
            self._connected.clear()
            await self._send_raw(conn, {"op": 7, "d": None, "s": None, "t": None})

    async def drop_connection(self, shard_id: int = 0) -> None:
        """Close the socket abruptly (code 4000, resumable), as a network failure would."""
        conn = self._connection_of(shard_id)
        if conn is not None:
            self._connected.clear()
            await conn.close(4000, b"Unknown error")

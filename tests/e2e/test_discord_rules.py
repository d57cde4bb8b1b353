"""Discord's rules the emulator enforces, spoken to over HTTP and the gateway by a bare client.

No bot here: each test starts one emulator and talks to it the way any library would, so what is
checked is the emulator's protocol, not discord.py's handling of it.
"""

from __future__ import annotations

import asyncio
import json
import zlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest

from emulator import Emulator
from emulator.limits import Limits, RateLimit
from emulator.routes.interactions import AUTOCOMPLETE, new_interaction
from tests.e2e.conftest import check_emulator

START = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)


class World:
    """An emulator on a clock the test moves, and an HTTP session with the bot's token."""

    def __init__(self, emulator: Emulator, http: aiohttp.ClientSession, clock: list[datetime]) -> None:
        self.emulator, self.http, self.clock = emulator, http, clock

    def url(self, path: str) -> str:
        return f"{self.emulator.base_url}/api/v10{path}"

    async def call(self, method: str, path: str, body: Any = None, *, auth: bool = True) -> tuple[int, Any, Any]:
        headers = {"Authorization": f"Bot {self.emulator.token}"} if auth else {}
        async with self.http.request(method, self.url(path), json=body, headers=headers) as response:
            text = await response.text()
            data = json.loads(text) if response.content_type == "application/json" and text else text
            return response.status, data, response.headers


@pytest.fixture
async def world() -> AsyncIterator[World]:
    clock = [START]
    emulator = Emulator(now=lambda: clock[0])
    await emulator.start()
    async with aiohttp.ClientSession() as http:
        try:
            yield World(emulator, http, clock)
        finally:
            await emulator.close()
    problems = check_emulator(emulator)
    assert not problems, problems


async def test_a_refused_body_gets_discords_errors_tree(world: World) -> None:
    general = world.emulator.channel("general")
    status, data, _ = await world.call(
        "POST", f"/channels/{general.id}/messages", {"content": "x", "components": [{"type": 1, "components": []}]}
    )
    assert status == 400
    assert data["code"] == 50035 and data["message"] == "Invalid Form Body"
    assert data["errors"]["components"]["0"]["components"]["_errors"][0]["code"] == "BASE_TYPE_BAD_LENGTH"


async def test_callbacks_follow_the_interaction_type_and_the_token_expires(world: World) -> None:
    emulator = world.emulator
    member, general = emulator.member("sam"), emulator.channel("general")
    autocomplete, _ = new_interaction(emulator, AUTOCOMPLETE, member.user, general, {"name": "x"})
    callback = f"/interactions/{autocomplete.id}/{autocomplete.token}/callback?with_response=true"
    status, data, _ = await world.call("POST", callback, {"type": 4, "data": {"content": "a reply"}}, auth=False)
    assert (status, data["code"]) == (400, 40043)  # a message cannot answer an autocomplete
    status, data, _ = await world.call("POST", callback, {"type": 8, "data": {"choices": []}}, auth=False)
    assert status == 200 and "resource" not in data  # an autocomplete result carries no resource

    command, _ = new_interaction(emulator, 2, member.user, general, {"name": "daily"})
    assert command.token.startswith("aW50ZXJhY3Rpb246")  # base64 of "interaction:", as Discord's
    callback = f"/interactions/{command.id}/{command.token}/callback?with_response=true"
    status, data, _ = await world.call("POST", callback, {"type": 5, "data": {"flags": 64}}, auth=False)
    assert status == 200 and "resource" not in data and data["interaction"]["response_message_loading"]
    followup = f"/webhooks/{emulator.application_id}/{command.token}?wait=true"
    world.clock[0] += timedelta(minutes=14)
    status, _, _ = await world.call("POST", followup, {"content": "done", "flags": 64}, auth=False)
    assert status == 200
    world.clock[0] += timedelta(minutes=2)  # 16 minutes after the interaction: the token is gone
    status, data, _ = await world.call("POST", followup, {"content": "late"}, auth=False)
    assert (status, data["code"]) == (404, 10015)
    status, _, _ = await world.call("POST", f"/interactions/{command.id}/{command.token}/callback", {"type": 4})
    assert status == 400  # already acknowledged


async def test_default_limits_per_channel_and_global_with_headers(world: World) -> None:
    general = world.emulator.channel("general")
    answers = [await world.call("POST", f"/channels/{general.id}/messages", {"content": f"m{i}"}) for i in range(6)]
    assert [status for status, _, _ in answers] == [200] * 5 + [429]
    _, _, headers = answers[0]
    assert headers["X-RateLimit-Limit"] == "5" and headers["X-RateLimit-Remaining"] == "4"
    status, refusal, headers = answers[5]
    assert refusal["global"] is False and headers["X-RateLimit-Scope"] == "user" and "Via" in headers
    status, _, headers = await world.call("GET", "/users/@me")
    assert status == 200 and "X-RateLimit-Bucket" in headers  # every route sends the headers
    statuses = [(await world.call("GET", "/users/@me"))[0] for _ in range(50)]
    assert statuses.count(429) >= 1  # Discord's 50 requests a second, for the whole bot
    assert world.emulator.rate_limited[-1].headers.get("X-RateLimit-Global") == "true"


async def test_invalid_requests_are_counted_and_too_many_ban_the_bot() -> None:
    emulator = Emulator(limits=Limits(invalid_requests=5, global_rate=None))
    await emulator.start()
    try:
        async with aiohttp.ClientSession() as http:
            url = f"{emulator.base_url}/api/v10/users/@me"
            for _ in range(5):
                async with http.get(url, headers={"Authorization": "Bot wrong"}) as response:
                    assert response.status == 401
            assert emulator.invalid_requests == 5
            async with http.get(url, headers={"Authorization": f"Bot {emulator.token}"}) as response:
                assert response.status == 429 and "Via" not in response.headers  # Cloudflare's ban, not a bucket
                assert response.content_type != "application/json"
    finally:
        await emulator.close()


async def test_closed_dms_count_as_invalid_requests(world: World) -> None:
    emulator = world.emulator
    sam = emulator.member("sam")
    emulator.set_dms_open("sam", False)
    status, dm, _ = await world.call("POST", "/users/@me/channels", {"recipient_id": str(sam.id)})
    assert status == 200
    status, data, _ = await world.call("POST", f"/channels/{dm['id']}/messages", {"content": "hi"})
    assert (status, data["code"]) == (403, 50007)
    assert emulator.invalid_requests == 1


# ----- the gateway ------------------------------------------------------------------------------------
class GatewayClient:
    def __init__(self, ws: aiohttp.ClientWebSocketResponse, zlib_stream: bool) -> None:
        self.ws = ws
        self.inflate = zlib.decompressobj() if zlib_stream else None
        self.binary_frames = 0

    async def receive(self) -> dict[str, Any]:
        message = await self.ws.receive(timeout=5)
        if message.type == aiohttp.WSMsgType.BINARY:
            self.binary_frames += 1
            assert self.inflate is not None and message.data.endswith(b"\x00\x00\xff\xff")
            return dict(json.loads(self.inflate.decompress(message.data)))
        if message.type == aiohttp.WSMsgType.TEXT:
            return dict(json.loads(message.data))
        raise ConnectionError(self.ws.close_code)

    async def closed_with(self) -> int | None:
        while not self.ws.closed:
            message = await self.ws.receive(timeout=5)
            if message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.CLOSING):
                break
        return self.ws.close_code

    async def until(self, event: str) -> dict[str, Any]:
        while True:
            frame = await self.receive()
            if frame.get("t") == event:
                return frame


async def connect(http: aiohttp.ClientSession, emulator: Emulator, query: str = "v=10&encoding=json") -> GatewayClient:
    ws = await http.ws_connect(f"{emulator.gateway_url}?{query}")
    client = GatewayClient(ws, "zlib-stream" in query)
    hello = await client.receive()
    assert hello["op"] == 10
    return client


def identify(emulator: Emulator, **extra: Any) -> dict[str, Any]:
    data = {"token": emulator.token, "intents": (1 << 0) | (1 << 9) | (1 << 15), "properties": {}, **extra}
    return {"op": 2, "d": data}


async def test_zlib_stream_binary_frames_and_two_live_sessions(world: World) -> None:
    emulator = world.emulator
    first = await connect(world.http, emulator, "v=10&encoding=json&compress=zlib-stream")
    await first.ws.send_bytes(json.dumps(identify(emulator)).encode())  # a binary JSON frame is read too
    ready = await first.until("READY")
    assert first.binary_frames >= 2 and ready["d"]["guilds"][0]["id"] == str(emulator.guild_id)
    guild = await first.until("GUILD_CREATE")
    assert [m["user"]["id"] for m in guild["d"]["members"]] == [str(emulator.bot_user.id)]  # no member data asked
    second = await connect(world.http, emulator)
    await second.ws.send_json(identify(emulator))
    await second.until("READY")
    message = await emulator.send_message(emulator.member("sam"), emulator.channel("general"), "to both")
    for client in (first, second):
        event = await client.until("MESSAGE_CREATE")
        assert event["d"]["content"] == "to both"
    await emulator.edit_message(message, "to both, edited")
    update = await second.until("MESSAGE_UPDATE")
    assert update["d"]["content"] == "to both, edited" and update["d"]["edited_timestamp"] is not None
    assert not first.ws.closed  # a second connection does not close the first
    await first.ws.close()
    await second.ws.close()


@pytest.mark.parametrize(
    ("query", "frames", "code"),
    [
        ("v=6&encoding=json", [], 4012),
        ("v=10", [{"op": 99, "d": None}], 4001),
        ("v=10", ["not json"], 4002),
        ("v=10", [{"op": 3, "d": {"status": "online"}}], 4003),
        ("v=10", [{"op": 2, "d": {"token": "nope", "intents": 1}}], 4004),
        ("v=10", ["IDENTIFY", "IDENTIFY"], 4005),
        ("v=10", ["IDENTIFY", {"op": 6, "d": {"session_id": "x", "seq": 0}}], 4005),
        ("v=10", ["IDENTIFY:shard"], 4010),
        ("v=10", ["IDENTIFY:shard-shape"], 4010),
        ("v=10", ["IDENTIFY:intents"], 4013),
        ("v=10", ["IDENTIFY:privileged"], 4014),
    ],
)
async def test_close_codes(world: World, query: str, frames: list[Any], code: int) -> None:
    emulator = world.emulator
    ws = await world.http.ws_connect(f"{emulator.gateway_url}?{query}")
    client = GatewayClient(ws, False)
    variants = {
        "IDENTIFY": identify(emulator),
        "IDENTIFY:shard": identify(emulator, shard=[1, 1]),
        "IDENTIFY:shard-shape": identify(emulator, shard=[2]),
        "IDENTIFY:intents": identify(emulator, intents=1 << 30),
        "IDENTIFY:privileged": identify(emulator, intents=1 << 1),
    }
    for frame in frames:
        frame = variants.get(frame, frame) if isinstance(frame, str) else frame
        if frame == "not json":
            await ws.send_str("not json")
        else:
            await ws.send_json(frame)
    assert await client.closed_with() == code
    for _ in range(100):  # the server records the close once its handler has finished
        if emulator.gateway_closes:
            break
        await asyncio.sleep(0.01)
    assert emulator.gateway_closes == [code]


async def test_resume_rules(world: World) -> None:
    emulator = world.emulator
    client = await connect(world.http, emulator)
    await client.ws.send_json(identify(emulator))
    ready = await client.until("READY")
    session_id, seq = ready["d"]["session_id"], ready["s"]
    await client.ws.close(code=4000)  # not a clean close: the session can be resumed
    await emulator.send_message(emulator.member("sam"), emulator.channel("general"), "while away")
    again = await connect(world.http, emulator)
    await again.ws.send_json({"op": 6, "d": {"token": emulator.token, "session_id": session_id, "seq": seq}})
    replayed = await again.until("MESSAGE_CREATE")
    assert replayed["d"]["content"] == "while away"
    await again.until("RESUMED")
    await again.ws.close(code=4000)
    ahead = await connect(world.http, emulator)
    await ahead.ws.send_json({"op": 6, "d": {"token": emulator.token, "session_id": session_id, "seq": 10_000}})
    assert await ahead.closed_with() == 4007  # a sequence the session never sent
    unknown = await connect(world.http, emulator)
    await unknown.ws.send_json({"op": 6, "d": {"token": emulator.token, "session_id": "gone", "seq": 1}})
    invalid = await unknown.receive()
    assert invalid == {"op": 9, "d": False, "s": None, "t": None}
    await unknown.ws.close()


async def test_limits_can_be_raised_for_one_emulator() -> None:
    emulator = Emulator(limits=Limits(global_rate=RateLimit(1000, 1.0)))
    assert emulator.global_limit == RateLimit(1000, 1.0)
    assert Limits().global_rate == RateLimit(50, 1.0)  # the defaults are untouched

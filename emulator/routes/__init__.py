"""The emulator's REST API v10: every route it answers, and the middleware all of them go through.

The middleware does for every request what Discord does before a handler runs, in the same order:
parse the body, check the bot token (interaction callbacks and webhooks use their token instead),
apply rate limits, then run the handler, turning an `APIError` into Discord's JSON error. Every
request is recorded, refused or not, for tests and benchmarks to inspect.

Handlers live in one module per part of the API and are plain functions of (emulator, request,
body); `RestApi` binds them to its emulator and hands them the body the middleware parsed.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import web

from emulator.errors import APIError
from emulator.ratelimit import InvalidRequestCounter, RateLimiter, major_parameter
from emulator.routes import applications, channels, guilds, interactions, messages, uploads
from emulator.routes.base import API_PREFIX, Endpoint, json_response

if TYPE_CHECKING:
    from emulator.server import Emulator

MAX_BODY_BYTES = 25 * 1024 * 1024

# Every REST route, as (method, path under API_PREFIX, handler). GET routes answer HEAD too.
ROUTES: tuple[tuple[str, str, Endpoint], ...] = (
    ("GET", "/gateway", applications.get_gateway),
    ("GET", "/gateway/bot", applications.get_gateway_bot),
    ("GET", "/users/@me", applications.get_me),
    ("GET", "/oauth2/applications/@me", applications.get_application),
    ("GET", "/applications/@me", applications.get_application),
    ("GET", "/applications/{application_id}/commands", applications.get_global_commands),
    ("PUT", "/applications/{application_id}/commands", applications.put_global_commands),
    ("GET", "/applications/{application_id}/guilds/{guild_id}/commands", applications.get_guild_commands),
    ("PUT", "/applications/{application_id}/guilds/{guild_id}/commands", applications.put_guild_commands),
    ("POST", "/users/@me/channels", channels.create_dm),
    ("DELETE", "/users/@me/guilds/{guild_id}", guilds.leave_guild),
    ("GET", "/channels/{channel_id}", channels.get_channel),
    ("POST", "/channels/{channel_id}/messages", messages.create_message),
    ("GET", "/channels/{channel_id}/messages/{message_id}", messages.get_message),
    ("PATCH", "/channels/{channel_id}/messages/{message_id}", messages.edit_message),
    ("DELETE", "/channels/{channel_id}/messages/{message_id}", messages.delete_message),
    ("GET", "/guilds/{guild_id}", guilds.get_guild),
    ("GET", "/guilds/{guild_id}/channels", guilds.get_guild_channels),
    ("GET", "/guilds/{guild_id}/members/{user_id}", guilds.get_member),
    ("POST", "/interactions/{interaction_id}/{token}/callback", interactions.interaction_callback),
    ("POST", "/webhooks/{webhook_id}/{token}", interactions.create_followup),
    ("GET", "/webhooks/{webhook_id}/{token}/messages/{message_id}", interactions.get_webhook_message),
    ("PATCH", "/webhooks/{webhook_id}/{token}/messages/{message_id}", interactions.edit_webhook_message),
    ("DELETE", "/webhooks/{webhook_id}/{token}/messages/{message_id}", interactions.delete_webhook_message),
)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


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
    response: Any = None  # the JSON answered (None for 204 or a non-JSON answer)
    headers: dict[str, str] = field(default_factory=dict)  # the answer's headers
    content_type: str = ""  # of the request body


class RestApi:
    """The aiohttp application for one emulator: its routes, rate limits and the record of requests."""

    def __init__(self, emulator: Emulator) -> None:
        self._emulator = emulator
        self.limiter = RateLimiter(emulator.limits)
        self.invalid = InvalidRequestCounter(emulator.limits)
        self.requests: list[RecordedRequest] = []
        self.rate_limited: list[RecordedRequest] = []
        self.inflight = 0
        # Tests can hold requests of a route mid-flight (to simulate a crash while sending).
        self.request_gate: Callable[[str], Awaitable[None]] | None = None
        # Tests can lose the answer of a request that succeeded (Discord did it, then answered 5xx).
        self.after_success: Callable[[str], int | None] | None = None
        self._waiters: list[tuple[Callable[[RecordedRequest], bool], asyncio.Future[RecordedRequest]]] = []
        self._bodies: dict[int, Any] = {}  # id(request) -> parsed body, while its handler runs

    def application(self) -> web.Application:
        """A new aiohttp application serving the gateway at "/" and every route in ROUTES."""
        app = web.Application(middlewares=[self._middleware], client_max_size=MAX_BODY_BYTES)
        router = app.router
        router.add_get("/", self._emulator.gateway.serve)
        for method, path, endpoint in ROUTES:
            if method == "GET":
                router.add_get(API_PREFIX + path, self._bind(endpoint))
            else:
                router.add_route(method, API_PREFIX + path, self._bind(endpoint))
        return app

    def _bind(self, endpoint: Endpoint) -> Handler:
        emulator, bodies = self._emulator, self._bodies

        async def handle(request: web.Request) -> web.StreamResponse:
            return await endpoint(emulator, request, bodies[id(request)])

        return handle

    # ----- recording ---------------------------------------------------------------------------------
    async def wait_for_request(
        self, predicate: Callable[[RecordedRequest], bool], timeout: float = 5.0
    ) -> RecordedRequest:
        """The first request (already recorded or still to come) that satisfies `predicate`."""
        for request in self.requests:
            if predicate(request):
                return request
        future: asyncio.Future[RecordedRequest] = asyncio.get_running_loop().create_future()
        self._waiters.append((predicate, future))
        return await asyncio.wait_for(future, timeout)

    def _record(self, request: RecordedRequest) -> None:
        self.requests.append(request)
        if request.status == 429:
            self.rate_limited.append(request)
        for predicate, future in list(self._waiters):
            if not future.done() and predicate(request):
                future.set_result(request)
                self._waiters.remove((predicate, future))

    # ----- the middleware ----------------------------------------------------------------------------
    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path == "/":
            return await handler(request)  # the gateway
        received = time.perf_counter()
        resource = request.match_info.route.resource
        path = (resource.canonical if resource is not None else request.path).removeprefix(API_PREFIX)
        route = f"{request.method} {path}"  # how rate limits, the gate and the record name it
        body: Any = None
        response: web.Response | None = None
        self.inflight += 1
        try:
            if request.can_read_body:
                try:
                    body = await _read_body(request)
                except ValueError:
                    raise APIError(400, 50109, "The request body contains invalid JSON.") from None
            response = await self._answer(request, handler, route, path, body)
            return response
        except APIError as exc:
            response = json_response(exc.body(), exc.status)
            return response
        finally:
            self._bodies.pop(id(request), None)
            self.inflight -= 1
            status = response.status if response is not None else 500
            self.invalid.record(status, response.headers.get("X-RateLimit-Scope") if response is not None else None)
            self._record(
                RecordedRequest(
                    method=request.method,
                    path=request.path.removeprefix(API_PREFIX),
                    route=route,
                    body=body,
                    status=status,
                    at=time.perf_counter(),
                    received=received,
                    query=dict(request.query),
                    response=_json_of(response),
                    headers=dict(response.headers) if response is not None else {},
                    content_type=request.content_type,
                )
            )

    async def _answer(self, request: web.Request, handler: Handler, route: str, path: str, body: Any) -> web.Response:
        """Auth, the invalid-request ban, rate limits, then the handler, in Discord's order."""
        banned = self.invalid.banned_for()
        if banned is not None:
            # Cloudflare's ban: HTML-ish text, no Via header; clients must not retry it like a 429.
            return web.Response(
                status=429,
                text="error code: 1015 (you are being blocked from accessing the API temporarily)",
                headers={"Retry-After": str(max(1, round(banned)))},
            )
        bot_auth = not path.startswith(("/interactions", "/webhooks"))  # these carry their own token
        authorised = not bot_auth or request.headers.get("Authorization") == f"Bot {self._emulator.token}"
        verdict = self.limiter.check(route, major_parameter(request.match_info), bot_auth=bot_auth and authorised)
        if not authorised:
            return json_response({"message": "401: Unauthorized", "code": 0}, 401, verdict.headers)
        if verdict.refusal is not None:
            return json_response(verdict.refusal, 429, verdict.headers)
        self._bodies[id(request)] = body
        if self.request_gate is not None:
            await self.request_gate(route)
        try:
            response = await handler(request)
        except APIError as exc:
            response = json_response(exc.body(), exc.status)
        if self.after_success is not None and response.status < 300:
            lost = self.after_success(route)
            if lost is not None:
                response = json_response({"message": f"{lost}: Server Error", "code": 0}, lost)
        assert isinstance(response, web.Response)
        response.headers.update(verdict.headers)
        return response


def _json_of(response: web.Response | None) -> Any:
    if response is None or response.status == 204 or response.content_type != "application/json":
        return None
    raw = response.body
    if not isinstance(raw, bytes | bytearray) or not raw:
        return None
    return json.loads(raw)


async def _read_body(request: web.Request) -> Any:
    """The JSON body, or the `payload_json` part of a multipart one (how clients send files);
    the uploaded files wait on the request for the handler (`uploads.uploads_of`)."""
    if request.content_type.startswith("multipart/"):
        form = await request.post()
        request[uploads.UPLOADS] = uploads.read_uploads(form)
        raw = form.get("payload_json")
        return json.loads(str(raw)) if raw is not None else {}
    text = await request.text()
    return json.loads(text) if text else None

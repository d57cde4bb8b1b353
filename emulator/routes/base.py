"""What every REST handler shares: the API prefix, JSON answers, and the handler signature."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from emulator.server import Emulator

API_PREFIX = "/api/v10"

# A REST handler: the emulator whose world it reads and changes, the request, and the request's
# JSON body (already parsed by the middleware, which records it; None when there is none).
Endpoint = Callable[["Emulator", web.Request, Any], Awaitable[web.Response]]


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    if status == 204:  # No Content: no body and no Content-Type (discord.py would try to parse "" as JSON)
        return web.Response(status=204, headers=headers or {})
    # discord.py compares the header string exactly: no "; charset=utf-8".
    merged = {"Content-Type": "application/json", **(headers or {})}
    return web.Response(body=json.dumps(data).encode(), status=status, headers=merged)

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
    body = b"" if status == 204 else json.dumps(data).encode()
    # discord.py compares the header string exactly: no "; charset=utf-8".
    merged = {"Content-Type": "application/json", **(headers or {})}
    return web.Response(body=body, status=status, headers=merged)


def files_of(request: web.Request) -> list[tuple[str, str, int]]:
    """The files a multipart request carried, as (field, filename, size); their bytes are not kept."""
    files: list[tuple[str, str, int]] = request.get("files", [])
    return files

"""Sending a message once when Discord's answer may be lost on the way.

A 5xx or a dropped connection after Discord created the message looks exactly like a send that
never arrived. Lantern's sends that matter carry a nonce derived from what they are
(bot/nonces.py), so repeating one is safe: Discord returns the message it already created instead
of creating another. `send_once` repeats a send once after such a failure, which turns "maybe
sent" into a definite answer (the same message, or a first successful send) without doubling it.
discord.py itself already repeats 500, 502, 504 and 524 with the same payload; a 503 or a lost
connection reach Lantern.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

import aiohttp
import discord

log = logging.getLogger(__name__)
T = TypeVar("T")

ANSWER_MAY_BE_LOST = (discord.DiscordServerError, aiohttp.ClientConnectionError, TimeoutError)


async def send_once(send: Callable[[], Awaitable[T]], *, what: str) -> T:
    """Await `send()` (a send with a fixed nonce); after a lost answer, once more."""
    try:
        return await send()
    except ANSWER_MAY_BE_LOST as exc:
        log.info("Sending %s: %s, sending again with the same nonce", what, type(exc).__name__)
        return await send()

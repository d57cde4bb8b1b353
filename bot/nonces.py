"""Nonces that say what a message is, so a repeated send of it is created only once.

When Discord creates a message but the answer is lost (a 5xx after success, a timeout), the send
is repeated: by discord.py at once, or by Lantern later (the daily retry). Discord returns the
earlier message instead of creating another when the repeat carries the same `nonce` with
`enforce_nonce: true` (discord.py 2.4+ sets `enforce_nonce` whenever a nonce is given), within a few
minutes, in the same channel. A random nonce only covers discord.py's own retries; a nonce derived
from what the message is (this member's prompt for this local day, this reply to this message)
covers every repeat. Discord allows 25 characters; these are 24 hex digits of a keyed hash, stable
across restarts and processes.
"""

from __future__ import annotations

import hashlib
from datetime import date

NONCE_LENGTH = 24  # Discord: a string of up to 25 characters


def nonce_for(kind: str, *parts: object) -> str:
    """A stable nonce for the message of `kind` about `parts` (ids, dates, text)."""
    key = "\x1f".join([kind, *(str(part) for part in parts)]).encode()
    return hashlib.blake2b(key, digest_size=NONCE_LENGTH // 2, person=b"lantern-nonce").hexdigest()


def daily_prompt_nonce(user_id: int, local_day: date) -> str:
    """A member's daily prompt for one local day: every retry of that day is the same message."""
    return nonce_for("daily-prompt", user_id, local_day.isoformat())


def prompt_of_the_day_nonce(guild_id: int, channel_id: int, local_day: date) -> str:
    return nonce_for("prompt-of-the-day", guild_id, channel_id, local_day.isoformat())


def safety_nonce(message_id: int, kind: str) -> str:
    """Lantern's `kind` ("reply", "dm", "alert") about one member message, at most once each."""
    return nonce_for("safety", kind, message_id)

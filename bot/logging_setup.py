"""Configure logging once, with a filter that keeps the token out of every record.

Also how Lantern writes a traceback: with every frame and exception type but no exception
message, because a message can carry what a member typed (`traceback_without_values`).
"""

from __future__ import annotations

import logging
import sys
import traceback

import discord


class RedactFilter(logging.Filter):
    """Replaces any of the given secrets in a record's final message with `[redacted]`."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._secrets:
            return True
        message = record.getMessage()
        redacted = message
        for secret in self._secrets:
            redacted = redacted.replace(secret, "[redacted]")
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def configure_logging(level: str, *, secrets: list[str] | None = None) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-8s %(name)s: %(message)s"))
    handler.addFilter(RedactFilter(secrets or []))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    quiet_payload_loggers()


# discord.py logs whole gateway events and HTTP bodies at DEBUG, message text included; aiosqlite
# logs every statement with its parameters (member ids) at DEBUG, and asyncpg may log queries too.
PAYLOAD_LOGGERS = (
    "discord.gateway",
    "discord.http",
    "discord.state",
    "discord.webhook.async_",
    "aiosqlite",
    "asyncpg",
)


def quiet_payload_loggers() -> None:
    """Keep the loggers that print payloads at INFO or above, whatever LOG_LEVEL says."""
    for name in PAYLOAD_LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(max(logging.INFO, logger.getEffectiveLevel()))


def traceback_without_values(error: BaseException) -> str:
    """The traceback of `error` and the exceptions behind it: frames and types, never messages.

    An exception's message can hold a value a member typed (a time zone, a resource name, a
    message), and what is logged is kept; the frames, their code and the types find the bug.
    Discord's HTTP errors keep their status and code, which never hold member text.
    """
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        if current.__cause__ is not None:
            current = current.__cause__
        elif current.__context__ is not None and not current.__suppress_context__:
            current = current.__context__
        else:
            current = None
    parts: list[str] = []
    for exc in reversed(chain):  # the first cause first, as Python prints them
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_list(traceback.extract_tb(exc.__traceback__)))
        parts.append(f"{exception_name(exc)} (message not logged)\n")
    return "".join(parts).rstrip("\n")


def exception_name(error: BaseException) -> str:
    """`module.Type`, plus the HTTP status and Discord error code for Discord's errors."""
    kind = type(error)
    name = kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"
    if isinstance(error, discord.HTTPException):
        name += f" (HTTP {error.status}, code {error.code})"
    return name

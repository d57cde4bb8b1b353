"""Configure logging once, with a filter that keeps the token out of every record."""

from __future__ import annotations

import logging
import sys


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


# discord.py logs whole gateway events and HTTP bodies at DEBUG, message text included.
PAYLOAD_LOGGERS = ("discord.gateway", "discord.http", "discord.state", "discord.webhook.async_")


def quiet_payload_loggers() -> None:
    """Keep the loggers that print payloads at INFO or above, whatever LOG_LEVEL says."""
    for name in PAYLOAD_LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(max(logging.INFO, logger.getEffectiveLevel()))

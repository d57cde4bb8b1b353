"""Errors the emulator answers with, shaped like Discord's JSON errors."""

from __future__ import annotations


class APIError(Exception):
    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


class Refused(Exception):
    """Discord itself would not deliver this command; `reason` is what its client shows."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def unknown(kind: str, code: int) -> APIError:
    return APIError(404, code, f"Unknown {kind}")


def invalid_form(detail: str) -> APIError:
    return APIError(400, 50035, f"Invalid Form Body: {detail}")

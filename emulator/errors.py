"""Errors the emulator answers with, shaped like Discord's JSON errors.

A refused form body is `{"code": 50035, "message": "Invalid Form Body", "errors": {...}}`, where
`errors` mirrors the body: `{"embeds": {"0": {"title": {"_errors": [{"code", "message"}]}}}}`.
"""

from __future__ import annotations

from typing import Any


class APIError(Exception):
    def __init__(self, status: int, code: int, message: str, errors: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors

    def __str__(self) -> str:
        """The message and, for a form error, each field's problem (as discord.py prints them)."""
        details = [f"{path or 'body'}: {message}" for path, _, message in self.field_errors()]
        return "; ".join([self.message, *details])

    def body(self) -> dict[str, Any]:
        data: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.errors:
            data["errors"] = self.errors
        return data

    def field_errors(self) -> list[tuple[str, str, str]]:
        """(path, code, message) for every field error, paths joined with dots (for tests)."""
        found: list[tuple[str, str, str]] = []

        def walk(node: dict[str, Any], path: list[str]) -> None:
            for key, value in node.items():
                if key == "_errors":
                    found.extend((".".join(path), e["code"], e["message"]) for e in value)
                else:
                    walk(value, [*path, key])

        walk(self.errors or {}, [])
        return found


class Refused(Exception):
    """Discord itself would not deliver this command; `reason` is what its client shows."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class FormErrors:
    """Field errors collected while checking a body; `raise_if_any` raises them together, as Discord does."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str, str]] = []

    def add(self, path: str, code: str, message: str) -> None:
        self.items.append((path, code, message))

    def max_length(self, path: str, value: Any, limit: int) -> None:
        if isinstance(value, str) and len(value) > limit:
            self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")

    def length_between(self, path: str, value: Any, low: int, high: int) -> None:
        if not isinstance(value, str) or not low <= len(value) <= high:
            self.add(path, "BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high} in length.")

    def max_items(self, path: str, value: Any, limit: int) -> None:
        if isinstance(value, list) and len(value) > limit:
            self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")

    def required(self, path: str) -> None:
        self.add(path, "BASE_TYPE_REQUIRED", "This field is required")

    def raise_if_any(self) -> None:
        if self.items:
            raise form_error(self.items)


def form_error(items: list[tuple[str, str, str]]) -> APIError:
    """Discord's 50035 with the `errors` tree built from (dotted path, code, message) items."""
    tree: dict[str, Any] = {}
    for path, code, message in items:
        node = tree
        for part in [p for p in path.split(".") if p]:
            node = node.setdefault(part, {})
        node.setdefault("_errors", []).append({"code": code, "message": message})
    return APIError(400, 50035, "Invalid Form Body", tree)


def unknown(kind: str, code: int) -> APIError:
    return APIError(404, code, f"Unknown {kind}")


def invalid_form(detail: str, code: str = "BASE_TYPE_INVALID") -> APIError:
    """One field error, written "path.to.field: what is wrong" (no path: the body as a whole)."""
    path, sep, message = detail.partition(": ")
    if not sep or " " in path:
        path, message = "", detail
    return form_error([(path, code, message)])

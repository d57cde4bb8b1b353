"""The conformance checker itself can fail: it refuses what Discord's description refuses."""

from __future__ import annotations

from typing import Any

from emulator.routes import RecordedRequest
from tests.conformance import conformance

HEADERS = {
    h: "1" for h in ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "X-RateLimit-Reset-After")
}
USER = {
    "id": "1573971296256000000",
    "username": "Lantern",
    "global_name": None,
    "discriminator": "0",
    "avatar": None,
    "public_flags": 0,
    "flags": 0,
    "primary_guild": None,
    "mfa_enabled": False,
    "locale": "en-US",
}


def exchange(method: str, path: str, response: Any, status: int = 200, **extra: Any) -> RecordedRequest:
    return RecordedRequest(
        method=method,
        path=path,
        route="",
        body=extra.pop("body", None),
        status=status,
        at=0.0,
        response=response,
        headers=extra.pop("headers", HEADERS),
        query=extra.pop("query", {}),
    )


def test_a_conforming_exchange_passes() -> None:
    assert conformance().check_request(exchange("GET", "/users/@me", USER)) == []


def test_what_the_description_refuses_is_reported() -> None:
    checker = conformance()
    without_flags = {k: v for k, v in USER.items() if k != "flags"}
    assert any(
        "'flags' is a required property" in p
        for p in checker.check_request(exchange("GET", "/users/@me", without_flags))
    )
    assert checker.check_request(exchange("GET", "/users/@me/nothing", {})) == [
        "GET /users/@me/nothing: not an operation in Discord's description"
    ]
    assert any(
        "query parameter" in p for p in checker.check_request(exchange("GET", "/users/@me", USER, query={"x": "1"}))
    )
    assert any("X-RateLimit" in p for p in checker.check_request(exchange("GET", "/users/@me", USER, headers={})))
    deleted = exchange("DELETE", "/users/@me/guilds/1", {"oops": True}, status=204)
    assert "a 204 with a body" in " ".join(checker.check_request(deleted))
    accepted = exchange("POST", "/users/@me/channels", {}, body={"recipient_id": []})
    assert any("create_dm request" in p for p in checker.check_request(accepted))


def test_gateway_payloads_are_checked_too() -> None:
    problems = conformance().check_event("MESSAGE_CREATE", {"id": "1"})
    assert "gateway MESSAGE_CREATE: (body): 'content' is a required property" in problems

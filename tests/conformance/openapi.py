"""Check recorded REST exchanges and gateway events against Discord's OpenAPI description.

`Conformance.check_request` takes one `RecordedRequest` (what the client sent, what the emulator
answered) and returns the problems: an operation the description lacks, a query parameter it
does not name, a request or response body its schema refuses, a status it does not list, missing
rate-limit headers. `check_event` does the same for a gateway payload whose object the description
defines (a message, a guild, a channel, a thread). Every field seen is counted in `fields`.

Where the description contradicts Discord's documented behaviour, `KNOWN_CONTRADICTIONS` says so
and the check follows the documentation.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_PATH = Path(__file__).with_name("discord-openapi.json")
BASE = "urn:discord-openapi"
RATE_LIMIT_HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "X-RateLimit-Reset-After")

# Places where the description disagrees with Discord's documentation (docs.discord.com), and what
# this check does about each.
KNOWN_CONTRADICTIONS = {
    "content length": "MessageCreateRequest allows 4,000 characters of content; the Message page (and the "
    "API, for bots) allows 2,000. The emulator refuses over 2,000; the schema check is left as written.",
    "default_member_permissions": "ApplicationCommandCreateRequest/UpdateRequest type it as an integer; the "
    "Application Commands page documents a string (of digits). Discord takes both; so does the emulator.",
    "integer snowflakes": "Request schemas type snowflakes as strings (SnowflakeType); Discord's Reference page "
    "accepts integers too, and discord.py sends them (recipient_id, message_reference). Request bodies are "
    "checked with integer snowflakes read as strings.",
    "followup without wait": "execute_webhook lists 204 and 200; with an interaction token Discord answers "
    "200 with the message only when ?wait=true, else 204, as the Webhook page says.",
}

# Gateway events whose `d` is (a superset of) an object the description defines.
EVENT_SCHEMAS = {
    "MESSAGE_CREATE": "MessageResponse",
    "MESSAGE_UPDATE": "MessageResponse",
    "GUILD_CREATE": "GuildResponse",
    "CHANNEL_CREATE": "GuildChannelResponse",
    "CHANNEL_UPDATE": "GuildChannelResponse",
    "THREAD_CREATE": "ThreadResponse",
}


def _absolute(node: Any) -> Any:
    """The same schema with every local $ref made absolute, so any part validates on its own."""
    if isinstance(node, dict):
        return {
            k: (BASE + v if k == "$ref" and isinstance(v, str) and v.startswith("#") else _absolute(v))
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_absolute(v) for v in node]
    return node


@dataclass
class Operation:
    id: str
    method: str
    pattern: re.Pattern[str]
    spec: dict[str, Any]

    def query_names(self) -> set[str]:
        return {p["name"] for p in self.spec.get("parameters", []) if p.get("in") == "query"}


@dataclass(eq=False)
class Conformance:
    spec: dict[str, Any]
    operations: list[Operation] = field(default_factory=list)
    fields: set[tuple[str, str]] = field(default_factory=set)  # (operation or event, JSON path)
    exercised: set[str] = field(default_factory=set)
    checked: int = 0
    _verdicts: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # the same body, checked once

    @classmethod
    def load(cls, path: Path = SPEC_PATH) -> Conformance:
        spec = _absolute(json.loads(path.read_text(encoding="utf-8")))
        self = cls(spec)
        for route, item in spec["paths"].items():
            pattern = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(route)) + "$")
            for method, op in item.items():
                if method in ("get", "put", "post", "patch", "delete"):
                    self.operations.append(Operation(op["operationId"], method.upper(), pattern, op))
        return self

    @property
    def registry(self) -> Registry[Any]:
        return _registry(id(self.spec), self)

    def validator(self, schema: dict[str, Any]) -> Draft202012Validator:
        return _validator(json.dumps(schema, sort_keys=True), self)

    def find(self, method: str, path: str) -> Operation | None:
        return next((op for op in self.operations if op.method == method and op.pattern.match(path)), None)

    # ----- checks ---------------------------------------------------------------------------------
    def _validate(self, where: str, schema: dict[str, Any] | None, instance: Any) -> list[str]:
        if schema is None:
            return []
        self.checked += 1
        key = (json.dumps(schema, sort_keys=True), json.dumps(_canonical(instance), sort_keys=True))
        if key in self._verdicts:
            return self._verdicts[key]
        _collect(where, instance, "", self.fields)
        self._verdicts[key] = self._errors(where, schema, instance)
        return self._verdicts[key]

    def _errors(self, where: str, schema: dict[str, Any], instance: Any) -> list[str]:
        errors = sorted(self.validator(schema).iter_errors(instance), key=lambda e: list(e.absolute_path))
        found = []
        for error in errors[:5]:
            deepest = _deepest(error)
            path = "/".join(map(str, deepest.absolute_path)) or "(body)"
            found.append(f"{where}: {path}: {deepest.message[:200]}")
        return found

    def check_request(self, recorded: Any) -> list[str]:
        path = recorded.path.split("?")[0]
        op = self.find(recorded.method, path)
        if op is None:
            return [f"{recorded.method} {path}: not an operation in Discord's description"]
        self.exercised.add(op.id)
        problems = [
            f"{op.id}: query parameter “{name}” is not in the description"
            for name in recorded.query
            if name not in op.query_names()
        ]
        body = op.spec.get("requestBody", {}).get("content", {})
        # A body the emulator refused (4xx) was refused as Discord would; only accepted ones must conform.
        if recorded.body is not None and recorded.status < 400:
            if not body:
                problems.append(f"{op.id}: sent a body, but the operation takes none")
            else:
                schema = (body.get("application/json") or next(iter(body.values()))).get("schema")
                problems += self._validate(f"{op.id} request", schema, _snowflakes_as_strings(recorded.body))
        responses = op.spec["responses"]
        status = str(recorded.status)
        if status.startswith("5"):
            return problems  # a server error (the fault tests inject) is possible on every route
        answer = responses.get(status) or (responses.get("4XX") if status.startswith("4") else None)
        if answer is None:
            return [*problems, f"{op.id}: status {status} is not one the description lists ({', '.join(responses)})"]
        content = answer.get("content", {})
        if status == "204" and recorded.response is not None:
            problems.append(f"{op.id}: a 204 with a body")
        if content and recorded.response is not None:
            problems += self._validate(
                f"{op.id} response {status}", content["application/json"]["schema"], recorded.response
            )
        elif content and recorded.status < 300:
            problems.append(f"{op.id}: a {status} without the JSON body the description promises")
        if recorded.status != 429 or recorded.headers.get("X-RateLimit-Scope") != "global":
            missing = [h for h in RATE_LIMIT_HEADERS if h not in recorded.headers]
            if missing:
                problems.append(f"{op.id}: answered without {', '.join(missing)}")
        return problems

    def check_event(self, event: str, data: Any) -> list[str]:
        name = EVENT_SCHEMAS.get(event)
        if name is None:
            return []
        self.exercised.add(f"gateway {event}")
        return self._validate(f"gateway {event}", {"$ref": f"{BASE}#/components/schemas/{name}"}, data)

    def check_all(self, requests: Iterable[Any], events: Iterable[dict[str, Any]] = ()) -> list[str]:
        problems: list[str] = []
        for recorded in requests:
            problems += self.check_request(recorded)
        for frame in events:
            problems += self.check_event(frame["t"], frame["d"])
        return problems


@cache
def _registry(_key: int, conformance: Conformance) -> Registry[Any]:
    resource: Resource[Any] = Resource.from_contents(conformance.spec, default_specification=DRAFT202012)
    return Registry().with_resource(BASE, resource)  # type: ignore[return-value]


@cache
def _validator(schema_json: str, conformance: Conformance) -> Draft202012Validator:
    return Draft202012Validator(json.loads(schema_json), registry=conformance.registry)


SNOWFLAKE = re.compile(r"^[0-9]{15,20}$")
FREE_TEXT = {"content", "description", "title", "text", "label", "placeholder", "username", "global_name"}


def _canonical(node: Any, key: str = "", parent: str = "") -> Any:
    """The instance with what cannot change its verdict made the same: every snowflake, and the
    letters of free text (its length kept, for maxLength; the description puts no pattern or enum
    on such fields): content, titles, labels, user names, embed field names and values. Bodies that
    differ only there share one verdict (the suite sends thousands)."""
    if isinstance(node, dict):
        return {k: _canonical(v, k, key) for k, v in node.items()}
    if isinstance(node, list):
        return [_canonical(v, key, parent) for v in node]
    if isinstance(node, str) and SNOWFLAKE.match(node):
        return "1" * 18
    if isinstance(node, str) and (key in FREE_TEXT or (parent == "fields" and key in ("name", "value"))):
        return "x" * len(node)
    return node


def _deepest(error: Any) -> Any:
    """The most telling cause of a oneOf/anyOf failure: within the branch whose `type` (or `kind`)
    const/enum matched, the deepest error; else jsonschema's best match."""
    if not error.context:
        return error
    branches: dict[int, list[Any]] = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    matching = [
        subs
        for subs in branches.values()
        if not any(
            s.validator in ("enum", "const") and list(s.relative_path)[-1:] in (["type"], ["kind"]) for s in subs
        )
    ]
    if len(matching) == 1:
        return _deepest(max(matching[0], key=lambda s: len(s.absolute_path)))
    return best_match(error.context)


def _collect(where: str, node: Any, path: str, into: set[tuple[str, str]]) -> None:
    """Every JSON path present in a body (list items as []), so the report can count fields checked."""
    if isinstance(node, dict):
        for key, value in node.items():
            child = f"{path}.{key}" if path else key
            into.add((where.split(" ")[0] + (" request" if "request" in where else ""), child))
            _collect(where, value, child, into)
    elif isinstance(node, list):
        for value in node:
            _collect(where, value, f"{path}[]", into)


def _snowflakes_as_strings(node: Any, key: str = "") -> Any:
    """Integers where Discord reads a snowflake (any `id`/`…_id`, id lists, large numbers), as strings
    (see KNOWN_CONTRADICTIONS)."""
    if isinstance(node, dict):
        return {k: _snowflakes_as_strings(v, k) for k, v in node.items()}
    if isinstance(node, list):
        return [_snowflakes_as_strings(v, key) for v in node]
    is_id = key == "id" or key.endswith("_id") or key in ("users", "roles")
    if isinstance(node, int) and not isinstance(node, bool) and (is_id or node >= 1 << 32):
        return str(node)
    return node

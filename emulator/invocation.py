"""Turn `/name [group] [sub] [option:value …]` into interaction data, refusing what Discord would."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from emulator.errors import Refused

SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER = 3, 4, 5, 6, 7, 8, 9, 10
TYPE_NAMES = {
    STRING: "text",
    INTEGER: "whole number",
    BOOLEAN: "true or false",
    USER: "member",
    CHANNEL: "channel",
    ROLE: "role",
    MENTIONABLE: "member or role",
    NUMBER: "number",
}


class ScriptError(ValueError):
    """The line itself is malformed (not something Discord would refuse)."""


def split_words(line: str) -> list[str]:
    """Split on spaces, keeping double-quoted stretches (with \\" escapes) together, quotes removed."""
    words: list[str] = []
    current: list[str] = []
    in_quotes = False
    started = False
    index = 0
    while index < len(line):
        char = line[index]
        if char == "\\" and index + 1 < len(line) and line[index + 1] == '"':
            current.append('"')
            started = True
            index += 2
            continue
        if char == '"':
            in_quotes = not in_quotes
            started = True
        elif char.isspace() and not in_quotes:
            if started:
                words.append("".join(current))
                current, started = [], False
        else:
            current.append(char)
            started = True
        index += 1
    if in_quotes:
        raise ScriptError("a double quote is not closed")
    if started:
        words.append("".join(current))
    return words


@dataclass
class Invocation:
    """A parsed slash command line, before it is checked against the synced commands."""

    path: list[str]
    options: dict[str, str]
    focused: str | None = None


def parse_command_line(line: str) -> Invocation:
    if not line.startswith("/"):
        raise ScriptError("a command starts with /")
    words = split_words(line[1:])
    if not words or not words[0]:
        raise ScriptError("a command needs a name after /")
    path: list[str] = []
    options: dict[str, str] = {}
    for word in words:
        if ":" in word and not word.startswith(("#", "@")):
            name, value = word.split(":", 1)
            if not name:
                raise ScriptError(f"“{word}” has no option name before the colon")
            options[name] = value
        elif options:
            raise ScriptError(f"“{word}” comes after the options; write it as name:value")
        else:
            path.append(word)
    return Invocation(path=path, options=options)


@dataclass
class Resolver:
    """Finds members, channels and roles by name for `@name` / `#name` values."""

    member: Callable[[str], Any]
    channel: Callable[[str], Any]
    role: Callable[[str], Any]
    resolved: dict[str, dict[str, Any]] = field(default_factory=dict)
    channel_permissions: Callable[[Any], int] | None = None  # the invoking member's, in a channel


def _choice_names(option: dict[str, Any]) -> str:
    return ", ".join(str(c["value"]) for c in option["choices"])


def convert_value(option: dict[str, Any], raw: str, resolver: Resolver, *, focused: bool = False) -> Any:
    """The value Discord would put in the interaction for this option, or Refused."""
    kind = option["type"]
    name = option["name"]
    if focused:
        return raw
    if kind == STRING:
        value: Any = raw
        if len(raw) < option.get("min_length", 0) or len(raw) > option.get("max_length", 6000):
            raise Refused(
                f"“{name}” must be between {option.get('min_length', 0)} and "
                f"{option.get('max_length', 6000)} characters long."
            )
    elif kind in (INTEGER, NUMBER):
        try:
            value = int(raw) if kind == INTEGER else float(raw)
        except ValueError:
            raise Refused(f"“{raw}” is not a valid {TYPE_NAMES[kind]} for “{name}”.") from None
        low, high = option.get("min_value"), option.get("max_value")
        if (low is not None and value < low) or (high is not None and value > high):
            raise Refused(f"“{name}” must be between {low} and {high}.")
    elif kind == BOOLEAN:
        lowered = raw.lower()
        if lowered not in ("true", "false", "yes", "no"):
            raise Refused(f"“{name}” must be true or false.")
        value = lowered in ("true", "yes")
    elif kind == USER or (kind == MENTIONABLE and not raw.startswith("@&")):
        member = resolver.member(raw.removeprefix("@"))
        if member is None:
            raise Refused(f"No member called “{raw.removeprefix('@')}” for “{name}”.")
        resolver.resolved.setdefault("users", {})[str(member.id)] = member.user.payload()
        resolver.resolved.setdefault("members", {})[str(member.id)] = {
            **member.payload(with_user=False),
            "permissions": "0",
        }
        value = str(member.id)
    elif kind == CHANNEL:
        channel = resolver.channel(raw.removeprefix("#"))
        if channel is None:
            raise Refused(f"No channel called “{raw.removeprefix('#')}” for “{name}”.")
        allowed = option.get("channel_types")
        if allowed and channel.type not in allowed:
            raise Refused(f"#{channel.name} is not a channel of the kind “{name}” takes.")
        resolver.resolved.setdefault("channels", {})[str(channel.id)] = {
            **channel.payload(),
            "permissions": str(resolver.channel_permissions(channel) if resolver.channel_permissions else 0),
        }
        value = str(channel.id)
    elif kind in (ROLE, MENTIONABLE):
        role = resolver.role(raw.removeprefix("@&").removeprefix("@"))
        if role is None:
            raise Refused(f"No role called “{raw}” for “{name}”.")
        resolver.resolved.setdefault("roles", {})[str(role.id)] = role.payload()
        value = str(role.id)
    else:
        raise Refused(f"The option “{name}” has a type the emulator does not support ({kind}).")
    choices = option.get("choices")
    if choices and value not in [c["value"] for c in choices]:
        raise Refused(f"“{raw}” is not one of the choices for “{name}”: {_choice_names(option)}.")
    return value


def build_command_data(
    command: dict[str, Any], invocation: Invocation, resolver: Resolver
) -> tuple[dict[str, Any], str]:
    """Interaction `data` for a chat-input command, and its full name; Refused where Discord would."""
    words = list(invocation.path)
    top = words.pop(0)
    full = [top]
    options_spec: list[dict[str, Any]] = command.get("options") or []
    wrapper: list[dict[str, Any]] = []
    container = wrapper
    while options_spec and options_spec[0]["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP):
        names = [o["name"] for o in options_spec]
        if not words:
            raise Refused(f"/{' '.join(full)} needs one of: {', '.join(names)}.")
        word = words.pop(0)
        sub = next((o for o in options_spec if o["name"] == word), None)
        if sub is None:
            raise Refused(f"/{' '.join(full)} has no subcommand “{word}”. It has: {', '.join(names)}.")
        full.append(word)
        node: dict[str, Any] = {"type": sub["type"], "name": sub["name"], "options": []}
        container.append(node)
        container = node["options"]
        options_spec = sub.get("options") or []
    if words:
        raise Refused(f"/{' '.join(full)} has no subcommand “{words[0]}”.")
    by_name = {o["name"]: o for o in options_spec}
    label = "/" + " ".join(full)
    for name in invocation.options:
        if name not in by_name:
            known = ", ".join(by_name) or "none"
            raise Refused(f"{label} has no option “{name}”. Its options: {known}.")
    for option in options_spec:
        # While typing (autocomplete), Discord sends whatever is filled in so far.
        if option.get("required") and option["name"] not in invocation.options and invocation.focused is None:
            raise Refused(f"{label} needs a value for “{option['name']}”.")
    for name, raw in invocation.options.items():
        focused = name == invocation.focused
        if focused and not by_name[name].get("autocomplete"):
            raise Refused(f"“{name}” of {label} has no suggestions.")
        item: dict[str, Any] = {
            "name": name,
            "type": by_name[name]["type"],
            "value": convert_value(by_name[name], raw, resolver, focused=focused),
        }
        if focused:
            item["focused"] = True
        container.append(item)
    data: dict[str, Any] = {
        "id": command["id"],
        "name": command["name"],
        "type": 1,
        "options": wrapper,
    }
    if command.get("guild_id"):
        data["guild_id"] = command["guild_id"]
    if resolver.resolved:
        data["resolved"] = resolver.resolved
    return data, label

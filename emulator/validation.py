"""Discord's documented limits on what a bot may send and register, checked like Discord does."""

from __future__ import annotations

import re
from typing import Any

from emulator.errors import APIError, invalid_form

COMMAND_NAME = re.compile(r"^[-_\w]{1,32}$")


def check_message_body(body: dict[str, Any]) -> None:
    content = body.get("content") or ""
    embeds = body.get("embeds") or []
    components = body.get("components") or []
    if len(content) > 2000:
        raise invalid_form("content: Must be 2000 or fewer in length.")
    if len(embeds) > 10:
        raise invalid_form("embeds: Must be 10 or fewer in length.")
    total = 0
    for index, embed in enumerate(embeds):
        limits = {"title": 256, "description": 4096}
        for key, limit in limits.items():
            value = embed.get(key) or ""
            total += len(value)
            if len(value) > limit:
                raise invalid_form(f"embeds.{index}.{key}: Must be {limit} or fewer in length.")
        fields = embed.get("fields") or []
        if len(fields) > 25:
            raise invalid_form(f"embeds.{index}.fields: Must be 25 or fewer in length.")
        for f_index, fld in enumerate(fields):
            name, value = fld.get("name") or "", fld.get("value") or ""
            if not name or not value:
                raise invalid_form(f"embeds.{index}.fields.{f_index}: name and value are required.")
            if len(name) > 256 or len(value) > 1024:
                raise invalid_form(f"embeds.{index}.fields.{f_index}: name ≤ 256, value ≤ 1024.")
            total += len(name) + len(value)
        footer = (embed.get("footer") or {}).get("text") or ""
        if len(footer) > 2048:
            raise invalid_form(f"embeds.{index}.footer.text: Must be 2048 or fewer in length.")
        total += len(footer)
    if total > 6000:
        raise invalid_form("embeds: the total size of all embeds must be 6000 or fewer characters.")
    if len(components) > 5 and not (int(body.get("flags") or 0) & (1 << 15)):
        raise invalid_form("components: Must be 5 or fewer in length.")
    for row in components:
        for item in row.get("components", []):
            if item.get("type") == 2:
                label = item.get("label") or ""
                if len(label) > 80:
                    raise invalid_form("components: a button label must be 80 or fewer in length.")
                if item.get("style") != 5 and not item.get("custom_id"):
                    raise invalid_form("components: a button needs a custom_id.")
                if len(item.get("custom_id") or "") > 100:
                    raise invalid_form("components: custom_id must be 100 or fewer in length.")
    if not content and not embeds and not components and not body.get("poll") and not body.get("attachments"):
        raise APIError(400, 50006, "Cannot send an empty message")


def check_command(command: dict[str, Any]) -> None:
    name = command.get("name", "")
    if not COMMAND_NAME.match(name) or name != name.lower():
        raise invalid_form(f"name: “{name}” is not a valid command name.")
    if command.get("type", 1) == 1 and not 1 <= len(command.get("description", "")) <= 100:
        raise invalid_form(f"{name}.description: Must be between 1 and 100 in length.")
    _check_options(name, command.get("options") or [])


def _check_options(path: str, options: list[dict[str, Any]]) -> None:
    if len(options) > 25:
        raise invalid_form(f"{path}.options: Must be 25 or fewer in length.")
    seen_optional = False
    names: set[str] = set()
    for option in options:
        name = option.get("name", "")
        if not COMMAND_NAME.match(name) or name != name.lower():
            raise invalid_form(f"{path}.{name}: invalid option name.")
        if name in names:
            raise invalid_form(f"{path}.{name}: duplicate option name.")
        names.add(name)
        if not 1 <= len(option.get("description", "")) <= 100:
            raise invalid_form(f"{path}.{name}.description: Must be between 1 and 100 in length.")
        if option.get("type") in (1, 2):
            _check_options(f"{path}.{name}", option.get("options") or [])
            continue
        if option.get("required"):
            if seen_optional:
                raise invalid_form(f"{path}.{name}: required options must be placed before optional options.")
        else:
            seen_optional = True
        if len(option.get("choices") or []) > 25:
            raise invalid_form(f"{path}.{name}.choices: Must be 25 or fewer in length.")

"""Reading what a member types into the sandbox's menus and forms: which menu a `:select` names,
and the `FIELD:"value"` words of a `:submit`."""

from __future__ import annotations

from typing import Any

from emulator.invocation import ScriptError
from emulator.routes.modals import PARAGRAPH, ModalField, find_field


def describe_field(found: ModalField) -> dict[str, Any]:
    return {
        "label": found.label,
        "custom_id": found.custom_id,
        "style": "paragraph" if found.style == PARAGRAPH else "short",
        "required": found.required,
        "min": found.min_length,
        "max": found.max_length,
        "placeholder": found.placeholder,
    }


def field_values(words: list[str], fields: list[ModalField]) -> dict[str, str]:
    """`name:value` words to {field custom_id: value}; a name with spaces may be written unquoted
    (`Your letter:"…"`): words that name no field yet are joined to the next."""
    values: dict[str, str] = {}
    pending = ""
    for word in words:
        candidate = f"{pending} {word}" if pending else word
        named = named_field(candidate, fields)
        if named is None:
            pending = candidate
            continue
        found, value = named
        values[found.custom_id] = value
        pending = ""
    if pending:
        offered = ", ".join(f.label for f in fields)
        raise ScriptError(f'“{pending}” is not FIELD:"text" for this form; its fields: {offered}')
    return values


def named_field(word: str, fields: list[ModalField]) -> tuple[ModalField, str] | None:
    """The field a `name:value` word names and its value; the name may hold colons (`probe:note:hi`)."""
    start = 0
    while (colon := word.find(":", start)) != -1:
        found = find_field(fields, word[:colon].strip())
        if found is not None:
            return found, word[colon + 1 :]
        start = colon + 1
    return None


def menu_words(words: list[str], menu: dict[str, Any]) -> int | None:
    """How many leading words name `menu` (its placeholder, any case, or its custom_id); None if none do."""
    names = {" ".join((menu.get("placeholder") or "").split()).casefold(), str(menu.get("custom_id")).casefold()}
    for count in range(len(words), 0, -1):
        if " ".join(" ".join(words[:count]).split()).casefold() in names - {""}:
            return count
    return None

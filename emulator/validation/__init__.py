"""Discord's checks on what a bot sends and registers, with Discord's error codes and `errors` tree.

Every body the emulator accepts passes through here: messages (create, edit, follow-ups and
interaction responses) with their embeds and allowed_mentions (this module), components and
modals (`components`), application commands and autocomplete results (`commands`). The numbers
come from `limits.Limits`.
"""

from __future__ import annotations

from typing import Any

from emulator.errors import APIError, FormErrors
from emulator.limits import Limits
from emulator.validation.commands import check_autocomplete_result, check_command, check_commands
from emulator.validation.common import COMPONENTS_V2_FLAG, DEFAULT_LIMITS, check_string, is_timestamp, is_url
from emulator.validation.components import check_components

__all__ = [
    "DEFAULT_LIMITS",
    "check_autocomplete_result",
    "check_command",
    "check_commands",
    "check_components",
    "check_message_body",
    "check_nonce",
]


# ----- messages ------------------------------------------------------------------------------------
def check_message_body(body: dict[str, Any], limits: Limits = DEFAULT_LIMITS, *, files: int = 0) -> None:
    """A message as create/edit/follow-up/response sends it (the merged result, for an edit)."""
    errors = FormErrors()
    content = body.get("content")
    if check_string(errors, "content", content):
        errors.max_length("content", content, limits.content)
    check_nonce(errors, body.get("nonce"), limits)
    flags = int(body.get("flags") or 0)
    v2 = bool(flags & COMPONENTS_V2_FLAG)
    embeds = body.get("embeds") or []
    errors.max_items("embeds", embeds, limits.embeds)
    if v2 and (content or embeds):
        errors.add("content", "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2", "Cannot use with Components V2")
    total = 0
    for index, embed in enumerate(embeds if isinstance(embeds, list) else []):
        total += _check_embed(errors, f"embeds.{index}", embed, limits)
    if total > limits.embed_total:
        errors.add("embeds", "MAX_EMBED_SIZE_EXCEEDED", f"Embed size exceeds maximum size of {limits.embed_total}")
    _check_allowed_mentions(errors, body.get("allowed_mentions"), limits)
    components = body.get("components") or []
    check_components(errors, components, limits, v2=v2)
    errors.raise_if_any()
    has_files = files > 0 or bool(body.get("attachments"))
    filled = content or embeds or components or body.get("poll") or body.get("sticker_ids") or has_files
    if not filled:
        raise APIError(400, 50006, "Cannot send an empty message")


def check_nonce(errors: FormErrors, nonce: Any, limits: Limits = DEFAULT_LIMITS) -> None:
    """A nonce is a string of up to 25 characters or a 64-bit integer."""
    if nonce is None:
        return
    if isinstance(nonce, bool) or not isinstance(nonce, str | int):
        errors.add("nonce", "BASE_TYPE_INVALID", "This field must be a string or integer.")
    elif isinstance(nonce, int) and not -(2**63) <= nonce < 2**63:
        errors.add("nonce", "NUMBER_TYPE_MAX", "Must be a 64-bit integer.")
    elif isinstance(nonce, str):
        errors.max_length("nonce", nonce, limits.nonce)


def _check_embed(errors: FormErrors, path: str, embed: Any, limits: Limits) -> int:
    """Field checks for one embed; returns the characters it counts towards the 6,000 total."""
    if not isinstance(embed, dict):
        errors.add(path, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
        return 0
    size = 0
    for key, limit in (("title", limits.embed_title), ("description", limits.embed_description)):
        value = embed.get(key)
        if check_string(errors, f"{path}.{key}", value) and value:
            errors.max_length(f"{path}.{key}", value, limit)
            size += len(value)
    if "url" in embed and embed["url"] is not None and not is_url(embed["url"]):
        errors.add(f"{path}.url", "URL_TYPE_INVALID_URL", "Not a well formed URL.")
    if "timestamp" in embed and embed["timestamp"] is not None and not is_timestamp(embed["timestamp"]):
        errors.add(f"{path}.timestamp", "DATE_TIME_TYPE_PARSE", "Could not parse the timestamp. Should be ISO8601.")
    colour = embed.get("color")
    if colour is not None and (not isinstance(colour, int) or isinstance(colour, bool) or not 0 <= colour <= 0xFFFFFF):
        errors.add(f"{path}.color", "NUMBER_TYPE_MAX", "int value should be less than or equal to 16777215.")
    author = embed.get("author")
    if isinstance(author, dict):
        size += _required_text(errors, f"{path}.author.name", author.get("name"), limits.embed_author_name)
        if author.get("url") is not None and not is_url(author["url"]):
            errors.add(f"{path}.author.url", "URL_TYPE_INVALID_URL", "Not a well formed URL.")
    for key in ("image", "thumbnail"):
        media = embed.get(key)
        if isinstance(media, dict) and not is_url(media.get("url"), attachment=True):
            errors.add(f"{path}.{key}.url", "URL_TYPE_INVALID_URL", "Scheme must be one of ('http', 'https').")
    footer = embed.get("footer")
    if isinstance(footer, dict):
        size += _required_text(errors, f"{path}.footer.text", footer.get("text"), limits.embed_footer_text)
    fields = embed.get("fields") or []
    errors.max_items(f"{path}.fields", fields, limits.embed_fields)
    for index, fld in enumerate(fields if isinstance(fields, list) else []):
        where = f"{path}.fields.{index}"
        for key, limit in (("name", limits.embed_field_name), ("value", limits.embed_field_value)):
            value = fld.get(key) if isinstance(fld, dict) else None
            if not value:
                errors.required(f"{where}.{key}")
            elif check_string(errors, f"{where}.{key}", value):
                errors.max_length(f"{where}.{key}", value, limit)
                size += len(value)
    return size


def _required_text(errors: FormErrors, path: str, value: Any, limit: int) -> int:
    """A text the embed part needs, within its limit; returns what it adds to the embed's total."""
    if not value:
        errors.required(path)
        return 0
    if check_string(errors, path, value):
        errors.max_length(path, value, limit)
        return len(value)
    return 0


def _check_allowed_mentions(errors: FormErrors, allowed: Any, limits: Limits) -> None:
    if allowed is None:
        return
    if not isinstance(allowed, dict):
        errors.add("allowed_mentions", "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
        return
    parse = allowed.get("parse") or []
    for index, kind in enumerate(parse):
        if kind not in ("roles", "users", "everyone"):
            errors.add(
                f"allowed_mentions.parse.{index}",
                "BASE_TYPE_CHOICES",
                "Value must be one of {'roles', 'users', 'everyone'}.",
            )
    for kind in ("users", "roles"):
        ids = allowed.get(kind) or []
        errors.max_items(f"allowed_mentions.{kind}", ids, limits.allowed_mentions_ids)
        if ids and kind in parse:
            errors.add(
                "allowed_mentions.parse",
                "ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                f'parse:["{kind}"] and {kind}: [ids...] are mutually exclusive.',
            )

"""Discord's checks on what a bot sends and registers, with Discord's error codes and `errors` tree.

Every body the emulator accepts passes through here: messages (create, edit, follow-ups and
interaction responses), components, embeds, allowed_mentions, modals, autocomplete results and
application commands. The numbers come from `limits.Limits`.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from emulator.errors import APIError, FormErrors
from emulator.limits import Limits

DEFAULT_LIMITS = Limits()
COMMAND_NAME = re.compile(r"^[-_'\w]{1,32}$")
COMPONENTS_V2_FLAG = 1 << 15
# Component types.
ACTION_ROW, BUTTON, STRING_SELECT, TEXT_INPUT = 1, 2, 3, 4
AUTO_SELECTS = (5, 6, 7, 8)  # user, role, mentionable, channel selects
SECTION, TEXT_DISPLAY, THUMBNAIL, MEDIA_GALLERY, FILE, SEPARATOR, CONTAINER, LABEL = 9, 10, 11, 12, 13, 14, 17, 18
V2_TYPES = {SECTION, TEXT_DISPLAY, THUMBNAIL, MEDIA_GALLERY, FILE, SEPARATOR, CONTAINER}
LINK_STYLE, PREMIUM_STYLE = 5, 6
# Application command option types.
SUB_COMMAND, SUB_COMMAND_GROUP, STRING, INTEGER, NUMBER = 1, 2, 3, 4, 10


def _is_url(value: Any, *, attachment: bool = False) -> bool:
    if not isinstance(value, str):
        return False
    parts = urlsplit(value)
    if attachment and parts.scheme == "attachment":
        return bool(parts.netloc or parts.path)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _is_timestamp(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _string(errors: FormErrors, path: str, value: Any) -> bool:
    if value is not None and not isinstance(value, str):
        errors.add(path, "BASE_TYPE_STRING", "Must be a string.")
        return False
    return True


# ----- messages ------------------------------------------------------------------------------------
def check_message_body(body: dict[str, Any], limits: Limits = DEFAULT_LIMITS, *, files: int = 0) -> None:
    """A message as create/edit/follow-up/response sends it (the merged result, for an edit)."""
    errors = FormErrors()
    content = body.get("content")
    if _string(errors, "content", content):
        errors.max_length("content", content, limits.content)
    nonce = body.get("nonce")
    if nonce is not None and not (
        (isinstance(nonce, int) and not isinstance(nonce, bool))
        or (isinstance(nonce, str) and len(nonce) <= limits.nonce)
    ):
        errors.add("nonce", "BASE_TYPE_BAD_LENGTH", f"Must be an integer or a string of at most {limits.nonce}.")
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


def _check_embed(errors: FormErrors, path: str, embed: Any, limits: Limits) -> int:
    """Field checks for one embed; returns the characters it counts towards the 6,000 total."""
    if not isinstance(embed, dict):
        errors.add(path, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
        return 0
    size = 0
    for key, limit in (("title", limits.embed_title), ("description", limits.embed_description)):
        value = embed.get(key)
        if _string(errors, f"{path}.{key}", value) and value:
            errors.max_length(f"{path}.{key}", value, limit)
            size += len(value)
    if "url" in embed and embed["url"] is not None and not _is_url(embed["url"]):
        errors.add(f"{path}.url", "URL_TYPE_INVALID_URL", "Not a well formed URL.")
    if "timestamp" in embed and embed["timestamp"] is not None and not _is_timestamp(embed["timestamp"]):
        errors.add(f"{path}.timestamp", "DATE_TIME_TYPE_PARSE", "Could not parse the timestamp. Should be ISO8601.")
    colour = embed.get("color")
    if colour is not None and (not isinstance(colour, int) or isinstance(colour, bool) or not 0 <= colour <= 0xFFFFFF):
        errors.add(f"{path}.color", "NUMBER_TYPE_MAX", "int value should be less than or equal to 16777215.")
    author = embed.get("author")
    if isinstance(author, dict):
        name = author.get("name")
        if not name:
            errors.required(f"{path}.author.name")
        elif _string(errors, f"{path}.author.name", name):
            errors.max_length(f"{path}.author.name", name, limits.embed_author_name)
            size += len(name)
        if author.get("url") is not None and not _is_url(author["url"]):
            errors.add(f"{path}.author.url", "URL_TYPE_INVALID_URL", "Not a well formed URL.")
    for key in ("image", "thumbnail"):
        media = embed.get(key)
        if isinstance(media, dict) and not _is_url(media.get("url"), attachment=True):
            errors.add(f"{path}.{key}.url", "URL_TYPE_INVALID_URL", "Scheme must be one of ('http', 'https').")
    footer = embed.get("footer")
    if isinstance(footer, dict):
        text = footer.get("text")
        if not text:
            errors.required(f"{path}.footer.text")
        elif _string(errors, f"{path}.footer.text", text):
            errors.max_length(f"{path}.footer.text", text, limits.embed_footer_text)
            size += len(text)
    fields = embed.get("fields") or []
    errors.max_items(f"{path}.fields", fields, limits.embed_fields)
    for index, fld in enumerate(fields if isinstance(fields, list) else []):
        where = f"{path}.fields.{index}"
        for key, limit in (("name", limits.embed_field_name), ("value", limits.embed_field_value)):
            value = fld.get(key) if isinstance(fld, dict) else None
            if not value:
                errors.required(f"{where}.{key}")
            elif _string(errors, f"{where}.{key}", value):
                errors.max_length(f"{where}.{key}", value, limit)
                size += len(value)
    return size


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


# ----- components -------------------------------------------------------------------------------------
def check_components(errors: FormErrors, components: Any, limits: Limits, *, v2: bool = False) -> None:
    """Message components: legacy action rows, or Components V2 layouts when the flag is set."""
    if not isinstance(components, list):
        errors.add("components", "BASE_TYPE_ARRAY", "Must be an array.")
        return
    if not v2:
        errors.max_items("components", components, limits.action_rows)
    custom_ids: dict[str, str] = {}
    count = _walk_components(errors, "components", components, limits, custom_ids, v2=v2, top=True)
    if v2 and count > limits.components_v2_total:
        errors.add(
            "components", "COMPONENT_MAX_TOTAL_EXCEEDED", f"Must be {limits.components_v2_total} or fewer in total."
        )


def _walk_components(
    errors: FormErrors,
    path: str,
    items: list[Any],
    limits: Limits,
    custom_ids: dict[str, str],
    *,
    v2: bool,
    top: bool,
) -> int:
    count = 0
    for index, item in enumerate(items):
        where = f"{path}.{index}"
        if not isinstance(item, dict):
            errors.add(where, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
            continue
        count += 1
        kind = item.get("type")
        if top and not v2 and kind != ACTION_ROW:
            errors.add(f"{where}.type", "UNION_TYPE_CHOICES", 'Value of field "type" must be one of (1,).')
            continue
        if kind == ACTION_ROW:
            count += _check_action_row(errors, where, item, limits, custom_ids)
        elif kind in (SECTION, CONTAINER) and v2:
            inner = item.get("components") or []
            count += _walk_components(errors, f"{where}.components", inner, limits, custom_ids, v2=v2, top=False)
            accessory = item.get("accessory")
            if isinstance(accessory, dict):
                count += 1
                if accessory.get("type") == BUTTON:
                    _check_button(errors, f"{where}.accessory", accessory, limits, custom_ids)
        elif kind in V2_TYPES and v2:
            continue
        else:
            errors.add(f"{where}.type", "COMPONENT_TYPE_INVALID", "Invalid component type here.")
    return count


def _check_action_row(
    errors: FormErrors, path: str, row: dict[str, Any], limits: Limits, custom_ids: dict[str, str]
) -> int:
    inner = row.get("components") or []
    if not inner:
        errors.add(f"{path}.components", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.")
        return 0
    kinds = [c.get("type") if isinstance(c, dict) else None for c in inner]
    selects = [k for k in kinds if k == STRING_SELECT or k in AUTO_SELECTS]
    if selects and len(inner) > 1:
        errors.add(
            f"{path}.components", "COMPONENT_LAYOUT_WIDTH_EXCEEDED", "The specified component exceeds the maximum width"
        )
    elif len(inner) > limits.buttons_per_row:
        errors.add(
            f"{path}.components", "BASE_TYPE_BAD_LENGTH", f"Must be between 1 and {limits.buttons_per_row} in length."
        )
    for index, item in enumerate(inner):
        where = f"{path}.components.{index}"
        if not isinstance(item, dict):
            continue
        if item.get("type") == BUTTON:
            _check_button(errors, where, item, limits, custom_ids)
        elif item.get("type") == STRING_SELECT or item.get("type") in AUTO_SELECTS:
            _check_select(errors, where, item, limits, custom_ids)
        else:
            errors.add(f"{where}.type", "COMPONENT_TYPE_INVALID", "Invalid component type in an action row.")
    return len(inner)


def _check_custom_id(errors: FormErrors, path: str, item: dict[str, Any], limits: Limits, seen: dict[str, str]) -> None:
    custom_id = item.get("custom_id")
    if not custom_id:
        errors.required(f"{path}.custom_id")
        return
    if _string(errors, f"{path}.custom_id", custom_id):
        errors.max_length(f"{path}.custom_id", custom_id, limits.custom_id)
        if custom_id in seen:
            errors.add(
                f"{path}.custom_id", "COMPONENT_CUSTOM_ID_DUPLICATED", "Component custom id cannot be duplicated"
            )
        seen[custom_id] = path


def _check_button(errors: FormErrors, path: str, button: dict[str, Any], limits: Limits, seen: dict[str, str]) -> None:
    style = button.get("style")
    if style not in (1, 2, 3, 4, 5, 6):
        errors.add(f"{path}.style", "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3, 4, 5, 6}.")
    label = button.get("label")
    if _string(errors, f"{path}.label", label):
        errors.max_length(f"{path}.label", label, limits.button_label)
    if style == LINK_STYLE:
        if not button.get("url"):
            errors.add(f"{path}.url", "BUTTON_COMPONENT_URL_REQUIRED", "A url is required")
        elif not _is_url(button["url"]):
            errors.add(f"{path}.url", "URL_TYPE_INVALID_URL", "Not a well formed URL.")
        if button.get("custom_id") is not None:
            errors.add(f"{path}.custom_id", "BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED", "A custom id cannot be specified")
    elif style == PREMIUM_STYLE:
        if not button.get("sku_id"):
            errors.required(f"{path}.sku_id")
    else:
        _check_custom_id(errors, path, button, limits, seen)
        if button.get("url") is not None:
            errors.add(f"{path}.url", "BUTTON_COMPONENT_URL_NOT_ALLOWED", "A url cannot be specified")
    if style != PREMIUM_STYLE and not label and not button.get("emoji"):
        errors.add(path, "BUTTON_COMPONENT_LABEL_OR_EMOJI_REQUIRED", "A label or emoji is required")


def _check_select(errors: FormErrors, path: str, select: dict[str, Any], limits: Limits, seen: dict[str, str]) -> None:
    _check_custom_id(errors, path, select, limits, seen)
    placeholder = select.get("placeholder")
    if _string(errors, f"{path}.placeholder", placeholder):
        errors.max_length(f"{path}.placeholder", placeholder, limits.select_placeholder)
    low, high = select.get("min_values", 1), select.get("max_values", 1)
    if not isinstance(low, int) or not 0 <= low <= limits.select_max_values:
        errors.add(f"{path}.min_values", "NUMBER_TYPE_MAX", f"Must be between 0 and {limits.select_max_values}.")
    if not isinstance(high, int) or not 1 <= high <= limits.select_max_values:
        errors.add(f"{path}.max_values", "NUMBER_TYPE_MAX", f"Must be between 1 and {limits.select_max_values}.")
    elif isinstance(low, int) and low > high:
        errors.add(
            f"{path}.min_values", "SELECT_COMPONENT_MIN_GREATER_THAN_MAX", "min_values cannot exceed max_values."
        )
    if select.get("type") != STRING_SELECT:
        return
    options = select.get("options") or []
    if not isinstance(options, list) or not 1 <= len(options) <= limits.select_options:
        errors.add(
            f"{path}.options", "BASE_TYPE_BAD_LENGTH", f"Must be between 1 and {limits.select_options} in length."
        )
        return
    values: set[str] = set()
    for index, option in enumerate(options):
        where = f"{path}.options.{index}"
        for key, limit in (
            ("label", limits.select_option_label),
            ("value", limits.select_option_value),
            ("description", limits.select_option_description),
        ):
            value = option.get(key)
            if key != "description" and not value:
                errors.required(f"{where}.{key}")
            elif _string(errors, f"{where}.{key}", value):
                errors.max_length(f"{where}.{key}", value, limit)
        if option.get("value") in values:
            errors.add(f"{where}.value", "SELECT_COMPONENT_OPTION_VALUE_DUPLICATED", "Option values must be unique")
        values.add(option.get("value"))
    if isinstance(high, int) and high > len(options):
        errors.add(
            f"{path}.max_values",
            "SELECT_COMPONENT_MAX_VALUES_EXCEEDS_OPTIONS",
            "max_values exceeds the number of options.",
        )


# ----- interaction responses --------------------------------------------------------------------------
def check_modal(data: Any, limits: Limits = DEFAULT_LIMITS) -> None:
    """A modal (callback type 9): a title, a custom_id and 1–5 text inputs (in rows or labels)."""
    errors = FormErrors()
    if not isinstance(data, dict):
        errors.required("data")
        errors.raise_if_any()
        return
    for key, limit in (("custom_id", limits.custom_id), ("title", limits.modal_title)):
        if not data.get(key):
            errors.required(f"data.{key}")
        elif _string(errors, f"data.{key}", data[key]):
            errors.max_length(f"data.{key}", data[key], limit)
    components = data.get("components") or []
    if not isinstance(components, list) or not 1 <= len(components) <= limits.modal_components:
        errors.add(
            "data.components", "BASE_TYPE_BAD_LENGTH", f"Must be between 1 and {limits.modal_components} in length."
        )
        components = []
    seen: dict[str, str] = {}
    for index, item in enumerate(components):
        where = f"data.components.{index}"
        kind = item.get("type") if isinstance(item, dict) else None
        if kind == ACTION_ROW:
            inner = item.get("components") or []
            if len(inner) != 1 or inner[0].get("type") != TEXT_INPUT:
                errors.add(f"{where}.components", "BASE_TYPE_BAD_LENGTH", "A modal row holds exactly one text input.")
                continue
            _check_text_input(errors, f"{where}.components.0", inner[0], limits, seen, needs_label=True)
        elif kind == LABEL:
            label = item.get("label")
            if not label:
                errors.required(f"{where}.label")
            else:
                errors.max_length(f"{where}.label", label, limits.text_input_label)
            inner_item = item.get("component")
            if not isinstance(inner_item, dict):
                errors.required(f"{where}.component")
            elif inner_item.get("type") == TEXT_INPUT:
                _check_text_input(errors, f"{where}.component", inner_item, limits, seen, needs_label=False)
            elif inner_item.get("type") == STRING_SELECT or inner_item.get("type") in AUTO_SELECTS:
                _check_select(errors, f"{where}.component", inner_item, limits, seen)
        elif kind != TEXT_DISPLAY:
            errors.add(f"{where}.type", "COMPONENT_TYPE_INVALID", "Invalid component type in a modal.")
    errors.raise_if_any()


def _check_text_input(
    errors: FormErrors, path: str, item: dict[str, Any], limits: Limits, seen: dict[str, str], *, needs_label: bool
) -> None:
    _check_custom_id(errors, path, item, limits, seen)
    if item.get("style") not in (1, 2):
        errors.add(f"{path}.style", "BASE_TYPE_CHOICES", "Value must be one of {1, 2}.")
    label = item.get("label")
    if needs_label and not label:
        errors.required(f"{path}.label")
    elif label:
        errors.max_length(f"{path}.label", label, limits.text_input_label)
    low, high = item.get("min_length", 0), item.get("max_length", limits.text_input_value)
    if not isinstance(low, int) or not 0 <= low <= limits.text_input_value:
        errors.add(f"{path}.min_length", "NUMBER_TYPE_MAX", f"Must be between 0 and {limits.text_input_value}.")
    if not isinstance(high, int) or not 1 <= high <= limits.text_input_value:
        errors.add(f"{path}.max_length", "NUMBER_TYPE_MAX", f"Must be between 1 and {limits.text_input_value}.")
    value = item.get("value")
    if value is not None:
        errors.max_length(f"{path}.value", value, limits.text_input_value)


def check_autocomplete_result(data: Any, limits: Limits = DEFAULT_LIMITS) -> list[dict[str, Any]]:
    errors = FormErrors()
    choices = (data or {}).get("choices") or []
    errors.max_items("data.choices", choices, limits.autocomplete_choices)
    for index, choice in enumerate(choices if isinstance(choices, list) else []):
        _check_choice(errors, f"data.choices.{index}", choice, limits)
    errors.raise_if_any()
    return list(choices)


def _check_choice(errors: FormErrors, path: str, choice: Any, limits: Limits) -> None:
    if not isinstance(choice, dict):
        errors.add(path, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
        return
    name = choice.get("name")
    errors.length_between(f"{path}.name", name, 1, limits.choice_name)
    value = choice.get("value")
    if isinstance(value, str):
        errors.max_length(f"{path}.value", value, limits.choice_string_value)
    elif not isinstance(value, int | float) or isinstance(value, bool):
        errors.add(f"{path}.value", "BASE_TYPE_REQUIRED", "This field is required")


# ----- application commands -----------------------------------------------------------------------------
def check_commands(body: Any, limits: Limits = DEFAULT_LIMITS) -> None:
    """A bulk overwrite: a list of commands, each valid, within the per-kind counts, names unique per kind."""
    if not isinstance(body, list):
        raise APIError(
            400, 50035, "Invalid Form Body", {"_errors": [{"code": "BASE_TYPE_ARRAY", "message": "Must be an array."}]}
        )
    errors = FormErrors()
    counts = {1: 0, 2: 0, 3: 0}
    caps = {1: limits.chat_input_commands, 2: limits.user_commands, 3: limits.message_commands}
    seen: set[tuple[int, str]] = set()
    for index, command in enumerate(body):
        kind = command.get("type", 1) if isinstance(command, dict) else 1
        counts[kind] = counts.get(kind, 0) + 1
        _check_command(errors, str(index), command, limits)
        key = (kind, command.get("name", "") if isinstance(command, dict) else "")
        if key in seen:
            errors.add(
                f"{index}.name", "APPLICATION_COMMAND_ALREADY_EXISTS", "Application command names must be unique"
            )
        seen.add(key)
    for kind, count in counts.items():
        if count > caps.get(kind, 0):
            errors.add(
                "",
                "APPLICATION_COMMANDS_TOO_MANY",
                f"Maximum number of application commands reached ({caps.get(kind)})",
            )
    errors.raise_if_any()


def check_command(command: dict[str, Any], limits: Limits = DEFAULT_LIMITS) -> None:
    errors = FormErrors()
    _check_command(errors, "", command, limits)
    errors.raise_if_any()


def _check_name(errors: FormErrors, path: str, name: Any, *, chat_input: bool) -> None:
    valid = isinstance(name, str) and 1 <= len(name) <= 32
    if valid and chat_input:
        valid = bool(COMMAND_NAME.match(name)) and name == name.lower()
    if not valid:
        errors.add(path, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")


def _check_command(errors: FormErrors, path: str, command: Any, limits: Limits) -> None:
    prefix = f"{path}." if path else ""
    if not isinstance(command, dict):
        errors.add(path, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
        return
    kind = command.get("type", 1)
    _check_name(errors, f"{prefix}name", command.get("name"), chat_input=kind == 1)
    description = command.get("description", "")
    if kind == 1:
        errors.length_between(f"{prefix}description", description, 1, limits.command_description)
    elif description:
        errors.add(
            f"{prefix}description",
            "APPLICATION_COMMAND_DESCRIPTION_NOT_ALLOWED",
            "Only chat input commands have descriptions",
        )
    permissions = command.get("default_member_permissions")
    # Discord's documentation says a string; its OpenAPI description an integer; Discord takes both.
    valid_int = isinstance(permissions, int) and not isinstance(permissions, bool) and permissions >= 0
    if permissions is not None and not valid_int and not (isinstance(permissions, str) and permissions.isdigit()):
        errors.add(f"{prefix}default_member_permissions", "BASE_TYPE_INVALID", "Must be a permission bit set.")
    options = command.get("options") or []
    if kind != 1 and options:
        errors.add(
            f"{prefix}options", "APPLICATION_COMMAND_OPTIONS_NOT_ALLOWED", "Only chat input commands have options"
        )
    size = len(command.get("name") or "") + len(description or "")
    size += _check_options(errors, f"{prefix}options", options, limits, depth=0)
    if size > limits.command_total:
        errors.add(
            prefix.rstrip(".") or "",
            "APPLICATION_COMMAND_TOO_LARGE",
            f"Command exceeds maximum size ({limits.command_total})",
        )


def _check_options(errors: FormErrors, path: str, options: Any, limits: Limits, *, depth: int) -> int:
    if not isinstance(options, list):
        return 0
    errors.max_items(path, options, limits.command_options)
    seen_optional = False
    names: set[str] = set()
    size = 0
    kinds = {o.get("type") for o in options if isinstance(o, dict)}
    if {SUB_COMMAND, SUB_COMMAND_GROUP} & kinds and kinds - {SUB_COMMAND, SUB_COMMAND_GROUP}:
        errors.add(path, "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", "Sub-commands cannot be mixed with other options")
    for index, option in enumerate(options):
        where = f"{path}.{index}"
        if not isinstance(option, dict):
            continue
        name = option.get("name")
        _check_name(errors, f"{where}.name", name, chat_input=True)
        if name in names:
            errors.add(f"{where}.name", "APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS", "Option names must be unique")
        names.add(str(name))
        errors.length_between(f"{where}.description", option.get("description"), 1, limits.command_description)
        size += len(str(name)) + len(option.get("description") or "")
        kind = option.get("type")
        if kind in (SUB_COMMAND, SUB_COMMAND_GROUP):
            if depth >= 2 or (kind == SUB_COMMAND_GROUP and depth >= 1):
                errors.add(
                    f"{where}.type", "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", "Sub-commands nest at most two deep"
                )
            size += _check_options(errors, f"{where}.options", option.get("options") or [], limits, depth=depth + 1)
            continue
        if option.get("required"):
            if seen_optional:
                errors.add(
                    f"{where}.required",
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be placed before non-required options",
                )
        else:
            seen_optional = True
        choices = option.get("choices") or []
        errors.max_items(f"{where}.choices", choices, limits.command_choices)
        if choices and option.get("autocomplete"):
            errors.add(
                f"{where}.autocomplete",
                "APPLICATION_COMMAND_AUTOCOMPLETE_AND_CHOICES",
                "Autocomplete cannot be set with choices",
            )
        for c_index, choice in enumerate(choices if isinstance(choices, list) else []):
            _check_choice(errors, f"{where}.choices.{c_index}", choice, limits)
            if isinstance(choice, dict):
                size += len(str(choice.get("name", ""))) + len(str(choice.get("value", "")))
        if kind == STRING:
            for key, low in (("min_length", 0), ("max_length", 1)):
                value = option.get(key)
                if value is not None and (not isinstance(value, int) or not low <= value <= limits.option_max_length):
                    errors.add(
                        f"{where}.{key}",
                        "NUMBER_TYPE_MAX",
                        f"int value should be less than or equal to {limits.option_max_length}.",
                    )
        if kind in (INTEGER, NUMBER):
            smallest, largest = option.get("min_value"), option.get("max_value")
            if smallest is not None and largest is not None and smallest > largest:
                errors.add(
                    f"{where}.min_value",
                    "APPLICATION_COMMAND_OPTION_MIN_GREATER_THAN_MAX",
                    "min_value cannot exceed max_value",
                )
    return size

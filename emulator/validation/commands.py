"""Application commands and autocomplete results, as Discord checks them."""

from __future__ import annotations

import re
from typing import Any

from emulator.errors import APIError, FormErrors
from emulator.limits import Limits
from emulator.validation.common import DEFAULT_LIMITS

COMMAND_NAME = re.compile(r"^[-_'\w]{1,32}$")
# Application command option types.
SUB_COMMAND, SUB_COMMAND_GROUP, STRING, INTEGER, NUMBER = 1, 2, 3, 4, 10


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

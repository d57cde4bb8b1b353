"""Message components (action rows, buttons, selects, Components V2 layouts) and modals, as Discord checks them."""

from __future__ import annotations

from typing import Any

from emulator.errors import FormErrors
from emulator.limits import Limits
from emulator.validation.common import (
    ACTION_ROW,
    AUTO_SELECTS,
    BUTTON,
    CONTAINER,
    LINK_STYLE,
    PREMIUM_STYLE,
    SECTION,
    STRING_SELECT,
    V2_TYPES,
    check_string,
    is_url,
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
            f"{path}.components",
            "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
            "The specified component exceeds the maximum width: a select menu must be alone in its action row",
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
    if check_string(errors, f"{path}.custom_id", custom_id):
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
    if check_string(errors, f"{path}.label", label):
        errors.max_length(f"{path}.label", label, limits.button_label)
    if style == LINK_STYLE:
        if not button.get("url"):
            errors.add(f"{path}.url", "BUTTON_COMPONENT_URL_REQUIRED", "A url is required")
        elif not is_url(button["url"]):
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
    if check_string(errors, f"{path}.placeholder", placeholder):
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
        defaults = select.get("default_values") or []
        if isinstance(high, int) and len(defaults) > high:
            errors.add(f"{path}.default_values", "BASE_TYPE_MAX_LENGTH", f"Must be {high} or fewer in length.")
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
            elif check_string(errors, f"{where}.{key}", value):
                errors.max_length(f"{where}.{key}", value, limit)
        if option.get("value") in values:
            errors.add(f"{where}.value", "SELECT_COMPONENT_OPTION_VALUE_DUPLICATED", "Option values must be unique")
        values.add(option.get("value"))
    if isinstance(high, int) and sum(1 for o in options if isinstance(o, dict) and o.get("default")) > high:
        errors.add(f"{path}.options", "SELECT_COMPONENT_TOO_MANY_DEFAULTS", "More options are default than max_values.")
    if isinstance(high, int) and high > len(options):
        errors.add(
            f"{path}.max_values",
            "SELECT_COMPONENT_MAX_VALUES_EXCEEDS_OPTIONS",
            "max_values exceeds the number of options.",
        )

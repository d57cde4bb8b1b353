"""Modals: the MODAL callback's form, checked against Discord's limits (`modal_fields`), and what
submitting it sends (`modal_submit_data`, for `Emulator.submit_modal`). The form stays open for its
member until they submit it or do something else."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from emulator.errors import Refused, invalid_form
from emulator.limits import Limits

# Modals: their components, and Discord's limits on them (from the one table, `limits.Limits`).
ACTION_ROW, TEXT_INPUT, TEXT_DISPLAY, LABEL = 1, 4, 10, 18
SHORT, PARAGRAPH = 1, 2
_LIMITS = Limits()
MODAL_LIMITS = {"custom_id": _LIMITS.custom_id, "title": _LIMITS.modal_title}
MAX_MODAL_ROWS = _LIMITS.modal_components
TEXT_INPUT_LIMITS = {
    "custom_id": _LIMITS.custom_id,
    "label": _LIMITS.text_input_label,
    "placeholder": _LIMITS.text_input_placeholder,
}
TEXT_INPUT_MAX = _LIMITS.text_input_value
LABEL_DESCRIPTION_MAX = _LIMITS.label_description


@dataclass(frozen=True)
class ModalField:
    """One text input of a modal, as the member sees it."""

    custom_id: str
    label: str
    style: int
    min_length: int
    max_length: int
    required: bool
    placeholder: str | None
    value: str | None  # prefilled
    wrapper: int  # ACTION_ROW (the text input carries the label) or LABEL


def _too_long(where: str, value: Any, limit: int) -> None:
    if value is not None and (not isinstance(value, str) or len(value) > limit):
        raise invalid_form(f"{where}: Must be {limit} or fewer in length.")


def _text_input(where: str, item: dict[str, Any], label: Any, wrapper: int) -> ModalField:
    if item.get("type") != TEXT_INPUT:
        raise invalid_form(f"{where}.type: the emulator supports text inputs in modals (got {item.get('type')}).")
    for key, limit in TEXT_INPUT_LIMITS.items():
        _too_long(f"{where}.{key}", item.get(key) if key != "label" else label, limit)
    if not item.get("custom_id"):
        raise invalid_form(f"{where}.custom_id: This field is required.")
    if not label:
        raise invalid_form(f"{where}.label: This field is required.")
    style = item.get("style", SHORT)
    if style not in (SHORT, PARAGRAPH):
        raise invalid_form(f"{where}.style: Value must be one of (1, 2).")
    low, high = item.get("min_length", 0), item.get("max_length", TEXT_INPUT_MAX)
    if not isinstance(low, int) or not 0 <= low <= TEXT_INPUT_MAX:
        raise invalid_form(f"{where}.min_length: Must be between 0 and {TEXT_INPUT_MAX}.")
    if not isinstance(high, int) or not 1 <= high <= TEXT_INPUT_MAX or low > high:
        raise invalid_form(f"{where}.max_length: Must be between 1 and {TEXT_INPUT_MAX}, and at least min_length.")
    value = item.get("value")
    _too_long(f"{where}.value", value, high)
    return ModalField(
        custom_id=item["custom_id"],
        label=label,
        style=style,
        min_length=low,
        max_length=high,
        required=bool(item.get("required", True)),
        placeholder=item.get("placeholder"),
        value=value,
        wrapper=wrapper,
    )


def modal_fields(data: dict[str, Any]) -> list[ModalField]:
    """The text inputs of a MODAL callback's data, refused (50035) where Discord would refuse it:
    a custom_id and a title within their limits, 1–5 rows, each an action row holding one text
    input or a label around one (or a text display); labels ≤ 45, placeholders ≤ 100, lengths
    within 0–4000, custom_ids unique."""
    for key, limit in MODAL_LIMITS.items():
        if not data.get(key):
            raise invalid_form(f"data.{key}: This field is required.")
        _too_long(f"data.{key}", data[key], limit)
    rows = data.get("components")
    if not isinstance(rows, list) or not 1 <= len(rows) <= MAX_MODAL_ROWS:
        raise invalid_form(f"data.components: Must be between 1 and {MAX_MODAL_ROWS} in length.")
    fields: list[ModalField] = []
    for index, row in enumerate(rows):
        where = f"data.components.{index}"
        kind = row.get("type")
        if kind == ACTION_ROW:
            inner = row.get("components") or []
            if len(inner) != 1:
                raise invalid_form(f"{where}.components: Must be 1 in length.")
            fields.append(_text_input(f"{where}.components.0", inner[0], inner[0].get("label"), ACTION_ROW))
        elif kind == LABEL:
            _too_long(f"{where}.label", row.get("label"), TEXT_INPUT_LIMITS["label"])
            _too_long(f"{where}.description", row.get("description"), LABEL_DESCRIPTION_MAX)
            fields.append(_text_input(f"{where}.component", row.get("component") or {}, row.get("label"), LABEL))
        elif kind != TEXT_DISPLAY:
            raise invalid_form(f"{where}.type: Value must be an action row, a label or a text display.")
    ids = [f.custom_id for f in fields]
    if len(set(ids)) != len(ids):
        raise invalid_form("data.components: custom_id values must be unique within a modal.")
    return fields


def find_field(fields: list[ModalField], name: str) -> ModalField | None:
    """A field by its custom_id or its label (any case)."""
    folded = name.casefold()
    return next((f for f in fields if f.custom_id == name), None) or next(
        (f for f in fields if f.label.casefold() == folded), None
    )


def modal_submit_data(modal: dict[str, Any], values: dict[str, str]) -> dict[str, Any]:
    """The `data` of submitting `modal` with `values` (by label or custom_id), refused where
    Discord's client would not let the member submit: an unknown field, a required field left
    empty, or a value shorter or longer than the field allows. Fields left out send their
    prefilled value, or an empty string, as the client does."""
    fields = modal_fields(modal)
    given: dict[str, str] = {}
    for name, value in values.items():
        found = find_field(fields, name)
        if found is None:
            offered = ", ".join(f.label for f in fields)
            raise Refused(f"The form “{modal['title']}” has no field “{name}”. Its fields: {offered}.")
        given[found.custom_id] = value
    rows: list[dict[str, Any]] = []
    for found in fields:
        value = given.get(found.custom_id, found.value or "")
        if not value and found.required:
            raise Refused(f"“{found.label}” is required.")
        if value and len(value) < found.min_length:
            raise Refused(f"“{found.label}” must be at least {found.min_length} characters long.")
        if len(value) > found.max_length:
            raise Refused(f"“{found.label}” must be {found.max_length} or fewer characters long.")
        text_input = {"type": TEXT_INPUT, "custom_id": found.custom_id, "value": value}
        if found.wrapper == LABEL:
            rows.append({"type": LABEL, "component": text_input})
        else:
            rows.append({"type": ACTION_ROW, "components": [text_input]})
    return {"custom_id": modal["custom_id"], "components": rows}

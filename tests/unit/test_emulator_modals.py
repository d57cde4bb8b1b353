"""The emulator's modal rules, one by one (Discord's limits on the MODAL callback and on submitting it)."""

from __future__ import annotations

from typing import Any

import pytest

from emulator.errors import APIError, Refused
from emulator.routes.modals import modal_fields, modal_submit_data


def text_input(**overrides: Any) -> dict[str, Any]:
    return {"type": 4, "custom_id": "letter", "label": "Your letter", "style": 2, **overrides}


def modal(*rows: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    return {"custom_id": "form", "title": "A form", "components": list(rows), **overrides}


def row(item: dict[str, Any]) -> dict[str, Any]:
    return {"type": 1, "components": [item]}


def test_a_valid_modal_gives_its_fields() -> None:
    labelled = {"type": 18, "label": "Word", "component": {"type": 4, "custom_id": "word", "style": 1}}
    fields = modal_fields(modal(row(text_input(max_length=4000)), {"type": 10, "content": "hi"}, labelled))
    assert [(f.custom_id, f.label, f.max_length, f.required) for f in fields] == [
        ("letter", "Your letter", 4000, True),
        ("word", "Word", 4000, True),
    ]


@pytest.mark.parametrize(
    ("data", "detail"),
    [
        (modal(row(text_input()), title="t" * 46), "data.title: Must be 45 or fewer in length."),
        (modal(row(text_input()), custom_id=""), "data.custom_id: This field is required."),
        (modal(), "data.components: Must be between 1 and 5 in length."),
        (modal(*[row(text_input(custom_id=f"f{i}")) for i in range(6)]), "Must be between 1 and 5 in length."),
        (modal(row(text_input(label="l" * 46))), "label: Must be 45 or fewer in length."),
        (modal(row(text_input(label=None))), "label: This field is required."),
        (modal(row(text_input(placeholder="p" * 101))), "placeholder: Must be 100 or fewer in length."),
        (modal(row(text_input(max_length=4001))), "max_length: Must be between 1 and 4000"),
        (modal(row(text_input(min_length=10, max_length=5))), "at least min_length"),
        (modal(row(text_input(min_length=-1))), "min_length: Must be between 0 and 4000."),
        (modal(row(text_input(style=3))), "style: Value must be one of (1, 2)."),
        (modal(row(text_input(value="v" * 11, max_length=10))), "value: Must be 10 or fewer in length."),
        (modal(row(text_input()), row(text_input())), "custom_id values must be unique"),
        (modal({"type": 1, "components": [text_input(), text_input(custom_id="b")]}), "Must be 1 in length."),
        (modal({"type": 2, "custom_id": "button"}), "Value must be an action row, a label or a text display."),
    ],
)
def test_discord_refuses_a_modal_outside_its_limits(data: dict[str, Any], detail: str) -> None:
    with pytest.raises(APIError) as caught:
        modal_fields(data)
    assert caught.value.status == 400 and caught.value.code == 50035
    assert detail in str(caught.value)  # the errors tree's "field.path: message", as discord.py shows it (#15)


def test_submitted_values_keep_the_shape_the_modal_had() -> None:
    labelled = {
        "type": 18,
        "label": "Word",
        "component": {"type": 4, "custom_id": "word", "style": 1, "required": False},
    }
    data = modal_submit_data(modal(row(text_input()), labelled), {"your letter": "dear me"})
    assert data == {
        "custom_id": "form",
        "components": [
            {"type": 1, "components": [{"type": 4, "custom_id": "letter", "value": "dear me"}]},
            {"type": 18, "component": {"type": 4, "custom_id": "word", "value": ""}},
        ],
    }


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        ({}, "“Your letter” is required."),
        ({"letter": "abc"}, "“Your letter” must be at least 5 characters long."),
        ({"letter": "x" * 11}, "“Your letter” must be 10 or fewer characters long."),
        ({"mood": "x"}, "has no field “mood”. Its fields: Your letter."),
    ],
)
def test_the_client_refuses_to_submit_what_the_fields_do_not_allow(values: dict[str, str], reason: str) -> None:
    with pytest.raises(Refused, match=reason):
        modal_submit_data(modal(row(text_input(min_length=5, max_length=10))), values)

"""Bodies Discord refuses, one row each, refused by the emulator with Discord's code and errors tree.

Each row is a body that was accepted before issue #15 (or a close relative of one), the field
Discord's `errors` tree names, and its code. The valid control at the top of each group shows the
check is not simply refusing everything.
"""

from __future__ import annotations

from typing import Any

import pytest

from emulator.errors import APIError
from emulator.routes.modals import modal_fields
from emulator.validation import (
    check_autocomplete_result,
    check_command,
    check_commands,
    check_message_body,
)


def button(label: str | None = "Go", custom_id: str | None = "go", **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"type": 2, "style": 1, **extra}
    if label is not None:
        data["label"] = label
    if custom_id is not None:
        data["custom_id"] = custom_id
    return data


def row(*items: dict[str, Any]) -> dict[str, Any]:
    return {"type": 1, "components": list(items)}


def select(options: int, **extra: Any) -> dict[str, Any]:
    return {
        "type": 3,
        "custom_id": "pick",
        "options": [{"label": f"o{i}", "value": f"v{i}"} for i in range(options)],
        **extra,
    }


def embed(**fields: Any) -> dict[str, Any]:
    return {"title": "t", **fields}


def option(**extra: Any) -> dict[str, Any]:
    return {"type": 3, "name": "word", "description": "A word", **extra}


def command(*options: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"name": "reflect", "description": "A prompt", "options": list(options), **extra}


def choices(count: int, name_length: int = 4) -> list[dict[str, Any]]:
    return [{"name": ("n" * name_length)[: name_length - 1] + str(i % 10), "value": f"v{i}"} for i in range(count)]


MESSAGE_ROWS = [
    (
        "six buttons in a row",
        {"components": [row(*[button(custom_id=f"b{i}") for i in range(6)])]},
        "components.0.components",
        "BASE_TYPE_BAD_LENGTH",
    ),
    ("an empty row", {"content": "x", "components": [row()]}, "components.0.components", "BASE_TYPE_BAD_LENGTH"),
    (
        "six rows",
        {"components": [row(button(custom_id=f"b{i}")) for i in range(6)]},
        "components",
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "duplicate custom_ids",
        {"components": [row(button(custom_id="same"), button(custom_id="same"))]},
        "components.0.components.1.custom_id",
        "COMPONENT_CUSTOM_ID_DUPLICATED",
    ),
    (
        "a link button without url",
        {"components": [row(button(custom_id=None, style=5))]},
        "components.0.components.0.url",
        "BUTTON_COMPONENT_URL_REQUIRED",
    ),
    (
        "a link button with a custom_id",
        {"components": [row(button(style=5, url="https://example.org"))]},
        "components.0.components.0.custom_id",
        "BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED",
    ),
    (
        "a link button with a bad url",
        {"components": [row(button(custom_id=None, style=5, url="example"))]},
        "components.0.components.0.url",
        "URL_TYPE_INVALID_URL",
    ),
    (
        "a button with neither label nor emoji",
        {"components": [row(button(label=None))]},
        "components.0.components.0",
        "BUTTON_COMPONENT_LABEL_OR_EMOJI_REQUIRED",
    ),
    (
        "a button without custom_id",
        {"components": [row(button(custom_id=None))]},
        "components.0.components.0.custom_id",
        "BASE_TYPE_REQUIRED",
    ),
    (
        "a button label over 80",
        {"components": [row(button(label="x" * 81))]},
        "components.0.components.0.label",
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "a custom_id over 100",
        {"components": [row(button(custom_id="x" * 101))]},
        "components.0.components.0.custom_id",
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "a premium button without sku_id",
        {"components": [row(button(custom_id=None, label=None, style=6))]},
        "components.0.components.0.sku_id",
        "BASE_TYPE_REQUIRED",
    ),
    (
        "26 select options",
        {"components": [row(select(26))]},
        "components.0.components.0.options",
        "BASE_TYPE_BAD_LENGTH",
    ),
    (
        "a select beside a button",
        {"components": [row(select(2), button())]},
        "components.0.components",
        "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
    ),
    (
        "a select's min_values above max_values",
        {"components": [row(select(3, min_values=3, max_values=2))]},
        "components.0.components.0.min_values",
        "SELECT_COMPONENT_MIN_GREATER_THAN_MAX",
    ),
    ("a top-level button (no row)", {"components": [button()]}, "components.0.type", "UNION_TYPE_CHOICES"),
    (
        "embed author.name over 256",
        {"embeds": [embed(author={"name": "a" * 257})]},
        "embeds.0.author.name",
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "6,000 total counting author names",
        {"embeds": [embed(description="d" * 4000, author={"name": "a" * 250}) for _ in range(2)]},
        "embeds",
        "MAX_EMBED_SIZE_EXCEEDED",
    ),
    ("embed colour over 0xFFFFFF", {"embeds": [embed(color=0x1000000)]}, "embeds.0.color", "NUMBER_TYPE_MAX"),
    ("embed colour as text", {"embeds": [embed(color="gold")]}, "embeds.0.color", "NUMBER_TYPE_MAX"),
    ("embed url not a URL", {"embeds": [embed(url="not a link")]}, "embeds.0.url", "URL_TYPE_INVALID_URL"),
    (
        "embed timestamp not ISO8601",
        {"embeds": [embed(timestamp="yesterday")]},
        "embeds.0.timestamp",
        "DATE_TIME_TYPE_PARSE",
    ),
    (
        "embed field without value",
        {"embeds": [embed(fields=[{"name": "n", "value": ""}])]},
        "embeds.0.fields.0.value",
        "BASE_TYPE_REQUIRED",
    ),
    (
        "embed footer over 2048",
        {"embeds": [embed(footer={"text": "f" * 2049})]},
        "embeds.0.footer.text",
        "BASE_TYPE_MAX_LENGTH",
    ),
    ("eleven embeds", {"embeds": [embed() for _ in range(11)]}, "embeds", "BASE_TYPE_MAX_LENGTH"),
    ("content over 2000", {"content": "x" * 2001}, "content", "BASE_TYPE_MAX_LENGTH"),
    (
        "parse users and a user list",
        {"content": "x", "allowed_mentions": {"parse": ["users"], "users": ["1"]}},
        "allowed_mentions.parse",
        "ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
    ),
    (
        "parse an unknown kind",
        {"content": "x", "allowed_mentions": {"parse": ["channels"]}},
        "allowed_mentions.parse.0",
        "BASE_TYPE_CHOICES",
    ),
    ("a nonce over 25 characters", {"content": "x", "nonce": "n" * 26}, "nonce", "BASE_TYPE_MAX_LENGTH"),
    (
        "Components V2 with content",
        {"flags": 1 << 15, "content": "x", "components": [{"type": 10, "content": "t"}]},
        "content",
        "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
    ),
]


def refusal(check: Any, body: Any) -> APIError:
    with pytest.raises(APIError) as caught:
        check(body)
    return caught.value


def test_valid_messages_pass() -> None:
    check_message_body(
        {
            "content": "hi",
            "embeds": [
                embed(color=0xE8AA42, url="https://x.org", timestamp="2026-11-22T08:00:00+00:00", author={"name": "a"})
            ],
        }
    )
    check_message_body({"components": [row(*[button(custom_id=f"b{i}") for i in range(5)]), row(select(25))]})
    check_message_body({"components": [row(button(custom_id=None, style=5, url="https://example.org"))]})
    check_message_body(
        {
            "content": "x",
            "allowed_mentions": {"parse": [], "users": ["1"], "replied_user": False},
            "nonce": 12,
            "enforce_nonce": True,
        }
    )
    check_message_body({"flags": 1 << 15, "components": [{"type": 17, "components": [{"type": 10, "content": "t"}]}]})


@pytest.mark.parametrize(
    ("body", "path", "code"), [row_[1:] for row_ in MESSAGE_ROWS], ids=[r[0] for r in MESSAGE_ROWS]
)
def test_discord_refuses_this_message(body: dict[str, Any], path: str, code: str) -> None:
    error = refusal(check_message_body, body)
    assert (error.status, error.code, error.message) == (400, 50035, "Invalid Form Body")
    assert (path, code) in [(p, c) for p, c, _ in error.field_errors()], error.field_errors()


def test_an_empty_message_is_50006_not_a_form_error() -> None:
    error = refusal(check_message_body, {"content": "", "embeds": [], "components": []})
    assert (error.code, error.errors) == (50006, None)


def test_errors_tree_has_discords_shape() -> None:
    error = refusal(check_message_body, {"content": "x" * 2001, "embeds": [embed(title="t" * 257)]})
    assert error.body() == {
        "message": "Invalid Form Body",
        "code": 50035,
        "errors": {
            "content": {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 2000 or fewer in length."}]},
            "embeds": {
                "0": {
                    "title": {
                        "_errors": [{"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 256 or fewer in length."}]
                    }
                }
            },
        },
    }


COMMAND_ROWS = [
    (
        "a choice name over 100",
        command(option(choices=choices(2, 101))),
        "options.0.choices.0.name",
        "BASE_TYPE_BAD_LENGTH",
    ),
    (
        "autocomplete with choices",
        command(option(autocomplete=True, choices=choices(2))),
        "options.0.autocomplete",
        "APPLICATION_COMMAND_AUTOCOMPLETE_AND_CHOICES",
    ),
    ("max_length over 6000", command(option(max_length=6001)), "options.0.max_length", "NUMBER_TYPE_MAX"),
    ("26 choices", command(option(choices=choices(26))), "options.0.choices", "BASE_TYPE_MAX_LENGTH"),
    ("a name with capitals", {"name": "Reflect", "description": "d"}, "name", "APPLICATION_COMMAND_INVALID_NAME"),
    ("a description over 100", {"name": "reflect", "description": "d" * 101}, "description", "BASE_TYPE_BAD_LENGTH"),
    (
        "required after optional",
        command(option(name="a"), option(name="b", required=True)),
        "options.1.required",
        "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
    ),
    (
        "a user command with a description",
        {"name": "Report", "type": 2, "description": "d"},
        "description",
        "APPLICATION_COMMAND_DESCRIPTION_NOT_ALLOWED",
    ),
    (
        "min_value above max_value",
        command({"type": 4, "name": "n", "description": "d", "min_value": 5, "max_value": 1}),
        "options.0.min_value",
        "APPLICATION_COMMAND_OPTION_MIN_GREATER_THAN_MAX",
    ),
    (
        "subcommands mixed with options",
        command({"type": 1, "name": "s", "description": "d"}, option()),
        "options",
        "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
    ),
]


def test_valid_commands_pass() -> None:
    check_command(command(option(required=True, max_length=6000), option(name="theme", autocomplete=True)))
    check_command({"name": "Report message", "type": 3, "description": ""})
    check_commands([command(), {"name": "reflect", "type": 2, "description": ""}])  # same name, other kind


@pytest.mark.parametrize(("body", "path", "code"), [r[1:] for r in COMMAND_ROWS], ids=[r[0] for r in COMMAND_ROWS])
def test_discord_refuses_this_command(body: dict[str, Any], path: str, code: str) -> None:
    error = refusal(check_command, body)
    assert (path, code) in [(p, c) for p, c, _ in error.field_errors()], error.field_errors()


def test_duplicate_command_names_and_too_many_commands() -> None:
    duplicate = refusal(check_commands, [command(), command()])
    assert ("1.name", "APPLICATION_COMMAND_ALREADY_EXISTS") in [(p, c) for p, c, _ in duplicate.field_errors()]
    many = refusal(check_commands, [{"name": f"c{i}", "description": "d"} for i in range(101)])
    assert [c for _, c, _ in many.field_errors()] == ["APPLICATION_COMMANDS_TOO_MANY"]


def test_autocomplete_results_and_modals() -> None:
    assert check_autocomplete_result({"choices": choices(25)}) == choices(25)
    too_many = refusal(check_autocomplete_result, {"choices": choices(26)})
    assert too_many.field_errors()[0][:2] == ("data.choices", "BASE_TYPE_MAX_LENGTH")
    long_name = refusal(check_autocomplete_result, {"choices": choices(1, 101)})
    assert long_name.field_errors()[0][:2] == ("data.choices.0.name", "BASE_TYPE_BAD_LENGTH")
    text_input = {"type": 4, "custom_id": "entry", "style": 2, "label": "How are you?"}
    modal_fields({"custom_id": "m", "title": "Check in", "components": [row(text_input)]})
    modal_fields(
        {
            "custom_id": "m",
            "title": "Check in",
            "components": [{"type": 18, "label": "Mood", "component": {**text_input, "label": None}}],
        }
    )
    long_title = refusal(modal_fields, {"custom_id": "m", "title": "t" * 46, "components": [row(text_input)]})
    assert long_title.field_errors()[0][0] == "data.title"
    no_inputs = refusal(modal_fields, {"custom_id": "m", "title": "t", "components": []})
    assert no_inputs.field_errors()[0][0] == "data.components"

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.sandbox.cli import BANNER, render
from bot.sandbox.directives import parse_duration, parse_instant
from bot.sandbox.engine import describe_select
from emulator.errors import APIError
from emulator.invocation import ScriptError, parse_command_line, split_words
from emulator.routes.messages import MAX_UPLOAD_BYTES, Upload, attach_uploads, check_select_menus
from emulator.server import Emulator
from emulator.state import Message, Snowflakes, buttons_of, pinged, selects_of
from emulator.validation import check_command, check_message_body

NAMES = {1: "sam", 2: "alex"}


def pings(content: str, allowed: dict[str, object] | None, replied: int | None = None) -> list[str]:
    return pinged(content, allowed, replied_author=replied, user_name=NAMES.get, role_name=lambda r: "Mods")


def test_without_allowed_mentions_everything_pings() -> None:
    assert pings("hi @everyone and <@1> <@&9>", None) == ["@everyone", "@sam", "@&Mods"]


def test_allowed_mentions_none_pings_nobody() -> None:
    none = {"parse": [], "replied_user": False}
    assert pings("hi @everyone @here <@1> <@&9>", none, replied=2) == []


def test_explicit_users_and_replied_user() -> None:
    allowed = {"parse": [], "users": ["2"], "replied_user": True}
    assert pings("<@1> <@!2>", allowed, replied=1) == ["@alex", "@sam"]


def test_split_words_keeps_quoted_stretches() -> None:
    assert split_words('config test text:"I can\'t stop texting him" flag:true') == [
        "config",
        "test",
        "text:I can't stop texting him",
        "flag:true",
    ]
    assert split_words(r'say text:"she said \"no\""') == ["say", 'text:she said "no"']
    with pytest.raises(ScriptError):
        split_words('say text:"unclosed')


def test_parse_command_line() -> None:
    invocation = parse_command_line("/config exempt action:add channel:#vent")
    assert invocation.path == ["config", "exempt"]
    assert invocation.options == {"action": "add", "channel": "#vent"}
    with pytest.raises(ScriptError):
        parse_command_line("/reflect theme:fear extra")


def test_durations_and_instants() -> None:
    assert parse_duration("90s") == timedelta(seconds=90)
    assert parse_duration("1h30m") == timedelta(minutes=90)
    assert parse_duration("3d") == timedelta(days=3)
    for bad in ("", "soon", "5 weeks", "10"):
        with pytest.raises(ScriptError):
            parse_duration(bad)
    assert parse_instant("2026-11-22T09:00:00+01:00") == datetime(2026, 11, 22, 8, tzinfo=UTC)
    with pytest.raises(ScriptError):
        parse_instant("2026-11-22T09:00:00")


def test_snowflakes_increase_even_when_the_clock_stands_still() -> None:
    instant = datetime(2026, 1, 1, tzinfo=UTC)
    ids = Snowflakes(lambda: instant)
    values = [ids.next() for _ in range(5000)]
    assert values == sorted(set(values))
    assert ((values[0] >> 22) + 1420070400000) // 1000 == int(instant.timestamp())


def test_buttons_are_found_in_rows() -> None:
    rows = [{"type": 1, "components": [{"type": 2, "label": "A"}, {"type": 2, "label": "B"}]}]
    assert [b["label"] for b in buttons_of(rows)] == ["A", "B"]


def test_message_limits_match_discord() -> None:
    check_message_body({"content": "x" * 2000})
    with pytest.raises(APIError) as too_long:
        check_message_body({"content": "x" * 2001})
    assert too_long.value.code == 50035
    with pytest.raises(APIError) as empty:
        check_message_body({"content": ""})
    assert empty.value.code == 50006
    with pytest.raises(APIError):
        check_message_body({"embeds": [{"fields": [{"name": "a", "value": "x" * 1025}]}]})
    with pytest.raises(APIError):
        check_message_body({"embeds": [{"description": "x" * 4000}, {"description": "x" * 2001}]})


def test_command_registration_limits_match_discord() -> None:
    check_command({"name": "reflect", "description": "A prompt", "options": []})
    with pytest.raises(APIError):
        check_command({"name": "Reflect", "description": "A prompt"})
    with pytest.raises(APIError):
        check_command({"name": "reflect", "description": ""})
    with pytest.raises(APIError):
        check_command(
            {
                "name": "reflect",
                "description": "d",
                "options": [
                    {"name": "a", "description": "d", "type": 3},
                    {"name": "b", "description": "d", "type": 3, "required": True},
                ],
            }
        )


def select(**fields: object) -> dict[str, object]:
    menu: dict[str, object] = {"type": 3, "custom_id": "m", "options": [{"label": "A", "value": "a"}]}
    menu.update(fields)
    return menu


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ([select(), {"type": 2, "style": 1, "label": "B", "custom_id": "b"}], "alone in its action row"),
        ([select(custom_id="")], "custom_id: This field is required"),
        ([select(custom_id="x" * 101)], "custom_id: Must be 100 or fewer"),
        ([select(placeholder="p" * 151)], "placeholder: Must be 150 or fewer"),
        ([select(options=[])], "options: Must be between 1 and 25"),
        ([select(options=[{"label": str(i), "value": str(i)} for i in range(26)])], "between 1 and 25"),
        ([select(options=[{"label": "A", "value": "a"}, {"label": "B", "value": "a"}])], "must be unique"),
        ([select(options=[{"label": "", "value": "a"}])], "label: This field is required"),
        ([select(options=[{"label": "A", "value": "v" * 101}])], "value: Must be 100 or fewer"),
        ([select(min_values=2, max_values=1)], "min_values cannot exceed max_values"),
        ([select(max_values=26)], "max_values: Must be between 1 and 25"),
        ([{"type": 8, "custom_id": "c", "default_values": [{"id": "1", "type": "channel"}] * 2}], "default_values"),
    ],
)
def test_select_menus_are_checked_like_discord(row: list[dict[str, object]], problem: str) -> None:
    with pytest.raises(APIError) as refused:
        check_select_menus([{"type": 1, "components": row}])
    # Discord's errors tree: "field.path: message" for each refused field (#15)
    said = "; ".join(f"{path}: {message}" for path, _, message in refused.value.field_errors())
    assert refused.value.code == 50035 and problem in said, said


def test_a_well_formed_select_passes_and_is_found() -> None:
    rows = [
        {"type": 1, "components": [select(min_values=0, max_values=1, placeholder="Pick")]},
        {"type": 1, "components": [{"type": 8, "custom_id": "c", "channel_types": [0]}]},
    ]
    check_select_menus(rows)
    assert [m["custom_id"] for m in selects_of(rows)] == ["m", "c"]
    assert buttons_of(rows) == []


def test_the_sandbox_shows_a_menu_and_what_it_offers() -> None:
    shown = {
        "line": 1,
        "by": "lantern",
        "where": "#general",
        "visibility": "public",
        "for": None,
        "content": "Pick one",
        "embeds": [],
        "buttons": ["Done"],
        "selects": [
            describe_select(select(placeholder="Region", options=[{"label": "UK", "value": "UK", "default": True}])),
            describe_select({"type": 8, "custom_id": "c", "placeholder": "Alert channel"}),
        ],
    }
    assert render(shown).splitlines()[-3:] == [
        "  ▾ Region: UK (chosen: UK)",
        "  ▾ Alert channel: pick a channel",
        "  [Done]",
    ]
    assert ":select MENU VALUE" in BANNER


def test_uploads_must_be_referenced_small_and_few() -> None:
    emulator = Emulator()
    message = Message(1, emulator.channel("general"), emulator.bot_user, "", datetime(2026, 1, 1, tzinfo=UTC))
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + (7).to_bytes(4, "big") + (9).to_bytes(4, "big")
    attach_uploads(emulator, message, {"attachments": [{"id": 0, "filename": "a.png"}]}, {0: Upload("x", png)})
    [attached] = message.attachments
    assert (attached["filename"], attached["content_type"], attached["width"], attached["height"]) == (
        "a.png",
        "image/png",
        7,
        9,
    )
    attach_uploads(emulator, message, {"attachments": [{"id": attached["id"]}]}, {1: Upload("b.txt", b"hi")})
    assert [(a["filename"], a["content_type"]) for a in message.attachments] == [
        ("a.png", "image/png"),
        ("b.txt", "application/octet-stream"),
    ], "an edit keeps listed attachments and adds new uploads"
    with pytest.raises(APIError, match="no file was uploaded as files\\[3\\]"):
        attach_uploads(emulator, message, {"attachments": [{"id": 3, "filename": "c"}]}, {})
    with pytest.raises(APIError, match="10 or fewer"):
        attach_uploads(emulator, message, {}, {i: Upload(f"{i}", b"x") for i in range(11)})
    with pytest.raises(APIError) as too_big:
        attach_uploads(emulator, message, {}, {0: Upload("big", b"x" * (MAX_UPLOAD_BYTES + 1))})
    assert (too_big.value.status, too_big.value.code) == (413, 40005)


def test_entity_menus_show_their_preselected_values_by_name() -> None:
    menu = {
        "type": 8,
        "custom_id": "c",
        "placeholder": "Alert channel",
        "default_values": [{"id": "5", "type": "channel"}],
    }
    assert describe_select(menu, lambda kind, i: f"{kind}:{i}")["chosen"] == ["channel:5"]
    assert describe_select(menu)["chosen"] == ["5"]

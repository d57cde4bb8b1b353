"""Interactions from start to finish.

Before: whether Discord's client would offer the command at all (`check_command_allowed`), then
INTERACTION_CREATE as Discord sends it (`new_interaction`, `dispatch_interaction`); the facade's
`Emulator.invoke` and `Emulator.click` use these. After: the REST endpoints the bot answers with
(the callback within the deadline, then follow-ups and @original by token). Modals: the MODAL
callback is checked against Discord's limits (`modal_fields`) and stays open for its member until
they submit it (`modal_submit_data`, for `Emulator.submit_modal`).
"""

from __future__ import annotations

import asyncio
import secrets
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import web

from emulator import state as st
from emulator.errors import APIError, Refused, invalid_form, unknown
from emulator.invocation import CHANNEL, MENTIONABLE, ROLE, USER, Resolver, convert_value
from emulator.routes.base import json_response
from emulator.routes.messages import (
    LOADING_FLAG,
    apply_edit,
    attach_uploads,
    deliver_message,
    message_from_body,
    message_response,
    uploads_of,
)

if TYPE_CHECKING:
    from emulator.server import Emulator

# Interaction types.
APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 2, 3, 4, 5
# Interaction callback types.
MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE, AUTOCOMPLETE_RESULT, MODAL = 4, 5, 6, 7, 8, 9
MAX_CHOICES = 25
# Modals: their components and Discord's limits on them.
ACTION_ROW, TEXT_INPUT, TEXT_DISPLAY, LABEL = 1, 4, 10, 18
SHORT, PARAGRAPH = 1, 2
MODAL_LIMITS = {"custom_id": 100, "title": 45}
MAX_MODAL_ROWS = 5
TEXT_INPUT_LIMITS = {"custom_id": 100, "label": 45, "placeholder": 100}
TEXT_INPUT_MAX = 4000
LABEL_DESCRIPTION_MAX = 100


@dataclass
class InteractionRecord:
    """An interaction a member started, and how the bot has answered it so far."""

    id: int
    token: str
    type: int
    user: st.User
    channel: st.Channel
    created: float
    label: str = ""
    responded: bool = False
    response_type: int | None = None
    original_message_id: int | None = None
    message_id: int | None = None  # for component clicks: the message clicked
    choices: list[dict[str, Any]] | None = None
    modal: dict[str, Any] | None = None  # the modal the bot answered with, while it is open
    done: asyncio.Event = field(default_factory=asyncio.Event)


def check_command_allowed(emulator: Emulator, command: dict[str, Any], member: st.Member, channel: st.Channel) -> None:
    """Refuse, as Discord's client does, a command not offered in DMs or needing permissions the member lacks."""
    label = f"/{command['name']}"
    if channel.type == 1:
        contexts = command.get("contexts")
        if (contexts is not None and 1 not in contexts) or command.get("dm_permission") is False:
            raise Refused(f"{label} can only be used in a server.")
        return
    required = command.get("default_member_permissions")
    if required is not None and command["name"] not in emulator.open_to_everyone:
        needed = int(required)
        if emulator.permissions(member, channel) & needed != needed:
            raise Refused(f"You don't have permission to use {label}.")


# The application-command option type that resolves the same entities as each entity select menu.
SELECT_OPTION_TYPES = {
    st.USER_SELECT: USER,
    st.ROLE_SELECT: ROLE,
    st.MENTIONABLE_SELECT: MENTIONABLE,
    st.CHANNEL_SELECT: CHANNEL,
}


def select_data(select: dict[str, Any], picked: list[str], resolver: Resolver) -> dict[str, Any]:
    """The `data` of choosing `picked` in a select menu, refused where Discord's client would not let you.

    A string select takes option values or labels; entity selects take names (`#channel`, `@member`,
    `@&role` or a role's name), which arrive as ids with their `resolved` objects, as on Discord.
    """
    name = select.get("placeholder") or select["custom_id"]
    if select.get("disabled"):
        raise Refused(f"The menu “{name}” is disabled.")
    low, high = int(select.get("min_values", 1)), int(select.get("max_values", 1))
    if not low <= len(picked) <= high:
        count = f"{low}" if low == high else f"{low} to {high}"
        raise Refused(f"“{name}” takes {count} choice(s); {len(picked)} given.")
    kind = select["type"]
    values: list[str] = []
    if kind == st.STRING_SELECT:
        options = select.get("options") or []
        for word in picked:
            option = next((o for o in options if o["value"] == word), None) or next(
                (o for o in options if o["label"].casefold() == word.casefold()), None
            )
            if option is None:
                offered = ", ".join(o["label"] for o in options)
                raise Refused(f"“{word}” is not an option of “{name}”. Options: {offered}.")
            values.append(option["value"])
    else:
        spec = {"type": SELECT_OPTION_TYPES[kind], "name": name, "channel_types": select.get("channel_types")}
        values = [convert_value(spec, word, resolver) for word in picked]
    if len(set(values)) != len(values):
        raise Refused(f"Each choice in “{name}” can be picked once.")
    data: dict[str, Any] = {"custom_id": select["custom_id"], "component_type": kind, "values": values}
    if resolver.resolved:
        data["resolved"] = resolver.resolved
    return data


def new_interaction(
    emulator: Emulator, kind: int, user: st.User, channel: st.Channel, data: dict[str, Any] | None
) -> tuple[InteractionRecord, dict[str, Any]]:
    """Register an interaction by `user` in `channel`; returns it and its INTERACTION_CREATE payload."""
    record = InteractionRecord(
        id=emulator.ids.next(),
        token=secrets.token_urlsafe(24),
        type=kind,
        user=user,
        channel=channel,
        created=time.monotonic(),
    )
    emulator.interactions[record.id] = record
    emulator.open_modals.pop(user.id, None)  # whatever the member does next closes an open modal
    payload: dict[str, Any] = {
        "id": str(record.id),
        "application_id": str(emulator.application_id),
        "type": kind,
        "token": record.token,
        "version": 1,
        "locale": "en-US",
        "attachment_size_limit": 10 * 1024 * 1024,
        "entitlements": [],
        "authorizing_integration_owners": {"0": str(emulator.guild_id)},
        "channel_id": str(channel.id),
        "channel": {**channel.payload(), "permissions": str(st.ALL_PERMISSIONS)},
    }
    if data is not None:
        payload["data"] = data
    if channel.type == 1:
        payload["user"] = user.payload()
        payload["context"] = 1
        payload["app_permissions"] = str(st.BOT_PERMISSIONS)
    else:
        member = emulator.members[user.id]
        payload["guild_id"] = str(emulator.guild_id)
        payload["guild_locale"] = "en-US"
        payload["guild"] = {"id": str(emulator.guild_id), "locale": "en-US", "features": []}
        payload["context"] = 0
        payload["member"] = {
            **member.payload(),
            "permissions": str(emulator.permissions(member, channel)),
        }
        payload["app_permissions"] = str(emulator.permissions(emulator.members[emulator.bot_user.id], channel))
    return record, payload


async def dispatch_interaction(emulator: Emulator, record: InteractionRecord, payload: dict[str, Any]) -> None:
    await emulator.dispatch("INTERACTION_CREATE", payload)
    emulator.dispatch_times[record.id] = time.perf_counter()


# ----- modals ------------------------------------------------------------------------------------
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


# ----- finding the interaction a request is about ---------------------------------------------------
def interaction_of(emulator: Emulator, request: web.Request) -> InteractionRecord:
    """The {interaction_id}/{token} of a callback path."""
    try:
        record = emulator.interactions[int(request.match_info["interaction_id"])]
    except (KeyError, ValueError):
        raise unknown("interaction", 10062) from None
    if record.token != request.match_info["token"]:
        raise unknown("interaction", 10062)
    return record


def interaction_by_token(emulator: Emulator, request: web.Request) -> InteractionRecord:
    """The interaction behind a /webhooks/{application_id}/{token} path, once it has been answered."""
    if request.match_info["webhook_id"] != str(emulator.application_id):
        raise unknown("Webhook", 10015)
    token = request.match_info["token"]
    record = next((r for r in emulator.interactions.values() if r.token == token), None)
    if record is None or not record.responded:
        raise unknown("Webhook", 10015)
    return record


def webhook_message(emulator: Emulator, request: web.Request, record: InteractionRecord) -> st.Message:
    """The {message_id} of a webhook path: a message id, or @original."""
    raw = request.match_info["message_id"]
    message_id = record.original_message_id if raw == "@original" else int(raw)
    if raw == "@original" and message_id is None and record.message_id is not None:
        message_id = record.message_id  # a component's @original is the message clicked
    message = emulator.messages.get(message_id or 0)
    if message is None or message.deleted:
        raise unknown("Message", 10008)
    return message


def interaction_message(emulator: Emulator, record: InteractionRecord, body: dict[str, Any]) -> st.Message:
    """A response or follow-up: a message by the app's webhook, ephemeral only to the member."""
    message = message_from_body(emulator, body, record.channel, ephemeral_for=record.user.id)
    message.webhook_id = emulator.application_id
    message.type = 20 if record.type == APPLICATION_COMMAND else 0
    message.interaction = {
        "id": str(record.id),
        "type": record.type,
        "user": record.user.payload(),
        "authorizing_integration_owners": {},
    }
    return message


def _not_valid_here() -> APIError:
    return APIError(400, 40043, "Interaction response type not valid for this interaction")


# ----- the endpoints -------------------------------------------------------------------------------
async def interaction_callback(emulator: Emulator, request: web.Request, body: Any) -> web.Response:
    record = interaction_of(emulator, request)
    if record.responded:
        raise APIError(400, 40060, "Interaction has already been acknowledged.")
    if time.monotonic() - record.created > emulator.interaction_deadline:
        raise unknown("interaction", 10062)
    body = body or {}
    kind = int(body.get("type", 0))
    data = body.get("data") or {}
    message: st.Message | None = None
    if kind == MESSAGE:
        message = interaction_message(emulator, record, data)
        attach_uploads(emulator, message, data, uploads_of(request))
    elif kind == DEFERRED_MESSAGE:
        message = interaction_message(emulator, record, {**data, "content": "…"})
        message.content = ""
        message.flags |= LOADING_FLAG
    elif kind == UPDATE_MESSAGE:
        target = emulator.messages.get(record.message_id or 0)
        if target is None or record.type not in (MESSAGE_COMPONENT, MODAL_SUBMIT):
            raise _not_valid_here()
        record.responded = True
        record.response_type = kind
        apply_edit(emulator, target, data, uploads_of(request))
        message = target
    elif kind == AUTOCOMPLETE_RESULT:
        if record.type != AUTOCOMPLETE:
            raise _not_valid_here()
        choices = list(data.get("choices") or [])
        if len(choices) > MAX_CHOICES:
            raise invalid_form(f"data.choices: Must be {MAX_CHOICES} or fewer in length.")
        record.choices = choices
    elif kind == DEFERRED_UPDATE:
        if record.type not in (MESSAGE_COMPONENT, MODAL_SUBMIT) or record.message_id is None:
            raise _not_valid_here()
    elif kind == MODAL:
        if record.type not in (APPLICATION_COMMAND, MESSAGE_COMPONENT):
            raise _not_valid_here()  # a modal cannot answer autocomplete or another modal
        modal_fields(data)
        record.modal = data
        emulator.open_modals[record.user.id] = record
    else:
        raise invalid_form(f"type: {kind} is not a valid interaction callback type")
    record.responded = True
    record.response_type = kind
    interaction: dict[str, Any] = {
        "id": str(record.id),
        "type": record.type,
        "response_message_loading": kind == DEFERRED_MESSAGE,
        "response_message_ephemeral": bool(message and message.ephemeral),
    }
    resource: dict[str, Any] = {"type": kind}
    if message is not None and kind in (MESSAGE, DEFERRED_MESSAGE):
        record.original_message_id = message.id
        interaction["response_message_id"] = str(message.id)
        emulator.messages[message.id] = message
        if kind == MESSAGE:
            await deliver_message(emulator, message)
        resource["message"] = message.payload(resolve=emulator.find_user)
    elif message is not None:
        resource["message"] = message.payload(resolve=emulator.find_user)
    record.done.set()
    return json_response({"interaction": interaction, "resource": resource})


async def create_followup(emulator: Emulator, request: web.Request, body: Any) -> web.Response:
    record = interaction_by_token(emulator, request)
    body = body or {}
    original = emulator.messages.get(record.original_message_id or 0)
    if original is not None and original.flags & LOADING_FLAG:
        apply_edit(emulator, original, body, uploads_of(request))  # the first follow-up after a deferral fills it in
        return message_response(emulator, original)
    message = interaction_message(emulator, record, body)
    attach_uploads(emulator, message, body, uploads_of(request))
    await deliver_message(emulator, message)
    return message_response(emulator, message)


async def get_webhook_message(emulator: Emulator, request: web.Request, body: Any) -> web.Response:
    record = interaction_by_token(emulator, request)
    return message_response(emulator, webhook_message(emulator, request, record))


async def edit_webhook_message(emulator: Emulator, request: web.Request, body: Any) -> web.Response:
    record = interaction_by_token(emulator, request)
    message = webhook_message(emulator, request, record)
    apply_edit(emulator, message, body or {}, uploads_of(request))
    return message_response(emulator, message)


async def delete_webhook_message(emulator: Emulator, request: web.Request, body: Any) -> web.Response:
    record = interaction_by_token(emulator, request)
    message = webhook_message(emulator, request, record)
    message.deleted = True
    return json_response(None, 204)

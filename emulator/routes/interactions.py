"""Interactions from start to finish.

Before: whether Discord's client would offer the command at all (`check_command_allowed`), then
INTERACTION_CREATE as Discord sends it (`new_interaction`, `dispatch_interaction`); the facade's
`Emulator.invoke` and `Emulator.click` use these. After: the REST endpoints the bot answers with
(the callback within the deadline, then follow-ups and @original by token).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import web

from emulator import state as st
from emulator.errors import APIError, Refused, invalid_form, unknown
from emulator.invocation import CHANNEL, MENTIONABLE, ROLE, USER, Resolver, convert_value
from emulator.persistence import interaction_token
from emulator.routes.base import json_response
from emulator.routes.messages import LOADING_FLAG, apply_edit, deliver_message, message_from_body, message_response
from emulator.routes.modals import modal_fields
from emulator.routes.uploads import attach_uploads, uploads_of
from emulator.validation import check_autocomplete_result

if TYPE_CHECKING:
    from emulator.server import Emulator

# Interaction types.
APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 2, 3, 4, 5
# Interaction callback types.
MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE, AUTOCOMPLETE_RESULT, MODAL = 4, 5, 6, 7, 8, 9
# Which callback types Discord accepts for each interaction type (Interactions page).
ALLOWED_CALLBACKS = {
    APPLICATION_COMMAND: {MESSAGE, DEFERRED_MESSAGE, MODAL},
    MESSAGE_COMPONENT: {MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE, MODAL},
    AUTOCOMPLETE: {AUTOCOMPLETE_RESULT},
    MODAL_SUBMIT: {MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE},
}


@dataclass
class InteractionRecord:
    """An interaction a member started, and how the bot has answered it so far."""

    id: int
    token: str
    type: int
    user: st.User
    channel: st.Channel
    created: float
    created_at: Any = None  # the emulator clock's instant (the token's 15 minutes count on both clocks)
    label: str = ""
    responded: bool = False
    response_type: int | None = None
    original_message_id: int | None = None
    message_id: int | None = None  # for component clicks: the message clicked
    choices: list[dict[str, Any]] | None = None
    modal: dict[str, Any] | None = None  # the modal the bot answered with, while it is open
    opened_by: InteractionRecord | None = None  # a modal submit: the interaction that opened the modal
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
    interaction_id = emulator.ids.next()
    record = InteractionRecord(
        id=interaction_id,
        token=interaction_token(interaction_id),
        type=kind,
        user=user,
        channel=channel,
        created=time.monotonic(),
        created_at=emulator.now(),
    )
    emulator.interactions[record.id] = record
    emulator.open_modals.pop(user.id, None)  # whatever the member does next closes an open modal
    guild = emulator.guild_of(channel)
    payload: dict[str, Any] = {
        "id": str(record.id),
        "application_id": str(emulator.application_id),
        "type": kind,
        "token": record.token,
        "version": 1,
        "locale": "en-US",
        "attachment_size_limit": 10 * 1024 * 1024,
        "entitlements": [],
        "authorizing_integration_owners": {"0": str(guild.id if guild else emulator.guild_id)},
        "channel_id": str(channel.id),
    }
    if data is not None:
        payload["data"] = data
    if guild is None:
        payload["channel"] = {**channel.payload(), "permissions": str(st.ALL_PERMISSIONS)}
        payload["user"] = user.payload()
        payload["context"] = 1
        payload["app_permissions"] = str(st.BOT_PERMISSIONS)
    else:
        member = guild.members[user.id]
        permissions = emulator.permissions(member, channel)
        payload["channel"] = {**channel.payload(), "permissions": str(permissions)}
        payload["guild_id"] = str(guild.id)
        payload["guild_locale"] = "en-US"
        payload["guild"] = {"id": str(guild.id), "locale": "en-US", "features": []}
        payload["context"] = 0
        payload["member"] = {**member.payload(), "permissions": str(permissions)}
        payload["app_permissions"] = str(emulator.permissions(emulator.bot_member(guild), channel))
    return record, payload


def token_expired(emulator: Emulator, record: InteractionRecord) -> bool:
    """An interaction token lives 15 minutes (on the emulator's clock, or in real time)."""
    lifetime = emulator.limits.token_lifetime_seconds
    clock_age = (emulator.now() - record.created_at).total_seconds() if record.created_at is not None else 0.0
    return max(clock_age, time.monotonic() - record.created) > lifetime


async def dispatch_interaction(emulator: Emulator, record: InteractionRecord, payload: dict[str, Any]) -> None:
    await emulator.dispatch("INTERACTION_CREATE", payload)
    emulator.dispatch_times[record.id] = time.perf_counter()


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
    if record is None or not record.responded or token_expired(emulator, record):
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


def interaction_message(
    emulator: Emulator, record: InteractionRecord, body: dict[str, Any], request: web.Request | None = None
) -> st.Message:
    """A response or follow-up: a message by the app's webhook, ephemeral only to the member, with
    the files the request uploaded."""
    uploads = uploads_of(request) if request is not None else {}
    message = message_from_body(emulator, body, record.channel, ephemeral_for=record.user.id, uploads=len(uploads))
    attach_uploads(emulator, message, body, uploads)
    message.webhook_id = emulator.application_id
    message.type = 20 if record.type == APPLICATION_COMMAND else 0
    message.interaction = interaction_metadata(record)
    if record.type == MODAL_SUBMIT and record.opened_by is not None:
        message.interaction["triggering_interaction_metadata"] = interaction_metadata(record.opened_by)
    return message


def interaction_metadata(record: InteractionRecord) -> dict[str, Any]:
    """What a response message says about the interaction behind it (`interaction_metadata`)."""
    metadata: dict[str, Any] = {
        "id": str(record.id),
        "type": record.type,
        "user": record.user.payload(),
        "authorizing_integration_owners": {},
    }
    if record.type == MESSAGE_COMPONENT and record.message_id is not None:
        metadata["interacted_message_id"] = str(record.message_id)
    return metadata


def _not_valid_here() -> APIError:
    return APIError(400, 40043, "Interaction response type not valid for this interaction")


# ----- the endpoints -------------------------------------------------------------------------------
async def interaction_callback(emulator: Emulator, request: web.Request, body: Any) -> web.Response:
    record = interaction_of(emulator, request)
    if record.responded:
        raise APIError(400, 40060, "Interaction has already been acknowledged.")
    if time.monotonic() - record.created > emulator.limits.initial_response_seconds:
        raise unknown("interaction", 10062)
    body = body if isinstance(body, dict) else {}
    kind = body.get("type")
    if kind not in (MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE, AUTOCOMPLETE_RESULT, MODAL):
        raise invalid_form("type: Value must be one of {4, 5, 6, 7, 8, 9}.", "BASE_TYPE_CHOICES")
    if kind not in ALLOWED_CALLBACKS.get(record.type, set()):
        raise _not_valid_here()
    data = body.get("data") or {}
    message: st.Message | None = None
    if kind == MESSAGE:
        message = interaction_message(emulator, record, data, request)
    elif kind == DEFERRED_MESSAGE:
        message = interaction_message(emulator, record, {**data, "content": "…"})
        message.content = ""
        message.flags |= LOADING_FLAG
    elif kind == UPDATE_MESSAGE:
        target = emulator.messages.get(record.message_id or 0)
        if target is None:  # a modal submitted from a command has no message to update
            raise _not_valid_here()
        record.responded = True
        record.response_type = kind
        await apply_edit(emulator, target, data, uploads_of(request))
        message = target
    elif kind == AUTOCOMPLETE_RESULT:
        record.choices = check_autocomplete_result(data, emulator.limits)
    elif kind == DEFERRED_UPDATE and record.message_id is None:
        raise _not_valid_here()
    elif kind == MODAL:
        modal_fields(data)
        record.modal = data
        emulator.open_modals[record.user.id] = record
    record.responded = True
    record.response_type = kind
    interaction: dict[str, Any] = {
        "id": str(record.id),
        "type": record.type,
        "response_message_loading": kind == DEFERRED_MESSAGE,
        "response_message_ephemeral": bool(message and message.ephemeral),
    }
    answer: dict[str, Any] = {"interaction": interaction}
    if message is not None and kind in (MESSAGE, DEFERRED_MESSAGE):
        record.original_message_id = message.id
        interaction["response_message_id"] = str(message.id)
        emulator.messages[message.id] = message
        if kind == MESSAGE:
            await deliver_message(emulator, message)
            answer["resource"] = {"type": kind, "message": message.payload(resolve=emulator.find_user)}
    elif message is not None:
        answer["resource"] = {"type": kind, "message": message.payload(resolve=emulator.find_user)}
    record.done.set()
    if request.query.get("with_response", "false").lower() not in ("true", "1"):
        return json_response(None, 204)
    return json_response(answer)


async def create_followup(emulator: Emulator, request: web.Request, body: Any) -> web.Response:
    record = interaction_by_token(emulator, request)
    body = body if body is not None else {}
    original = emulator.messages.get(record.original_message_id or 0)
    if original is not None and original.flags & LOADING_FLAG:
        await apply_edit(emulator, original, body, uploads_of(request))  # a deferral's first follow-up fills it
        return message_response(emulator, original)
    message = interaction_message(emulator, record, body, request)
    await deliver_message(emulator, message)
    if request.query.get("wait", "false").lower() not in ("true", "1"):
        return json_response(None, 204)
    return message_response(emulator, message)


async def get_webhook_message(emulator: Emulator, request: web.Request, body: Any) -> web.Response:
    record = interaction_by_token(emulator, request)
    return message_response(emulator, webhook_message(emulator, request, record))


async def edit_webhook_message(emulator: Emulator, request: web.Request, body: Any) -> web.Response:
    record = interaction_by_token(emulator, request)
    message = webhook_message(emulator, request, record)
    await apply_edit(emulator, message, body or {}, uploads_of(request))
    return message_response(emulator, message)


async def delete_webhook_message(emulator: Emulator, request: web.Request, body: Any) -> web.Response:
    record = interaction_by_token(emulator, request)
    message = webhook_message(emulator, request, record)
    message.deleted = True
    return json_response(None, 204)

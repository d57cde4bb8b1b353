"""Messages: how they come to exist and change, and the REST endpoints for them in channels.

Every way a message appears goes through `record_message` (and, when the bot should hear of it,
`deliver_message`); every edit through `apply_edit`. Members' messages (Emulator.send_message),
the bot's own, interaction responses, follow-ups and webhook edits all share them, so the same
limits, edit rules and MESSAGE_CREATE shaping apply everywhere.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from emulator import state as st
from emulator.errors import APIError, FormErrors, invalid_form, unknown
from emulator.gateway import INTENT_DIRECT_MESSAGES, INTENT_GUILD_MESSAGES, INTENT_MESSAGE_CONTENT, Session
from emulator.routes.base import json_response
from emulator.routes.channels import channel_of
from emulator.routes.uploads import MAX_UPLOAD_BYTES, Upload, attach_uploads, uploads_of
from emulator.validation import DEFAULT_LIMITS, check_components, check_message_body, check_nonce

if TYPE_CHECKING:
    from emulator.server import Emulator

LOADING_FLAG = 1 << 7  # "Lantern is thinking…": a deferred response not yet edited

__all__ = ["MAX_UPLOAD_BYTES", "Upload", "attach_uploads", "check_select_menus", "uploads_of"]


def check_select_menus(components: list[dict[str, Any]]) -> None:
    """Discord's rules for the select menus among `components` (the same checks every message gets)."""
    errors = FormErrors()
    check_components(errors, components, DEFAULT_LIMITS)
    errors.raise_if_any()


def record_message(emulator: Emulator, message: st.Message) -> None:
    """A message now exists as members see it: keep it, and tell the listeners."""
    emulator.messages[message.id] = message
    for listener in list(emulator.message_listeners):
        listener(message, False)


def record_edit(emulator: Emulator, message: st.Message) -> None:
    """Tell the listeners that a message members can see has changed."""
    for listener in list(emulator.message_listeners):
        listener(message, True)


def _shape_for(emulator: Emulator, message: st.Message) -> Callable[[Session, dict[str, Any]], dict[str, Any]]:
    """Blank content for a session without Message Content, as Discord does (DMs, mentions and
    the bot's own messages keep it)."""
    bot_id = emulator.bot_user.id

    def shape(session: Session, payload: dict[str, Any]) -> dict[str, Any]:
        if session.intents & INTENT_MESSAGE_CONTENT or message.channel.type == st.DM or message.author.id == bot_id:
            return payload
        if str(bot_id) in [m["id"] for m in payload["mentions"]]:
            return payload
        return {**payload, "content": "", "embeds": [], "attachments": [], "components": []}

    return shape


def _event_payload(emulator: Emulator, message: st.Message) -> dict[str, Any]:
    guild = emulator.guild_of(message.channel)
    author = guild.members.get(message.author.id) if guild is not None else None
    return message.payload(guild_member=author, resolve=emulator.find_user)


def _intent_for(message: st.Message) -> int:
    """The intent a bot needs to receive events about this message."""
    return INTENT_DIRECT_MESSAGES if message.channel.type == st.DM else INTENT_GUILD_MESSAGES


async def deliver_message(emulator: Emulator, message: st.Message) -> None:
    """Record a new message and send the bot MESSAGE_CREATE, shaped by its intents as on Discord."""
    record_message(emulator, message)
    if message.ephemeral:
        return
    intent = _intent_for(message)
    payload = _event_payload(emulator, message)
    shape = _shape_for(emulator, message)
    if await emulator.dispatch("MESSAGE_CREATE", payload, intent=intent, shape=shape) is not None:
        emulator.dispatch_times[message.id] = time.perf_counter()


async def deliver_update(emulator: Emulator, message: st.Message) -> None:
    """MESSAGE_UPDATE for an edited message (the full message, as Discord now sends it)."""
    record_edit(emulator, message)
    if message.ephemeral:
        return
    intent = _intent_for(message)
    payload = _event_payload(emulator, message)
    await emulator.dispatch("MESSAGE_UPDATE", payload, intent=intent, shape=_shape_for(emulator, message))


def message_response(emulator: Emulator, message: st.Message) -> web.Response:
    return json_response(message.payload(resolve=emulator.find_user))


def message_from_body(
    emulator: Emulator,
    body: dict[str, Any],
    channel: st.Channel,
    *,
    ephemeral_for: int | None = None,
    uploads: int = 0,
) -> st.Message:
    """A new message by the bot from a create-message body, checked against Discord's limits."""
    if not isinstance(body, dict):
        raise invalid_form("expected an object")
    check_message_body(body, emulator.limits, files=uploads)
    flags = int(body.get("flags") or 0)
    reference = body.get("message_reference") or None
    reference_id = int(reference["message_id"]) if reference and reference.get("message_id") else None
    if reference_id is not None and reference_id not in emulator.messages:
        if reference is None or reference.get("fail_if_not_exists", True):
            raise invalid_form("message_reference: Unknown message")
        reference_id = None
    return st.Message(
        id=emulator.ids.next(),
        channel=channel,
        author=emulator.bot_user,
        content=body.get("content") or "",
        timestamp=emulator.now(),
        embeds=list(body.get("embeds") or []),
        components=st.normalized_components(list(body.get("components") or [])),
        flags=flags,
        reference_id=reference_id,
        allowed_mentions=body.get("allowed_mentions"),
        visible_to=ephemeral_for if flags & st.EPHEMERAL_FLAG else None,
        type=19 if reference_id else 0,
    )


async def apply_edit(
    emulator: Emulator, message: st.Message, body: dict[str, Any], uploads: dict[int, Upload] | None = None
) -> None:
    """Edit a message as Discord does: fields left out stay, null clears; a deferred one appears now."""
    merged: dict[str, Any] = {
        "content": message.content,
        "embeds": message.embeds,
        "components": message.components,
        "flags": message.flags,
    }
    for key in ("content", "embeds", "components"):
        if key in body:
            merged[key] = body[key] if body[key] is not None else ([] if key != "content" else "")
    attachments = body.get("attachments", message.attachments)
    check_message_body({**merged, "attachments": attachments}, emulator.limits, files=len(uploads or {}))
    attach_uploads(emulator, message, body, uploads or {})
    message.content = merged["content"] or ""
    message.embeds = list(merged["embeds"] or [])
    message.components = st.normalized_components(list(merged["components"] or []))
    if "allowed_mentions" in body:
        message.allowed_mentions = body["allowed_mentions"]
    was_loading = bool(message.flags & LOADING_FLAG)
    message.flags &= ~LOADING_FLAG
    if was_loading:
        record_message(emulator, message)
    else:
        message.edited = emulator.now()
        await deliver_update(emulator, message)


def message_of(emulator: Emulator, request: web.Request, channel: st.Channel | None = None) -> st.Message:
    """The {message_id} of the path, if it exists, is not deleted and is in `channel`."""
    try:
        message = emulator.messages[int(request.match_info["message_id"])]
    except (KeyError, ValueError):
        raise unknown("Message", 10008) from None
    if message.deleted or (channel is not None and message.channel is not channel):
        raise unknown("Message", 10008)
    return message


def nonce_of(body: dict[str, Any]) -> str | None:
    """The body's nonce as Discord checks it (`validation.check_nonce`), as a string."""
    errors = FormErrors()
    check_nonce(errors, body.get("nonce"), DEFAULT_LIMITS)
    errors.raise_if_any()
    return None if body.get("nonce") is None else str(body["nonce"])


def earlier_with_nonce(emulator: Emulator, channel: st.Channel, nonce: str) -> st.Message | None:
    """The bot's message in `channel` created with `nonce` within the window, if any."""
    found = emulator.message_nonces.get((channel.id, emulator.bot_user.id, nonce))
    if found is None:
        return None
    message_id, created = found
    if (emulator.now() - created).total_seconds() > emulator.limits.nonce_window_seconds:
        return None
    return emulator.messages.get(message_id)


def check_bot_may_send(emulator: Emulator, channel: st.Channel, body: dict[str, Any]) -> None:
    """Discord's permission checks for the bot posting in a guild channel or thread."""
    guild = emulator.guild_of(channel)
    if guild is None:
        return
    perms = emulator.permissions(emulator.bot_member(guild), channel)
    send = st.SEND_MESSAGES_IN_THREADS if channel.is_thread else st.SEND_MESSAGES
    if perms & (st.VIEW_CHANNEL | send) != (st.VIEW_CHANNEL | send):
        raise APIError(403, 50013, "Missing Permissions")
    if body.get("embeds") and not perms & st.EMBED_LINKS:
        raise APIError(403, 50013, "Missing Permissions")
    if body.get("message_reference") and not perms & st.READ_MESSAGE_HISTORY:
        raise APIError(400, 160002, "Cannot reply without permission to read message history")


async def create_message(emulator: Emulator, request: web.Request, body: Any) -> web.Response:
    channel = channel_of(emulator, request)
    body = body if body is not None else {}
    if channel.type == st.DM:
        assert channel.recipient is not None
        if not channel.recipient.dms_open:
            raise APIError(403, 50007, "Cannot send messages to this user")
    elif isinstance(body, dict):
        check_bot_may_send(emulator, channel, body)
    if not isinstance(body, dict):
        raise invalid_form("expected an object")
    nonce = nonce_of(body)
    if nonce is not None and body.get("enforce_nonce"):
        earlier = earlier_with_nonce(emulator, channel, nonce)
        if earlier is not None:
            if earlier.deleted:  # Discord does not re-create a message deleted since
                raise unknown("Message", 10008)
            return json_response({**earlier.payload(resolve=emulator.find_user), "nonce": nonce})
    uploads = uploads_of(request)
    message = message_from_body(emulator, body, channel, uploads=len(uploads))
    message.flags &= ~st.EPHEMERAL_FLAG  # only interaction responses can be ephemeral
    message.visible_to = None
    attach_uploads(emulator, message, body, uploads)
    if nonce is not None:
        emulator.message_nonces[(channel.id, emulator.bot_user.id, nonce)] = (message.id, emulator.now())
    await deliver_message(emulator, message)
    payload = message.payload(resolve=emulator.find_user)
    if nonce is not None:
        payload["nonce"] = nonce
    return json_response(payload)


async def get_message(emulator: Emulator, request: web.Request, body: Any) -> web.Response:
    message = message_of(emulator, request, channel_of(emulator, request))
    if message.ephemeral:
        raise unknown("Message", 10008)
    return message_response(emulator, message)


async def edit_message(emulator: Emulator, request: web.Request, body: Any) -> web.Response:
    message = message_of(emulator, request, channel_of(emulator, request))
    if message.author.id != emulator.bot_user.id:
        raise APIError(403, 50005, "Cannot edit a message authored by another user")
    await apply_edit(emulator, message, body or {}, uploads_of(request))
    return message_response(emulator, message)


async def delete_message(emulator: Emulator, request: web.Request, body: Any) -> web.Response:
    channel = channel_of(emulator, request)
    message = message_of(emulator, request, channel)
    if message.author.id != emulator.bot_user.id:
        raise APIError(403, 50013, "Missing Permissions")
    message.deleted = True
    payload = {"id": str(message.id), "channel_id": str(channel.id)}
    if channel.guild_id:
        payload["guild_id"] = str(channel.guild_id)
    intent = INTENT_DIRECT_MESSAGES if channel.type == 1 else INTENT_GUILD_MESSAGES
    await emulator.dispatch("MESSAGE_DELETE", payload, intent=intent)
    return json_response(None, 204)

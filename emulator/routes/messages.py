"""Messages: how they come to exist and change, and the REST endpoints for them in channels.

Every way a message appears goes through `record_message` (and, when the bot should hear of it,
`deliver_message`); every edit through `apply_edit`. Members' messages (Emulator.send_message),
the bot's own, interaction responses, follow-ups and webhook edits all share them, so the same
limits, edit rules and MESSAGE_CREATE shaping apply everywhere.
"""

from __future__ import annotations

import struct
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from aiohttp import web
from multidict import MultiDictProxy

from emulator import state as st
from emulator.errors import APIError, invalid_form, unknown
from emulator.gateway import INTENT_DIRECT_MESSAGES, INTENT_GUILD_MESSAGES, INTENT_MESSAGE_CONTENT
from emulator.routes.base import json_response
from emulator.routes.channels import channel_of
from emulator.validation import check_message_body

if TYPE_CHECKING:
    from emulator.server import Emulator

LOADING_FLAG = 1 << 7  # "Lantern is thinking…": a deferred response not yet edited
# Where a multipart request keeps its files (aiohttp's per-request storage; a typed key where aiohttp has them).
UPLOADS: Any = web.RequestKey("emulator.uploads", dict) if hasattr(web, "RequestKey") else "emulator.uploads"
MAX_ATTACHMENTS = 10
MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # a bot's default upload limit (also `attachment_size_limit`)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# With `enforce_nonce`, Discord returns the earlier message of the same author, channel and nonce
# "within a few minutes" instead of creating another; the exact window is not documented.
NONCE_WINDOW = timedelta(minutes=3)
NONCE_MAX_LENGTH = 25
INT64 = 2**63
SELECT_LIMITS = {"custom_id": 100, "placeholder": 150}
OPTION_LIMITS = {"label": 100, "value": 100, "description": 100}
MAX_SELECT_OPTIONS = 25


def check_select_menus(components: list[dict[str, Any]]) -> None:
    """Discord's rules for select menus: alone in their row, an id, 1-25 options, sane value counts."""
    for row_index, row in enumerate(components):
        if row.get("type") != 1:
            continue
        items = row.get("components") or []
        selects = [item for item in items if item.get("type") in st.SELECT_KINDS]
        if selects and len(items) > 1:
            raise invalid_form(f"components.{row_index}: a select menu must be alone in its action row.")
        for select in selects:
            where = f"components.{row_index}.components.0"
            if not select.get("custom_id"):
                raise invalid_form(f"{where}.custom_id: This field is required.")
            for key, limit in SELECT_LIMITS.items():
                if len(select.get(key) or "") > limit:
                    raise invalid_form(f"{where}.{key}: Must be {limit} or fewer in length.")
            low, high = int(select.get("min_values", 1)), int(select.get("max_values", 1))
            if not 0 <= low <= 25 or not 1 <= high <= 25 or low > high:
                problem = f"min_values ({low}) and max_values ({high}) must be 0-25, 1-25, min ≤ max."
                raise invalid_form(f"{where}: {problem}")
            if select["type"] == st.STRING_SELECT:
                _check_options(where, select.get("options") or [], high)
            elif len(select.get("default_values") or []) > high:
                raise invalid_form(f"{where}.default_values: Must be {high} or fewer in length.")


def _check_options(where: str, options: list[dict[str, Any]], max_values: int) -> None:
    if not 1 <= len(options) <= MAX_SELECT_OPTIONS:
        raise invalid_form(f"{where}.options: Must be between 1 and {MAX_SELECT_OPTIONS} in length.")
    seen: set[str] = set()
    for index, option in enumerate(options):
        for key, limit in OPTION_LIMITS.items():
            value = option.get(key)
            if key != "description" and not value:
                raise invalid_form(f"{where}.options.{index}.{key}: This field is required.")
            if len(value or "") > limit:
                raise invalid_form(f"{where}.options.{index}.{key}: Must be {limit} or fewer in length.")
        if option["value"] in seen:
            raise invalid_form(f"{where}.options.{index}.value: option values must be unique.")
        seen.add(option["value"])
    if sum(1 for option in options if option.get("default")) > max_values:
        raise invalid_form(f"{where}.options: more options are marked default than max_values allows.")


@dataclass(frozen=True)
class Upload:
    """One file part of a multipart request (`files[N]`)."""

    filename: str
    data: bytes


def read_uploads(form: MultiDictProxy[Any]) -> dict[int, Upload]:
    """The `files[N]` parts of a multipart form, by N."""
    uploads: dict[int, Upload] = {}
    for name, value in form.items():
        if isinstance(value, web.FileField) and name.startswith("files[") and name.endswith("]"):
            index = name[len("files[") : -1]
            if not index.isdigit():
                raise invalid_form(f"{name}: not a valid file field name")
            uploads[int(index)] = Upload(value.filename, value.file.read())
    return uploads


def uploads_of(request: web.Request) -> dict[int, Upload]:
    uploads: dict[int, Upload] = request.get(UPLOADS, {})
    return uploads


def _image_fields(data: bytes) -> dict[str, Any]:
    """What Discord detects from the bytes: a PNG's type and size (other files are octet streams)."""
    if data[:8] == PNG_SIGNATURE and len(data) >= 24 and data[12:16] == b"IHDR":
        width, height = struct.unpack(">II", data[16:24])
        return {"content_type": "image/png", "width": width, "height": height}
    return {"content_type": "application/octet-stream"}


def attach_uploads(emulator: Emulator, message: st.Message, body: dict[str, Any], uploads: dict[int, Upload]) -> None:
    """Set a message's attachments from `body["attachments"]`: new files by upload index, existing
    attachments (on an edit) by id; unreferenced uploads are attached too, as Discord does."""
    listed = body.get("attachments")
    if listed is None and not uploads:
        return
    kept: list[dict[str, Any]] = []
    files: dict[str, bytes] = {}
    used: set[int] = set()
    existing = {a["id"]: a for a in message.attachments}
    for index, entry in enumerate(listed or []):
        ref = entry.get("id")
        if str(ref) in existing:
            kept.append(existing[str(ref)])
            files[str(ref)] = message.files.get(str(ref), b"")
            continue
        if ref is None or not str(ref).isdigit() or int(ref) not in uploads:
            raise invalid_form(f"attachments.{index}.id: no file was uploaded as files[{ref}]")
        used.add(int(ref))
        kept.append(_attachment(emulator, message, uploads[int(ref)], entry, files))
    for ref in sorted(set(uploads) - used):
        kept.append(_attachment(emulator, message, uploads[ref], {}, files))
    if len(kept) > MAX_ATTACHMENTS:
        raise invalid_form(f"attachments: Must be {MAX_ATTACHMENTS} or fewer in length.")
    message.attachments = kept
    message.files = files


def _attachment(
    emulator: Emulator, message: st.Message, upload: Upload, entry: dict[str, Any], files: dict[str, bytes]
) -> dict[str, Any]:
    if len(upload.data) > MAX_UPLOAD_BYTES:
        raise APIError(413, 40005, "Request entity too large")
    attachment_id = str(emulator.ids.next())
    filename = entry.get("filename") or upload.filename
    url = f"https://cdn.discordapp.com/attachments/{message.channel.id}/{attachment_id}/{filename}"
    files[attachment_id] = upload.data
    attachment: dict[str, Any] = {
        "id": attachment_id,
        "filename": filename,
        "size": len(upload.data),
        "url": url,
        "proxy_url": url.replace("cdn.discordapp.com", "media.discordapp.net"),
        **_image_fields(upload.data),
    }
    if entry.get("description"):
        attachment["description"] = entry["description"]
    if message.ephemeral:
        attachment["ephemeral"] = True
    return attachment


def record_message(emulator: Emulator, message: st.Message) -> None:
    """A message now exists as members see it: keep it, and tell the listeners."""
    emulator.messages[message.id] = message
    for listener in list(emulator.message_listeners):
        listener(message, False)


def record_edit(emulator: Emulator, message: st.Message) -> None:
    """Tell the listeners that a message members can see has changed."""
    for listener in list(emulator.message_listeners):
        listener(message, True)


async def deliver_message(emulator: Emulator, message: st.Message) -> None:
    """Record a new message and send the bot MESSAGE_CREATE, shaped by its intents as on Discord."""
    record_message(emulator, message)
    if message.ephemeral:
        return
    session = emulator.gateway.session
    if session is None:
        return
    bot_id = emulator.bot_user.id
    is_dm = message.channel.type == 1
    intent = INTENT_DIRECT_MESSAGES if is_dm else INTENT_GUILD_MESSAGES
    author = emulator.members.get(message.author.id) if not is_dm else None
    payload = message.payload(guild_member=author, resolve=emulator.find_user)
    mentioned = str(bot_id) in [m["id"] for m in payload["mentions"]]
    own = message.author.id == bot_id
    if not is_dm and not own and not mentioned and not session.intents & INTENT_MESSAGE_CONTENT:
        payload.update(content="", embeds=[], attachments=[], components=[])
    if await emulator.dispatch("MESSAGE_CREATE", payload, intent=intent) is not None:
        emulator.dispatch_times[message.id] = time.perf_counter()


def message_response(emulator: Emulator, message: st.Message) -> web.Response:
    return json_response(message.payload(resolve=emulator.find_user))


def message_from_body(
    emulator: Emulator, body: dict[str, Any], channel: st.Channel, *, ephemeral_for: int | None = None
) -> st.Message:
    """A new message by the bot from a create-message body, checked against Discord's limits."""
    check_message_body(body)
    check_select_menus(body.get("components") or [])
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
        components=list(body.get("components") or []),
        flags=flags,
        reference_id=reference_id,
        allowed_mentions=body.get("allowed_mentions"),
        visible_to=ephemeral_for if flags & st.EPHEMERAL_FLAG else None,
        type=19 if reference_id else 0,
    )


def apply_edit(
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
    check_message_body({**merged, "attachments": body.get("attachments", message.attachments)})
    check_select_menus(merged["components"] or [])
    attach_uploads(emulator, message, body, uploads or {})
    message.content = merged["content"] or ""
    message.embeds = list(merged["embeds"] or [])
    message.components = list(merged["components"] or [])
    if "allowed_mentions" in body:
        message.allowed_mentions = body["allowed_mentions"]
    was_loading = bool(message.flags & LOADING_FLAG)
    message.flags &= ~LOADING_FLAG
    if was_loading:
        record_message(emulator, message)
    else:
        message.edited = emulator.now()
        record_edit(emulator, message)


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
    """The body's nonce as Discord checks it: a string of up to 25 characters or a 64-bit integer."""
    nonce = body.get("nonce")
    if nonce is None:
        return None
    if isinstance(nonce, bool) or not isinstance(nonce, str | int):
        raise invalid_form("nonce: This field must be a string or integer.")
    if isinstance(nonce, int) and not -INT64 <= nonce < INT64:
        raise invalid_form("nonce: Must be a 64-bit integer.")
    if isinstance(nonce, str) and len(nonce) > NONCE_MAX_LENGTH:
        raise invalid_form(f"nonce: Must be {NONCE_MAX_LENGTH} or fewer in length.")
    return str(nonce)


def earlier_with_nonce(emulator: Emulator, channel: st.Channel, nonce: str) -> st.Message | None:
    """The bot's message in `channel` created with `nonce` within the window, if any."""
    found = emulator.message_nonces.get((channel.id, emulator.bot_user.id, nonce))
    if found is None:
        return None
    message_id, created = found
    if emulator.now() - created > NONCE_WINDOW:
        return None
    return emulator.messages.get(message_id)


async def create_message(emulator: Emulator, request: web.Request, body: Any) -> web.Response:
    channel = channel_of(emulator, request)
    if channel.type == 1:
        assert channel.recipient is not None
        if not channel.recipient.dms_open:
            raise APIError(403, 50007, "Cannot send messages to this user")
    else:
        perms = emulator.permissions(emulator.members[emulator.bot_user.id], channel)
        if perms & (st.VIEW_CHANNEL | st.SEND_MESSAGES) != (st.VIEW_CHANNEL | st.SEND_MESSAGES):
            raise APIError(403, 50013, "Missing Permissions")
    body = body or {}
    nonce = nonce_of(body)
    if nonce is not None and body.get("enforce_nonce"):
        earlier = earlier_with_nonce(emulator, channel, nonce)
        if earlier is not None:
            if earlier.deleted:  # Discord does not re-create a message deleted since
                raise unknown("Message", 10008)
            return json_response({**earlier.payload(resolve=emulator.find_user), "nonce": nonce})
    message = message_from_body(emulator, body, channel)
    message.flags &= ~st.EPHEMERAL_FLAG  # only interaction responses can be ephemeral
    message.visible_to = None
    attach_uploads(emulator, message, body or {}, uploads_of(request))
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
    apply_edit(emulator, message, body or {}, uploads_of(request))
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

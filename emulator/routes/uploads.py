"""Files a bot uploads with a message (multipart `files[N]` parts), and the attachments they become."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiohttp import web
from multidict import MultiDictProxy

from emulator import state as st
from emulator.errors import APIError, invalid_form
from emulator.limits import Limits

if TYPE_CHECKING:
    from emulator.server import Emulator

# Where a multipart request keeps its files (aiohttp's per-request storage; a typed key where aiohttp has them).
UPLOADS: Any = web.RequestKey("emulator.uploads", dict) if hasattr(web, "RequestKey") else "emulator.uploads"
MAX_ATTACHMENTS = Limits().attachments
MAX_UPLOAD_BYTES = Limits().upload_bytes  # a bot's default upload limit (also `attachment_size_limit`)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


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

"""Shared pieces of the validators: URL and timestamp checks, component type numbers."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from emulator.errors import FormErrors
from emulator.limits import Limits

DEFAULT_LIMITS = Limits()
COMPONENTS_V2_FLAG = 1 << 15
# Component types.
ACTION_ROW, BUTTON, STRING_SELECT, TEXT_INPUT = 1, 2, 3, 4
AUTO_SELECTS = (5, 6, 7, 8)  # user, role, mentionable, channel selects
SECTION, TEXT_DISPLAY, THUMBNAIL, MEDIA_GALLERY, FILE, SEPARATOR, CONTAINER, LABEL = 9, 10, 11, 12, 13, 14, 17, 18
V2_TYPES = {SECTION, TEXT_DISPLAY, THUMBNAIL, MEDIA_GALLERY, FILE, SEPARATOR, CONTAINER}
LINK_STYLE, PREMIUM_STYLE = 5, 6


def is_url(value: Any, *, attachment: bool = False) -> bool:
    if not isinstance(value, str):
        return False
    parts = urlsplit(value)
    if attachment and parts.scheme == "attachment":
        return bool(parts.netloc or parts.path)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def is_timestamp(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def check_string(errors: FormErrors, path: str, value: Any) -> bool:
    if value is not None and not isinstance(value, str):
        errors.add(path, "BASE_TYPE_STRING", "Must be a string.")
        return False
    return True

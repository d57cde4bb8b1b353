"""Lantern's error types, and the kind sentence each expected error becomes (see bot/interactions.py)."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.storage.database import storage_failures

STORAGE_TROUBLE = (
    "My storage isn't working just now, so I couldn't do that and nothing was changed. "
    "Please try again in a few minutes."
)


class UserFacingError(Exception):
    """An expected problem whose message is safe and kind enough to show the member as is."""


class BadInput(UserFacingError):
    """The member gave a value Lantern cannot use; the message says what would work."""


def original_error(error: BaseException) -> BaseException:
    """What actually went wrong inside discord.py's wrappers around a command's error."""
    if isinstance(error, app_commands.CommandInvokeError):
        return error.original
    if isinstance(error, app_commands.TransformerError) and error.__cause__ is not None:
        return error.__cause__
    return error


def is_storage_failure(error: BaseException) -> bool:
    """The database failed (disk full, locked, closed, server gone): the member did nothing wrong."""
    return isinstance(original_error(error), storage_failures())


def _permission_names(names: list[str]) -> str:
    return ", ".join(name.replace("_", " ").replace("guild", "server").title() for name in names)


def describe_expected_error(error: BaseException) -> str | None:
    """The kind sentence for an expected error, or None when the error is unexpected."""
    if isinstance(error, app_commands.CommandInvokeError | app_commands.TransformerError):
        original = error.__cause__ if isinstance(error, app_commands.TransformerError) else error.original
        if isinstance(original, UserFacingError):
            return str(original)
        if isinstance(error, app_commands.TransformerError):
            shown = discord.utils.escape_markdown(str(error.value))[:100]
            return f"I couldn't use “{shown}” there. Please check the value and try again."
        return None
    if isinstance(error, UserFacingError):
        return str(error)
    if isinstance(error, app_commands.MissingPermissions):
        needed = _permission_names(error.missing_permissions)
        return f"This needs the {needed} permission, so I can't do it for you. A moderator can."
    if isinstance(error, app_commands.BotMissingPermissions):
        needed = _permission_names(error.missing_permissions)
        return f"I'm missing the {needed} permission here. A moderator can grant it."
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Let's take a breath: you can use this again in {error.retry_after:.0f} seconds."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "This command works inside a server, not in direct messages."
    if isinstance(error, app_commands.MissingRole | app_commands.MissingAnyRole):
        return "This command is limited to certain roles on this server."
    if isinstance(error, app_commands.CheckFailure):
        return "You can't use this command here. If that seems wrong, a moderator can help."
    if isinstance(error, app_commands.CommandNotFound | app_commands.CommandSignatureMismatch):
        return "This command has just changed. Please try again in a minute."
    return None

"""One place that turns every app-command and button error into a kind, private reply."""

from __future__ import annotations

import logging
import secrets
from typing import Any

import discord
from discord import app_commands

log = logging.getLogger(__name__)


class UserFacingError(Exception):
    """An expected problem whose message is safe and kind enough to show the member as is."""


class BadInput(UserFacingError):
    """The member gave a value Lantern cannot use; the message says what would work."""


async def send_private(
    interaction: discord.Interaction[Any],
    content: str | None = None,
    *,
    embed: discord.Embed | None = None,
    view: discord.ui.View | None = None,
) -> None:
    """Answer ephemerally, through `response` if it is still open, else through a follow-up."""
    kwargs: dict[str, Any] = {"ephemeral": True, "allowed_mentions": discord.AllowedMentions.none()}
    if embed is not None:
        kwargs["embed"] = embed
    if view is not None:
        kwargs["view"] = view
    if interaction.response.is_done():
        await interaction.followup.send(content or discord.utils.MISSING, **kwargs)
    else:
        await interaction.response.send_message(content, **kwargs)


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


async def handle_interaction_error(interaction: discord.Interaction[Any], error: BaseException) -> None:
    """Reply kindly and privately; log unexpected errors with an id the member can quote."""
    message = describe_expected_error(error)
    if message is None:
        error_id = secrets.token_hex(4)
        command = interaction.command.qualified_name if interaction.command else "component"
        log.error("Unexpected error %s in %s", error_id, command, exc_info=(type(error), error, error.__traceback__))
        message = (
            "Sorry, something went wrong on my side and I couldn't finish that. "
            f"If it keeps happening, tell a moderator this error id: `{error_id}`."
        )
    try:
        await send_private(interaction, message)
    except discord.HTTPException:
        log.warning("Could not deliver an error reply for interaction %s", interaction.id)


class LanternCommandTree(app_commands.CommandTree[Any]):
    async def on_error(self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError, /) -> None:
        await handle_interaction_error(interaction, error)


class SafeDynamicButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"lantern:base:never-sent"):
    """Restart-proof buttons: subclasses implement `respond`; errors go through the central handler."""

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        try:
            await self.respond(interaction)
        except Exception as error:
            await handle_interaction_error(interaction, error)

    async def respond(self, interaction: discord.Interaction[Any]) -> None:
        raise NotImplementedError


class LanternView(discord.ui.View):
    """Views route their errors through the same handler as commands."""

    async def on_error(
        self, interaction: discord.Interaction[Any], error: Exception, item: discord.ui.Item[Any], /
    ) -> None:
        await handle_interaction_error(interaction, error)

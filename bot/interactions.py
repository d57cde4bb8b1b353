"""Answering interactions: privately, through one error handler, with buttons that survive restarts."""

from __future__ import annotations

import logging
import secrets
from typing import Any

import discord
from discord import app_commands
from discord.ui.select import BaseSelect

from bot.errors import describe_expected_error

log = logging.getLogger(__name__)


async def send_private(
    interaction: discord.Interaction[Any],
    content: str | None = None,
    *,
    embed: discord.Embed | None = None,
    view: discord.ui.View | None = None,
    file: discord.File | None = None,
) -> None:
    """Answer ephemerally, through `response` if it is still open, else through a follow-up."""
    kwargs: dict[str, Any] = {"ephemeral": True, "allowed_mentions": discord.AllowedMentions.none()}
    if embed is not None:
        kwargs["embed"] = embed
    if view is not None:
        kwargs["view"] = view
    if file is not None:
        kwargs["file"] = file
    if interaction.response.is_done():
        await interaction.followup.send(content or discord.utils.MISSING, **kwargs)
    else:
        await interaction.response.send_message(content, **kwargs)


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


class SafeDynamicSelect(discord.ui.DynamicItem[BaseSelect[Any]], template=r"lantern:base:never-sent-select"):
    """Restart-proof select menus (any kind): subclasses implement `respond`; `self.item.values`
    holds what was chosen; errors go through the central handler."""

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        try:
            await self.respond(interaction)
        except Exception as error:
            await handle_interaction_error(interaction, error)

    async def respond(self, interaction: discord.Interaction[Any]) -> None:
        raise NotImplementedError


def handled_elsewhere(*items: discord.ui.Item[Any]) -> discord.ui.View:
    """A view of items whose presses a registered dynamic item answers (whichever cog owns it).

    It is stopped before it is sent, so discord.py keeps no copy of it per message and nothing but
    the dynamic item answers; the components render all the same.
    """
    view = discord.ui.View(timeout=None)
    for item in items:
        view.add_item(item)
    view.stop()
    return view


class LanternView(discord.ui.View):
    """Views route their errors through the same handler as commands."""

    async def on_error(
        self, interaction: discord.Interaction[Any], error: Exception, item: discord.ui.Item[Any], /
    ) -> None:
        await handle_interaction_error(interaction, error)

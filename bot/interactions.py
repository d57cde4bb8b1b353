"""Answering interactions: privately, through one error handler, with buttons that survive restarts."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence
from typing import Any

import discord
from discord import app_commands
from discord.ui.select import BaseSelect

from bot.errors import STORAGE_TROUBLE, describe_expected_error, is_storage_failure, original_error
from bot.logging_setup import exception_name, traceback_without_values

log = logging.getLogger(__name__)
ALREADY_ACKNOWLEDGED = 40060  # Discord: this interaction already has a response
_FILLED_IN = "lantern:deferred-reply-filled-in"


async def send_private(
    interaction: discord.Interaction[Any],
    content: str | None = None,
    *,
    embed: discord.Embed | None = None,
    view: discord.ui.View | None = None,
    file: discord.File | None = None,
) -> None:
    """Answer ephemerally: through `response` if it is still open; after a deferral, by filling in
    the "thinking…" message; after that, through a follow-up.

    Filling in is an edit of the original response, so repeating it (discord.py repeats a webhook
    request after any 5xx, and webhooks have no nonce) cannot double the answer the way a repeated
    follow-up would.
    """
    kwargs: dict[str, Any] = {"allowed_mentions": discord.AllowedMentions.none()}
    if embed is not None:
        kwargs["embed"] = embed
    if view is not None:
        kwargs["view"] = view
    if file is not None:
        kwargs["file"] = file
    response = interaction.response
    if not response.is_done():
        await response.send_message(content, ephemeral=True, **kwargs)
    elif response.type is discord.InteractionResponseType.deferred_channel_message and not interaction.extras.get(
        _FILLED_IN
    ):
        if file is not None:
            kwargs["attachments"] = [kwargs.pop("file")]
        await interaction.edit_original_response(content=content, **kwargs)
        interaction.extras[_FILLED_IN] = True
    else:
        await interaction.followup.send(content or discord.utils.MISSING, ephemeral=True, **kwargs)


async def send_private_pages(
    interaction: discord.Interaction[Any],
    embeds: Sequence[discord.Embed],
    content: str | None = None,
    *,
    view: discord.ui.View | None = None,
) -> None:
    """Embeds that did not fit one message (bot/embeds.paginate): the first as the answer, then the rest."""
    first, *rest = embeds
    await send_private(interaction, content, embed=first, view=view)
    for embed in rest:
        await interaction.followup.send(embed=embed, ephemeral=True, allowed_mentions=discord.AllowedMentions.none())


async def handle_interaction_error(interaction: discord.Interaction[Any], error: BaseException) -> None:
    """Reply kindly and privately; log unexpected errors with an id the member can quote.

    What is logged never includes an exception's message (it can hold what the member typed):
    `traceback_without_values` keeps frames and types only.
    """
    command = interaction.command.qualified_name if interaction.command else "component"
    if await reply_reached_discord(interaction, original_error(error)):
        log.warning("Discord lost its answer to the reply in %s, but the reply arrived; treated as sent", command)
        return
    message = describe_expected_error(error)
    if message is None and is_storage_failure(error):
        error_id = secrets.token_hex(4)
        log.error("Storage failure %s in %s: %s", error_id, command, exception_name(original_error(error)))
        message = f"{STORAGE_TROUBLE} (error id `{error_id}`)"
    elif message is None:
        error_id = secrets.token_hex(4)
        log.error(
            "Unexpected error %s in %s: %s\n%s",
            error_id,
            command,
            exception_name(original_error(error)),
            traceback_without_values(error),
        )
        message = (
            "Sorry, something went wrong on my side and I couldn't finish that. "
            f"If it keeps happening, tell a moderator this error id: `{error_id}`."
        )
    try:
        await send_private(interaction, message)
    except discord.HTTPException:
        log.warning("Could not deliver an error reply for interaction %s", interaction.id)


async def reply_reached_discord(interaction: discord.Interaction[Any], error: BaseException) -> bool:
    """After a failed answer: did the reply arrive anyway (Discord answered 5xx after doing it)?

    A repeated callback that Discord refuses as already acknowledged means the first one worked
    (discord.py repeats a 500). After another 5xx, the interaction's original response tells: it
    exists and is no longer "thinking…" once a reply (or a deferred reply's follow-up) arrived.
    """
    if not isinstance(error, discord.HTTPException):
        return False
    if error.code == ALREADY_ACKNOWLEDGED:
        return True
    if error.status < 500:
        return False
    try:
        original = await interaction.original_response()
    except discord.HTTPException:
        return False
    return not original.flags.loading


class LanternCommandTree(app_commands.CommandTree[Any]):
    async def on_error(self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError, /) -> None:
        await handle_interaction_error(interaction, error)


class _RespondsThroughTheHandler:
    """What every restart-proof item shares: subclasses implement `respond`; any error it raises
    goes through the central handler, so a press never ends in Discord's "interaction failed"."""

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        try:
            await self.respond(interaction)
        except Exception as error:
            await handle_interaction_error(interaction, error)

    async def respond(self, interaction: discord.Interaction[Any]) -> None:
        raise NotImplementedError


class SafeDynamicButton(
    _RespondsThroughTheHandler, discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"lantern:base:never-sent"
):
    """Restart-proof buttons."""


class SafeDynamicSelect(
    _RespondsThroughTheHandler, discord.ui.DynamicItem[BaseSelect[Any]], template=r"lantern:base:never-sent-select"
):
    """Restart-proof select menus (any kind); `self.item.values` holds what was chosen."""


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

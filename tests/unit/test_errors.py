from __future__ import annotations

import logging
from typing import Any
from unittest.mock import create_autospec

import discord
import pytest
from discord import app_commands

from bot.errors import BadInput
from bot.interactions import handle_interaction_error


def make_interaction(*, done: bool = False) -> Any:
    """A strict mock of a real Interaction: unknown attributes raise, async methods are AsyncMocks."""
    interaction = create_autospec(discord.Interaction, instance=True, spec_set=True)
    response = create_autospec(discord.InteractionResponse, instance=True, spec_set=True)
    response.is_done.return_value = done
    followup = create_autospec(discord.Webhook, instance=True, spec_set=True)
    interaction.response = response
    interaction.followup = followup
    interaction.command = None
    interaction.id = 1234
    return interaction


async def _example(interaction: discord.Interaction, value: str) -> None:
    """A stand-in command for errors that carry one."""


EXAMPLE_COMMAND = app_commands.Command(name="example", description="example", callback=_example)


def _transformer_error() -> app_commands.TransformerError:
    transformer = app_commands.transformers.IdentityTransformer(discord.AppCommandOptionType.channel)
    try:
        raise BadInput("That channel isn't one I can post in.")
    except BadInput as cause:
        error = app_commands.TransformerError("#nowhere", discord.AppCommandOptionType.channel, transformer)
        error.__cause__ = cause
        return error


EXPECTED: list[tuple[str, Any, str]] = [
    ("check failure", app_commands.CheckFailure(), "can't use this command here"),
    ("missing permission", app_commands.MissingPermissions(["manage_guild"]), "Manage Server"),
    ("bot missing permission", app_commands.BotMissingPermissions(["send_messages"]), "I'm missing"),
    ("cooldown", app_commands.CommandOnCooldown(app_commands.Cooldown(1, 60), 42.0), "42 seconds"),
    ("no DMs", app_commands.NoPrivateMessage(), "inside a server"),
    ("transformer", _transformer_error(), "isn't one I can post in"),
    (
        "bad input",
        app_commands.CommandInvokeError(EXAMPLE_COMMAND, BadInput("Try a time like 09:30.")),
        "09:30",
    ),
]


@pytest.mark.parametrize(("kind", "error", "phrase"), EXPECTED, ids=[e[0] for e in EXPECTED])
async def test_expected_errors_become_kind_ephemeral_replies(kind: str, error: Any, phrase: str) -> None:
    interaction = make_interaction()
    await handle_interaction_error(interaction, error)
    interaction.response.send_message.assert_awaited_once()
    args, kwargs = interaction.response.send_message.call_args
    assert kwargs["ephemeral"] is True
    assert phrase in args[0]
    assert "error id" not in args[0]
    assert kwargs["allowed_mentions"].everyone is False


async def test_after_a_response_it_uses_the_followup() -> None:
    interaction = make_interaction(done=True)
    await handle_interaction_error(interaction, app_commands.NoPrivateMessage())
    interaction.response.send_message.assert_not_awaited()
    interaction.followup.send.assert_awaited_once()
    assert interaction.followup.send.call_args.kwargs["ephemeral"] is True


async def test_unexpected_error_is_logged_with_an_id_the_member_sees(
    caplog: pytest.LogCaptureFixture,
) -> None:
    interaction = make_interaction()
    error = app_commands.CommandInvokeError(EXAMPLE_COMMAND, ZeroDivisionError("boom"))
    with caplog.at_level(logging.ERROR, logger="bot.interactions"):
        await handle_interaction_error(interaction, error)
    reply = interaction.response.send_message.call_args.args[0]
    assert "Sorry" in reply
    error_id = reply.split("`")[1]
    assert len(error_id) == 8
    record = next(r for r in caplog.records if error_id in r.getMessage())
    logged = record.getMessage()
    assert "ZeroDivisionError" in logged and "Traceback" in logged, "the type and the frames are logged"
    assert "boom" not in logged and record.exc_info is None, "an exception's message is never logged"

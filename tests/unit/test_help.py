from __future__ import annotations

from unittest.mock import create_autospec

import discord
from discord import app_commands

from bot.client import LanternBot
from bot.settings import Settings
from cogs import extension_names
from cogs.meta import build_help_embed, command_lines


def _embed_text(embed: discord.Embed) -> str:
    return "\n".join([embed.description or "", *(f"{f.name}\n{f.value}" for f in embed.fields)])


async def test_help_lists_every_registered_command(settings: Settings) -> None:
    bot = LanternBot(settings, extensions=extension_names())
    try:
        for name in extension_names():
            await bot.load_extension(name)
        interaction = create_autospec(discord.Interaction, instance=True, spec_set=True)
        interaction.response = create_autospec(discord.InteractionResponse, instance=True, spec_set=True)
        interaction.response.is_done.return_value = False
        cog = bot.get_cog("Meta")
        assert cog is not None  # load_extension imports a fresh module, so no isinstance check
        await cog.help.callback(cog, interaction)  # type: ignore[attr-defined]
        kwargs = interaction.response.send_message.call_args.kwargs
        assert kwargs["ephemeral"] is True
        text = _embed_text(kwargs["embed"])
        for command in bot.tree.walk_commands():
            if isinstance(command, app_commands.Command):
                assert f"/{command.qualified_name}" in text
        assert "Privacy" in text
    finally:
        await bot.close()


def test_groups_are_spelled_out_and_moderator_commands_marked() -> None:
    group = app_commands.Group(
        name="config",
        description="Server settings",
        default_permissions=discord.Permissions(manage_guild=True),
    )

    @group.command(name="show", description="Show settings")
    async def show(interaction: discord.Interaction) -> None: ...

    @app_commands.command(name="reflect", description="A prompt")
    async def reflect(interaction: discord.Interaction) -> None: ...

    lines = command_lines([group, reflect])
    assert lines == ["`/config show` — Show settings *(moderators)*", "`/reflect` — A prompt"]


def test_long_command_lists_are_split_into_fields_within_discord_limits() -> None:
    many = []
    for i in range(60):

        async def callback(interaction: discord.Interaction) -> None: ...

        many.append(app_commands.Command(name=f"cmd{i:02d}", description="x" * 80, callback=callback))
    embed = build_help_embed(many, "https://example.org/privacy")
    assert all(len(field.value or "") <= 1024 for field in embed.fields)
    assert sum(1 for f in embed.fields if (f.name or "").lower().endswith("commands")) >= 2
    assert "https://example.org/privacy" in _embed_text(embed)

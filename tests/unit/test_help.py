from __future__ import annotations

from typing import Any
from unittest.mock import create_autospec

import discord
from discord import app_commands

from bot.client import LanternBot
from bot.help import build_help_embed, command_lines
from bot.settings import Settings
from cogs import extension_names


def _embed_text(embed: discord.Embed) -> str:
    return "\n".join([embed.description or "", *(f"{f.name}\n{f.value}" for f in embed.fields)])


async def _help_for(bot: LanternBot, *, moderator: bool) -> discord.Embed:
    interaction = create_autospec(discord.Interaction, instance=True, spec_set=True)
    interaction.response = create_autospec(discord.InteractionResponse, instance=True, spec_set=True)
    interaction.response.is_done.return_value = False
    interaction.guild_id = 1
    interaction.permissions = discord.Permissions(manage_guild=moderator)
    cog: Any = bot.get_cog("Meta")
    assert cog is not None  # load_extension imports a fresh module, so no isinstance check
    await cog.help.callback(cog, interaction)
    kwargs = interaction.response.send_message.call_args.kwargs
    assert kwargs["ephemeral"] is True
    embed: discord.Embed = kwargs["embed"]
    return embed


async def test_help_lists_member_commands_and_moderators_see_theirs_too(settings: Settings) -> None:
    bot = LanternBot(settings, extensions=extension_names())
    bot._command_ids_known = True  # no Discord here: commands show as text
    try:
        for name in extension_names():
            await bot.load_extension(name)
        member = _embed_text(await _help_for(bot, moderator=False))
        moderator = _embed_text(await _help_for(bot, moderator=True))
        for command in bot.tree.walk_commands():
            if not isinstance(command, app_commands.Command):
                continue
            shown = f"/{command.qualified_name}`"
            assert shown in moderator
            if command.qualified_name.startswith("config "):
                assert shown not in member.replace("`/config setup`", ""), "members get one line about /config"
            else:
                assert shown in member
        assert "Privacy" in member and "Moderators" in member
    finally:
        await bot.close()


def test_sections_mentions_and_the_crisis_pointer_up_front() -> None:
    group = app_commands.Group(
        name="config", description="Server settings", default_permissions=discord.Permissions(manage_guild=True)
    )

    @group.command(name="setup", description="A setup panel")
    async def setup(interaction: discord.Interaction) -> None: ...

    @group.command(name="show", description="Show settings")
    async def show(interaction: discord.Interaction) -> None: ...

    daily = app_commands.Group(name="daily", description="Daily prompts")

    @daily.command(name="start", description="Start")
    async def start(interaction: discord.Interaction) -> None: ...

    @app_commands.command(name="reflect", description="A prompt")
    async def reflect(interaction: discord.Interaction) -> None: ...

    @app_commands.command(name="resources", description="Support lines")
    async def resources(interaction: discord.Interaction) -> None: ...

    ids = {"config": 11, "daily": 22, "reflect": 33, "resources": 44}
    assert command_lines([group, reflect], ids) == [
        "</config setup:11> — A setup panel",
        "</config show:11> — Show settings",
        "</reflect:33> — A prompt",
    ]
    member = build_help_embed([group, daily, reflect, resources], None, ids)
    assert "</resources:44> `topic:crisis`" in (member.description or ""), "crisis pointer in the description"
    assert member.footer.text is None
    names = [f.name for f in member.fields]
    assert names == ["Reflect", "Daily", "Support", "Privacy", "Moderators"]
    assert member.fields[0].value == "</reflect:33> — A prompt"
    assert member.fields[-1].value == (
        "Server moderators set Lantern up with </config setup:11> and the other `/config` commands."
    )
    moderator = build_help_embed([group, daily, reflect, resources], None, ids, moderator=True)
    assert "</config show:11> — Show settings" in (moderator.fields[-1].value or "")
    plain = build_help_embed([reflect], None, {})
    assert plain.fields[0].value == "`/reflect` — A prompt", "without ids: plain code, never a broken mention"


def test_long_command_lists_are_split_into_fields_within_discord_limits() -> None:
    many = []
    for i in range(60):

        async def callback(interaction: discord.Interaction) -> None: ...

        many.append(app_commands.Command(name=f"cmd{i:02d}", description="x" * 80, callback=callback))
    embed = build_help_embed(many, "https://example.org/privacy")
    assert all(len(field.value or "") <= 1024 for field in embed.fields)
    assert sum(1 for f in embed.fields if (f.name or "").startswith("More")) >= 2
    assert "https://example.org/privacy" in _embed_text(embed)

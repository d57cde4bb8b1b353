"""`/help`: what Lantern is and which commands it has, built from the live command tree."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import LanternBot
from bot.embeds import FIELD_VALUE_LIMIT, TOTAL_LIMIT, clip, fit_lines
from bot.interactions import send_private

ABOUT = (
    "Lantern offers gentle reflection for anyone working through a painful relationship pattern, "
    "such as the runner/chaser dynamic. It is a peer-support companion, not a therapist: it never "
    "diagnoses, and it will never encourage contacting someone who has said no or gone quiet."
)
PRIVACY_SUMMARY = (
    "Lantern never stores or logs what you write. It keeps only what its features need "
    "(for example your daily-prompt time or saved region), and you can see or delete it any time."
)
FIELD_LIMIT = 1024


AnyAppCommand = app_commands.Command[Any, ..., Any] | app_commands.Group | app_commands.ContextMenu


def command_lines(commands_: Iterable[AnyAppCommand]) -> list[str]:
    """One line per invocable command, subcommands spelled out, in name order."""
    lines: list[str] = []
    for command in sorted(commands_, key=lambda c: c.name):
        if isinstance(command, app_commands.ContextMenu):
            continue
        if isinstance(command, app_commands.Group):
            lines.extend(command_lines(command.commands))
            continue
        root = command.root_parent or command
        moderators = " *(moderators)*" if root.default_permissions else ""
        lines.append(f"`/{command.qualified_name}` — {command.description}{moderators}")
    return lines


def _chunks(lines: list[str], limit: int = FIELD_LIMIT) -> list[str]:
    chunks: list[str] = []
    current = ""
    for line in lines:
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            chunks.append(current)
            candidate = line
        current = candidate
    if current:
        chunks.append(current)
    return chunks


HELP_FOOTER = "If you are in danger or thinking of ending your life: /resources topic:crisis"
MAX_COMMAND_FIELDS = 20


def build_help_embed(commands_: Iterable[AnyAppCommand], privacy_url: str | None) -> discord.Embed:
    """One embed within Discord's limits; commands that do not fit are left to Discord's own / menu."""
    embed = discord.Embed(title="Lantern", description=ABOUT, colour=discord.Colour.gold())
    privacy = PRIVACY_SUMMARY
    if privacy_url:
        privacy += f"\nFull statement: {privacy_url}"
    privacy = clip(privacy, FIELD_VALUE_LIMIT)
    fixed = len("Lantern") + len(ABOUT) + len("Privacy") + len(privacy) + len(HELP_FOOTER)
    budget = TOTAL_LIMIT - fixed - MAX_COMMAND_FIELDS * len("More commands")
    listing = fit_lines(
        command_lines(commands_),
        min(budget, MAX_COMMAND_FIELDS * FIELD_VALUE_LIMIT // 2),
        lambda n: f"…and {n} more: type / in Discord to see every command.",
    )
    for index, chunk in enumerate(_chunks(listing.splitlines())):
        embed.add_field(name="Commands" if index == 0 else "More commands", value=chunk, inline=False)
    embed.add_field(name="Privacy", value=privacy, inline=False)
    embed.set_footer(text=HELP_FOOTER)
    return embed


class Meta(commands.Cog):
    def __init__(self, bot: LanternBot) -> None:
        self.bot = bot

    @app_commands.command(name="help", description="What Lantern is and how to use it")
    async def help(self, interaction: discord.Interaction) -> None:
        embed = build_help_embed(self.bot.tree.get_commands(), self.bot.settings.privacy_url)
        await send_private(interaction, embed=embed)


async def setup(bot: LanternBot) -> None:
    await bot.add_cog(Meta(bot))

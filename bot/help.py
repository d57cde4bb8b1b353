"""`/help`, built from the live command tree: member commands first, as clickable mentions, the
crisis pointer up front, and the moderators' commands for moderators only.

A clickable `</daily start:ID>` needs the id Discord gave the command when it was registered
(`LanternBot.command_ids`); without one a command is shown as code, `/daily start`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import discord
from discord import app_commands

from bot.embeds import DESCRIPTION_LIMIT, FIELD_COUNT_LIMIT, FIELD_VALUE_LIMIT, TOTAL_LIMIT, clip

AnyAppCommand = app_commands.Command[Any, ..., Any] | app_commands.Group | app_commands.ContextMenu

ABOUT = (
    "Lantern offers gentle reflection for anyone working through a painful relationship pattern, "
    "such as the runner/chaser dynamic. It is a peer-support companion, not a therapist: it never "
    "diagnoses, and it will never encourage contacting someone who has said no or gone quiet."
)
PRIVACY_SUMMARY = (
    "Lantern never stores or logs what you write. It keeps only what its features need "
    "(for example your daily-prompt time or saved region), and you can see or delete it any time."
)
# Member sections, in order, by the command each line belongs to (its root command's name).
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Reflect", ("reflect", "sources", "checkin")),
    ("Daily", ("daily",)),
    ("Support", ("pause", "nocontact", "resources", "help")),
    ("Privacy", ("privacy",)),
)
MORE = "More"
MODERATORS = "Moderators"
FIELD_LIMIT = FIELD_VALUE_LIMIT
COLOUR = discord.Colour.gold()
REST = "…and {} more: type / in Discord to see every command."
SPARE_FIELDS = 3  # Privacy, the moderators' line, and the note about the rest


def is_moderator_command(command: app_commands.Command[Any, ..., Any]) -> bool:
    root = command.root_parent or command
    return bool(root.default_permissions)


def mention(command: app_commands.Command[Any, ..., Any], ids: Mapping[str, int]) -> str:
    """`</daily start:123>` (clickable in Discord) when the command's id is known, else `/daily start`."""
    root = command.root_parent or command
    command_id = ids.get(root.name)
    return f"</{command.qualified_name}:{command_id}>" if command_id else f"`/{command.qualified_name}`"


def leaf_commands(commands: Iterable[AnyAppCommand]) -> list[app_commands.Command[Any, ..., Any]]:
    """Every invocable slash command, subcommands spelled out, in name order."""
    found: list[app_commands.Command[Any, ..., Any]] = []
    for command in sorted(commands, key=lambda c: c.name):
        if isinstance(command, app_commands.ContextMenu):
            continue
        if isinstance(command, app_commands.Group):
            found.extend(leaf_commands(command.commands))
        else:
            found.append(command)
    return found


def command_lines(commands: Iterable[AnyAppCommand], ids: Mapping[str, int] | None = None) -> list[str]:
    """One line per invocable command: its mention and what it does."""
    return [f"{mention(command, ids or {})} — {command.description}" for command in leaf_commands(commands)]


def _chunks(lines: list[str], limit: int = FIELD_LIMIT) -> list[str]:
    chunks: list[str] = []
    current = ""
    for line in lines:
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit and current:
            chunks.append(current)
            candidate = line
        current = candidate
    if current:
        chunks.append(current)
    return chunks


def _section_of(command: app_commands.Command[Any, ..., Any]) -> str:
    if is_moderator_command(command):
        return MODERATORS
    root = (command.root_parent or command).name
    return next((name for name, roots in SECTIONS if root in roots), MORE)


class _Fields:
    """Fields added while they fit Discord's limits (6,000 characters in all, 25 fields); the
    command lines that do not fit are counted into one note saying where to see them."""

    def __init__(self, embed: discord.Embed, reserved: int) -> None:
        self.embed, self.left_out = embed, 0
        self._room = TOTAL_LIMIT - reserved - len(embed.title or "") - len(embed.description or "")

    def add(self, name: str, lines: list[str]) -> None:
        for index, chunk in enumerate(_chunks(lines)):
            title = name if index == 0 else f"{name} (more)"
            full = len(self.embed.fields) >= FIELD_COUNT_LIMIT - SPARE_FIELDS
            if self.left_out or full or len(title) + len(chunk) > self._room:
                self.left_out += chunk.count("\n") + 1
                continue
            self.embed.add_field(name=title, value=chunk, inline=False)
            self._room -= len(title) + len(chunk)

    def note_the_rest(self) -> None:
        if self.left_out:
            self.embed.add_field(name=MORE, value=REST.format(self.left_out), inline=False)


def build_help_embed(
    commands: Iterable[AnyAppCommand],
    privacy_url: str | None,
    ids: Mapping[str, int] | None = None,
    *,
    moderator: bool = False,
) -> discord.Embed:
    """One embed within Discord's limits: member sections first, the crisis pointer in the
    description; moderators' commands for moderators, one line about them for everyone else."""
    ids = ids or {}
    leaves = leaf_commands(commands)
    order = {root: index for _, roots in SECTIONS for index, root in enumerate(roots)}
    by_section: dict[str, list[str]] = {}
    for command in sorted(leaves, key=lambda c: (order.get((c.root_parent or c).name, len(order)), c.qualified_name)):
        by_section.setdefault(_section_of(command), []).append(f"{mention(command, ids)} — {command.description}")
    resources = next((c for c in leaves if c.qualified_name == "resources"), None)
    crisis = f"{mention(resources, ids)} `topic:crisis`" if resources else "`/resources topic:crisis`"
    description = (
        f"{ABOUT}\n\n**If you are in danger or thinking of ending your life:** call your local emergency "
        f"number now. For crisis lines where you are: {crisis}."
    )
    embed = discord.Embed(title="Lantern", description=clip(description, DESCRIPTION_LIMIT), colour=COLOUR)
    privacy = clip(PRIVACY_SUMMARY + (f"\nFull statement: {privacy_url}" if privacy_url else ""), FIELD_LIMIT)
    setup = next((c for c in leaves if c.qualified_name == "config setup"), None)
    moderators_line = (
        f"Server moderators set Lantern up with {mention(setup, ids) if setup else '`/config`'} and the other "
        "`/config` commands."
    )
    reserved = len("Privacy") + len(privacy) + len(MODERATORS) + len(moderators_line) + len(MORE) + len(REST) + 8
    fields = _Fields(embed, reserved)
    for name, _ in SECTIONS:
        fields.add(name, by_section.get(name, []))
    privacy_at = next((i for i, f in enumerate(embed.fields) if f.name == "Privacy"), None)
    if privacy_at is None:
        embed.add_field(name="Privacy", value=privacy, inline=False)
    else:
        listed = embed.fields[privacy_at].value or ""
        embed.set_field_at(privacy_at, name="Privacy", value=clip(f"{listed}\n{privacy}", FIELD_LIMIT), inline=False)
    fields.add(MORE, by_section.get(MORE, []))
    moderator_lines = by_section.get(MODERATORS, [])
    if moderator and moderator_lines:
        fields.add(MODERATORS, moderator_lines)
    fields.note_the_rest()
    if moderator_lines and not moderator:
        embed.add_field(name=MODERATORS, value=moderators_line, inline=False)
    return embed

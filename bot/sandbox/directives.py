"""The sandbox's `:` lines: who acts, where, in which server, and what the world looks like.

| line | what it does |
|---|---|
| `:as NAME [mod]` | act as member NAME (in the current server; `mod`: with its Moderator role) |
| `:in NAME` | act in channel #NAME of the current server (leaving any thread) |
| `:guild NAME` | act in server NAME (created, with a #general, and joined by Lantern on first use) |
| `:thread NAME` | start (or enter) the thread NAME under the current channel |
| `:role NAME [PERMISSIONS]` | create a role (`send_messages,embed_links` or an integer) |
| `:give NAME ROLE` | give member NAME the role ROLE |
| `:deny #CHANNEL PERMISSION [ROLE]` / `:allow …` | a channel overwrite for ROLE (default @everyone) |
| `:dms`, `:click`, `:select`, `:submit`, `:complete`, `:restart`, `:wait`, `:clock` | as README's Sandbox table says |
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from emulator.invocation import ScriptError
from emulator.permissions import parse_permissions

if TYPE_CHECKING:
    from bot.sandbox.engine import Sandbox

DURATION = re.compile(r"(\d+)\s*([smhd])")
UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
DIRECTIVES = (
    ":as, :in, :guild, :thread, :role, :give, :deny, :allow, :dms, :click, :select, :submit, :complete, "
    ":restart, :wait or :clock"
)


def parse_duration(text: str) -> timedelta:
    """`90s`, `15m`, `2h`, `3d`, or combinations such as `1h30m`."""
    compact = text.replace(" ", "")
    if not compact or DURATION.sub("", compact):
        raise ScriptError(f"“{text}” is not a duration; write it like 90s, 15m, 2h or 3d")
    return timedelta(seconds=sum(int(n) * UNIT_SECONDS[u] for n, u in DURATION.findall(compact)))


def parse_instant(text: str) -> datetime:
    try:
        instant = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ScriptError(f"“{text}” is not an instant; write it like 2026-11-22T09:00:00+01:00") from None
    if instant.tzinfo is None:
        raise ScriptError("the instant needs a UTC offset, like 2026-11-22T09:00:00+01:00")
    return instant


def _one_name(rest: str, usage: str) -> str:
    if not rest or " " in rest:
        raise ScriptError(usage)
    return rest


async def run_directive(sandbox: Sandbox, line: str) -> list[dict[str, Any]]:
    """Run one `:` line; returns anything Discord or Lantern showed because of it."""
    word, _, rest = line.partition(" ")
    rest = rest.strip()
    emulator = sandbox.emulator
    if word == ":as":
        parts = rest.split()
        if not parts or len(parts) > 2 or (len(parts) == 2 and parts[1] != "mod"):
            raise ScriptError(":as takes a member name and optionally `mod`, like `:as sam mod`")
        sandbox.member_name = parts[0]
        emulator.member(parts[0], moderator=True if len(parts) == 2 else None, guild=sandbox.current_guild)
    elif word == ":in":
        sandbox.channel_name = _one_name(rest, ":in takes one channel name, like `:in general`").removeprefix("#")
        sandbox.thread_name = None
        await emulator.create_channel(sandbox.channel_name, guild=sandbox.current_guild)
    elif word == ":guild":
        if not rest:
            raise ScriptError(":guild takes a server name, like `:guild Second Circle`")
        guild = await emulator.create_guild(rest)
        sandbox.guild_name, sandbox.channel_name, sandbox.thread_name = guild.name, "general", None
    elif word == ":thread":
        if not rest:
            raise ScriptError(":thread takes a thread name, like `:thread venting`")
        parent = emulator.channel(sandbox.channel_name, guild=sandbox.current_guild)
        await emulator.create_thread(parent, rest, sandbox.current_member)
        sandbox.thread_name = rest
    elif word == ":role":
        name, _, permissions = rest.partition(" ")
        if not name:
            raise ScriptError(":role takes a name and optionally permissions, like `:role Helpers manage_guild`")
        await emulator.create_role(name, _permissions(permissions) if permissions else 0, guild=sandbox.current_guild)
    elif word == ":give":
        parts = rest.split()
        if len(parts) != 2:
            raise ScriptError(":give takes a member and a role, like `:give sam Helpers`")
        role = emulator.find_role(parts[1].removeprefix("@"), sandbox.current_guild)
        if role is None:
            raise ScriptError(f"there is no role “{parts[1]}”; create it with `:role {parts[1]}`")
        await emulator.give_role(emulator.member(parts[0], guild=sandbox.current_guild), role)
    elif word in (":deny", ":allow"):
        await _overwrite(sandbox, word, rest)
    elif word == ":clock":
        target = parse_instant(rest)
        if target < sandbox.clock.now():
            raise ScriptError(f"the clock is already at {sandbox.clock.now().isoformat()}; it only moves forward")
        await sandbox.advance(target)
    elif word == ":wait":
        await sandbox.advance(sandbox.clock.now() + parse_duration(rest))
    elif word == ":dms":
        parts = rest.split()
        if len(parts) != 2 or parts[1] not in ("open", "closed"):
            raise ScriptError(":dms takes a member name and open or closed, like `:dms sam closed`")
        emulator.set_dms_open(parts[0], parts[1] == "open")
    elif word == ":click":
        if not rest:
            raise ScriptError(":click takes a button label, like `:click Resources`")
        return await sandbox.click(rest)
    elif word == ":select":
        if not rest:
            raise ScriptError(':select takes a menu and values, like `:select "Choose your region" UK`')
        return await sandbox.select(rest)
    elif word == ":submit":
        return await sandbox.submit(rest)
    elif word == ":complete":
        return await sandbox.complete(rest)
    elif word == ":restart":
        if rest:
            raise ScriptError(":restart takes nothing: it restarts the bot on the same world and database")
        await sandbox.restart_bot()
    else:
        raise ScriptError(f"unknown directive {word}; use {DIRECTIVES}")
    return []


def _permissions(text: str) -> int:
    try:
        return parse_permissions(text)
    except ValueError as exc:
        raise ScriptError(str(exc)) from None


async def _overwrite(sandbox: Sandbox, word: str, rest: str) -> None:
    parts = rest.split()
    usage = f"{word} takes a channel, a permission and optionally a role, like `{word} #mods view_channel`"
    if len(parts) not in (2, 3) or not parts[0].startswith("#"):
        raise ScriptError(usage)
    emulator, guild = sandbox.emulator, sandbox.current_guild
    channel = emulator.find_channel(parts[0].removeprefix("#"), guild)
    if channel is None:
        raise ScriptError(f"there is no channel {parts[0]} in {guild.name}")
    role_name = parts[2].removeprefix("@") if len(parts) == 3 else "@everyone"
    role = emulator.find_role(role_name, guild) if role_name != "everyone" else guild.roles[guild.id]
    if role is None:
        raise ScriptError(f"there is no role “{role_name}”; create it with `:role {role_name}`")
    value = _permissions(parts[1])
    if word == ":deny":
        await emulator.set_overwrite(channel, role.id, deny=value)
    else:
        await emulator.set_overwrite(channel, role.id, allow=value)

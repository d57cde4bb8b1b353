"""`lantern sandbox`: read script lines from a terminal, a pipe or a file, and show what the bot does."""

from __future__ import annotations

import asyncio
import json
import sys
import textwrap
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from bot.sandbox.engine import Sandbox, running_sandbox
from bot.settings import Settings
from bot.storage import StorageError
from emulator.invocation import ScriptError

EXIT_SCRIPT_ERROR = 2
EXIT_BOT_ERROR = 1

BANNER = """\
Lantern sandbox: the real bot, a Discord emulator on this machine, no account or network needed.
Type a message, or a command like /help. Lines starting with : steer the sandbox:
  :as NAME [mod]   act as member NAME (mod: with Manage Server)    :in NAME   act in #NAME
  :click LABEL     press a button       :dms NAME open|closed      :complete /cmd option:part
  :select MENU VALUE…   choose in the menu MENU (its placeholder): an option, #channel, @role or @member
  :submit FIELD:"text" …   fill in and send the form Lantern opened for you (FIELD: a field's label)
  :wait 15m|2h|1d  move the clock on    :clock 2026-11-22T09:00:00+01:00    Ctrl-D to leave
  :restart         restart the bot (same server, messages, clock and database)
"""


def render(obj: dict[str, Any], readable: Callable[[str], str] = lambda text: text) -> str:
    """A readable block for one thing shown, for people at a terminal. `readable` shows mentions as
    Discord shows them (`Sandbox.readable`: #channel, @role, /command, dates)."""
    if "error" in obj:
        return f"!! line {obj['line']}: the bot raised an error: {obj['error']}"
    who = "Discord" if obj["by"] == "discord" else "Lantern"
    header = [f"{who} in {obj['where']}"]
    if obj["visibility"] == "modal":
        header = [f"{who} opens a form for {obj['for']} in {obj['where']}"]
    elif obj["visibility"] == "ephemeral":
        header.append(f"only {obj['for']} can see this")
    elif obj["visibility"] == "dm":
        header.append(f"direct message to {obj['for']}")
    if obj.get("reply_to"):
        header.append(f"replying to {obj['reply_to']}")
    if obj.get("edited"):
        header.append("edited")
    if obj.get("pings"):
        header.append("pings " + " ".join(obj["pings"]))
    lines = ["── " + " · ".join(header)]
    if obj["content"]:
        for paragraph in readable(obj["content"]).splitlines() or [""]:
            lines.extend(textwrap.wrap(paragraph, 100) or [""])
    for embed in obj["embeds"]:
        if embed["title"]:
            lines.append(f"┃ {readable(embed['title'])}")
        if embed["description"]:
            lines.extend(f"┃   {line}" for line in readable(embed["description"]).splitlines())
        for fld in embed["fields"]:
            lines.append(f"┃ • {readable(fld['name'] or '')}")
            lines.extend(f"┃     {line}" for line in readable(fld["value"] or "").splitlines())
        if embed["footer"]:
            lines.append(f"┃ ({readable(embed['footer'])})")
    lines.extend(f"  📎 {name}" for name in obj.get("files") or [])
    for menu in obj.get("selects") or []:
        offered = " | ".join(menu["options"]) if menu["options"] else f"pick a {menu['kind']}"
        chosen = f" (chosen: {', '.join(menu['chosen'])})" if menu["chosen"] else ""
        lines.append(f"  ▾ {menu['placeholder']}: {offered}{chosen}" + (" [disabled]" if menu["disabled"] else ""))
    for fld in obj.get("fields") or []:
        needs = "required" if fld["required"] else "optional"
        hint = f": {fld['placeholder']}" if fld["placeholder"] else ""
        lines.append(f"  ✎ {fld['label']} ({fld['style']}, {needs}, up to {fld['max']} characters){hint}")
    if obj["buttons"]:
        lines.append("  " + "  ".join(f"[{label}]" for label in obj["buttons"]))
    return "\n".join(lines)


def emit(
    objs: Iterable[dict[str, Any]],
    *,
    as_json: bool,
    out: TextIO,
    readable: Callable[[str], str] = lambda text: text,
) -> None:
    """One JSON object per thing shown (raw, as Discord sent it), or readable blocks."""
    for obj in objs:
        out.write((json.dumps(obj, ensure_ascii=False) if as_json else render(obj, readable)) + "\n")
    out.flush()


async def _read_interactive(sandbox: Sandbox) -> str | None:
    prompt = f"{sandbox.member_name} in #{sandbox.channel_name}> "
    try:
        return await asyncio.to_thread(input, prompt)
    except EOFError:
        return None


async def run_sandbox(
    settings: Settings,
    *,
    extensions: Sequence[str],
    script: Path | None = None,
    as_json: bool = False,
    database: Path | None = None,
    start: datetime | None = None,
    stdin: TextIO | None = None,
    out: TextIO | None = None,
) -> int:
    """Run a session; returns the exit status (0, 1 for a bot error, 2 for a bad script line)."""
    stdin = stdin or sys.stdin
    out = out or sys.stdout
    interactive = script is None and stdin.isatty()
    lines: list[str] | None = None
    if script is not None:
        try:
            lines = (await asyncio.to_thread(script.read_text, encoding="utf-8")).splitlines()
        except OSError as exc:
            print(f"lantern sandbox: cannot read {script}: {exc.strerror}", file=sys.stderr)
            return EXIT_SCRIPT_ERROR
    elif not interactive:
        lines = stdin.read().splitlines()
    options: dict[str, Any] = {"database": database, "extensions": extensions}
    if start is not None:
        options["start_at"] = start
    try:
        starting = running_sandbox(settings, **options)
        sandbox = await starting.__aenter__()
    except StorageError as exc:  # a database it cannot use: the same plain line as `lantern run`
        print(f"lantern sandbox: {exc}", file=sys.stderr)
        return EXIT_SCRIPT_ERROR
    except Exception as exc:  # a broken cog or content file: one clear line, not a traceback
        cause = exc.__cause__ or exc
        print(f"lantern sandbox: the bot could not start: {type(cause).__name__}: {cause}", file=sys.stderr)
        return EXIT_BOT_ERROR
    try:
        return await _run_lines(sandbox, lines, interactive=interactive, as_json=as_json, out=out)
    finally:
        await starting.__aexit__(None, None, None)


async def _run_lines(
    sandbox: Sandbox, lines: list[str] | None, *, interactive: bool, as_json: bool, out: TextIO
) -> int:
    if interactive:
        print(BANNER, file=out)
    number = 0
    while True:
        if lines is not None:
            if number >= len(lines):
                break
            line = lines[number]
        else:
            read = await _read_interactive(sandbox)
            if read is None:
                break
            line = read
        number += 1
        try:
            shown = await sandbox.run_line(line, number)
        except ScriptError as exc:
            print(f"lantern sandbox: line {number}: {exc}", file=sys.stderr)
            if interactive:
                continue
            return EXIT_SCRIPT_ERROR
        emit(shown, as_json=as_json, out=out, readable=sandbox.readable)
    return EXIT_BOT_ERROR if sandbox.errors else 0

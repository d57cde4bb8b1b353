"""`lantern sandbox`: read script lines from a terminal, a pipe or a file, and show what the bot does."""

from __future__ import annotations

import asyncio
import json
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from bot.sandbox.engine import Sandbox, running_sandbox
from bot.sandbox.render import render_block
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
  :wait 15m|2h|1d  move the clock on    :clock 2026-11-22T09:00:00+01:00
  :restart         restart the bot (same server, messages, clock and database)
  :guild NAME      act in another server   :thread NAME   start or enter a thread here
  :role NAME [PERMS]   :give NAME ROLE   :deny|:allow #CHANNEL PERMISSION [ROLE]
Arrow keys edit and recall lines. Ctrl-D or Ctrl-C to leave.
"""


def render(
    obj: dict[str, Any], readable: Callable[[str], str] = lambda text: text, *, several_guilds: bool = False
) -> str:
    """A readable block for one thing shown, for people at a terminal: `readable` shows mentions as
    Discord shows them (`Sandbox.readable`); the server is named once there is more than one."""
    return render_block(obj, readable, several_guilds=several_guilds)


def emit(
    objs: Iterable[dict[str, Any]],
    *,
    as_json: bool,
    out: TextIO,
    readable: Callable[[str], str] = lambda text: text,
    several_guilds: bool = False,
) -> None:
    """One JSON object per thing shown (`content` raw, as Discord sent it; `text` as read), or readable blocks."""
    for obj in objs:
        text = json.dumps(obj, ensure_ascii=False) if as_json else render(obj, readable, several_guilds=several_guilds)
        out.write(text + "\n")
    out.flush()


def enable_line_editing() -> None:
    """Arrow keys, line editing and this session's history for `input()` (nothing is written to
    disk: what a person types may be about their life)."""
    try:
        import readline
    except ImportError:  # not on every platform; input() still works without it
        return
    readline.set_auto_history(True)


async def _read_interactive(sandbox: Sandbox) -> str | None:
    """One line from the terminal, read on a daemon thread: Ctrl-C ends the sandbox at once
    (a thread of asyncio's executor would keep the process waiting for Enter)."""
    prompt = f"{sandbox.member_name} in {sandbox.where()}> "
    loop = asyncio.get_running_loop()
    answer: asyncio.Future[str | None] = loop.create_future()

    def deliver(line: str | None) -> None:
        if not answer.done():
            answer.set_result(line)

    def read() -> None:
        try:
            line: str | None = input(prompt)
        except (EOFError, KeyboardInterrupt):
            line = None
        loop.call_soon_threadsafe(deliver, line)

    threading.Thread(target=read, name="sandbox-input", daemon=True).start()
    return await answer


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
        enable_line_editing()
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
        several = len(sandbox.emulator.guilds) > 1
        emit(shown, as_json=as_json, out=out, readable=sandbox.readable, several_guilds=several)
    return EXIT_BOT_ERROR if sandbox.errors else 0

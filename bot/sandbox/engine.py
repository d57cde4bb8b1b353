"""The sandbox engine: the real Lantern bot against the emulator, driven line by line.

Both `lantern sandbox` and the end-to-end tests use `Sandbox`: each line runs to completion (every
task the bot started has finished and every reply has arrived) before the next, so what it shows
is deterministic.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import tempfile
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.client import LanternBot
from bot.clock import ManualClock
from bot.sandbox.directives import run_directive
from bot.sandbox.forms import describe_field, field_values, menu_words
from bot.sandbox.render import describe, describe_select, discord_says, render_text, where_label
from bot.settings import Settings
from emulator import state as st
from emulator.errors import Refused
from emulator.invocation import Invocation, ScriptError, parse_command_line, split_words
from emulator.limits import Limits
from emulator.routes.modals import modal_fields
from emulator.server import Emulator, InteractionRecord
from emulator.tasks import TaskTracker

log = logging.getLogger(__name__)

__all__ = ["Sandbox", "describe_select", "running_sandbox"]


class _ErrorCollector(logging.Handler):
    """Turns every ERROR log record during a line into an error the sandbox reports."""

    def __init__(self, sink: Callable[[str], None]) -> None:
        super().__init__(level=logging.ERROR)
        self._sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage().splitlines()[0]  # the summary line, not a logged traceback
        if record.exc_info and record.exc_info[1] is not None:
            message += f": {type(record.exc_info[1]).__name__}: {record.exc_info[1]}"
        self._sink(message)


@dataclass
class Sandbox:
    """One emulator, one bot, one manual clock and a database; `run_line` drives them."""

    settings: Settings
    extensions: Sequence[str] = ()
    start_at: datetime = field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0))
    privileged_intents: int | None = None
    bot_options: dict[str, Any] = field(default_factory=dict)
    interaction_deadline: float = 3.0
    limits: Limits | None = None  # Discord's by default; tests that legitimately burst raise them
    # The emulator's world (servers, members, channels, DMs and their ids) is kept here between runs,
    # beside a kept database: the ids the database holds stay valid.
    world_path: Path | None = None
    emulator_options: dict[str, Any] = field(default_factory=dict)  # sharding rules, the guild's shard

    def __post_init__(self) -> None:
        self.clock = ManualClock(self.start_at)
        kwargs: dict[str, Any] = {
            "now": self.clock.now,
            "interaction_deadline": self.interaction_deadline,
            "limits": self.limits,
            "world": load_world(self.world_path),
            **self.emulator_options,
        }
        if self.privileged_intents is not None:
            kwargs["privileged_intents"] = self.privileged_intents
        self.emulator = Emulator(**kwargs)
        self.member_name = "member"
        self.channel_name = "general"
        self.thread_name: str | None = None
        self.guild_name = self.emulator.guild.name
        self.line_number = 0
        self.outputs: list[dict[str, Any]] = []
        self.errors: list[dict[str, Any]] = []
        self._shown: list[dict[str, Any]] = []
        self._tracker = TaskTracker()
        self._stack = contextlib.AsyncExitStack()
        self._bot_task: asyncio.Task[Any] | None = None
        self.bot: Any = None

    # ----- lifecycle ------------------------------------------------------------------------------
    async def start(self) -> None:
        try:
            await self._start()
        except BaseException:
            await self.close()
            raise

    async def _start(self) -> None:
        await self.emulator.start()
        self._stack.push_async_callback(self.emulator.close)
        self._stack.enter_context(self.emulator.point_discord_py_here())
        collector = _ErrorCollector(self._error)
        logging.getLogger().addHandler(collector)
        self._stack.callback(logging.getLogger().removeHandler, collector)
        self._tracker.install(asyncio.get_running_loop())
        self._stack.callback(self._tracker.uninstall)
        self.emulator.message_listeners.append(self._on_message)
        self._stack.push_async_callback(self._stop_bot)
        await self._launch_bot()
        await self.settle()
        self._shown.clear()
        self.errors.clear()

    async def _launch_bot(self) -> None:
        options: dict[str, Any] = {
            "rng": random.Random(0),  # the same script shows the same prompts every run
            "sync_commands_on_start": True,
            "run_scheduler": False,
            "guild_ready_timeout": 0.01,
        }
        options.update(self.bot_options)
        self.bot = LanternBot(self.settings, extensions=self.extensions, clock=self.clock, **options)
        self._bot_task = self._tracker.start_root(self.bot.start(self.emulator.token), "lantern-sandbox-bot")
        ready = asyncio.ensure_future(self.bot.wait_until_ready())
        done, _ = await asyncio.wait({ready, self._bot_task}, timeout=30, return_when=asyncio.FIRST_COMPLETED)
        if self._bot_task in done:
            ready.cancel()
            self._bot_task.result()  # raises the start-up error
            raise RuntimeError("the bot stopped during start-up")
        if ready not in done:
            ready.cancel()
            raise TimeoutError("the bot did not become ready within 30 seconds")

    async def restart_bot(self) -> None:
        """Stop the bot and start a new one on the same emulator, clock and database (a restart)."""
        await self.settle()
        await self._stop_bot()
        await self._launch_bot()
        await self.settle()

    async def _stop_bot(self) -> None:
        if self.bot is not None:
            await self.bot.close()
        if self._bot_task is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(self._bot_task, 10)

    async def close(self) -> None:
        try:
            await self._stack.aclose()
        finally:
            self.save_world()

    def save_world(self) -> None:
        """Write the world beside the database (no messages: nothing anyone wrote is kept)."""
        if self.world_path is None:
            return
        partial = self.world_path.with_name(self.world_path.name + ".partial")
        partial.write_text(json.dumps(self.emulator.snapshot()), encoding="utf-8")
        partial.replace(self.world_path)

    async def __aenter__(self) -> Sandbox:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def settle(self, timeout: float = 20.0) -> None:
        """Wait until the bot has read every event and finished every task those events started."""
        async with asyncio.timeout(timeout):
            while True:
                await self._wait_until_read()
                pending = self._tracker.pending()
                if not pending:
                    if self._bot_task is not None and self._bot_task.done():
                        self._bot_task.result()
                    return
                await asyncio.wait(pending)

    async def _wait_until_read(self) -> None:
        """Wait until discord.py has read every gateway event the emulator sent.

        discord.py sets `ws.sequence` and runs the event's parser (which starts the handler tasks)
        with no await in between, so a sequence at or past the emulator's means all of it was
        dispatched. (Asking for a heartbeat instead would spend the client's 110 gateway sends
        a minute.)
        """
        spins = 0
        while True:
            await self.emulator.wait_connected()
            sockets = {shard: shard_socket(self.bot, shard) for shard in self.emulator.gateway.shards}
            if all(
                ws is not None and (ws.sequence or 0) >= self.emulator.last_sequence(shard)
                for shard, ws in sockets.items()
            ):
                return
            spins += 1
            await asyncio.sleep(0 if spins < 100 else 0.001)

    # ----- what the bot shows -------------------------------------------------------------------------
    def _on_message(self, message: st.Message, edited: bool) -> None:
        # Described now, not at the end of the line: a later edit must not rewrite what was shown.
        if message.author.id == self.emulator.bot_user.id:
            self._shown.append(self.describe(message, edited=edited))

    def _error(self, text: str) -> None:
        self.errors.append({"line": self.line_number, "error": text})

    def describe(self, message: st.Message, *, edited: bool = False) -> dict[str, Any]:
        return describe(self.emulator, message, self.line_number, self.clock.now(), edited=edited)

    def readable(self, text: str) -> str:
        """Mentions and timestamps as a Discord client shows them (`render.render_text`)."""
        return render_text(text, self.emulator, self.clock.now())

    def _discord_says(self, text: str, viewer: str, where: str) -> dict[str, Any]:
        return discord_says(text, viewer, where, self.line_number, self.guild_name)

    # ----- the current guild, member and channel ------------------------------------------------------
    @property
    def current_guild(self) -> st.Guild:
        return self.emulator.find_guild(self.guild_name) or self.emulator.guild

    @property
    def current_member(self) -> st.Member:
        return self.emulator.member(self.member_name, guild=self.current_guild)

    @property
    def current_channel(self) -> st.Channel:
        if self.thread_name is not None:
            thread = self.emulator.find_thread(self.thread_name, self.current_guild)
            if thread is not None:
                return thread
        return self.emulator.channel(self.channel_name, guild=self.current_guild)

    def where(self) -> str:
        return where_label(self.emulator, self.current_channel)

    # ----- lines ---------------------------------------------------------------------------------
    async def run_line(self, line: str, number: int | None = None) -> list[dict[str, Any]]:
        """Run one script line; returns what the bot (or Discord) showed because of it, in order."""
        self.line_number = number if number is not None else self.line_number + 1
        self._shown.clear()
        errors_before = len(self.errors)
        extra: list[dict[str, Any]] = []
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            return []
        if stripped.startswith(":"):
            extra = await self._directive(stripped)
        elif stripped.startswith("/"):
            extra = await self._command(stripped)
        else:
            try:
                await self.emulator.send_message(self.current_member, self.current_channel, stripped)
            except Refused as refused:
                extra = [self._discord_says(refused.reason, self.member_name, self.where())]
        await self.settle()
        if stripped.startswith(":"):
            self.save_world()  # a directive may have changed the world
        shown = self._shown + extra
        self._shown = []
        self.outputs.extend(shown)
        return shown + self.errors[errors_before:]

    async def _directive(self, line: str) -> list[dict[str, Any]]:
        return await run_directive(self, line)

    async def advance(self, target: datetime) -> None:
        """Move the clock to `target`, running every scheduled job that falls due, in order."""
        await self.settle()
        await self.bot.scheduler.advance_to(target)

    async def _command(self, line: str) -> list[dict[str, Any]]:
        invocation = parse_command_line(line)
        member, channel = self.current_member, self.current_channel
        try:
            record = await self.emulator.invoke(member, channel, invocation)
        except Refused as refused:
            return [self._discord_says(refused.reason, member.name, self.where())]
        return await self._await_response(record, "The application did not respond")

    async def _await_response(self, record: InteractionRecord, failure: str) -> list[dict[str, Any]]:
        await self.settle()
        if not record.responded:
            return [self._discord_says(failure, record.user.name, where_label(self.emulator, record.channel))]
        if record.modal is not None and self.emulator.open_modals.get(record.user.id) is record:
            return [self.describe_modal(record)]
        return []

    def describe_modal(self, record: InteractionRecord) -> dict[str, Any]:
        """A modal the bot opened: its title and fields (shown to the member who will fill it in)."""
        assert record.modal is not None
        fields = modal_fields(record.modal)
        title = str(record.modal["title"])
        return {
            **self._discord_says(title, record.user.name, where_label(self.emulator, record.channel)),
            "by": "lantern",
            "visibility": "modal",
            "fields": [describe_field(f) for f in fields],
            "text": "\n".join([title, *(f.label for f in fields)]),
        }

    def _visible_to(self, message: st.Message, member: st.Member) -> bool:
        if message.deleted or message.author.id != self.emulator.bot_user.id:
            return False
        if message.channel.type == st.DM:
            return message.channel.recipient is member.user
        if message.channel.guild_id != member.guild_id or not self.emulator.can_see(member, message.channel):
            return False
        if message.ephemeral:
            return message.visible_to == member.id
        return True

    async def click(self, label: str) -> list[dict[str, Any]]:
        member = self.current_member
        for message in sorted(self.emulator.messages.values(), key=lambda m: m.id, reverse=True):
            if not self._visible_to(message, member):
                continue
            button = next((b for b in st.buttons_of(message.components) if b.get("label") == label), None)
            if button is None:
                continue
            if button.get("disabled"):
                raise ScriptError(f"the button “{label}” is disabled")
            if button.get("style") == 5:
                raise ScriptError(f"“{label}” is a link to {button.get('url')}; it opens in a browser")
            record = await self.emulator.click(member, message, button["custom_id"])
            return await self._await_response(record, "This interaction failed")
        raise ScriptError(f"no message {member.name} can see has a button labelled “{label}”")

    async def select(self, rest: str) -> list[dict[str, Any]]:
        """`MENU VALUE…`: choose values in the newest menu this member can see whose placeholder (or
        custom_id) is MENU. Quote a MENU with spaces, or write it plain: the longest match wins."""
        words = split_words(rest)
        member = self.current_member
        for message in sorted(self.emulator.messages.values(), key=lambda m: m.id, reverse=True):
            if not self._visible_to(message, member):
                continue
            for menu in st.selects_of(message.components):
                taken = menu_words(words, menu)
                if taken is None:
                    continue
                try:
                    record = await self.emulator.select(member, message, menu["custom_id"], words[taken:])
                except Refused as refused:
                    return [
                        self._discord_says(refused.reason, member.name, where_label(self.emulator, message.channel))
                    ]
                return await self._await_response(record, "This interaction failed")
        raise ScriptError(f"no message {member.name} can see has a select menu “{rest}”")

    async def submit(self, rest: str) -> list[dict[str, Any]]:
        """`FIELD:"text" …`: fill in and submit the modal open in front of the current member. FIELD
        is a field's label or custom_id (quote it, or the value, when it has spaces); fields left
        out keep what the form prefilled."""
        member = self.current_member
        opened = self.emulator.open_modal(member)
        if opened is None or opened.modal is None:
            raise ScriptError(f"no form is open for {member.name}; a button or a command opens one")
        values = field_values(split_words(rest), modal_fields(opened.modal))
        try:
            record = await self.emulator.submit_modal(member, values)
        except Refused as refused:
            return [self._discord_says(refused.reason, member.name, where_label(self.emulator, opened.channel))]
        return await self._await_response(record, "Something went wrong. Try again.")

    async def autocomplete(self, line: str) -> list[dict[str, Any]]:
        """Suggestions for the last option of `/command … option:partial`, as Discord would show."""
        invocation = parse_command_line(line)
        if not invocation.options:
            raise ScriptError("say which option to complete, like `/reflect theme:fe`")
        invocation = Invocation(invocation.path, invocation.options, focused=list(invocation.options)[-1])
        record = await self.emulator.invoke(self.current_member, self.current_channel, invocation, kind=4)
        await self.settle()
        return list(record.choices or [])

    async def complete(self, rest: str) -> list[dict[str, Any]]:
        member = self.current_member
        try:
            choices = await self.autocomplete(rest)
        except Refused as refused:
            return [self._discord_says(refused.reason, member.name, self.where())]
        text = "\n".join(str(c["name"]) for c in choices) or "(no suggestions)"
        return [self._discord_says(text, member.name, self.where()) | {"by": "lantern"}]


def shard_socket(bot: Any, shard_id: int) -> Any:
    """The gateway connection of one of the bot's shards (None until it has connected)."""
    info = bot.shards.get(shard_id) if hasattr(bot, "shards") else None
    parent = getattr(info, "_parent", None)
    return getattr(parent, "ws", None) if parent is not None else getattr(bot, "ws", None)


@contextlib.asynccontextmanager
async def running_sandbox(
    settings: Settings | None = None, *, database: Path | None = None, **options: Any
) -> AsyncIterator[Sandbox]:
    """A started sandbox with a fresh temporary database unless `database` is given; a given
    database keeps its world (`NAME.world.json` beside it) so a later run meets the same ids."""
    from bot.settings import load_settings

    with tempfile.TemporaryDirectory(prefix="lantern-sandbox-") as folder:
        path = database or Path(folder) / "sandbox.sqlite3"
        base = settings or load_settings(env_file=None)
        sandbox_settings = base.model_copy(update={"database_url": str(path), "dev_guild_id": None})
        if database is not None:
            options.setdefault("world_path", world_path_for(database))
        sandbox = Sandbox(sandbox_settings, **options)
        await sandbox.start()
        try:
            yield sandbox
        finally:
            await sandbox.close()


def world_path_for(database: Path) -> Path:
    return database.with_name(database.name + ".world.json")


def load_world(path: Path | None) -> dict[str, Any] | None:
    """The world a previous run kept, or None (no file yet); a damaged file is a clear error."""
    if path is None or not path.exists():
        return None
    try:
        world: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RuntimeError(f"{path}: the sandbox world file cannot be read ({exc}); remove it to start afresh") from exc
    return world

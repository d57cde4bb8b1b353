"""The sandbox engine: the real Lantern bot against the emulator, driven line by line.

Both `lantern sandbox` and the end-to-end tests use `Sandbox`: each line runs to completion (every
task the bot started has finished and every reply has arrived) before the next, so what it shows
is deterministic.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import re
import tempfile
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.client import LanternBot
from bot.clock import ManualClock
from bot.settings import Settings
from emulator import state as st
from emulator.errors import Refused
from emulator.invocation import Invocation, ScriptError, parse_command_line, split_words
from emulator.limits import Limits
from emulator.routes.interactions import PARAGRAPH, ModalField, find_field, modal_fields
from emulator.server import Emulator, InteractionRecord
from emulator.tasks import TaskTracker

log = logging.getLogger(__name__)

DURATION = re.compile(r"(\d+)\s*([smhd])")
UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


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

    def __post_init__(self) -> None:
        self.clock = ManualClock(self.start_at)
        kwargs: dict[str, Any] = {
            "now": self.clock.now,
            "interaction_deadline": self.interaction_deadline,
            "limits": self.limits,
        }
        if self.privileged_intents is not None:
            kwargs["privileged_intents"] = self.privileged_intents
        self.emulator = Emulator(**kwargs)
        self.member_name = "member"
        self.channel_name = "general"
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
        await self._stack.aclose()

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
            ws = self.bot.ws
            if ws is not None and (ws.sequence or 0) >= self.emulator.last_sequence():
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
        emulator = self.emulator
        channel = message.channel
        if channel.type == 1:
            visibility, viewer = "dm", channel.recipient.name if channel.recipient else None
        elif message.ephemeral:
            visibility = "ephemeral"
            viewer = emulator.user_name(message.visible_to) if message.visible_to else None
        else:
            visibility, viewer = "public", None
        reply_to = None
        if message.reference_id and message.reference_id in emulator.messages:
            reply_to = emulator.messages[message.reference_id].author.name
        elif message.interaction is not None:
            reply_to = message.interaction["user"]["username"]
        embeds: list[dict[str, Any]] = [
            {
                "title": e.get("title"),
                "description": e.get("description"),
                "fields": [{"name": f.get("name"), "value": f.get("value")} for f in e.get("fields") or []],
                "footer": (e.get("footer") or {}).get("text"),
            }
            for e in message.embeds
        ]
        parts = [message.content]
        for embed in embeds:
            parts.extend([embed["title"] or "", embed["description"] or ""])
            for fld in embed["fields"]:
                parts.extend([fld["name"] or "", fld["value"] or ""])
            parts.append(embed["footer"] or "")
        result: dict[str, Any] = {
            "line": self.line_number,
            "by": "lantern",
            "where": channel.label,
            "visibility": visibility,
            "for": viewer,
            "reply_to": reply_to,
            "content": message.content,
            "embeds": embeds,
            "buttons": [b.get("label") or "" for b in st.buttons_of(message.components)],
            "selects": [describe_select(s, self._name_of) for s in st.selects_of(message.components)],
            "files": [a["filename"] for a in message.attachments],
            "pings": [] if message.ephemeral else emulator.pings(message),
            "text": "\n".join(p for p in parts if p),
        }
        if edited:
            result["edited"] = True
        return result

    def readable(self, text: str) -> str:
        """Mentions as a Discord client shows them: <#id> → #name, <@&id> → @Role, <@id> → @name,
        </daily start:id> → /daily start, <t:unix:F> → the date and time (in UTC, and relative to
        the sandbox clock for :R)."""
        emulator = self.emulator

        def channel(match: re.Match[str]) -> str:
            found = emulator.channels.get(int(match[1]))
            return found.label if found else "#unknown-channel"

        def timestamp(match: re.Match[str]) -> str:
            instant = datetime.fromtimestamp(int(match[1]), UTC)
            style = match[2] or "f"
            if style == "R":
                return _relative(instant - self.clock.now())
            return {"t": f"{instant:%H:%M}", "T": f"{instant:%H:%M:%S}", "d": f"{instant:%d/%m/%Y}"}.get(
                style, f"{instant:%A %d %B %Y %H:%M} UTC" if style == "F" else f"{instant:%d %B %Y %H:%M} UTC"
            )

        text = re.sub(r"<#(\d+)>", channel, text)
        text = re.sub(r"<@&(\d+)>", lambda m: f"@{emulator.role_name(int(m[1]))}", text)
        text = re.sub(r"<@!?(\d+)>", lambda m: f"@{emulator.user_name(int(m[1]))}", text)
        text = re.sub(r"</([\w -]+):\d+>", r"/\1", text)
        return re.sub(r"<t:(-?\d+)(?::([tTdDfFR]))?>", timestamp, text)

    def _name_of(self, kind: str, entity_id: int) -> str:
        """How a preselected channel, role or member reads in a menu."""
        emulator = self.emulator
        if kind == "channel" and entity_id in emulator.channels:
            return emulator.channels[entity_id].label
        if kind == "role":
            return emulator.role_name(entity_id)
        return f"@{emulator.user_name(entity_id)}"

    def _discord_says(self, text: str, viewer: str, where: str) -> dict[str, Any]:
        return {
            "line": self.line_number,
            "by": "discord",
            "where": where,
            "visibility": "ephemeral",
            "for": viewer,
            "reply_to": None,
            "content": text,
            "embeds": [],
            "buttons": [],
            "selects": [],
            "files": [],
            "pings": [],
            "text": text,
        }

    # ----- the current member and channel --------------------------------------------------------------
    @property
    def current_member(self) -> st.Member:
        return self.emulator.member(self.member_name)

    @property
    def current_channel(self) -> st.Channel:
        return self.emulator.channel(self.channel_name)

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
            await self.emulator.send_message(self.current_member, self.current_channel, stripped)
        await self.settle()
        shown = self._shown + extra
        self._shown = []
        self.outputs.extend(shown)
        return shown + self.errors[errors_before:]

    async def _directive(self, line: str) -> list[dict[str, Any]]:
        word, _, rest = line.partition(" ")
        rest = rest.strip()
        if word == ":as":
            parts = rest.split()
            if not parts or len(parts) > 2 or (len(parts) == 2 and parts[1] != "mod"):
                raise ScriptError(":as takes a member name and optionally `mod`, like `:as sam mod`")
            self.member_name = parts[0]
            self.emulator.member(parts[0], moderator=True if len(parts) == 2 else None)
        elif word == ":in":
            if not rest or " " in rest:
                raise ScriptError(":in takes one channel name, like `:in general`")
            self.channel_name = rest.removeprefix("#")
            await self.emulator.create_channel(self.channel_name)
        elif word == ":clock":
            target = parse_instant(rest)
            if target < self.clock.now():
                raise ScriptError(f"the clock is already at {self.clock.now().isoformat()}; it only moves forward")
            await self._advance(target)
        elif word == ":wait":
            await self._advance(self.clock.now() + parse_duration(rest))
        elif word == ":dms":
            parts = rest.split()
            if len(parts) != 2 or parts[1] not in ("open", "closed"):
                raise ScriptError(":dms takes a member name and open or closed, like `:dms sam closed`")
            self.emulator.set_dms_open(parts[0], parts[1] == "open")
        elif word == ":click":
            if not rest:
                raise ScriptError(":click takes a button label, like `:click Resources`")
            return await self.click(rest)
        elif word == ":select":
            if not rest:
                raise ScriptError(':select takes a menu and values, like `:select "Choose your region" UK`')
            return await self.select(rest)
        elif word == ":submit":
            return await self.submit(rest)
        elif word == ":complete":
            return await self._complete(rest)
        elif word == ":restart":
            if rest:
                raise ScriptError(":restart takes nothing: it restarts the bot on the same world and database")
            await self.restart_bot()
        else:
            raise ScriptError(
                f"unknown directive {word}; use :as, :in, :clock, :wait, :dms, :click, :select, :submit or :restart"
            )
        return []

    async def _advance(self, target: datetime) -> None:
        await self.settle()
        await self.bot.scheduler.advance_to(target)

    async def _command(self, line: str) -> list[dict[str, Any]]:
        invocation = parse_command_line(line)
        member, channel = self.current_member, self.current_channel
        try:
            record = await self.emulator.invoke(member, channel, invocation)
        except Refused as refused:
            return [self._discord_says(refused.reason, member.name, channel.label)]
        return await self._await_response(record, "The application did not respond")

    async def _await_response(self, record: InteractionRecord, failure: str) -> list[dict[str, Any]]:
        await self.settle()
        if not record.responded:
            return [self._discord_says(failure, record.user.name, record.channel.label)]
        if record.modal is not None and self.emulator.open_modals.get(record.user.id) is record:
            return [self.describe_modal(record)]
        return []

    def describe_modal(self, record: InteractionRecord) -> dict[str, Any]:
        """A modal the bot opened: its title and fields (shown to the member who will fill it in)."""
        assert record.modal is not None
        fields = modal_fields(record.modal)
        title = str(record.modal["title"])
        return {
            **self._discord_says(title, record.user.name, record.channel.label),
            "by": "lantern",
            "visibility": "modal",
            "fields": [describe_field(f) for f in fields],
            "text": "\n".join([title, *(f.label for f in fields)]),
        }

    def _visible_to(self, message: st.Message, member: st.Member) -> bool:
        if message.deleted or message.author.id != self.emulator.bot_user.id:
            return False
        if message.channel.type == 1:
            return message.channel.recipient is member.user
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
                taken = _menu_words(words, menu)
                if taken is None:
                    continue
                try:
                    record = await self.emulator.select(member, message, menu["custom_id"], words[taken:])
                except Refused as refused:
                    return [self._discord_says(refused.reason, member.name, message.channel.label)]
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
        values = _field_values(split_words(rest), modal_fields(opened.modal))
        try:
            record = await self.emulator.submit_modal(member, values)
        except Refused as refused:
            return [self._discord_says(refused.reason, member.name, opened.channel.label)]
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

    async def _complete(self, rest: str) -> list[dict[str, Any]]:
        member, channel = self.current_member, self.current_channel
        try:
            choices = await self.autocomplete(rest)
        except Refused as refused:
            return [self._discord_says(refused.reason, member.name, channel.label)]
        text = "\n".join(str(c["name"]) for c in choices) or "(no suggestions)"
        return [self._discord_says(text, member.name, channel.label) | {"by": "lantern"}]


def _relative(delta: timedelta) -> str:
    """ "in 25 minutes", "3 days ago", as Discord says a relative timestamp."""
    seconds = int(delta.total_seconds())
    ahead, seconds = seconds >= 0, abs(seconds)
    for unit, size in (("year", 31_536_000), ("month", 2_592_000), ("day", 86_400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = round(seconds / size)
            amount = f"{count} {unit}{'s' if count != 1 else ''}"
            return f"in {amount}" if ahead else f"{amount} ago"
    return "in a few seconds" if ahead else "a few seconds ago"


def describe_select(menu: dict[str, Any], name_of: Callable[[str, int], str] | None = None) -> dict[str, Any]:
    """A select menu as the sandbox shows it: its placeholder, what it offers, and what is preselected
    (options marked default; for entity menus, `default_values` named by `name_of(type, id)`)."""
    options = menu.get("options") or []
    chosen = [o.get("label") for o in options if o.get("default")]
    for value in menu.get("default_values") or []:
        chosen.append(name_of(value["type"], int(value["id"])) if name_of else str(value["id"]))
    return {
        "placeholder": menu.get("placeholder") or menu.get("custom_id"),
        "kind": st.SELECT_KINDS.get(menu.get("type", 0), "option"),
        "options": [o.get("label") for o in options],
        "chosen": chosen,
        "min": int(menu.get("min_values", 1)),
        "max": int(menu.get("max_values", 1)),
        "disabled": bool(menu.get("disabled")),
    }


def describe_field(found: ModalField) -> dict[str, Any]:
    return {
        "label": found.label,
        "custom_id": found.custom_id,
        "style": "paragraph" if found.style == PARAGRAPH else "short",
        "required": found.required,
        "min": found.min_length,
        "max": found.max_length,
        "placeholder": found.placeholder,
    }


def _field_values(words: list[str], fields: list[ModalField]) -> dict[str, str]:
    """`name:value` words to {field custom_id: value}; a name with spaces may be written unquoted
    (`Your letter:"…"`): words that name no field yet are joined to the next."""
    values: dict[str, str] = {}
    pending = ""
    for word in words:
        candidate = f"{pending} {word}" if pending else word
        named = _named_field(candidate, fields)
        if named is None:
            pending = candidate
            continue
        found, value = named
        values[found.custom_id] = value
        pending = ""
    if pending:
        offered = ", ".join(f.label for f in fields)
        raise ScriptError(f'“{pending}” is not FIELD:"text" for this form; its fields: {offered}')
    return values


def _named_field(word: str, fields: list[ModalField]) -> tuple[ModalField, str] | None:
    """The field a `name:value` word names and its value; the name may hold colons (`probe:note:hi`)."""
    start = 0
    while (colon := word.find(":", start)) != -1:
        found = find_field(fields, word[:colon].strip())
        if found is not None:
            return found, word[colon + 1 :]
        start = colon + 1
    return None


def _menu_words(words: list[str], menu: dict[str, Any]) -> int | None:
    """How many leading words name `menu` (its placeholder, any case, or its custom_id); None if none do."""
    names = {" ".join((menu.get("placeholder") or "").split()).casefold(), str(menu.get("custom_id")).casefold()}
    for count in range(len(words), 0, -1):
        if " ".join(" ".join(words[:count]).split()).casefold() in names - {""}:
            return count
    return None


@contextlib.asynccontextmanager
async def running_sandbox(
    settings: Settings | None = None, *, database: Path | None = None, **options: Any
) -> AsyncIterator[Sandbox]:
    """A started sandbox with a fresh temporary database unless `database` is given."""
    from bot.settings import load_settings

    with tempfile.TemporaryDirectory(prefix="lantern-sandbox-") as folder:
        path = database or Path(folder) / "sandbox.sqlite3"
        base = settings or load_settings(env_file=None)
        sandbox_settings = base.model_copy(update={"database_path": path, "dev_guild_id": None})
        sandbox = Sandbox(sandbox_settings, **options)
        await sandbox.start()
        try:
            yield sandbox
        finally:
            await sandbox.close()

"""The Lantern bot: opens storage, loads the extensions it is given, and owns the services cogs use.

It never imports `cogs/`: the composition root (`bot/__main__.py`) passes the extension names in.

It is an `AutoShardedBot` running this process's contiguous range of shards (`Settings.shard_ids`;
all of them, as many as Discord recommends, when SHARD_COUNT is not set). IDENTIFY is coordinated
with the other processes through the database (`bot/identify.py`), and scheduled work runs only in
the process that holds the scheduler lock (`bot/leadership.py`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import sys
from collections.abc import Sequence
from typing import Any

import discord
from discord.ext import commands

from bot.clock import Clock, SystemClock
from bot.content import Content, load_content
from bot.identify import IdentifyGate
from bot.interactions import LanternCommandTree
from bot.leadership import Leadership
from bot.logging_setup import exception_name, traceback_without_values
from bot.safety.responder import SafetyResponder
from bot.scheduler import Scheduler
from bot.settings import Settings
from bot.storage import Stores
from bot.storage.database import database_for

log = logging.getLogger(__name__)

# Tasks that handle what members did (events, commands, buttons) or send daily prompts; at shutdown
# they finish before storage closes. The names are discord.py's (client.py, app_commands/tree.py,
# ui/view.py) and Lantern's own daily sends.
HANDLER_TASK_PREFIXES = (
    "discord.py: ",
    "CommandTree-invoker",
    "discord-ui-view-dispatch",
    "discord-ui-dynamic-item",
    "discord-ui-modal",
    "daily-dm-",
)
DRAIN_SECONDS = 10.0


SCHEDULER_CHANNEL = "scheduler"


def lantern_intents(*, direct_messages: bool = True) -> discord.Intents:
    """Only what Lantern uses. Message content is needed to notice a member who is hurting. DMs
    arrive on shard 0 only, so a process without shard 0 does not ask for them."""
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.dm_messages = direct_messages
    intents.message_content = True
    return intents


class LanternBot(commands.AutoShardedBot):
    def __init__(
        self,
        settings: Settings,
        *,
        extensions: Sequence[str],
        clock: Clock | None = None,
        sync_commands_on_start: bool = False,
        run_scheduler: bool = True,
        scheduled_work: bool = True,
        content: Content | None = None,
        rng: random.Random | None = None,
        intents: discord.Intents | None = None,
        **options: Any,
    ) -> None:
        # Lantern has no voice features; don't warn at every start that voice libraries are missing.
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
        shard_ids = settings.shard_ids()
        options.setdefault("shard_count", settings.shard_count)
        options.setdefault("shard_ids", shard_ids)
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=intents or lantern_intents(direct_messages=shard_ids is None or 0 in shard_ids),
            tree_cls=LanternCommandTree,
            allowed_mentions=discord.AllowedMentions.none(),
            **options,
        )
        self.settings = settings
        self.clock: Clock = clock or SystemClock()
        self.db = database_for(settings.database_url)
        self.stores = Stores(self.db)
        self.safety_responder = SafetyResponder(self.stores, self.clock)
        self._content = content
        self.rng = rng or random.Random()
        self.leadership = Leadership(self.db)
        self.scheduler = Scheduler(self.clock, leadership=self.leadership)
        if self.db.dialect != "sqlite":  # another process may lead: wake it through the database
            self.scheduler.broadcast = self._wake_leader
        self.db.on_notify(SCHEDULER_CHANNEL, lambda _payload: self.scheduler.wake_local())
        self.identify_gate = IdentifyGate(self.db, self._max_concurrency)
        self._scheduled_work = scheduled_work
        self._sync_commands_on_start = sync_commands_on_start
        self._run_scheduler = run_scheduler
        self._extensions = tuple(extensions)
        self._scheduler_task: asyncio.Task[None] | None = None
        # Command name → the id Discord gave it: what a clickable `</reflect:ID>` mention needs.
        self.command_ids: dict[str, int] = {}
        self._command_ids_known = False
        self._logged_in = False

    @property
    def handles_dms(self) -> bool:
        """Whether this process runs shard 0, where DMs and buttons pressed in DMs arrive."""
        return self.shard_ids is None or 0 in self.shard_ids

    def _wake_leader(self) -> None:
        if self.db.is_open:  # (before start-up there is nothing to wake)
            asyncio.get_running_loop().create_task(self._notify_scheduler(), name="lantern-notify: scheduler")

    async def _notify_scheduler(self) -> None:
        try:
            await self.db.notify(SCHEDULER_CHANNEL)
        except Exception as exc:  # the leader still polls every minute
            log.warning("Could not wake the scheduler in another process (%s)", exception_name(exc))

    async def _max_concurrency(self) -> int:
        """How many buckets IDENTIFY at once (Discord's session_start_limit), and a word on what is left."""
        try:
            limits = await self.fetch_session_start_limits()
        except (discord.HTTPException, KeyError, TypeError) as exc:
            log.warning("Could not read the session start limit (%s); identifying one shard at a time", exc)
            return 1
        if limits.remaining < max(10, limits.total // 10):
            log.warning(
                "Only %d of %d session starts left today (Discord resets the token past them); resets in %d s",
                limits.remaining,
                limits.total,
                limits.reset_after // 1000,
            )
        return limits.max_concurrency

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """Instead of discord.py's 5-second sleep within this process: the bucket's lock in the database."""
        await self.identify_gate.before_identify(shard_id or 0)

    @property
    def content(self) -> Content:
        if self._content is None:
            raise RuntimeError("content is loaded in setup_hook; it is not available yet")
        return self._content

    async def open_storage(self) -> None:
        """Open and migrate the database (once). `lantern run` calls it before logging in, so a
        database it cannot use stops it with one clear line before it ever connects to Discord."""
        if self.db.is_open:
            return
        await self.db.open()
        try:
            await self.db.migrate()
        except BaseException:
            await self.db.close()
            raise

    async def setup_hook(self) -> None:
        self._logged_in = True
        if self._content is None:
            self._content = load_content(self.settings.content_dir)
        await self.open_storage()
        for name in self._extensions:
            await self.load_extension(name)
        if self._scheduled_work:
            await self.leadership.start()
        # Commands are synced once per deploy (`lantern sync`), never by every process; while
        # developing, the first process syncs them to DEV_GUILD_ID.
        if self.settings.dev_guild_id is not None and self.settings.cluster_index == 0:
            guild = discord.Object(id=self.settings.dev_guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            self._remember_command_ids(synced)
            log.info("Synced %d commands to the development server %s", len(synced), guild.id)
        elif self._sync_commands_on_start:
            synced = await self.tree.sync()
            self._remember_command_ids(synced)
            log.info("Synced %d global commands", len(synced))
        if self._run_scheduler:
            self._scheduler_task = asyncio.create_task(
                self.scheduler.run_forever(), name="lantern-background: scheduler"
            )

    def _remember_command_ids(self, commands: Sequence[discord.app_commands.AppCommand]) -> None:
        self.command_ids = {command.name: command.id for command in commands}
        self._command_ids_known = True

    async def app_command_ids(self) -> dict[str, int]:
        """The registered commands' ids: from the sync at start, else asked of Discord once.
        Empty if Discord can't be asked right now (help then shows commands as plain text)."""
        if not self._command_ids_known:
            guild = discord.Object(id=self.settings.dev_guild_id) if self.settings.dev_guild_id else None
            try:
                self._remember_command_ids(await self.tree.fetch_commands(guild=guild))
            except discord.HTTPException as exc:
                log.warning("Could not fetch the registered commands' ids (HTTP %s)", exc.status)
        return self.command_ids

    async def on_message(self, message: discord.Message, /) -> None:
        """Lantern has no prefix commands; listeners in cogs handle messages."""

    async def on_error(self, event_method: str, /, *args: Any, **kwargs: Any) -> None:
        """A listener failed: log where and how, but not the exception's message (it can hold member text)."""
        error = sys.exc_info()[1]
        if error is None:
            log.error("Ignoring exception in %s", event_method)
            return
        log.error(
            "Ignoring exception in %s: %s\n%s", event_method, exception_name(error), traceback_without_values(error)
        )

    async def close(self) -> None:
        """Let what is being handled finish (up to DRAIN_SECONDS), then disconnect, then close storage.

        Closing storage under a handler that is still running made it fail with "the database is
        not open" (a reply sent but its cooldown never recorded, a daily prompt claimed but unsent).
        """
        if self.is_closed():
            await self.leadership.stop()
            await self.db.close()
            return
        if not self._logged_in:  # AutoShardedClient.close needs what logging in sets up
            await self._async_setup_hook()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + DRAIN_SECONDS
        # First the scheduler: it claims nothing more and this process steps down at once, so a
        # standby takes the rest now; the batch already claimed is still sent (its rows are claimed,
        # its sends carry nonces: the standby cannot double them).
        self.scheduler.stop()
        await self.leadership.stop()
        if self._scheduler_task is not None:
            await asyncio.wait({self._scheduler_task}, timeout=DRAIN_SECONDS)
            if not self._scheduler_task.done():
                self._scheduler_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._scheduler_task
        await self._drain(max(1.0, deadline - loop.time()))
        try:
            await super().close()
        finally:
            await self._drain(1.0)  # anything that started while disconnecting
            await self.identify_gate.close()
            await self.leadership.stop()  # a standby takes over at once
            await self.db.close()

    async def _drain(self, timeout: float) -> None:
        """Wait for in-flight handler tasks, including ones they start meanwhile, up to `timeout` seconds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while (pending := _in_flight_handlers()) and (left := deadline - loop.time()) > 0:
            await asyncio.wait(pending, timeout=left)
        if pending:
            log.warning("Shutting down with %d handlers still running", len(pending))


def _in_flight_handlers() -> set[asyncio.Task[Any]]:
    current = asyncio.current_task()
    return {
        task
        for task in asyncio.all_tasks()
        if task is not current and not task.done() and task.get_name().startswith(HANDLER_TASK_PREFIXES)
    }

"""Knowing when the bot is idle: every task it starts is tagged, so the harness can wait for them.

A context variable marks the bot's root task; tasks inherit their creator's context, so every
task discord.py or a cog starts on the bot's behalf carries the mark, while the emulator's own
server tasks do not.
"""

from __future__ import annotations

import asyncio
import contextvars
import weakref
from collections.abc import Coroutine
from typing import Any

BOT_WORK: contextvars.ContextVar[bool] = contextvars.ContextVar("lantern_bot_work", default=False)

# Long-lived tasks that are never "work in progress": loops and view timers.
BACKGROUND_NAME_PREFIXES = ("lantern-background", "discord-ext-tasks", "discord-ui-view-timeout")
# (discord.py's AutoShardedClient reads each shard's socket in a `Shard.worker` task.)
BACKGROUND_CORO_NAMES = ("__timeout_task_impl", "Shard.worker")


class TaskTracker:
    def __init__(self) -> None:
        self.tasks: weakref.WeakSet[asyncio.Task[Any]] = weakref.WeakSet()
        self.root: asyncio.Task[Any] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._previous: Any = None

    def install(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._previous = loop.get_task_factory()
        loop.set_task_factory(self._factory)  # type: ignore[arg-type]

    def uninstall(self) -> None:
        if self._loop is not None:
            self._loop.set_task_factory(self._previous)
            self._loop = None

    def _factory(
        self, loop: asyncio.AbstractEventLoop, coro: Coroutine[Any, Any, Any], **kwargs: Any
    ) -> asyncio.Task[Any]:
        if self._previous is not None:
            task: asyncio.Task[Any] = self._previous(loop, coro, **kwargs)
        else:
            task = asyncio.Task(coro, loop=loop, **kwargs)
        context: contextvars.Context | None = kwargs.get("context")
        is_bot_work = context.get(BOT_WORK, False) if context is not None else BOT_WORK.get()
        if is_bot_work:
            self.tasks.add(task)
        return task

    def start_root(self, coro: Coroutine[Any, Any, Any], name: str) -> asyncio.Task[Any]:
        """Start the bot's root task in a context marked as bot work."""
        context = contextvars.copy_context()
        context.run(BOT_WORK.set, True)
        self.root = asyncio.get_running_loop().create_task(coro, name=name, context=context)
        return self.root

    @staticmethod
    def is_background(task: asyncio.Task[Any]) -> bool:
        if task.get_name().startswith(BACKGROUND_NAME_PREFIXES):
            return True
        coro = task.get_coro()
        name = getattr(coro, "__qualname__", "") or ""
        return any(part in name for part in BACKGROUND_CORO_NAMES)

    def pending(self) -> list[asyncio.Task[Any]]:
        """Bot tasks still running, other than the root and long-lived background loops."""
        return [t for t in list(self.tasks) if not t.done() and t is not self.root and not self.is_background(t)]

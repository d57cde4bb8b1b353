from __future__ import annotations

from pathlib import Path

from discord import app_commands

import cogs
from bot.client import LanternBot
from bot.settings import Settings
from cogs import extension_names


def test_every_module_in_cogs_is_an_extension() -> None:
    modules = {p.stem for p in Path(cogs.__path__[0]).glob("*.py") if not p.stem.startswith("_")}
    assert {name.split(".", 1)[1] for name in extension_names()} == modules
    assert "cogs.meta" in extension_names()


async def test_every_cog_loads_and_command_names_are_unique(settings: Settings) -> None:
    bot = LanternBot(settings, extensions=extension_names())
    try:
        for name in extension_names():
            await bot.load_extension(name)
        assert set(bot.extensions) == set(extension_names())
        top_level = [c.name for c in bot.tree.get_commands()]
        assert len(top_level) == len(set(top_level))
        qualified: list[str] = []
        for command in bot.tree.walk_commands():
            if isinstance(command, app_commands.Command):
                qualified.append(command.qualified_name)
        assert len(qualified) == len(set(qualified))
        assert "help" in qualified
    finally:
        await bot.close()

"""The README's promises that a reader relies on: one Commands table naming every command, and a
Makefile whose `make run` installs only what running needs."""

from __future__ import annotations

import re
from pathlib import Path

from discord import app_commands

from bot.client import LanternBot
from bot.settings import Settings
from cogs import extension_names

ROOT = Path(__file__).resolve().parents[2]


def section(text: str, title: str) -> list[str]:
    lines = text.splitlines()
    start = lines.index(f"## {title}") + 1
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("## ")), len(lines))
    return lines[start:end]


async def test_the_commands_table_is_one_table_naming_every_command(settings: Settings) -> None:
    lines = section((ROOT / "README.md").read_text(encoding="utf-8"), "Commands")
    rows = [i for i, line in enumerate(lines) if line.startswith("|")]
    assert rows == list(range(rows[0], rows[-1] + 1)), "a blank or other line splits the table: it renders as pipes"
    assert re.fullmatch(r"\|(-+\|)+", lines[rows[1]]), "the header separator follows the header"
    table = "\n".join(lines[i] for i in rows)
    bot = LanternBot(settings, extensions=extension_names())
    try:
        for name in extension_names():
            await bot.load_extension(name)
        for command in bot.tree.walk_commands():
            if isinstance(command, app_commands.Command):
                # "`/config resources add …" in full, or "· `remove name:`" beside its group's first command
                names = {f"`/{command.qualified_name}", f"`{command.name} ", f"`{command.name}`"}
                assert any(name in table for name in names), command.qualified_name
    finally:
        await bot.close()


def test_make_run_installs_only_what_running_needs() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = dict(re.findall(r"^([\w$()_.-]+):[ \t]*([^\n=]*)$", makefile, re.MULTILINE))
    assert targets["run"].split() == ["$(RUN_STAMP)"]
    assert "$(DEV_STAMP)" in targets["test"].split()
    run_recipe = makefile.split("$(RUN_STAMP): pyproject.toml", 1)[1].split("\n\n", 1)[0]
    assert "pip install --quiet -e ." in run_recipe and "[dev]" not in run_recipe
    dev_recipe = makefile.split("$(DEV_STAMP): $(RUN_STAMP)", 1)[1].split("\n\n", 1)[0]
    assert "'.[dev]'" in dev_recipe
    quick_start = section((ROOT / "README.md").read_text(encoding="utf-8"), "Quick start")
    commands = [line for line in quick_start if line.startswith("make ")]
    assert [line.split()[1] for line in commands] == ["run", "test"], "Quick start stays exactly two commands"

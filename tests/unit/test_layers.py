"""The house rules of the layout (docs/ARCHITECTURE.md), checked on every module's imports."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def modules(package: str) -> Iterator[tuple[str, Path]]:
    for path in sorted((ROOT / package).rglob("*.py")):
        relative = path.relative_to(ROOT).with_suffix("")
        name = ".".join(relative.parts).removesuffix(".__init__")
        yield name, path


def imported(path: Path) -> set[str]:
    """Every module a file imports, at any depth (late imports inside functions count too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def top(name: str) -> str:
    return name.split(".", 1)[0]


def test_the_packages_exist() -> None:
    assert dict(modules("emulator")) and dict(modules("bot")) and dict(modules("cogs"))


@pytest.mark.parametrize(("name", "path"), list(modules("emulator")))
def test_emulator_imports_nothing_of_lantern(name: str, path: Path) -> None:
    assert not {top(m) for m in imported(path)} & {"bot", "cogs"}, f"{name} imports Lantern"


@pytest.mark.parametrize(("name", "path"), list(modules("bot")))
def test_only_the_composition_root_imports_cogs(name: str, path: Path) -> None:
    if name == "bot.__main__":
        return
    assert "cogs" not in {top(m) for m in imported(path)}, f"{name} imports cogs/"


@pytest.mark.parametrize(("name", "path"), list(modules("bot")))
def test_only_the_sandbox_imports_the_emulator(name: str, path: Path) -> None:
    if name.startswith("bot.sandbox"):
        return
    assert "emulator" not in {top(m) for m in imported(path)}, f"{name} imports the emulator"


@pytest.mark.parametrize(("name", "path"), list(modules("cogs")))
def test_no_cog_imports_another(name: str, path: Path) -> None:
    others = {m for m in imported(path) if top(m) == "cogs" and not m.startswith(name)}
    assert not others, f"{name} imports {sorted(others)}"


SQL = re.compile(r"\b(SELECT\s.+\sFROM|INSERT\s+INTO|DELETE\s+FROM|UPDATE\s+\w+\s+SET)\b", re.IGNORECASE)
DECISIONS = {"bot.safety.assess", "bot.safety.detector", "bot.safety.policy.decide"}


@pytest.mark.parametrize(("name", "path"), list(modules("cogs")))
def test_cogs_are_adapters_not_deciders(name: str, path: Path) -> None:
    """Storage is reached through repositories and the safety decision through the responder."""
    source = path.read_text(encoding="utf-8")
    assert not SQL.search(source), f"{name} holds SQL"
    assert not imported(path) & DECISIONS, f"{name} decides safety itself instead of asking the responder"
    assert "bot.storage.database" not in imported(path), f"{name} talks to the database directly"


def test_the_checks_can_fail(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import cogs.daily\nfrom bot.safety import assess\n\ndef f():\n    from emulator import server\n")
    assert {"cogs.daily", "bot.safety.assess", "emulator"} <= imported(bad)
    assert SQL.search('db.execute("DELETE FROM x WHERE y = ?")')

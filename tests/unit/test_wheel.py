"""`lantern sandbox` works from an installed wheel: the emulator, migrations and content ship in it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_wheel_ships_every_package_and_runs_the_sandbox(tmp_path: Path) -> None:
    # Build from a copy, so setuptools' build/ folder never lingers in (or leaks stale files from) the tree.
    source = tmp_path / "source"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache"),
    )
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", tmp_path, source],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert built.returncode == 0, built.stderr
    [wheel] = tmp_path.glob("lantern-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for expected in (
        "emulator/server.py",
        "bot/sandbox/engine.py",
        "cogs/safety.py",
        "data/prompts.toml",
        "data/safety/model.npy",
    ):
        assert expected in names
    assert any(n.startswith("bot/storage/migrations/") and n.endswith(".sql") for n in names)
    assert "data/safety/model.json" in names
    assert not any(n.startswith("tests/") or n.endswith(".jsonl") for n in names), "no corpus in the wheel"

    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    run_dir = tmp_path / "elsewhere"  # not the repository, so only the unpacked wheel provides Lantern
    run_dir.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target), "DISCORD_TOKEN": ""}
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, bot; print(bot.__file__); from bot.__main__ import main; sys.exit(main())",
            "sandbox",
            "--json",
        ],
        input="/help\n",
        capture_output=True,
        text=True,
        cwd=run_dir,
        env=env,
        timeout=120,
    )
    assert shown.returncode == 0, shown.stderr
    first, *lines = shown.stdout.splitlines()
    assert first.startswith(str(target)), "Lantern came from the wheel"
    assert json.loads(lines[0])["embeds"][0]["title"] == "Lantern"

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def run_cli(*args: str, cwd: Path, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DISCORD_TOKEN", "DEV_GUILD_ID", "LOG_LEVEL"}}
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_help_lists_subcommands(tmp_path: Path) -> None:
    result = run_cli("--help", cwd=tmp_path)
    assert result.returncode == 0
    for sub in ("run", "sync"):
        assert sub in result.stdout


def test_run_without_token_explains_and_exits_2(tmp_path: Path) -> None:
    result = run_cli("run", cwd=tmp_path)
    assert result.returncode == 2
    assert "DISCORD_TOKEN" in result.stderr
    assert ".env.example" in result.stderr
    assert "Traceback" not in result.stderr
    assert ".venv/bin/lantern sandbox" in result.stderr, "outside a terminal, the sandbox is named"


def test_default_command_is_run(tmp_path: Path) -> None:
    result = run_cli(cwd=tmp_path)
    assert result.returncode == 2
    assert "DISCORD_TOKEN" in result.stderr


def test_bad_settings_exit_2_with_one_line_each(tmp_path: Path) -> None:
    result = run_cli("run", cwd=tmp_path, env_extra={"DEV_GUILD_ID": "abc", "LOG_LEVEL": "loud"})
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert any(line.strip().startswith("DEV_GUILD_ID:") for line in result.stderr.splitlines())
    assert any(line.strip().startswith("LOG_LEVEL:") for line in result.stderr.splitlines())


def run_sandbox_cli(*args: str, stdin: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DISCORD_TOKEN", "DEV_GUILD_ID"}}
    return subprocess.run(
        [sys.executable, "-m", "bot", "sandbox", *args],
        cwd=cwd,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_sandbox_json_prints_one_valid_object_per_thing_shown(tmp_path: Path) -> None:
    import json

    result = run_sandbox_cli("--json", stdin="# a comment\n/help\nhello\n/nope\n", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(o["line"], o["by"]) for o in objects] == [(2, "lantern"), (4, "discord")]
    keys = {"line", "by", "where", "visibility", "for", "reply_to", "content", "embeds", "buttons", "pings", "text"}
    assert all(keys <= set(o) for o in objects)
    assert not list(tmp_path.iterdir()), "the sandbox must not leave a database behind"


def test_sandbox_bad_line_exits_2_naming_the_line(tmp_path: Path) -> None:
    script = tmp_path / "script.txt"
    script.write_text("/help\n:wait forever\n", encoding="utf-8")
    result = run_sandbox_cli("--script", str(script), "--json", stdin="", cwd=tmp_path)
    assert result.returncode == 2
    assert "line 2" in result.stderr
    assert "Traceback" not in result.stderr


def test_sandbox_keeps_state_in_a_given_database(tmp_path: Path) -> None:
    database = tmp_path / "kept.sqlite3"
    result = run_sandbox_cli("--database", str(database), stdin="/help\n", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert database.exists()
    assert "Lantern" in result.stdout


def test_content_check_reports_counts_and_refuses_a_broken_folder(tmp_path: Path) -> None:
    import shutil

    ok = run_cli("content", "check", cwd=tmp_path)
    assert ok.returncode == 0 and "64 prompts in 8 themes" in ok.stdout
    broken = tmp_path / "data"
    shutil.copytree(Path(__file__).parents[2] / "data", broken)
    (broken / "prompts.toml").write_text("[themes\n", encoding="utf-8")
    failed = run_cli("content", "check", "--dir", str(broken), cwd=tmp_path)
    assert failed.returncode == 2
    assert "prompts.toml: not valid TOML" in failed.stderr and "Traceback" not in failed.stderr


def test_check_prints_label_and_reasons(tmp_path: Path) -> None:
    result = run_cli("check", "he blocked me so i made a new account to message him", cwd=tmp_path)
    assert result.returncode == 0
    label, confidence, reasons = result.stdout.splitlines()
    assert label == "label: pursuit"
    assert confidence.startswith("confidence: ") and 0.5 <= float(confidence.split(": ")[1]) <= 1.0
    assert reasons.startswith("reasons: ") and reasons != "reasons: -"


def test_evaluate_ends_with_the_summary_line_and_refuses_bad_files(tmp_path: Path) -> None:
    examples = tmp_path / "set.jsonl"
    examples.write_text(
        '{"text": "he blocked me on everything", "label": "blocked"}\n{"text": "happy friday", "label": "none"}\n',
        encoding="utf-8",
    )
    result = run_cli("evaluate", str(examples), cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.splitlines()[-1] == (
        "binary_f1=1.000 crisis_recall=0.000 pursuit_recall=0.000 none_fpr=0.000 label_accuracy=1.000 n=2"
    )
    examples.write_text('{"text": "x", "label": "sad"}\n', encoding="utf-8")
    bad = run_cli("evaluate", str(examples), cwd=tmp_path)
    assert bad.returncode == 2 and "unknown label 'sad'" in bad.stderr


def test_evaluate_kinds_shows_each_kind_and_the_issue_groups(tmp_path: Path) -> None:
    """`--kinds` adds figures per kind and the explicit and joking groups; the last line stays the summary."""
    examples = tmp_path / "set.jsonl"
    lines = [
        ("i want to die", "crisis", "method/short"),
        ("wrote the note, it's on my desk", "crisis", "note"),
        ("he blocked me on everything", "blocked", "explicit"),  # not crisis: never in the explicit group
        ("happy friday", "none", "gaming/chat"),
        ("this raid boss makes me want to die lol", "none", "gaming"),
        ("thank you all", "none", "gratitude"),
    ]
    examples.write_text(
        "".join(json.dumps({"text": t, "label": label, "kind": kind}) + "\n" for t, label, kind in lines),
        encoding="utf-8",
    )
    result = run_cli("evaluate", "--kinds", str(examples), cwd=tmp_path)
    assert result.returncode == 0
    out = result.stdout.splitlines()
    assert out[-1].startswith("binary_f1=") and out[-1].endswith("n=6")
    explicit = next(line for line in out if line.startswith("explicit method/plan/goodbye"))
    joking = next(line for line in out if line.startswith("gaming, irony, lyrics and slang"))
    assert explicit.endswith("/2)") and joking.endswith("/2)")
    rows = {tuple(line.split()[:2]): line.split() for line in out if line.startswith(("crisis ", "blocked ", "none "))}
    assert rows[("crisis", "method/short")][-1] == "explicit"
    assert rows[("blocked", "explicit")][-1] != "explicit"
    assert rows[("none", "gratitude")][-1] != "joking"
    assert all("want to die" not in line for line in out), "a kind is shown, never a text"


def test_kind_groups_are_named_by_the_words_of_a_kind() -> None:
    from bot.safety.evaluate import kind_group

    assert kind_group("crisis", "giving_away/formal") == "explicit"
    assert kind_group("crisis", "self_harm") == "explicit"
    assert kind_group("crisis", "hopeless") is None
    assert kind_group("none", "dark_humour/chat") == "joking"
    assert kind_group("none", "lyrics_quote") == "joking"
    assert kind_group("none", "plans") is None, "everyday plans are not a crisis plan"
    assert kind_group("blocked", "explicit") is None


async def test_run_refuses_a_database_it_cannot_use_in_one_plain_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before connecting to Discord: exit 2 and one line naming the file, never a traceback."""
    import sqlite3

    from bot.__main__ import run_bot
    from bot.settings import load_settings

    corrupt = tmp_path / "corrupt.sqlite3"
    corrupt.write_text("this is not a database, just some notes")
    blocking = tmp_path / "a-file"
    blocking.write_text("")
    foreign = tmp_path / "notes.sqlite3"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE notes (text TEXT)")
    conn.close()
    cases = {
        corrupt: "not a Lantern database, or it is damaged",
        blocking / "lantern.sqlite3": f"{blocking} is a file, not a folder",
        foreign: "another program's database",
    }
    for path, problem in cases.items():
        settings = load_settings(env_file=None, discord_token="not-a-real-token", database_path=path)
        assert await run_bot(settings) == 2
        lines = capsys.readouterr().err.strip().splitlines()
        assert len(lines) == 1 and str(path) in lines[0] and problem in lines[0], lines
        assert "sqlite" not in lines[0].lower().replace(".sqlite3", ""), "plain words, not SQLite's"
    with sqlite3.connect(foreign) as conn:
        names = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    conn.close()
    assert names == ["notes"] and mode == "delete", "another program's database is left exactly as it was"


def test_interactive_sandbox_recalls_lines_and_ctrl_c_leaves_at_once(tmp_path: Path) -> None:
    """In a terminal: the up arrow brings back the last line (readline), Ctrl-C exits without waiting."""
    import os as _os
    import pty
    import select
    import signal
    import time

    env = {k: v for k, v in os.environ.items() if k not in {"DISCORD_TOKEN", "DEV_GUILD_ID"}}
    pid, fd = pty.fork()
    if pid == 0:  # the child: the sandbox, in a terminal
        _os.chdir(tmp_path)
        _os.execve(sys.executable, [sys.executable, "-m", "bot", "sandbox"], env)
    seen = b""

    def read_until(marker: bytes, count: int = 1, timeout: float = 60.0) -> None:
        nonlocal seen
        deadline = time.monotonic() + timeout
        while seen.count(marker) < count and time.monotonic() < deadline:
            if select.select([fd], [], [], 0.2)[0]:
                try:
                    seen += _os.read(fd, 65536)
                except OSError:
                    break
        assert seen.count(marker) >= count, seen.decode(errors="replace")[-2000:]

    try:
        read_until(b"member in #general> ")
        _os.write(fd, b"/help\r")
        read_until(b"only member can see this")
        read_until(b"member in #general> ", 2)
        _os.write(fd, b"\x1b[A\r")  # the up arrow: the same line again
        read_until(b"only member can see this", 2)
        read_until(b"member in #general> ", 3)
        started = time.monotonic()
        _os.kill(pid, signal.SIGINT)
        _, status = _os.waitpid(pid, 0)
        assert time.monotonic() - started < 5, "Ctrl-C must not wait for another line"
        assert _os.waitstatus_to_exitcode(status) == 0
    finally:
        with contextlib.suppress(ProcessLookupError, ChildProcessError):
            _os.kill(pid, signal.SIGKILL)
            _os.waitpid(pid, 0)
        _os.close(fd)


async def test_run_refuses_a_postgresql_it_cannot_reach_or_that_is_not_lantern_s(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A PostgreSQL that is down, or a schema holding another program's tables: one plain line, exit 2."""
    from bot.__main__ import run_bot
    from bot.settings import load_settings
    from tests import databases

    down = "postgresql://lantern:secret@127.0.0.1:1/lantern"
    settings = load_settings(env_file=None, discord_token="not-a-real-token", database_url=down)
    assert await run_bot(settings) == 2
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("lantern: cannot connect to PostgreSQL at postgresql://lantern:***@127.0.0.1:1/lantern")
    assert "secret" not in line, "the password is never shown"
    if databases.ON_POSTGRES:
        import asyncpg

        foreign = await databases.current().url("foreign")
        conn = await asyncpg.connect(foreign)
        try:
            await conn.execute("CREATE TABLE notes (text TEXT)")
        finally:
            await conn.close()
        settings = load_settings(env_file=None, discord_token="not-a-real-token", database_url=foreign)
        assert await run_bot(settings) == 2
        [line] = capsys.readouterr().err.strip().splitlines()
        assert "another program's tables" in line

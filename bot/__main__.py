"""Lantern's command line: `lantern [run|sync|…]` (equal to `python -m bot`)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import aiohttp
import discord

import cogs
from bot.client import LanternBot
from bot.content import ContentError, load_content, summary_line
from bot.logging_setup import configure_logging
from bot.safety import assess
from bot.safety.evaluate import evaluate, format_kinds, format_report, read_examples
from bot.sandbox.cli import run_sandbox
from bot.settings import Settings, SettingsError, load_settings
from bot.storage import StorageError
from bot.storage.postgres import url_secrets

log = logging.getLogger(__name__)

EXIT_USAGE = 2

NO_TOKEN_MESSAGE = (
    "lantern: DISCORD_TOKEN is not set, so there is no bot to log in as. Put it in the environment "
    "or in a .env file (see .env.example)."
)
SANDBOX_HINT = (
    "To try Lantern without a token, run `.venv/bin/lantern sandbox`: it reads lines from a pipe or "
    "--script FILE too, e.g. printf '/help\\n' | .venv/bin/lantern sandbox"
)
WRONG_TOKEN_MESSAGE = (
    "lantern: Discord rejected the token. Check DISCORD_TOKEN (Developer Portal → your application → "
    "Bot → Reset Token) and try again."
)
INTENT_MESSAGE = (
    "lantern: Discord refused the Message Content intent. Enable it in the Developer Portal "
    "(your application → Bot → Privileged Gateway Intents → Message Content Intent)."
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lantern",
        description="Lantern, a gentle Discord bot for peer-support communities.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("run", help="run the bot on Discord (the default); without a token, in a terminal: the sandbox")
    sub.add_parser("sync", help="register slash commands with Discord globally (after changing them)")
    sandbox = sub.add_parser(
        "sandbox",
        help="try Lantern locally against a Discord emulator (no account or network needed)",
        description="Reads lines from the terminal, a pipe or --script; see the README for the syntax.",
    )
    sandbox.add_argument("--script", type=Path, metavar="FILE", help="read lines from FILE")
    sandbox.add_argument("--json", action="store_true", help="print one JSON object per line shown")
    sandbox.add_argument(
        "--database", type=Path, metavar="PATH", help="keep state in PATH (default: a fresh temporary file)"
    )
    sandbox.add_argument(
        "--start",
        type=_instant,
        metavar="INSTANT",
        help="start the sandbox clock here, e.g. 2026-11-22T08:00:00+00:00 (default: now)",
    )
    check_text = sub.add_parser("check", help="show what the safety detector decides for a message")
    check_text.add_argument("text", help="the message text (quote it)")
    evaluate = sub.add_parser("evaluate", help="measure the safety detector on labelled examples")
    evaluate.add_argument("file", type=Path, help='a JSONL file of {"text": …, "label": …} lines')
    evaluate.add_argument("--misses", action="store_true", help="also list every example it got wrong")
    evaluate.add_argument(
        "--kinds",
        action="store_true",
        help="also show figures per kind (the lines' `kind` field) and the issue's explicit and joking groups",
    )
    safety = sub.add_parser("safety", help="work with the safety detector's model")
    safety_sub = safety.add_subparsers(dest="safety_command", metavar="ACTION", required=True)
    safety_sub.add_parser(
        "train",
        help="rebuild data/safety/model.* from the corpus (needs the dev extra)",
        description="Trains on data/safety/train.jsonl, chooses thresholds on validation.jsonl, prints the sha256.",
    )
    content = sub.add_parser("content", help="work with the content files (sources, prompts, resources)")
    content_sub = content.add_subparsers(dest="content_command", metavar="ACTION", required=True)
    check = content_sub.add_parser("check", help="validate every content file and print what it holds")
    check.add_argument("--dir", type=Path, metavar="FOLDER", help="the content folder (default: CONTENT_DIR or data/)")
    return parser


def _instant(text: str) -> datetime:
    try:
        instant = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO instant: {text}") from None
    if instant.tzinfo is None:
        raise argparse.ArgumentTypeError("the instant needs a UTC offset, like +00:00")
    return instant


def _fail(message: str, status: int = EXIT_USAGE) -> int:
    print(message, file=sys.stderr)
    return status


def _content_failure(exc: ContentError) -> int:
    lines = "\n".join(f"  {problem}" for problem in exc.problems)
    return _fail(f"lantern: the content files have problems:\n{lines}")


def evaluate_file(path: Path, *, show_misses: bool = False, show_kinds: bool = False) -> int:
    try:
        examples = read_examples(path)
    except OSError as exc:
        return _fail(f"lantern: cannot read {path}: {exc.strerror}")
    except ValueError as exc:
        return _fail(f"lantern: {exc}")
    report = evaluate(examples)
    if show_misses:
        for text, gold, predicted in report.misses:
            print(f"{gold:>8} -> {predicted:<8} {text}")
        print()
    if show_kinds:
        print(format_kinds(report))
        print()
    print(format_report(report))
    return 0


def check_content(folder: Path | None) -> int:
    try:
        content = load_content(folder)
    except ContentError as exc:
        return _content_failure(exc)
    print(f"Content OK: {summary_line(content)}")
    return 0


async def run_bot(settings: Settings, *, sync_only: bool = False) -> int:
    """Log in and run (or sync commands and stop). Returns the process exit status."""
    if settings.discord_token is None:
        return _fail(NO_TOKEN_MESSAGE if sync_only else f"{NO_TOKEN_MESSAGE}\n{SANDBOX_HINT}")
    token = settings.discord_token.get_secret_value()
    try:
        content = load_content(settings.content_dir)
    except ContentError as exc:
        return _content_failure(exc)
    bot = LanternBot(settings, extensions=cogs.extension_names(), content=content, scheduled_work=not sync_only)
    try:
        await bot.open_storage()
    except StorageError as exc:
        return _fail(f"lantern: {exc}")
    try:
        async with bot:
            if sync_only:
                await bot.login(token)
                synced = await bot.tree.sync()
                print(f"Synced {len(synced)} global commands. Discord may take up to an hour to show them.")
            else:
                await bot.start(token)
    except discord.LoginFailure:
        return _fail(WRONG_TOKEN_MESSAGE)
    except discord.PrivilegedIntentsRequired:
        return _fail(INTENT_MESSAGE)
    except StorageError as exc:
        return _fail(f"lantern: {exc}")
    except (aiohttp.ClientConnectionError, TimeoutError) as exc:
        return _fail(f"lantern: could not reach Discord ({type(exc).__name__}). Check the network.", 1)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = args.command or "run"
    try:
        settings = load_settings()
    except SettingsError as exc:
        lines = "\n".join(f"  {problem}" for problem in exc.problems)
        return _fail(f"lantern: the configuration has problems:\n{lines}")
    if command == "content":
        return check_content(args.dir or settings.content_dir)
    if command == "check":
        assessment = assess(args.text)
        print(f"label: {assessment.label}")
        print(f"confidence: {assessment.confidence:.2f}")
        print(f"reasons: {', '.join(assessment.reasons) or '-'}")
        return 0
    if command == "safety":
        from bot.safety.train import run as train_model  # training needs scikit-learn: import it only here

        return train_model()
    if command == "evaluate":
        return evaluate_file(args.file, show_misses=args.misses, show_kinds=args.kinds)
    secrets = [settings.discord_token.get_secret_value()] if settings.discord_token else []
    secrets += url_secrets(settings.database_url)  # a driver's error or a log line may quote the URL
    use_sandbox = command == "sandbox" or (command == "run" and settings.discord_token is None and sys.stdin.isatty())
    if use_sandbox:
        # The sandbox's own output is the point; keep library chatter to warnings and errors.
        configure_logging(max(settings.log_level, "WARNING", key=logging.getLevelName), secrets=secrets)
        try:
            return asyncio.run(
                run_sandbox(
                    settings,
                    extensions=cogs.extension_names(),
                    script=getattr(args, "script", None),
                    as_json=getattr(args, "json", False),
                    database=getattr(args, "database", None),
                    start=getattr(args, "start", None),
                )
            )
        except KeyboardInterrupt:
            return 0
    configure_logging(settings.log_level, secrets=secrets)
    try:
        return asyncio.run(run_bot(settings, sync_only=command == "sync"))
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())

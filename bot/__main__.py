"""Lantern's command line: `lantern [run|sync|…]` (equal to `python -m bot`)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence

import aiohttp
import discord

from bot.client import LanternBot
from bot.logging_setup import configure_logging
from bot.settings import Settings, SettingsError, load_settings
from bot.storage import StorageError

log = logging.getLogger(__name__)

EXIT_USAGE = 2

NO_TOKEN_MESSAGE = (
    "lantern: DISCORD_TOKEN is not set, so there is no bot to log in as. Put it in the environment "
    "or in a .env file (see .env.example)."
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
    sub.add_parser("run", help="run the bot on Discord (the default)")
    sub.add_parser("sync", help="register slash commands with Discord globally (after changing them)")
    return parser


def _fail(message: str, status: int = EXIT_USAGE) -> int:
    print(message, file=sys.stderr)
    return status


async def run_bot(settings: Settings, *, sync_only: bool = False) -> int:
    """Log in and run (or sync commands and stop). Returns the process exit status."""
    if settings.discord_token is None:
        return _fail(NO_TOKEN_MESSAGE)
    token = settings.discord_token.get_secret_value()
    bot = LanternBot(settings)
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
    secrets = [settings.discord_token.get_secret_value()] if settings.discord_token else []
    configure_logging(settings.log_level, secrets=secrets)
    try:
        return asyncio.run(run_bot(settings, sync_only=command == "sync"))
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())

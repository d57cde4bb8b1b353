"""One Lantern process of the cluster benchmark: the real bot, its settings from the environment
(DATABASE_URL, SHARD_COUNT, CLUSTERS, CLUSTER_INDEX, DISCORD_TOKEN), talking to an emulator.

    python -m benchmarks.cluster_worker API_BASE GATEWAY_URL

It prints `LEADER <unix time>` when it starts running the scheduled work and `READY <unix time>`
once its shards are connected, for benchmarks/cluster.py to read.
"""

from __future__ import annotations

import asyncio
import sys
import time

import discord
import yarl

from bot.client import LanternBot
from bot.logging_setup import configure_logging
from bot.settings import load_settings
from cogs import extension_names


def say(word: str) -> None:
    print(f"{word} {time.time():.3f}", flush=True)


async def run(api_base: str, gateway: str) -> None:
    discord.http.Route.BASE = api_base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway)
    settings = load_settings(env_file=None)
    assert settings.discord_token is not None
    bot = LanternBot(settings, extensions=extension_names())
    bot.leadership.listeners.append(lambda leading: say("LEADER" if leading else "STANDBY"))
    await bot.open_storage()

    async def announce_ready() -> None:
        await bot.wait_until_ready()
        say("READY")

    async with bot:
        asyncio.get_running_loop().create_task(announce_ready())
        await bot.start(settings.discord_token.get_secret_value())


def main() -> None:
    configure_logging("WARNING")
    asyncio.run(run(sys.argv[1], sys.argv[2]))


if __name__ == "__main__":
    main()

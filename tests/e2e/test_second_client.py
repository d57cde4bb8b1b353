"""A second, independent client library against the emulator: hikari (not a discord.py fork).

It finds the gateway through GET /gateway/bot, connects with zlib-stream compression, identifies,
registers a command, and answers a MESSAGE_CREATE and an INTERACTION_CREATE. Only its REST URL is
configured (`rest_url`); nothing in it is patched.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import hikari

from emulator import Emulator
from emulator.invocation import Invocation
from tests.e2e.conftest import checked_emulators


async def test_hikari_logs_in_and_answers_a_message_and_an_interaction() -> None:
    emulator = Emulator(now=lambda: datetime(2026, 11, 22, 8, tzinfo=UTC))
    checked_emulators.append(emulator)  # its traffic is checked against Discord's description too
    await emulator.start()
    intents = hikari.Intents.GUILDS | hikari.Intents.GUILD_MESSAGES | hikari.Intents.MESSAGE_CONTENT
    bot = hikari.GatewayBot(
        emulator.token, rest_url=f"{emulator.base_url}/api/v10", intents=intents, banner=None, logs=None
    )

    @bot.listen(hikari.GuildMessageCreateEvent)
    async def on_message(event: hikari.GuildMessageCreateEvent) -> None:
        if event.content == "ping":
            await event.message.respond("pong")

    @bot.listen(hikari.InteractionCreateEvent)
    async def on_interaction(event: hikari.InteractionCreateEvent) -> None:
        if isinstance(event.interaction, hikari.CommandInteraction):
            await event.interaction.create_initial_response(
                hikari.ResponseType.MESSAGE_CREATE, f"hello, {event.interaction.user.username}"
            )

    try:
        await asyncio.wait_for(bot.start(), 20)
        me = bot.get_me()
        assert me is not None and me.id == emulator.bot_user.id
        assert bot.cache.get_guild(emulator.guild_id) is not None  # GUILD_CREATE arrived and parsed
        application = await bot.rest.fetch_application()
        await bot.rest.set_application_commands(application.id, [bot.rest.slash_command_builder("hello", "Say hi")])
        assert "hello" in emulator.global_commands

        sam, general = emulator.member("sam"), emulator.channel("general")
        await emulator.send_message(sam, general, "ping")
        sent = await emulator.wait_for_request(lambda r: r.route == "POST /channels/{channel_id}/messages", 10)
        assert sent.status == 200 and sent.body["content"] == "pong"

        record = await emulator.invoke(sam, general, Invocation(["hello"], {}))
        await asyncio.wait_for(record.done.wait(), 10)
        original = emulator.messages[record.original_message_id or 0]
        assert original.content == "hello, sam" and original.channel is general
        assert emulator.gateway.sessions[0].intents == int(intents)
        assert emulator.gateway.queries[0]["v"] == "10" and emulator.gateway.queries[0]["compress"] == "zlib-stream"
    finally:
        await bot.close()
        await emulator.close()

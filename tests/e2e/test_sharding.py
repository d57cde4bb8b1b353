"""Past one machine, end to end: shards, Discord's IDENTIFY rule, and two processes sharing PostgreSQL.

The emulator spreads guilds over shards as Discord does and routes every event to its shard's
session (DMs to shard 0). One Lantern process can run every shard; on PostgreSQL two processes
each run half of them, share the data, and elect one scheduler.
"""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import AsyncIterator, Callable
from datetime import time, timedelta
from pathlib import Path

import aiohttp
import discord
import pytest

from bot.client import LanternBot
from bot.clock import ManualClock
from bot.interactions import handled_elsewhere
from bot.leadership import Leadership
from bot.safety.alerts import TalkTarget, talk_button
from bot.settings import load_settings
from cogs import extension_names
from emulator import state as st
from emulator.invocation import parse_command_line
from emulator.server import Emulator
from emulator.sharding import ShardingRules, shard_of
from tests import databases
from tests.conformance import checked_emulators
from tests.databases import requires_postgres
from tests.e2e.conftest import START, start_sandbox

CRISIS = "i don't want to be alive anymore"
PROMPT = "Your reflection for today:"
TODAY = "Today's reflection:"
TALK = "Talk to a moderator"


def events_on(emulator: Emulator, shard: int, kind: str) -> list[dict[str, object]]:
    session = emulator.gateway.shards[shard]
    return [e["d"] for e in session.events if e["t"] == kind]


async def test_a_guild_on_shard_3_and_a_dm_button_on_shard_0_in_one_process(tmp_path: Path) -> None:
    sandbox = await start_sandbox(
        tmp_path,
        emulator_options={"guild_shard": (3, 4), "sharding": ShardingRules(max_concurrency=4, identify_interval=5.0)},
        bot_options={"shard_count": 4, "shard_ids": [0, 1, 2, 3]},
    )
    try:
        emulator = sandbox.emulator
        assert shard_of(emulator.guild_id, 4) == 3
        assert sorted(emulator.gateway.shards) == [0, 1, 2, 3], "one session per shard"
        assert [g["id"] for g in events_on(emulator, 3, "GUILD_CREATE")] == [str(emulator.guild_id)]
        assert events_on(emulator, 0, "GUILD_CREATE") == [], "the guild is only on its own shard"
        joined = await emulator.create_guild("Joined later")  # GUILD_CREATE on whichever shard its id falls
        for shard in range(4):
            [ready] = events_on(emulator, shard, "READY")
            listed = [g["id"] for g in ready["guilds"]]
            assert listed == ([str(emulator.guild_id)] if shard == 3 else []), "READY lists the shard's guilds"
            created = [g["id"] for g in events_on(emulator, shard, "GUILD_CREATE")]
            assert (str(joined.id) in created) == (shard == shard_of(joined.id, 4))
        shown = await sandbox.run_line(CRISIS)
        assert any(s["visibility"] == "public" and s["reply_to"] == "member" for s in shown)
        assert events_on(emulator, 3, "MESSAGE_CREATE"), "the member's message arrived on shard 3"
        assert not events_on(emulator, 1, "MESSAGE_CREATE") + events_on(emulator, 2, "MESSAGE_CREATE")
        welcome, _done = await sandbox.run_line("/daily start time:09:00 timezone:Europe/Berlin")
        assert welcome["visibility"] == "dm"
        [stopped] = await sandbox.run_line(":click Stop daily prompts")
        assert "Stopped" in stopped["content"]
        [press] = events_on(emulator, 0, "INTERACTION_CREATE")
        assert "guild_id" not in press, "the button pressed in a DM arrived on shard 0"
        [command] = events_on(emulator, 3, "INTERACTION_CREATE")
        assert command["guild_id"] == str(emulator.guild_id), "/daily start, in the guild, arrived on shard 3"
        assert emulator.identify_clashes == 0
        assert sandbox.errors == []
    finally:
        await sandbox.close()


async def test_a_process_without_the_servers_shard_posts_its_prompt_and_passes_on_a_talk_request(
    tmp_path: Path,
) -> None:
    """The scheduler runs in one process and a button pressed in a DM arrives on shard 0's; the
    server may be on a shard another process runs, so neither may rely on this process's cache."""
    sandbox = await start_sandbox(
        tmp_path,
        emulator_options={"guild_shard": (3, 4)},
        bot_options={"shard_count": 4, "shard_ids": [0, 1, 3]},
    )
    try:
        emulator, bot = sandbox.emulator, sandbox.bot
        elsewhere = emulator.add_guild("Elsewhere", shard=(2, 4))  # shard 2: another process's
        lounge, mods = emulator.channel("lounge", guild=elsewhere), emulator.channel("mods", guild=elsewhere)
        assert bot.get_guild(elsewhere.id) is None and bot.get_channel(mods.id) is None
        # What the other process stored when its moderators ran /config there.
        await bot.stores.prompt_channels.save(elsewhere.id, lounge.id, time(9), "UTC", None, START.replace(hour=9))
        await bot.stores.guild_settings.update(elsewhere.id, alert_channel_id=mods.id)

        await sandbox.advance(START.replace(hour=9, minute=1))
        assert [m.content for m in emulator.messages.values() if m.channel.id == lounge.id] == ["Today's reflection:"]

        # The other process DM'd a member of that server its crisis reply; the press arrives here.
        member = emulator.member("sam", guild=elsewhere)
        target = TalkTarget(member.id, elsewhere.id, lounge.id, emulator.ids.next())
        dm = await bot.create_dm(discord.Object(id=member.id))
        reply = await dm.send("(a crisis reply)", view=handled_elsewhere(talk_button(target)))
        pressed = await emulator.click(member, emulator.messages[reply.id], target.custom_id)
        await until(lambda: pressed.responded, "the press answered")
        [request] = [m for m in emulator.messages.values() if m.channel.id == mods.id]
        assert "asked to talk to a moderator" in request.content and target.jump_url in request.content
        assert await bot.stores.safety_alerts.get(request.id) is not None, "the request has its workflow"
        assert sandbox.errors == []
    finally:
        await sandbox.close()


async def identify(url: str, token: str, shard: int, count: int) -> int:
    """A bare client: IDENTIFY one shard; returns the op of the answer (0 READY, 9 invalid session)."""
    async with aiohttp.ClientSession() as http, http.ws_connect(url) as ws:
        await ws.receive_json()  # HELLO
        await ws.send_json({"op": 2, "d": {"token": token, "intents": 1, "properties": {}, "shard": [shard, count]}})
        answer = json.loads((await ws.receive()).data)
        return int(answer["op"])


async def test_the_emulator_enforces_the_identify_bucket_rule_and_says_so_at_gateway_bot() -> None:
    emulator = Emulator(sharding=ShardingRules(recommended_shards=4, max_concurrency=2, identify_interval=5.0))
    checked_emulators.append(emulator)
    await emulator.start()
    try:
        async with aiohttp.ClientSession() as http:
            headers = {"Authorization": f"Bot {emulator.token}"}
            async with http.get(f"{emulator.base_url}/api/v10/gateway/bot", headers=headers) as response:
                info = await response.json()
        assert info["shards"] == 4 and info["session_start_limit"]["max_concurrency"] == 2
        url, token = emulator.gateway_url, emulator.token
        assert await identify(url, token, 0, 4) == 0
        assert await identify(url, token, 1, 4) == 0, "another bucket may identify at once"
        assert await identify(url, token, 2, 4) == 9, "bucket 0 again within 5 s: invalid session"
        assert emulator.identify_clashes == 1
    finally:
        await emulator.close()


# ----- two processes on one PostgreSQL ------------------------------------------------------------------
async def until(condition: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
    for _ in range(int(timeout / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"never happened: {what}")


@pytest.fixture
async def two_processes() -> AsyncIterator[tuple[Emulator, ManualClock, list[LanternBot]]]:
    """One emulator (the default guild on shard 3 of 4, two more on shards 1 and 2), two Lantern
    processes sharing a schema."""
    clock = ManualClock(START)
    emulator = Emulator(
        now=clock.now, guild_shard=(3, 4), sharding=ShardingRules(recommended_shards=4, max_concurrency=4)
    )
    for name, shard in (("Elsewhere", 1), ("Across", 2)):
        emulator.channel("general", guild=emulator.add_guild(name, shard=(shard, 4)))
    checked_emulators.append(emulator)
    await emulator.start()
    url = await databases.current().url("cluster")
    bots: list[LanternBot] = []
    tasks: list[asyncio.Task[None]] = []
    with emulator.point_discord_py_here():
        try:
            for index in (0, 1):
                settings = load_settings(
                    env_file=None, database_url=url, shard_count=4, clusters=2, cluster_index=index
                )
                bot = LanternBot(
                    settings,
                    extensions=extension_names(),
                    clock=clock,
                    run_scheduler=False,
                    rng=random.Random(index),
                    sync_commands_on_start=index == 0,  # `lantern sync`, once
                )
                bots.append(bot)
                tasks.append(asyncio.create_task(bot.start(emulator.token)))
                await asyncio.wait_for(bot.wait_until_ready(), 20)
            yield emulator, clock, bots
        finally:
            for bot in bots:
                await bot.close()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await emulator.close()


def bot_messages(emulator: Emulator, predicate: Callable[[st.Message], bool]) -> list[st.Message]:
    return [m for m in emulator.messages.values() if m.author.id == emulator.bot_user.id and predicate(m)]


def kill_leadership(leadership: Leadership) -> None:
    """As `kill -9` would: nothing is released, the process stops trying, its connection just goes."""
    assert leadership._task is not None and leadership._session is not None
    leadership._task.cancel()
    leadership._session.conn.terminate()  # type: ignore[attr-defined]


@requires_postgres
async def test_two_processes_share_postgresql_split_the_shards_and_elect_one_scheduler(
    two_processes: tuple[Emulator, ManualClock, list[LanternBot]],
) -> None:
    emulator, clock, (first, second) = two_processes
    assert first.shard_ids == [0, 1] and second.shard_ids == [2, 3]
    assert first.handles_dms and not second.handles_dms
    assert sorted(emulator.gateway.shards) == [0, 1, 2, 3]
    assert emulator.identify_clashes == 0
    assert [s.leadership.is_leader for s in (first, second)] == [True, False], "one scheduler"
    member = emulator.member("member")
    general = emulator.channel("general")

    # A member in the guild on shard 3: the second process answers.
    await emulator.send_message(member, general, CRISIS)
    await until(lambda: bool(bot_messages(emulator, lambda m: m.reference_id is not None)), "a crisis reply")
    assert second.get_guild(emulator.guild_id) is not None and first.get_guild(emulator.guild_id) is None

    # A setting changed in the first process (as a button pressed in a DM would) reaches the second's cache.
    await second.stores.guild_settings.get(emulator.guild_id)  # cached there
    await first.stores.guild_settings.update(emulator.guild_id, safety_mode="dm")
    await until(lambda: emulator.guild_id not in second.stores.guild_settings._cache, "the cache was told")
    other = emulator.member("robin")
    before = set(emulator.messages)
    await emulator.send_message(other, general, "he blocked me on everything")
    await until(lambda: any(m.channel.type == 1 for m in bot_messages(emulator, lambda m: m.id not in before)), "a DM")
    assert not bot_messages(emulator, lambda m: m.id not in before and m.channel.type == 0), "dm mode, from process 1"

    # A crisis reply DM'd by the second process; its Talk to a moderator, pressed in the DM, arrives on
    # shard 0 (the first process, which does not have the guild) and still reaches the alert channel.
    mods = emulator.channel("mods")
    await first.stores.guild_settings.update(emulator.guild_id, alert_channel_id=mods.id)
    await until(lambda: emulator.guild_id not in second.stores.guild_settings._cache, "the cache was told")
    sam = emulator.member("sam")
    await emulator.send_message(sam, general, CRISIS)
    await until(lambda: bool(bot_messages(emulator, lambda m: m.channel.type == 1 and TALK in str(m.components))), "DM")
    [dmed] = bot_messages(emulator, lambda m: m.channel.type == 1 and TALK in str(m.components))
    talk = next(b for b in st.buttons_of(dmed.components) if b.get("label") == TALK)
    pressed = await emulator.click(sam, dmed, talk["custom_id"])
    await until(lambda: pressed.responded, "Talk to a moderator answered")
    await until(lambda: bool(bot_messages(emulator, lambda m: "asked to talk" in m.content)), "the request posted")
    [request] = bot_messages(emulator, lambda m: "asked to talk" in m.content)
    assert request.channel.id == mods.id and f"<@{sam.id}>" in request.content
    assert not events_on(emulator, 3, "INTERACTION_CREATE"), "the press arrived on shard 0, not the guild's shard"

    # The prompt of the day of the guild on shard 3, posted by the leader (the first process, for now).
    mo = emulator.member("mo", moderator=True)
    line = "/config prompt-channel channel:#general time:09:00 timezone:UTC"
    configured = await emulator.invoke(mo, general, parse_command_line(line))
    await until(lambda: configured.responded, "/config prompt-channel answered")
    for _ in range(500):
        if await first.stores.prompt_channels.get(emulator.guild_id) is not None:
            break
        await asyncio.sleep(0.01)

    # Daily prompts: started in the guild (shard 3), sent only by the leader, stopped by a DM button (shard 0).
    record = await emulator.invoke(member, general, parse_command_line("/daily start time:09:00 timezone:UTC"))
    await until(lambda: record.responded, "/daily start answered")
    for _ in range(500):  # (the answer is deferred first; the subscription is saved just after)
        if await first.stores.daily.get(member.id) is not None:
            break
        await asyncio.sleep(0.01)
    for day in range(1, 3):
        target = START.replace(hour=9) + timedelta(days=day - 1, minutes=1)
        clock.set(target)
        for bot in (first, second):
            await bot.scheduler.advance_to(target)
        await until(
            lambda n=day: len(bot_messages(emulator, lambda m: m.content == PROMPT)) >= n, f"prompt of day {day}"
        )
        await until(
            lambda n=day: len(bot_messages(emulator, lambda m: m.content == TODAY)) >= n, f"prompt of the day {day}"
        )
        if day == 1:  # the leader's process dies: the standby takes over
            kill_leadership(first.leadership)
            await asyncio.wait_for(second.leadership.wait_until_leader(), 5)
            await until(lambda: not first.leadership.is_leader, "the old leader stepped down")
    prompts = bot_messages(emulator, lambda m: m.content == PROMPT)
    assert len(prompts) == 2, "one prompt a day, never doubled across the failover"
    posts = bot_messages(emulator, lambda m: m.content == TODAY)
    assert len(posts) == 2 and {m.channel.id for m in posts} == {general.id}, "one prompt of the day a day"
    # enforce_nonce would fold a day sent twice into one message: count the send requests instead.
    sends = emulator.message_sends_by_nonce()
    daily = {m.id for m in prompts + posts}
    per_day = [len(ids) for ids in sends.values() if daily & set(ids)]
    assert per_day == [1, 1, 1, 1], "each day's prompt was sent once: no day claimed twice"
    stop = next(m for m in reversed(prompts) if st.buttons_of(m.components))
    button = next(b for b in st.buttons_of(stop.components) if b.get("label") == "Stop daily prompts")
    pressed = await emulator.click(member, stop, button["custom_id"])
    await until(lambda: pressed.responded, "the DM button answered")
    assert await first.stores.daily.get(member.id) is None
    assert emulator.identify_clashes == 0

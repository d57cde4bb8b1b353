"""`/pause` end to end: grounding, a feeling and its prompt, the unsent letter, the check-in DM."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from bot.healing.wording import CHECKIN_DM, LETTER_DONE, PASSED
from bot.logging_setup import quiet_payload_loggers
from bot.sandbox.engine import Sandbox
from tests.e2e.test_daily import crash_while_sending

FEELING_MENU = '"What\'s strongest right now?"'
LETTER_FIELD = '"What you want to say to them"'
CONTACT_ADVICE = re.compile(r"\b(text|call|message|email|reach out to|contact|check on) (them|him|her)\b", re.I)


def dms_to(sandbox: Sandbox, name: str) -> list[Any]:
    """Lantern's DMs to `name` (the check-ins: their text changes once answered)."""
    emulator = sandbox.emulator
    return [
        m
        for m in emulator.messages.values()
        if m.channel.type == 1
        and m.channel.recipient is not None
        and m.channel.recipient.name == name
        and m.author.id == emulator.bot_user.id
        and not m.ephemeral
    ]


async def pause_rows(sandbox: Sandbox) -> list[tuple[int, int | None]]:
    rows = await sandbox.bot.db.fetchall("SELECT user_id, passed FROM pauses ORDER BY id")
    return [(row[0], row[1]) for row in rows]


async def test_pause_feeling_letter_check_in_and_it_passed(sandbox: Sandbox) -> None:
    [opened] = await sandbox.run_line("/pause")
    assert opened["visibility"] == "ephemeral" and opened["content"].startswith("This urge is hard")
    [grounding] = opened["embeds"]
    assert grounding["title"] == "A minute to land" and grounding["description"].count("\n") == 2
    assert grounding["footer"] == "This month: 1 pause, 0 passed. Only you see this."
    [menu] = opened["selects"]
    assert menu["options"] == ["Missing them", "Anxious", "Hurt", "Angry", "Lonely", "Hopeful", "Something else"]
    assert opened["buttons"] == ["Write it, don't send it", "Check on me in 20 minutes"]

    [chosen] = await sandbox.run_line(f':select {FEELING_MENU} "Missing them"')
    assert chosen["edited"] and chosen["selects"][0]["chosen"] == ["Missing them"]
    prompt = chosen["embeds"][1]
    missing = sandbox.bot.content.feelings["missing"]
    assert prompt["description"].startswith(f"*{missing.note}*")
    fitting = {sandbox.bot.content.themes[t].name for t in missing.themes}
    assert prompt["title"].removeprefix("Reflection · ") in fitting, "a prompt from a theme that fits"

    [form] = await sandbox.run_line(":click Write it, don't send it")
    assert form["visibility"] == "modal" and form["content"] == "Write it, don't send it"
    assert form["fields"][0]["style"] == "paragraph" and form["fields"][0]["max"] == 4000
    [letter] = await sandbox.run_line(f':submit {LETTER_FIELD}:"I miss you. Please just answer me."')
    assert letter["content"] == LETTER_DONE and letter["visibility"] == "ephemeral"
    assert letter["embeds"][-1]["title"].removeprefix("Reflection · ") in fitting
    assert letter["buttons"] == ["Check on me in 20 minutes"]

    [scheduled] = await sandbox.run_line(":click Check on me in 20 minutes")
    assert "I'll check on you by direct message at <t:" in scheduled["content"]
    [again] = await sandbox.run_line(":click Check on me in 20 minutes")
    assert again["content"].startswith("I'm already checking on you")
    assert await sandbox.run_line(":wait 19m") == []
    [dm] = await sandbox.run_line(":wait 1m")
    assert dm["visibility"] == "dm" and dm["content"] == CHECKIN_DM
    assert dm["buttons"] == ["It passed", "Still strong"]
    [passed] = await sandbox.run_line(":click It passed")
    assert passed["edited"] and passed["content"] == f"{PASSED}\n\nThis month: 1 pause, 1 passed."
    assert passed["buttons"] == []
    member = sandbox.emulator.member("member")
    assert await pause_rows(sandbox) == [(member.id, 1)]
    assert await sandbox.bot.db.fetchall("SELECT * FROM pause_checkins") == []
    for shown in sandbox.outputs:
        assert not CONTACT_ADVICE.search(shown["text"]), shown["text"]
        assert shown["pings"] == []


@pytest.fixture
def debug_records() -> Iterator[list[logging.LogRecord]]:
    """Every log record, at DEBUG, with Lantern's own production rule for discord.py's payload loggers."""
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    root = logging.getLogger()
    handler, level = Keep(level=logging.DEBUG), root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    quiet_payload_loggers()  # what configure_logging("DEBUG") does in production
    try:
        yield records
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


async def test_the_unsent_letter_is_never_stored_logged_or_sent(
    sandbox: Sandbox, debug_records: list[logging.LogRecord]
) -> None:
    marker = f"UNSENT-{uuid.uuid4().hex}"
    await sandbox.run_line("/pause")
    await sandbox.run_line(f":select {FEELING_MENU} Lonely")
    await sandbox.run_line(":click Write it, don't send it")
    [letter] = await sandbox.run_line(f':submit {LETTER_FIELD}:"Dear you, {marker}, I still wait for you."')
    assert letter["content"] == LETTER_DONE
    # A letter that sounds like a crisis is answered with crisis lines, privately: it was read in
    # memory (so the text did reach the bot), and still goes nowhere.
    await sandbox.run_line(":click Write it, don't send it")
    [heavy] = await sandbox.run_line(f':submit {LETTER_FIELD}:"{marker} I want to die, I can\'t go on"')
    assert "If you are thinking about ending your life" in heavy["content"]
    assert heavy["embeds"][0]["title"] == "Crisis support" and heavy["visibility"] == "ephemeral"
    assert [menu["placeholder"] for menu in heavy["selects"]] == ["Choose your region for local numbers"]
    [local] = await sandbox.run_line(':select "Choose your region for local numbers" UK')
    assert local["embeds"][0]["title"] == "Crisis support" and "United Kingdom" in local["embeds"][0]["description"]
    await sandbox.run_line(":click Check on me in 20 minutes")
    await sandbox.run_line(":wait 20m")
    await sandbox.run_line(":click Still strong")
    db = sandbox.bot.db
    if db.dialect == "sqlite":
        await db.execute("PRAGMA wal_checkpoint(FULL)")
    tables = await db.table_names()
    assert {"pauses", "pause_checkins", "checkins", "no_contact_runs", "prompt_rotation"} <= set(tables)
    for table in tables:
        for row in await db.fetchall(f"SELECT * FROM {table}"):
            assert all(marker not in str(value) for value in tuple(row)), f"{table} holds the letter"
    path = sandbox.settings.database_path  # (SQLite's file; on PostgreSQL the rows above are all there is)
    for file in (path, path.with_name(path.name + "-wal")) if path is not None else ():
        if file.exists():
            assert marker.encode() not in file.read_bytes(), f"{file.name} holds the letter"
    assert any(r.levelno == logging.DEBUG for r in debug_records), "DEBUG records were captured"
    for record in debug_records:
        assert marker not in record.getMessage(), f"logged by {record.name}"
        assert marker not in logging.Formatter().format(record)
    assert sandbox.emulator.requests, "REST requests were recorded"
    for request in sandbox.emulator.requests:
        assert marker not in json.dumps(request.body), f"sent in {request.route}"
    for shown in sandbox.outputs:
        assert marker not in json.dumps(shown), "echoed back"


async def test_still_strong_offers_support_for_oneself_and_another_check(sandbox: Sandbox) -> None:
    await sandbox.run_line("/resources region:UK remember:true")
    await sandbox.run_line("/pause")
    await sandbox.run_line(":click Check on me in 20 minutes")
    await sandbox.run_line(":wait 20m")
    [strong] = await sandbox.run_line(":click Still strong")
    assert strong["edited"] and strong["content"].startswith("That's okay. Urges come in waves")
    assert "/resources topic:crisis" in strong["content"]
    [support] = strong["embeds"]
    assert support["title"] == "Support for your own feelings and actions"
    own = {r.name for r in sandbox.bot.content.resources_for("UK", "own-behaviour")}
    assert {f["name"].split(" (")[0] for f in support["fields"]} == own, "the pursuit resources, never a victims' line"
    assert strong["buttons"] == ["Write it, don't send it", "Check on me again in 20 minutes"]
    assert strong["selects"] == [], "their region is known: no region menu"
    assert not CONTACT_ADVICE.search(strong["text"])
    await sandbox.run_line(":click Check on me again in 20 minutes")
    await sandbox.run_line(":wait 20m")
    assert len(dms_to(sandbox, "member")) == 2
    [passed] = await sandbox.run_line(":click It passed")
    assert passed["content"].endswith("This month: 1 pause, 1 passed."), "the latest answer counts"


async def test_buttons_and_menus_work_after_a_restart(sandbox: Sandbox) -> None:
    await sandbox.run_line("/pause")
    await sandbox.restart_bot()
    [chosen] = await sandbox.run_line(f":select {FEELING_MENU} Angry")
    assert chosen["embeds"][1]["title"].startswith("Reflection")
    [form] = await sandbox.run_line(":click Write it, don't send it")
    assert form["visibility"] == "modal"
    await sandbox.run_line(':submit "What you want to say to them":"so angry"')
    await sandbox.run_line(":click Check on me in 20 minutes")
    await sandbox.restart_bot()
    [dm] = await sandbox.run_line(":wait 20m")
    assert dm["content"] == CHECKIN_DM, "a check-in scheduled before a restart is still sent"
    await sandbox.restart_bot()
    [passed] = await sandbox.run_line(":click It passed")
    assert passed["content"].startswith(PASSED)


async def test_many_members_at_once_each_get_exactly_one_check_in(sandbox: Sandbox) -> None:
    emulator = sandbox.emulator
    members = [emulator.member(f"m{i}") for i in range(24)]
    emulator.set_dms_open("m0", False)
    channel = sandbox.current_channel
    from emulator.invocation import Invocation

    records = await asyncio.gather(*(emulator.invoke(m, channel, Invocation(["pause"], {})) for m in members))
    await sandbox.settle()
    assert all(r.responded for r in records)
    for member in members:
        sandbox.member_name = member.name
        [shown] = await sandbox.run_line(":click Check on me in 20 minutes")
        assert "I'll check on you" in shown["content"]
    assert sandbox.errors == []
    await sandbox.run_line(":wait 20m")
    counts = {m.name: len(dms_to(sandbox, m.name)) for m in members}
    assert counts == {m.name: 0 if m.name == "m0" else 1 for m in members}, "exactly once; closed DMs skipped"
    assert sandbox.errors == [], "a member with closed DMs is no error"
    await sandbox.run_line(":wait 1h")
    assert sum(len(dms_to(sandbox, m.name)) for m in members) == 23, "nothing is sent again"


async def test_a_kill_while_the_check_in_is_sent_never_doubles_it(sandbox: Sandbox) -> None:
    await sandbox.run_line("/pause")
    await sandbox.run_line(":click Check on me in 20 minutes")
    # The process dies while the DM is on its way, after Discord got it; then the bot restarts.
    await crash_while_sending(sandbox, request_reaches_discord=True)
    await sandbox.run_line(":wait 1h")
    assert len(dms_to(sandbox, "member")) == 1, "claimed before sending: never sent twice"
    [passed] = await sandbox.run_line(":click It passed")
    assert passed["content"].startswith(PASSED)


async def test_a_lost_answer_after_the_check_in_dm_arrived_never_doubles_it(
    sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    """Discord created the DM but its answer was lost: a 503 (Lantern sends once more) and a 500
    (discord.py repeats it itself). Both repeats carry the same nonce, so Discord returns the DM."""
    for number, status in enumerate((503, 500), start=1):
        await sandbox.run_line("/pause")
        await sandbox.run_line(":click Check on me in 20 minutes")
        lost = sandbox.emulator.fail_after_success("POST /channels/{channel_id}/messages", status=status)
        await sandbox.run_line(":wait 20m")
        assert lost == [status], "the fault happened: the DM existed, its answer was lost"
        assert len(dms_to(sandbox, "member")) == number, "one DM per check-in"
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING and r.name.startswith("cogs.")]
    [passed] = await sandbox.run_line(":click It passed")
    assert passed["content"].startswith(PASSED)

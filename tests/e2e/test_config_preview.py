"""`/config test` and the listener ask the same decision: for every label, mode and setting, what the
preview says is what a member's message then gets, and the alert says what was actually done.

Beyond the settings (mode × enabled × alert channel × quiet channel), each message comes from a
member in one of several situations (plain, opted out, with a quiet role, in a flooded channel, with
DMs closed); the situations cycle against the labels so that every label meets every situation.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest

from bot.safety.policy import CHANNEL_FLOOD_LIMIT
from bot.sandbox.engine import Sandbox
from tests.e2e.test_safety import HURT

# Many safety replies in one channel within a second, on purpose: Discord's per-channel bucket would pace them.
pytestmark = pytest.mark.burst

SAMPLES = {**HURT, "none": "good morning everyone, the sun is out"}
SITUATIONS = ("plain", "opted out", "quiet role", "flooded", "DMs closed")
ROUTES = [  # the preview's words for each route, most specific first
    ("reply in the channel with crisis lines (by DM", ("reply", "dm")),
    ("reply in the channel", ("reply",)),
    ("send the member a reply by DM (and stay quiet", ("dm",)),
    ("send the member", ("dm", "reply")),
    ("only alert the moderators", ()),
    ("not reply", ()),
]


def preview_says(text: str) -> tuple[tuple[str, ...], bool]:
    """(the routes Lantern would try, in order; whether it would alert) from the preview's sentence."""
    match = re.search(r"Lantern would (.+), for ", text)
    assert match, text
    said = match.group(1)
    steps = next(steps for words, steps in ROUTES if said.startswith(words))
    return steps, said.startswith("only alert the moderators") or "and alert the moderators" in said


def expected_delivery(steps: tuple[str, ...], dms_open: bool) -> str:
    """Which route reaches the member: the first, unless it is a DM to closed DMs."""
    for step in steps:
        if step == "reply" or dms_open:
            return step
    return "none"


def listener_did(shown: list[dict[str, Any]], member: str) -> tuple[str, dict[str, Any] | None]:
    alert = next((s for s in shown if s["where"] == "#mods"), None)
    if any(s["visibility"] == "dm" and s["for"] == member for s in shown):
        return "dm", alert
    if any(s["where"] == "#general" and s["visibility"] == "public" for s in shown):
        return "reply", alert
    return "none", alert


def alert_agrees(alert: dict[str, Any], delivered: str, steps: tuple[str, ...]) -> bool:
    did = alert["content"].split("What Lantern did: ", 1)[1]
    if delivered == "dm":
        return did.startswith("DM'd them")
    if delivered == "reply":
        fallback = steps[:1] == ("dm",)
        return did.startswith("tried to DM them (DMs closed), so replied publicly" if fallback else "replied")
    return did.startswith(("stayed quiet", "only alerted", "tried to DM them (DMs closed) and stayed quiet"))


@pytest.mark.parametrize("mode", ["reply", "dm", "alert"])
async def test_preview_and_listener_agree(sandbox: Sandbox, mode: str) -> None:
    emulator, bot = sandbox.emulator, sandbox.bot
    mods = await emulator.create_channel("mods")
    quiet_role = await emulator.create_role("Quiet")
    await sandbox.settle()
    guild, general = emulator.guild_id, emulator.channel("general").id
    checked: set[tuple[str, str]] = set()
    combos = itertools.product([True, False], [True, False], [False, True], SAMPLES)
    for index, (enabled, alerts, quiet, label) in enumerate(combos):
        # alert mode without an alert channel: /config refuses it, but a server may still hold it
        # (set before that rule), so the preview must be as honest there as everywhere
        situation = SITUATIONS[index % len(SITUATIONS)]
        await sandbox.run_line(":wait 3m")  # the channel's flood guard forgets earlier iterations
        await bot.stores.guild_settings.update(
            guild,
            safety_enabled=enabled,
            safety_mode=mode,
            alert_channel_id=mods.id if alerts else None,
            exempt_channel_ids=(general,) if quiet else (),
            exempt_role_ids=(quiet_role.id,),
        )
        member = f"m{index}"  # a fresh member: no cooldown of their own
        person = emulator.member(member)
        if situation == "opted out":
            await bot.stores.safety_opt_outs.opt_out(person.id, bot.clock.now())
        elif situation == "quiet role":
            person.role_ids.append(quiet_role.id)
        elif situation == "flooded":
            for _ in range(CHANNEL_FLOOD_LIMIT):
                bot.safety_responder.flood_guard.record(general, bot.clock.now())
        elif situation == "DMs closed":
            emulator.set_dms_open(member, False)
        await sandbox.run_line(":as moderator mod")
        as_member = f" member:@{member}" if situation != "plain" else ""
        [preview] = await sandbox.run_line(f'/config test text:"{SAMPLES[label]}"{as_member}')
        steps, alert_expected = preview_says(preview["text"])
        await sandbox.run_line(f":as {member}")
        shown = await sandbox.run_line(SAMPLES[label])
        delivered, alert = listener_did(shown, member)
        context = (label, situation, enabled, alerts, quiet, preview["text"], shown)
        assert delivered == expected_delivery(steps, dms_open=situation != "DMs closed"), context
        assert (alert is not None) == alert_expected, context
        if alert is not None:
            assert alert_agrees(alert, delivered, steps), context
        if label == "crisis":
            assert delivered != "none", ("a crisis always reaches the member", context)
        checked.add((label, situation))
    assert checked == {(label, situation) for label in SAMPLES for situation in SITUATIONS}

"""`/config test` and the listener ask the same decision: for every label, mode and setting, what the
preview says is what a member's message then gets."""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest

from bot.sandbox.engine import Sandbox
from tests.e2e.test_safety import HURT

SAMPLES = {**HURT, "none": "good morning everyone, the sun is out"}
PREVIEW_ACTIONS = {
    "not reply": "none",
    "reply in the channel": "reply",
    "send the member a DM": "dm",
    "only alert the moderators": "alert_only",
}


def preview_says(text: str) -> tuple[str, bool]:
    """(action, alert) from the preview's sentence."""
    match = re.search(r"Lantern would (.+), for a member", text)
    assert match, text
    said = match.group(1)
    action = next(code for words, code in PREVIEW_ACTIONS.items() if said.startswith(words))
    return action, action == "alert_only" or "alert the moderators" in said


def listener_did(shown: list[dict[str, Any]], member: str) -> tuple[str, bool]:
    alert = any(s["where"] == "#mods" for s in shown)
    if any(s["visibility"] == "dm" and s["for"] == member for s in shown):
        return "dm", alert
    if any(s["where"] == "#general" and s["visibility"] == "public" for s in shown):
        return "reply", alert
    return ("alert_only" if alert else "none"), alert


@pytest.mark.parametrize("mode", ["reply", "dm", "alert"])
async def test_preview_and_listener_agree(sandbox: Sandbox, mode: str) -> None:
    mods = await sandbox.emulator.create_channel("mods")
    await sandbox.settle()
    guild = sandbox.emulator.guild_id
    general = sandbox.emulator.channel("general").id
    checked = 0
    for index, (enabled, alerts, quiet, label) in enumerate(
        itertools.product([True, False], [True, False], [False, True], SAMPLES)
    ):
        await sandbox.bot.stores.guild_settings.update(
            guild,
            safety_enabled=enabled,
            safety_mode=mode,
            alert_channel_id=mods.id if alerts else None,
            exempt_channel_ids=(general,) if quiet else (),
        )
        await sandbox.run_line(":as moderator mod")
        [preview] = await sandbox.run_line(f'/config test text:"{SAMPLES[label]}"')
        expected = preview_says(preview["text"])
        member = f"m{index}"  # a fresh member: no cooldown, no opt-out, as the preview assumes
        await sandbox.run_line(f":as {member}")
        shown = await sandbox.run_line(SAMPLES[label])
        assert listener_did(shown, member) == expected, (label, enabled, alerts, quiet, preview["text"], shown)
        checked += 1
    assert checked == 2 * 2 * 2 * len(SAMPLES)

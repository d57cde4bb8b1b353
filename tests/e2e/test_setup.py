"""The region picker, end to end (arrival, the setup panel and insights join it)."""

from __future__ import annotations

from bot.sandbox.engine import Sandbox
from tests.e2e.test_crisis import CRISIS

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PICKER = "Choose your region for local numbers"


async def test_a_member_without_a_region_gets_local_numbers_in_one_click(sandbox: Sandbox) -> None:
    [reply] = await sandbox.run_line(CRISIS)
    assert [m["placeholder"] for m in reply["selects"]] == [PICKER]
    [lines] = await sandbox.run_line(f":select {PICKER} UK")
    assert lines["visibility"] == "ephemeral" and "Samaritans" in lines["text"] and "116 123" in lines["text"]
    assert "remember:true" in lines["content"]
    [resources] = await sandbox.run_line("/resources")
    assert [m["placeholder"] for m in resources["selects"]] == [PICKER]
    [edited] = await sandbox.run_line(f":select {PICKER} AU")
    assert edited.get("edited") and "Australia" in edited["text"] and edited["selects"][0]["chosen"]
    assert await sandbox.bot.stores.member_settings.region(sandbox.emulator.member("member").id) is None
    await sandbox.run_line(":as mo mod")
    await sandbox.run_line("/config region region:IE")
    await sandbox.run_line(":as robin")
    [reply] = await sandbox.run_line(CRISIS)
    assert reply["selects"] == [] and "Ireland" in reply["text"], "the server's region: no picker needed"

"""Modals in the emulator and the sandbox: the MODAL callback, MODAL_SUBMIT and `:submit`."""

from __future__ import annotations

import pytest

from bot.sandbox.engine import Sandbox
from emulator.invocation import ScriptError


async def test_a_command_opens_a_form_and_submit_sends_what_was_typed(probe_sandbox: Sandbox) -> None:
    [form] = await probe_sandbox.run_line("/probe-modal")
    assert form["visibility"] == "modal" and form["content"] == "Probe form" and form["for"] == "member"
    assert [f["label"] for f in form["fields"]] == ["Note", "Extra words", "One word"]
    assert form["fields"][0] == {
        "label": "Note",
        "custom_id": "probe:note",
        "style": "paragraph",
        "required": True,
        "min": 0,
        "max": 20,
        "placeholder": None,
    }
    # By label (any case, unquoted with spaces) or custom_id; a field left out keeps its prefilled value.
    [reply] = await probe_sandbox.run_line(':submit note:"hello there" One word:calm')
    assert reply["content"] == "note=11 chars, extra=pre, word=calm"
    assert reply["visibility"] == "ephemeral"
    submitted = max(probe_sandbox.emulator.interactions.values(), key=lambda r: r.id)
    assert submitted.type == 5  # MODAL_SUBMIT
    with pytest.raises(ScriptError, match="no form is open"):
        await probe_sandbox.run_line(":submit note:again")  # a submitted form is closed


async def test_discord_refuses_what_the_form_would_not_send(probe_sandbox: Sandbox) -> None:
    await probe_sandbox.run_line("/probe-modal")
    for line, reason in [
        (":submit", "“Note” is required."),
        (":submit note:" + "x" * 21, "“Note” must be 20 or fewer characters long."),
        (':submit note:ok "Extra words:ab"', "“Extra words” must be at least 3 characters long."),
    ]:
        [refused] = await probe_sandbox.run_line(line)
        assert refused["by"] == "discord" and refused["content"] == reason, line
    with pytest.raises(ScriptError, match="its fields: Note, Extra words, One word"):
        await probe_sandbox.run_line(":submit colour:blue")
    [reply] = await probe_sandbox.run_line(":submit probe:note:ok Extra words:")  # still open after refusals
    assert reply["content"] == "note=2 chars, extra=, word=-"


async def test_anything_else_the_member_does_closes_the_form(probe_sandbox: Sandbox) -> None:
    await probe_sandbox.run_line("/probe-modal")
    await probe_sandbox.run_line("just chatting")
    with pytest.raises(ScriptError, match="no form is open"):
        await probe_sandbox.run_line(":submit note:hi")
    await probe_sandbox.run_line("/probe-modal")
    await probe_sandbox.run_line(":as alex")
    with pytest.raises(ScriptError, match="no form is open for alex"):
        await probe_sandbox.run_line(":submit note:hi")  # a form is its member's alone


async def test_a_form_opened_by_a_button_can_edit_that_message(probe_sandbox: Sandbox) -> None:
    await probe_sandbox.run_line("/probe-modal kind:button")
    [form] = await probe_sandbox.run_line(":click Open form")
    assert form["visibility"] == "modal"
    [edited] = await probe_sandbox.run_line(":submit note:fine")
    assert edited["edited"] is True and edited["content"].startswith("edited: note=4 chars")
    assert edited["buttons"] == []


async def test_modal_limits_and_where_a_modal_may_answer(probe_sandbox: Sandbox) -> None:
    [refused] = await probe_sandbox.run_line("/probe-modal kind:long-label")
    assert refused["content"].startswith("refused:400:50035:")
    assert "label: Must be 45 or fewer in length." in refused["content"]
    await probe_sandbox.run_line("/probe-modal kind:again")
    [again] = await probe_sandbox.run_line(":submit note:hi")
    assert again["content"] == "refused:400", "a modal cannot answer a modal"

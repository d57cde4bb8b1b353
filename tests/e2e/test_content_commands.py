"""/reflect, /sources and /resources through the emulator with the real bot."""

from __future__ import annotations

from bot.sandbox.engine import Sandbox


def prompt_text(shown: dict) -> str:  # type: ignore[type-arg]
    return shown["embeds"][0]["description"]


async def test_reflect_posts_a_prompt_with_another_prompt_button(sandbox: Sandbox) -> None:
    [shown] = await sandbox.run_line("/reflect")
    assert shown["visibility"] == "public"
    assert shown["embeds"][0]["title"].startswith("Reflection · ")
    assert shown["buttons"] == ["Another prompt"]
    assert shown["pings"] == []
    assert prompt_text(shown) in {p.text for p in sandbox.bot.content.prompts.values()}


async def test_reflect_private_and_another_prompt_edits_in_place(sandbox: Sandbox) -> None:
    [first] = await sandbox.run_line("/reflect theme:fear private:true")
    assert first["visibility"] == "ephemeral" and first["for"] == "member"
    [second] = await sandbox.run_line(":click Another prompt")
    assert second.get("edited") is True and second["visibility"] == "ephemeral"
    assert prompt_text(second) != prompt_text(first)
    assert second["embeds"][0]["title"] == "Reflection · Fear"


async def test_another_prompt_on_someone_elses_prompt_is_private_to_the_clicker(sandbox: Sandbox) -> None:
    await sandbox.run_line("/reflect")
    await sandbox.run_line(":as robin")
    [shown] = await sandbox.run_line(":click Another prompt")
    assert shown["visibility"] == "ephemeral" and shown["for"] == "robin"
    assert "edited" not in shown


async def test_no_prompt_repeats_until_the_theme_is_exhausted(sandbox: Sandbox) -> None:
    fear = {sandbox.bot.content.prompts[i].text for i in sandbox.bot.content.prompt_ids("fear")}
    seen = []
    for _ in range(len(fear)):
        [shown] = await sandbox.run_line("/reflect theme:Fear")
        seen.append(prompt_text(shown))
    assert set(seen) == fear and len(seen) == len(set(seen))
    [next_cycle] = await sandbox.run_line("/reflect theme:fear")
    assert prompt_text(next_cycle) in fear and prompt_text(next_cycle) != seen[-1]
    rows = await sandbox.bot.db.fetchall("SELECT * FROM prompt_rotation")
    assert len(rows) == 1, "only the new cycle is stored"
    # (PostgreSQL's `rowid` column is the insertion order SQLite keeps implicitly.)
    assert set(rows[0].keys()) - {"rowid"} == {"user_id", "scope", "prompt_id"}, "no text is stored"


async def test_another_prompt_button_works_after_a_restart(sandbox: Sandbox) -> None:
    await sandbox.run_line("/reflect theme:boundaries private:true")
    await sandbox.restart_bot()
    [shown] = await sandbox.run_line(":click Another prompt")
    assert shown["embeds"][0]["title"] == "Reflection · Boundaries"


async def test_theme_autocomplete_and_unknown_theme(sandbox: Sandbox) -> None:
    choices = await sandbox.autocomplete("/reflect theme:for")
    assert [c["value"] for c in choices] == ["forgiveness"]
    everything = await sandbox.autocomplete("/reflect theme:")
    assert len(everything) == len(sandbox.bot.content.themes)
    [error] = await sandbox.run_line("/reflect theme:gardening")
    assert error["visibility"] == "ephemeral"
    assert "Themes: Fear" in error["content"]


async def test_sources_list_show_compare(sandbox: Sandbox) -> None:
    content = sandbox.bot.content
    [listing] = await sandbox.run_line("/sources list")
    for source in content.sources.values():
        assert source.title in listing["text"]
    [shown] = await sandbox.run_line("/sources show name:carina-v")
    embed = shown["embeds"][0]
    assert embed["title"] == content.sources["carina-v"].title
    assert content.sources["carina-v"].summary in embed["description"]
    assert embed["footer"] == content.comparison.balanced_note
    assert {f["name"] for f in embed["fields"]} == {"Author", "Where it came from"}
    [compared] = await sandbox.run_line("/sources compare")
    topics = [f["name"] for f in compared["embeds"][0]["fields"]]
    assert topics == [p.topic for p in content.comparison.points]
    assert "subversive chasing" in compared["text"]


async def test_sources_autocomplete_and_unknown_source(sandbox: Sandbox) -> None:
    choices = await sandbox.autocomplete("/sources show name:carina")
    assert [c["value"] for c in choices] == ["carina-v"]
    [error] = await sandbox.run_line("/sources show name:unknown-article")
    assert error["visibility"] == "ephemeral" and "Sources: " in error["content"]


def resource_names(shown: dict) -> list[str]:  # type: ignore[type-arg]
    return [f["name"].split(" (")[0] for f in shown["embeds"][0]["fields"]]


async def test_resources_fall_back_from_option_to_saved_to_server_to_international(sandbox: Sandbox) -> None:
    [default] = await sandbox.run_line("/resources")
    assert default["visibility"] == "ephemeral"
    assert resource_names(default) == ["Find A Helpline"]
    await sandbox.bot.stores.guild_settings.update(sandbox.emulator.guild_id, region="AU")
    [server] = await sandbox.run_line("/resources")
    assert resource_names(server) == ["1800RESPECT", "Find A Helpline"]
    assert "this server's default" in server["text"]
    [remembered] = await sandbox.run_line("/resources region:UK remember:true")
    assert "Saved United Kingdom" in remembered["content"]
    [saved] = await sandbox.run_line("/resources")
    assert "your saved region" in saved["text"]
    assert "Samaritans" in resource_names(saved)
    [chosen] = await sandbox.run_line("/resources region:us")
    assert "loveisrespect" in resource_names(chosen)
    assert resource_names(chosen)[-1] == "Find A Helpline"


async def test_crisis_topic_shows_crisis_lines_and_emergency_advice(sandbox: Sandbox) -> None:
    [shown] = await sandbox.run_line("/resources region:CA topic:crisis")
    assert "immediate danger" in shown["text"]
    assert resource_names(shown) == ["988 Suicide Crisis Helpline", "Find A Helpline"]
    assert "checked" not in shown["text"] and "Source:" not in shown["text"], "how it was checked is for moderators"


async def test_unknown_region_and_region_autocomplete(sandbox: Sandbox) -> None:
    [error] = await sandbox.run_line("/resources region:Atlantis")
    assert "Regions: US (United States)" in error["content"]
    choices = await sandbox.autocomplete("/resources region:kingdom")
    assert [c["value"] for c in choices] == ["UK"]
    [refused] = await sandbox.run_line("/resources topic:sometimes")
    assert refused["by"] == "discord"


async def test_another_prompt_never_shows_the_prompt_being_read(sandbox: Sandbox) -> None:
    emulator, content = sandbox.emulator, sandbox.bot.content
    fear = {content.prompts[i].text for i in content.prompt_ids("fear")}
    await sandbox.run_line(":as robin")
    [public] = await sandbox.run_line("/reflect theme:fear")
    reading = prompt_text(public)
    message = next(m for m in reversed(list(emulator.messages.values())) if m.embeds and not m.ephemeral)
    custom_id = message.components[0]["components"][0]["custom_id"]
    member = emulator.member("member")
    offered = []
    for _ in range(len(fear)):  # a whole cycle of member's own rotation, and the start of the next
        await emulator.click(member, message, custom_id)
        await sandbox.settle()
        mine = [m for m in emulator.messages.values() if m.ephemeral and m.visible_to == member.id]
        offered.append(mine[-1].embeds[0]["description"])
    assert reading not in offered, "the prompt under the button is never the 'another' one"
    assert set(offered) == fear - {reading}

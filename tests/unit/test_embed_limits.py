"""Every embed Lantern can produce, built at the maximum inputs its content files and moderators are
allowed, stays within Discord's limits (title 256, description 4,096, 25 fields, field name 256 and
value 1,024, footer 2,048, 6,000 in all); what does not fit is shown further on or pointed to."""

from __future__ import annotations

from datetime import date, datetime, time

import discord
from discord import app_commands

from bot.config_views import HistoryPage, history_embed, resources_check_pages, settings_pages
from bot.content import Content
from bot.content.models import Comparison, ComparisonPoint, Contact, KeyPoint, Prompt, Resource, Source, Theme
from bot.content.regions import RegionChoice
from bot.embeds import chunk_lines, embed_problems, fit_lines
from bot.help import build_help_embed
from bot.presenters import (
    MORE_IN_RESOURCES_BUTTON,
    comparison_pages,
    prompt_embed,
    resources_pages,
    source_embed,
    sources_list_embed,
)
from bot.setup_panel import arrival_embed, panel_embed
from bot.storage.config_audit import AuditEntry
from bot.storage.guild_resources import GuildResource
from bot.storage.guild_settings import GuildSettings
from bot.storage.prompt_channels import PromptChannel
from cogs.config import DESCRIPTION_LIMIT, MAX_SERVER_RESOURCES, NAME_LIMIT

SOURCES, POINTS, RESOURCES = 40, 40, 40
MARKDOWN = "*_~`|>"  # characters that escaping doubles


def max_content() -> Content:
    sources = {
        f"source-{i:02d}" + "s" * 54: Source(
            id=f"source-{i:02d}" + "s" * 54,
            title="T" * 200,
            author="A" * 100,
            origin="O" * 1000,
            url="https://example.org/" + "u" * 200,
            summary="summaryxx " * 99 + "summaryxxx",  # 1,000 characters, 100 words
            key_points=[KeyPoint(id=f"p{j}", text="K" * 300) for j in range(8)],
        )
        for i in range(SOURCES)
    }
    first = next(iter(sources.values()))
    comparison = Comparison(
        balanced_note="B" * 1000,
        points=[
            ComparisonPoint(topic="P" * 200, positions={source_id: "Q" * 1000 for source_id in sources})
            for _ in range(POINTS)
        ],
    )
    themes = {"t" * 64: Theme(name="N" * 60, description="D" * 200)}
    prompt = Prompt(id="p", theme="t" * 64, grows_from=f"{first.id}/p0", text="R" * 600)
    resources = [
        Resource(
            id=f"r{i}",
            region="US",
            name="L" * 100,
            topics=["relationships", "crisis", "own-behaviour"],
            purpose="U" * 300,
            contacts=[Contact(kind="call", value="9" * 200) for _ in range(6)],
            hours="H" * 300,
            checked_on=date(2020, 1, 1),
            checked_against="https://example.org/" + "s" * 300,
            checked_how="W" * 600,
            check_result="not-rechecked",
        )
        for i in range(RESOURCES)
    ]
    return Content(
        sources=sources,
        comparison=comparison,
        themes=themes,
        prompts={prompt.id: prompt},
        regions={"US": "R" * 100},
        resources=resources,
        _by_theme={"t" * 64: ["p"]},
    )


def server_resources() -> list[GuildResource]:
    name = (MARKDOWN * NAME_LIMIT)[:NAME_LIMIT]
    description = (MARKDOWN * DESCRIPTION_LIMIT)[:DESCRIPTION_LIMIT]
    return [
        GuildResource(f"{i:02d}{name}"[:NAME_LIMIT], "https://e.org/" + "u" * 287, description, None)
        for i in range(MAX_SERVER_RESOURCES)
    ]


def assert_fits(embeds: list[discord.Embed]) -> None:
    for number, embed in enumerate(embeds):
        assert embed_problems(embed) == [], f"embed {number} of {len(embeds)}"


def test_resources_at_the_maximum_fit_and_nothing_is_dropped() -> None:
    content = max_content()
    choice = RegionChoice("US", "your saved region")
    for crisis in (False, True):
        resources = content.resources_for("US", "crisis" if crisis else "relationships")
        pages = resources_pages(
            content, resources, choice, crisis=crisis, title="T" * 300, server=[] if crisis else server_resources()
        )
        assert_fits(pages)
        assert len(pages) > 1
        shown = sum(len(page.fields) for page in pages)
        assert shown == len(resources) + (0 if crisis else MAX_SERVER_RESOURCES), "every resource is on some page"
        assert all("next message" in (page.footer.text or "") for page in pages[:-1])
        assert "If you are in immediate danger" in (pages[0].description or "") or not crisis


def test_a_crisis_reply_carries_one_page_that_says_where_the_rest_is() -> None:
    content = max_content()
    pages = resources_pages(
        content,
        content.resources_for("US", "crisis"),
        RegionChoice("US", "you chose it"),
        crisis=True,
        title="Crisis support",
        more=MORE_IN_RESOURCES_BUTTON,
    )
    assert_fits(pages[:1])
    assert "press Resources" in (pages[0].footer.text or "")


def test_sources_prompts_and_the_comparison_at_the_maximum_fit() -> None:
    content = max_content()
    embeds = [prompt_embed(content, content.prompts["p"]), sources_list_embed(content)]
    embeds += [source_embed(content, source) for source in list(content.sources.values())[:2]]
    assert_fits(embeds)
    assert "more: start typing" in (embeds[1].description or "")
    pages = comparison_pages(content)
    assert_fits(pages)
    assert sum(len(page.fields) for page in pages) == POINTS


def test_help_with_many_long_commands_fits_and_points_to_the_rest() -> None:
    commands = []
    for i in range(120):

        async def callback(interaction: discord.Interaction) -> None: ...

        commands.append(app_commands.Command(name=f"c{i:03d}" + "x" * 28, description="d" * 100, callback=callback))
    embed = build_help_embed(commands, "https://example.org/" + "p" * 3000)
    assert_fits([embed])
    assert "type / in Discord" in "\n".join(f.value or "" for f in embed.fields)


def test_config_show_with_every_list_at_its_longest_fits() -> None:
    many = tuple(10**18 + i for i in range(500))  # a server's channels and roles
    settings = GuildSettings(alert_channel_id=10**18, exempt_channel_ids=many, exempt_role_ids=many, region="U" * 100)
    prompt = PromptChannel(1, 10**18, time(9), "America/Argentina/ComodRivadavia", "t" * 64, datetime(2026, 1, 1), None)
    content = max_content()
    pages = settings_pages(content, settings, prompt, server_resources(), date(2026, 11, 22))
    assert_fits(pages)
    text = "\n".join(f.value or "" for page in pages for f in page.fields)
    assert "/config exempt action:list" in text and "more" in text
    checks = resources_check_pages(content, date(2026, 11, 22))
    assert_fits(checks)
    assert sum(len(page.fields) for page in checks) == RESOURCES, "every resource's check is on some page"


def test_a_history_page_with_the_longest_values_fits() -> None:
    many = "[" + ", ".join(str(10**18 + i) for i in range(500)) + "]"
    entries = [AuditEntry(i, 10**18, "exempt_role_ids", many, many, datetime(2026, 1, 1)) for i in range(8, 0, -1)]
    page = HistoryPage("*", entries, total=100, newer=40)
    embed = history_embed(max_content(), page)
    assert_fits([embed])
    assert len((embed.description or "").splitlines()) == 8, "every entry of the page is shown, shortened"


def test_the_setup_panel_and_the_arrival_message_with_every_list_at_its_longest_fit() -> None:
    many = tuple(10**18 + i for i in range(500))
    for mode in ("reply", "dm", "alert"):
        settings = GuildSettings(
            alert_channel_id=10**18,
            responder_role_id=10**18,
            exempt_channel_ids=many,
            exempt_role_ids=many,
            region="US",
            safety_mode=mode,
            alert_all_events=True,
        )
        embeds = [panel_embed(max_content(), settings)]
        embeds += [arrival_embed(max_content(), settings, in_server=flag) for flag in (True, False)]
        assert_fits(embeds)
        quiet = next(f.value or "" for f in embeds[0].fields if f.name == "Quiet channels")
        assert quiet.endswith("(`/config exempt action:list`)"), "says how to see the rest"


def test_long_lists_in_plain_messages_are_split_between_words_and_nothing_is_lost() -> None:
    mentions = [f"<#{10**18 + i}>" for i in range(500)]
    lines = ["Quiet channels: " + " ".join(mentions), "Quiet roles: none"]
    chunks = chunk_lines(lines)
    assert all(len(chunk) <= 2000 for chunk in chunks) and len(chunks) > 1
    assert " ".join(" ".join(chunks).split()) == " ".join(" ".join(lines).split())


def test_fit_lines_keeps_whole_lines_and_counts_the_rest() -> None:
    assert fit_lines(["a", "b"], 10, "+{}".format) == "a\nb"
    fitted = fit_lines([f"line {i}" for i in range(100)], 50, "…and {} more".format)
    assert len(fitted) <= 50 and fitted.endswith("more")
    kept = fitted.splitlines()[:-1]
    assert kept == [f"line {i}" for i in range(len(kept))]
    assert fitted.splitlines()[-1] == f"…and {100 - len(kept)} more"

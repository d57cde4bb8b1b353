"""What `/config show`, `/config history` and `/config resources list` show moderators, in words.

History pages carry their place in the buttons' custom_ids (the setting, which way, the entry
they start from), so paging works after a restart; the config cog answers them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import discord

from bot.content import Content
from bot.content.models import Resource
from bot.embeds import DESCRIPTION_LIMIT, FIELD_VALUE_LIMIT, Field, clip, fit_lines, paginate
from bot.interactions import handled_elsewhere
from bot.presenters import CHECK_RESULT_WORDS, check_words
from bot.safety.explain import crisis_effect, crisis_summary
from bot.settings_words import (
    HISTORY_TOPICS,
    RESOURCES,
    SETTINGS,
    audit_value_words,
    label_of,
    prompt_channel_words,
    shown,
)
from bot.storage import Stores
from bot.storage.config_audit import AuditEntry
from bot.storage.guild_resources import GuildResource
from bot.storage.guild_settings import DEFAULT_GUILD_SETTINGS, GuildSettings
from bot.storage.prompt_channels import PromptChannel

COLOUR = discord.Colour.gold()
HISTORY_PAGE = 8
HISTORY_LINE_LIMIT = DESCRIPTION_LIMIT // HISTORY_PAGE - 1  # every line of a page fits, however long its values
LIST_VALUE_LIMIT = 400  # a list of channels or roles in /config show; /config exempt lists all
LISTED_AS_MENTIONS = {"exempt_channel_ids": "<#{}>", "exempt_role_ids": "<@&{}>"}
HISTORY_TEMPLATE = r"lantern:history:(?P<topic>[a-z_*]+):(?P<way>[on]):(?P<anchor>\d+)"
ALL = "*"
OLDER_LABEL, NEWER_LABEL = "Older ▶", "◀ Newer"


def _themes(content: Content) -> dict[str, str]:
    return {theme_id: theme.name for theme_id, theme in content.themes.items()}


# ----- /config show --------------------------------------------------------------------------------


def prompt_of_the_day_words(content: Content, prompt: PromptChannel | None) -> str:
    if prompt is None:
        return "❌ Off"
    theme = content.themes.get(prompt.theme) if prompt.theme else None
    return "✅ " + prompt_channel_words(
        prompt.channel_id, prompt.local_time, prompt.timezone, theme.name if theme else None
    )


def check_summary(resources: Sequence[Resource]) -> str:
    """ "3 confirmed on the service's own page, 9 confirmed only indirectly, 1 not re-checked" """
    counts: Counter[str] = Counter(r.check_result for r in resources)
    return ", ".join(f"{counts[result]} {words}" for result, words in CHECK_RESULT_WORDS.items() if counts[result])


def _value_words(settings: GuildSettings, key: str, regions: Mapping[str, str]) -> str:
    """A setting in words; a long list of channels or roles is shortened, saying where the rest is."""
    value = getattr(settings, key)
    if key in LISTED_AS_MENTIONS and value:
        items = [LISTED_AS_MENTIONS[key].format(v) for v in value]
        return fit_lines(items, LIST_VALUE_LIMIT, "… and {} more (`/config exempt action:list`)".format, separator=" ")
    return shown(key, value, regions)


def settings_pages(
    content: Content,
    settings: GuildSettings,
    prompt: PromptChannel | None,
    own: Sequence[GuildResource],
    today: date,
) -> list[discord.Embed]:
    """Every setting in words: its value (✅/❌), the default, what it means on crisis, and the
    command that changes it; then the prompt of the day, resources, and which need a re-check.
    Within Discord's limits however long the lists (more pages when needed)."""
    regions = content.regions
    fields = []
    for setting in SETTINGS:
        value, default = getattr(settings, setting.key), getattr(DEFAULT_GUILD_SETTINGS, setting.key)
        words = _value_words(settings, setting.key, regions)
        words += " (the default)" if value == default else f" (default: {shown(setting.key, default, regions)})"
        effect = crisis_effect(setting.key, settings, with_value=False)
        if effect:
            words += f"\nOn crisis: {effect}"
        fields.append(Field(setting.label, f"{words}\nChange with {setting.command}"))
    fields.append(
        Field("Prompt of the day", f"{prompt_of_the_day_words(content, prompt)}\nChange with `/config prompt-channel`")
    )
    fields.append(
        Field(
            "Resources",
            f"This server's own: {len(own)} (`/config resources add`). Lantern's: {len(content.resources)}, "
            f"{check_summary(content.resources)}; how each was checked: `/config resources list`.",
        )
    )
    stale = content.stale_resources(today)
    if stale:
        lines = [
            f"• {r.name} ({r.region}): {CHECK_RESULT_WORDS[r.check_result]}, last looked at {r.checked_on:%d %b %Y}"
            for r in stale
        ]
        fields.append(Field("⚠ Resources to re-check", fit_lines(lines, FIELD_VALUE_LIMIT, "…and {} more".format)))
    return paginate(
        title="Lantern settings",
        description=f"**On crisis:** {crisis_summary(settings)}",
        fields=fields,
        footer="Who changed what, and when: /config history",
        colour=COLOUR,
    )


# ----- /config resources list --------------------------------------------------------------------------------


def resources_check_pages(content: Content, today: date) -> list[discord.Embed]:
    """Lantern's own resources with how each was checked (moderators only; members see none of this)."""
    stale = {r.id for r in content.stale_resources(today)}
    fields = [Field(f"{'⚠ ' if r.id in stale else ''}{r.name} ({r.region})", check_words(r)) for r in content.resources]
    return paginate(
        title="Lantern's resources: how each was checked",
        description=f"{check_summary(content.resources)}. Members see only the service and how to reach it.",
        fields=fields,
        colour=COLOUR,
    )


# ----- /config history --------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryPage:
    topic: str  # a setting key, PROMPT_CHANNEL, RESOURCES, or ALL
    entries: list[AuditEntry]  # newest first
    total: int
    newer: int  # how many entries are newer than this page

    @property
    def has_older(self) -> bool:
        return self.newer + len(self.entries) < self.total

    @property
    def has_newer(self) -> bool:
        return self.newer > 0


async def history_page(
    stores: Stores, guild_id: int, topic: str, *, older_than: int | None = None, newer_than: int | None = None
) -> HistoryPage:
    setting = None if topic == ALL else topic
    audit = stores.config_audit
    entries = await audit.page(guild_id, setting, HISTORY_PAGE, older_than=older_than, newer_than=newer_than)
    if newer_than is not None and not entries:  # nothing newer any more: show the newest page
        entries = await audit.page(guild_id, setting, HISTORY_PAGE)
    total = await audit.count(guild_id, setting)
    newer = await audit.count(guild_id, setting, newer_than=entries[0].id) if entries else 0
    return HistoryPage(topic, entries, total, newer)


def _who(user_id: int) -> str:
    return f"<@{user_id}>" if user_id else "a moderator who has since deleted their data"


def history_line(entry: AuditEntry, regions: Mapping[str, str], themes: Mapping[str, str]) -> str:
    when = f"<t:{int(entry.at.timestamp())}:f>"
    old = audit_value_words(entry.setting, entry.old_value, regions, themes)
    new = audit_value_words(entry.setting, entry.new_value, regions, themes)
    label = label_of(entry.setting)
    if entry.setting == RESOURCES and entry.old_value is None:
        what = f"**{label}**: added {new}"
    elif entry.setting == RESOURCES and entry.new_value is None:
        what = f"**{label}**: removed {old}"
    else:
        what = f"**{label}**: {old} → {new}"
    return clip(f"{when} · {_who(entry.user_id)} · {what}", HISTORY_LINE_LIMIT)


def history_embed(content: Content, page: HistoryPage) -> discord.Embed:
    about = "every setting" if page.topic == ALL else label_of(page.topic)
    if not page.entries:
        return discord.Embed(
            title=f"Settings history · {about}",
            description="No changes recorded yet. Every change from now on is kept here: who, what, old → new, when.",
            colour=COLOUR,
        )
    themes = _themes(content)
    lines = [history_line(entry, content.regions, themes) for entry in page.entries]
    embed = discord.Embed(title=f"Settings history · {about}", description="\n".join(lines), colour=COLOUR)
    first = page.newer + 1
    embed.set_footer(text=f"Changes {first}–{page.newer + len(page.entries)} of {page.total}, newest first")
    return embed


def history_custom_id(topic: str, way: str, anchor: int) -> str:
    return f"lantern:history:{topic}:{way}:{anchor}"


def history_view(page: HistoryPage) -> discord.ui.View | None:
    if not (page.has_newer or page.has_older):
        return None
    newest, oldest = (page.entries[0].id, page.entries[-1].id) if page.entries else (0, 0)
    return handled_elsewhere(
        discord.ui.Button(
            label=NEWER_LABEL,
            style=discord.ButtonStyle.secondary,
            custom_id=history_custom_id(page.topic, "n", newest),
            disabled=not page.has_newer,
        ),
        discord.ui.Button(
            label=OLDER_LABEL,
            style=discord.ButtonStyle.secondary,
            custom_id=history_custom_id(page.topic, "o", oldest),
            disabled=not page.has_older,
        ),
    )


def history_topic_choices() -> list[tuple[str, str]]:
    """(label, value) for `/config history setting:`."""
    return [(label, key) for key, label in HISTORY_TOPICS.items()]

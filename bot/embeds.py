"""Discord's limits on embeds, and building embeds that always fit them.

Discord refuses a whole message (400) when one embed breaks a limit, so a presenter that could
grow with what moderators or content authors write must fit by construction: `clip` a text that
has a limit of its own, `fit_lines` a list into one text with a note about what did not fit, and
`paginate` fields over as many embeds (one per message) as they need, each saying that the rest
follows. `embed_problems` checks a built embed; the tests run it over every embed Lantern makes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import discord

TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_COUNT_LIMIT = 25
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
AUTHOR_LIMIT = 256
TOTAL_LIMIT = 6000  # every title, description, field name and value, footer and author name together
MESSAGE_CONTENT_LIMIT = 2000
ELLIPSIS = "…"
BLANK = "\u200b"  # Discord requires field names and values to be non-empty


@dataclass(frozen=True)
class Field:
    name: str
    value: str
    inline: bool = False


def clip(text: str, limit: int) -> str:
    """`text`, cut to `limit` characters with an ellipsis when it is longer."""
    return text if len(text) <= limit else text[: limit - len(ELLIPSIS)].rstrip() + ELLIPSIS


def fit_lines(lines: Sequence[str], limit: int, overflow: Callable[[int], str], *, separator: str = "\n") -> str:
    """As many whole lines as fit in `limit` characters, then `overflow(n)` for the `n` left out."""
    if len(separator.join(lines)) <= limit:
        return separator.join(lines)
    kept: list[str] = []
    for index, line in enumerate(lines):
        note = overflow(len(lines) - index)
        if len(separator.join([*kept, line])) + len(separator) + len(note) > limit:
            return clip(separator.join([*kept, note]), limit)
        kept.append(line)
    return separator.join(kept)  # unreachable: the whole text was too long


def chunk_lines(lines: Sequence[str], limit: int = MESSAGE_CONTENT_LIMIT) -> list[str]:
    """Lines packed into texts of at most `limit` characters (one message each).

    A line too long for one text is broken between words; nothing is left out.
    """
    pieces: list[str] = []
    for line in lines:
        while len(line) > limit:
            cut = line.rfind(" ", 0, limit + 1)
            cut = cut if cut > 0 else limit
            pieces.append(line[:cut])
            line = line[cut:].lstrip(" ")
        pieces.append(line)
    chunks: list[str] = []
    current: str | None = None
    for piece in pieces:
        candidate = piece if current is None else f"{current}\n{piece}"
        if current is not None and len(candidate) > limit:
            chunks.append(current)
            candidate = piece
        current = candidate
    if current is not None:
        chunks.append(current)
    return chunks


def embed_size(embed: discord.Embed) -> int:
    """The characters Discord counts toward the 6,000 total."""
    size = len(embed.title or "") + len(embed.description or "")
    size += sum(len(f.name or "") + len(f.value or "") for f in embed.fields)
    size += len(embed.footer.text or "") + len(embed.author.name or "")
    return size


def embed_problems(embed: discord.Embed) -> list[str]:
    """Every way `embed` breaks one of Discord's limits (empty when Discord would accept it)."""
    problems: list[str] = []
    checks = [
        ("title", embed.title or "", TITLE_LIMIT),
        ("description", embed.description or "", DESCRIPTION_LIMIT),
        ("footer", embed.footer.text or "", FOOTER_LIMIT),
        ("author", embed.author.name or "", AUTHOR_LIMIT),
    ]
    for index, fld in enumerate(embed.fields):
        checks.append((f"field {index} name", fld.name or "", FIELD_NAME_LIMIT))
        checks.append((f"field {index} value", fld.value or "", FIELD_VALUE_LIMIT))
        if not fld.name or not fld.value:
            problems.append(f"field {index} has an empty name or value")
    problems.extend(f"{what}: {len(text)} > {limit}" for what, text, limit in checks if len(text) > limit)
    if len(embed.fields) > FIELD_COUNT_LIMIT:
        problems.append(f"{len(embed.fields)} fields > {FIELD_COUNT_LIMIT}")
    if embed_size(embed) > TOTAL_LIMIT:
        problems.append(f"total {embed_size(embed)} > {TOTAL_LIMIT}")
    return problems


def paginate(
    *,
    title: str,
    description: str = "",
    fields: Sequence[Field] = (),
    footer: str = "",
    colour: discord.Colour | None = None,
    url: str | None = None,
    more: str = "Continued in the next message.",
) -> list[discord.Embed]:
    """The description and then every field, over as many embeds as they need.

    The first embed has the description; each embed that is not the last says `more` (how to
    see the rest) in its footer, below `footer`. Over-long texts are clipped to their own limit.
    """
    first_title = clip(title, TITLE_LIMIT)
    later_title = clip(f"{title} (continued)", TITLE_LIMIT)
    footer = clip(footer, FOOTER_LIMIT - len(more) - 1)
    reserved = len(footer) + 1 + len(more)  # every page may carry both
    pages: list[list[Field]] = [[]]
    used = len(first_title) + len(clip(description, DESCRIPTION_LIMIT)) + reserved
    for fld in fields:
        name = clip(fld.name, FIELD_NAME_LIMIT) or BLANK
        value = clip(fld.value, FIELD_VALUE_LIMIT) or BLANK
        if len(pages[-1]) == FIELD_COUNT_LIMIT or used + len(name) + len(value) > TOTAL_LIMIT:
            pages.append([])
            used = len(later_title) + reserved
        pages[-1].append(Field(name, value, fld.inline))
        used += len(name) + len(value)
    embeds: list[discord.Embed] = []
    for number, page in enumerate(pages):
        embed = discord.Embed(
            title=first_title if number == 0 else later_title,
            description=clip(description, DESCRIPTION_LIMIT) if number == 0 and description else None,
            colour=colour,
            url=url if number == 0 else None,
        )
        for fld in page:
            embed.add_field(name=fld.name, value=fld.value, inline=fld.inline)
        note = "\n".join(part for part in (footer, more if number < len(pages) - 1 else "") if part)
        if note:
            embed.set_footer(text=note)
        embeds.append(embed)
    return embeds

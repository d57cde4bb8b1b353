"""What a person in Discord's client would see of a message: mentions and timestamps rendered,
embeds with their links and colours, buttons with their styles.

`describe` turns an emulator message into the dict the sandbox shows (`--json` prints it as is:
`content` stays raw, `text` is what the reader sees); `render_block` draws that dict for a terminal.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from emulator import Emulator
from emulator import state as st

MENTION = re.compile(r"<(@!?|@&|#)(\d+)>")
COMMAND_MENTION = re.compile(r"</([\w -]+):\d+>")  # </daily start:123> → /daily start
TIMESTAMP = re.compile(r"<t:(-?\d+)(?::([tTdDfFR]))?>")
BUTTON_STYLES = {1: "primary", 2: "secondary", 3: "success", 4: "danger", 5: "link", 6: "premium"}


def relative(instant: datetime, now: datetime) -> str:
    """Discord's `:R` words: "in 3 hours", "2 days ago", "in a few seconds"."""
    seconds = (instant - now).total_seconds()
    size = abs(seconds)
    for unit, length in (("year", 31_536_000), ("month", 2_592_000), ("day", 86_400), ("hour", 3_600), ("minute", 60)):
        if size >= length:
            count = round(size / length)
            words = f"{'a' if unit != 'hour' else 'an'} {unit}" if count == 1 else f"{count} {unit}s"
            break
    else:
        words = "a few seconds"
    return f"in {words}" if seconds >= 0 else f"{words} ago"


def timestamp(unix: int, style: str | None, now: datetime) -> str:
    """A `<t:…>` as the client shows it; the sandbox reader's time zone is UTC."""
    instant = datetime.fromtimestamp(unix, UTC)
    formats = {
        "t": "%H:%M",
        "T": "%H:%M:%S",
        "d": "%d/%m/%Y",
        "D": "%-d %B %Y",
        "f": "%-d %B %Y %H:%M",
        "F": "%A, %-d %B %Y %H:%M",
    }
    if style == "R":
        return relative(instant, now)
    return instant.strftime(formats.get(style or "f", formats["f"])) + (
        " UTC" if style in (None, "f", "F", "t", "T") else ""
    )


def render_text(text: str, emulator: Emulator, now: datetime) -> str:
    """Mentions as names (`<#id>` → #mods, `<@id>` → @mia, `<@&id>` → @Moderators, `</daily start:id>` →
    /daily start) and timestamps in words."""

    def mention(match: re.Match[str]) -> str:
        kind, ident = match[1], int(match[2])
        if kind == "#":
            found = emulator.channels.get(ident)
            return where_label(emulator, found) if found else "#unknown-channel"
        if kind == "@&":
            return f"@{emulator.role_name(ident)}"
        return f"@{emulator.user_name(ident)}"

    text = MENTION.sub(mention, text)
    text = COMMAND_MENTION.sub(r"/\1", text)
    return TIMESTAMP.sub(lambda m: timestamp(int(m[1]), m[2], now), text)


def describe_select(menu: dict[str, Any], name_of: Callable[[str, int], str] | None = None) -> dict[str, Any]:
    """A select menu as the sandbox shows it: its placeholder, what it offers, and what is preselected
    (options marked default; for entity menus, `default_values` named by `name_of(type, id)`)."""
    options = menu.get("options") or []
    chosen = [o.get("label") for o in options if o.get("default")]
    for value in menu.get("default_values") or []:
        chosen.append(name_of(value["type"], int(value["id"])) if name_of else str(value["id"]))
    return {
        "placeholder": menu.get("placeholder") or menu.get("custom_id"),
        "kind": st.SELECT_KINDS.get(menu.get("type", 0), "option"),
        "options": [o.get("label") for o in options],
        "chosen": chosen,
        "min": int(menu.get("min_values", 1)),
        "max": int(menu.get("max_values", 1)),
        "disabled": bool(menu.get("disabled")),
    }


def name_in_menu(emulator: Emulator, kind: str, entity_id: int) -> str:
    """How a preselected channel, role or member reads in a menu."""
    if kind == "channel" and entity_id in emulator.channels:
        return emulator.channels[entity_id].label
    if kind == "role":
        return emulator.role_name(entity_id)
    return f"@{emulator.user_name(entity_id)}"


def _colour(embed: dict[str, Any]) -> str | None:
    value = embed.get("color")
    return f"#{value:06X}" if isinstance(value, int) else None


def describe(
    emulator: Emulator, message: st.Message, line: int, now: datetime, *, edited: bool = False
) -> dict[str, Any]:
    """The sandbox's record of one message: who, where, for whom, raw content and rendered text."""
    channel = message.channel
    if channel.type == st.DM:
        visibility, viewer = "dm", channel.recipient.name if channel.recipient else None
    elif message.ephemeral:
        visibility = "ephemeral"
        viewer = emulator.user_name(message.visible_to) if message.visible_to else None
    else:
        visibility, viewer = "public", None
    reply_to = None
    if message.reference_id and message.reference_id in emulator.messages:
        reply_to = emulator.messages[message.reference_id].author.name
    elif message.interaction is not None:
        reply_to = message.interaction["user"]["username"]

    embeds: list[dict[str, Any]] = [  # raw, as sent (like `content`); `text` is what is read
        {
            "title": e.get("title"),
            "url": e.get("url"),
            "colour": _colour(e),
            "description": e.get("description"),
            "fields": [{"name": f.get("name"), "value": f.get("value")} for f in e.get("fields") or []],
            "footer": (e.get("footer") or {}).get("text"),
        }
        for e in message.embeds
    ]
    parts = [message.content]
    for embed in embeds:
        parts.extend(_embed_parts(embed))
    text = render_text("\n".join(p for p in parts if p), emulator, now)
    buttons = st.buttons_of(message.components)
    guild = emulator.guild_of(channel)
    result: dict[str, Any] = {
        "line": line,
        "by": "lantern",
        "guild": guild.name if guild is not None else None,
        "where": where_label(emulator, channel),
        "visibility": visibility,
        "for": viewer,
        "reply_to": reply_to,
        "content": message.content,
        "embeds": embeds,
        "buttons": [b.get("label") or "" for b in buttons],
        "button_styles": [BUTTON_STYLES.get(b.get("style", 0), "unknown") for b in buttons],
        "selects": [
            describe_select(s, lambda kind, ident: name_in_menu(emulator, kind, ident))
            for s in st.selects_of(message.components)
        ],
        "files": [a["filename"] for a in message.attachments],
        "pings": [] if message.ephemeral else emulator.pings(message),
        "text": text,
    }
    if edited:
        result["edited"] = True
    return result


def where_label(emulator: Emulator, channel: st.Channel) -> str:
    """`#general`, `#general › thread name` for a thread, `dm:sam` for a DM."""
    if channel.is_thread and channel.parent_id in emulator.channels:
        return f"#{emulator.channels[channel.parent_id].name} › {channel.name}"
    return channel.label


def discord_says(text: str, viewer: str, where: str, line: int, guild: str | None) -> dict[str, Any]:
    """What Discord's own client shows the member (a refused command, an interaction that failed)."""
    return {
        "line": line,
        "by": "discord",
        "guild": guild,
        "where": where,
        "visibility": "ephemeral",
        "for": viewer,
        "reply_to": None,
        "content": text,
        "embeds": [],
        "buttons": [],
        "button_styles": [],
        "selects": [],
        "files": [],
        "pings": [],
        "text": text,
    }


def _embed_parts(embed: dict[str, Any]) -> list[str]:
    parts = [embed["title"] or "", embed["description"] or ""]
    for fld in embed["fields"]:
        parts.extend([fld["name"] or "", fld["value"] or ""])
    parts.append(embed["footer"] or "")
    return [p for p in parts if p]


def _button(label: str, style: str) -> str:
    return {"primary": f"[{label}]", "success": f"[✓ {label}]", "danger": f"[! {label}]", "link": f"[{label} ↗]"}.get(
        style, f"({label})"
    )


def render_block(
    obj: dict[str, Any], readable: Callable[[str], str] = lambda text: text, *, several_guilds: bool = False
) -> str:
    """A readable block for one thing shown, for people at a terminal. `readable` shows mentions and
    timestamps as Discord does (`Sandbox.readable`); the server is named once there is more than one."""
    if "error" in obj:
        return f"!! line {obj['line']}: the bot raised an error: {obj['error']}"
    who = "Discord" if obj["by"] == "discord" else "Lantern"
    where = obj["where"] if not (several_guilds and obj.get("guild")) else f"{obj['guild']} {obj['where']}"
    header = [f"{who} in {where}"]
    if obj["visibility"] == "modal":
        header = [f"{who} opens a form for {obj['for']} in {where}"]
    elif obj["visibility"] == "ephemeral":
        header.append(f"only {obj['for']} can see this")
    elif obj["visibility"] == "dm":
        header.append(f"direct message to {obj['for']}")
    if obj.get("reply_to"):
        header.append(f"replying to {obj['reply_to']}")
    if obj.get("edited"):
        header.append("edited")
    if obj.get("pings"):
        header.append("pings " + " ".join(obj["pings"]))
    lines = ["── " + " · ".join(header)]
    for paragraph in readable(obj["content"]).splitlines() if obj["content"] else []:
        lines.extend(textwrap.wrap(paragraph, 100, replace_whitespace=False) or [""])
    for embed in obj["embeds"]:
        bar = f"┃{embed['colour']} " if embed.get("colour") else "┃ "
        if embed["title"]:
            lines.append(f"{bar}{readable(embed['title'])}" + (f" <{embed['url']}>" if embed.get("url") else ""))
        if embed["description"]:
            lines.extend(f"┃   {line}" for line in readable(embed["description"]).splitlines())
        for fld in embed["fields"]:
            lines.append(f"┃ • {readable(fld['name'] or '')}")
            lines.extend(f"┃     {line}" for line in readable(fld["value"] or "").splitlines())
        if embed["footer"]:
            lines.extend(f"┃ {line}" for line in f"({readable(embed['footer'])})".splitlines())
    lines.extend(f"  📎 {name}" for name in obj.get("files") or [])
    for menu in obj.get("selects") or []:
        offered = " | ".join(menu["options"]) if menu["options"] else f"pick a {menu['kind']}"
        chosen = f" (chosen: {', '.join(menu['chosen'])})" if menu["chosen"] else ""
        lines.append(f"  ▾ {menu['placeholder']}: {offered}{chosen}" + (" [disabled]" if menu["disabled"] else ""))
    for fld in obj.get("fields") or []:
        needs = "required" if fld["required"] else "optional"
        hint = f": {fld['placeholder']}" if fld["placeholder"] else ""
        lines.append(f"  ✎ {fld['label']} ({fld['style']}, {needs}, up to {fld['max']} characters){hint}")
    if obj["buttons"]:
        styles = obj.get("button_styles") or ["primary"] * len(obj["buttons"])
        lines.append(
            "  " + "  ".join(_button(label, style) for label, style in zip(obj["buttons"], styles, strict=False))
        )
    return "\n".join(lines)

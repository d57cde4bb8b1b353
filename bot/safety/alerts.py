"""The moderators' side of safety: alert messages, the responder workflow on them, and talk requests.

An alert says what Lantern actually did (from `policy.Outcome`), links to the message (never quotes
it), and, for a crisis, pings the server's responder role: the one place Lantern pings anyone.
**I'm on it** and **Resolved** keep their state in storage (`safety_alerts`, ids and times only),
keyed by the alert's message id, so they work after a restart; the alert is re-rendered from that
record each time, so two moderators pressing at once cannot overwrite each other's line.
"""

from __future__ import annotations

import string
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import discord

from bot.interactions import handled_elsewhere
from bot.storage.guild_settings import GuildSettings
from bot.storage.safety_alerts import AlertKind, AlertRecord

TAKE_ID = "lantern:alert:take"
RESOLVE_ID = "lantern:alert:resolve"
TAKE_LABEL, RESOLVE_LABEL = "I'm on it", "Resolved"
TALK_LABEL = "Talk to a moderator"
TALK_TEMPLATE = r"lantern:talk:(?P<user>[0-9a-z]+):(?P<guild>[0-9a-z]+):(?P<channel>[0-9a-z]+):(?P<message>[0-9a-z]+)"
STATUS_PREFIX = "Status: "
WORKFLOW_RETENTION = timedelta(days=90)
TALK_REPEAT_WINDOW = timedelta(minutes=30)
_DIGITS = string.digits + string.ascii_lowercase


def b36(number: int) -> str:
    """A snowflake in base 36: four of them fit in a custom_id's 100 characters with room to spare."""
    if number == 0:
        return "0"
    out = []
    while number:
        number, digit = divmod(number, 36)
        out.append(_DIGITS[digit])
    return "".join(reversed(out))


def from_b36(text: str) -> int:
    return int(text, 36)


@dataclass(frozen=True)
class TalkTarget:
    """Whom a **Talk to a moderator** button belongs to, and the message Lantern answered."""

    user_id: int
    guild_id: int
    channel_id: int
    message_id: int

    @property
    def custom_id(self) -> str:
        ids = (self.user_id, self.guild_id, self.channel_id, self.message_id)
        return "lantern:talk:" + ":".join(b36(i) for i in ids)

    @property
    def jump_url(self) -> str:
        return f"https://discord.com/channels/{self.guild_id}/{self.channel_id}/{self.message_id}"

    @classmethod
    def from_match(cls, match: Any) -> TalkTarget:
        return cls(*(from_b36(match[k]) for k in ("user", "guild", "channel", "message")))


def talk_button(target: TalkTarget) -> discord.ui.Button[Any]:
    return discord.ui.Button(label=TALK_LABEL, style=discord.ButtonStyle.danger, custom_id=target.custom_id)


def ping_for(settings: GuildSettings) -> tuple[str, discord.AllowedMentions]:
    """The responder role's mention and the allowed mentions that let it (and only it) ping."""
    if settings.responder_role_id is None:
        return "", discord.AllowedMentions.none()
    role = discord.Object(id=settings.responder_role_id)
    allowed = discord.AllowedMentions(everyone=False, users=False, roles=[role], replied_user=False)
    return f"<@&{settings.responder_role_id}> ", allowed


def crisis_alert_header(member: str, channel: str, link: str, what_lantern_did: str) -> str:
    return (
        f"🚨 Crisis language from {member} in {channel}: {link}\n"
        f"What Lantern did: {what_lantern_did}. Please check in with them."
    )


def event_alert_header(label: str, member: str, channel: str, link: str, what_lantern_did: str) -> str:
    return f"Safety event ({label}) from {member} in {channel}: {link}\nWhat Lantern did: {what_lantern_did}."


def talk_alert_header(member: str, link: str) -> str:
    return f"🙋 {member} asked to talk to a moderator, from Lantern's crisis reply to: {link}"


def _who(user_id: int | None) -> str:
    return f"<@{user_id}>" if user_id else "a moderator"


def status_line(record: AlertRecord | None) -> str:
    if record is None or (record.taken_at is None and record.resolved_at is None):
        return f"{STATUS_PREFIX}open. Press **{TAKE_LABEL}** to take it."
    if record.resolved_at is not None:
        minutes = max(0, int((record.resolved_at - record.created_at).total_seconds() // 60))
        taken = (
            f" ({_who(record.taken_by)} was on it)" if record.taken_by and record.taken_by != record.resolved_by else ""
        )
        return (
            f"{STATUS_PREFIX}resolved by {_who(record.resolved_by)} <t:{int(record.resolved_at.timestamp())}:f>, "
            f"{minutes} min after the alert{taken}."
        )
    assert record.taken_at is not None
    return f"{STATUS_PREFIX}{_who(record.taken_by)} is on it (since <t:{int(record.taken_at.timestamp())}:t>)."


def alert_content(header: str, record: AlertRecord | None) -> str:
    """The alert's whole text: its header (ping included) and one status line from the record."""
    return f"{header}\n{status_line(record)}"


def header_of(content: str) -> str:
    """An alert's text without its status line (to re-render it from the record)."""
    lines = content.split("\n")
    return "\n".join(line for line in lines if not line.startswith(STATUS_PREFIX))


def new_alert_view() -> discord.ui.View:
    """A fresh alert's buttons: I'm on it and Resolved."""
    view = workflow_view(None)
    assert view is not None
    return view


def workflow_view(record: AlertRecord | None) -> discord.ui.View | None:
    """I'm on it (until someone is) and Resolved (until it is); nothing once resolved."""
    if record is not None and record.resolved_at is not None:
        return None
    items: list[discord.ui.Item[Any]] = []
    if record is None or record.taken_at is None:
        items.append(discord.ui.Button(label=TAKE_LABEL, style=discord.ButtonStyle.primary, custom_id=TAKE_ID))
    items.append(discord.ui.Button(label=RESOLVE_LABEL, style=discord.ButtonStyle.success, custom_id=RESOLVE_ID))
    return handled_elsewhere(*items)


def may_respond(settings: GuildSettings, *, manage_guild: bool, role_ids: set[int]) -> bool:
    """Moderators (Manage Server) and members of the responder role may take and resolve alerts."""
    return manage_guild or (settings.responder_role_id is not None and settings.responder_role_id in role_ids)


class TalkRequests:
    """One request to talk per answered message in half an hour (in memory: a restart forgets, harmlessly)."""

    def __init__(self, limit: int = 10_000) -> None:
        self._seen: OrderedDict[tuple[int, int], datetime] = OrderedDict()
        self._limit = limit

    def first(self, target: TalkTarget, now: datetime) -> bool:
        """True (and remembered) unless the same request was made in the last half hour."""
        key = (target.guild_id, target.message_id)
        last = self._seen.get(key)
        if last is not None and now - last < TALK_REPEAT_WINDOW:
            return False
        self._seen[key] = now
        self._seen.move_to_end(key)
        while len(self._seen) > self._limit:
            self._seen.popitem(last=False)
        return True

    def forget(self, target: TalkTarget) -> None:
        """The request could not be posted: let the member try again at once."""
        self._seen.pop((target.guild_id, target.message_id), None)


__all__ = ["AlertKind", "AlertRecord", "TalkRequests", "TalkTarget"]

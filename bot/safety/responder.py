"""The one safety decision: what Lantern does with a message in its situation.

The listener and `/config test` both ask `SafetyResponder`, so a preview can never disagree with
what really happens. It gathers the situation (server settings, quiet channels and roles, the
member's opt-out and cooldown, the channel's flood guard) and applies `policy.decide`. It holds no
message text: the text goes to the detector and nowhere else.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import datetime

from bot.clock import Clock
from bot.safety.detector import Assessment, assess
from bot.safety.policy import CHANNEL_FLOOD_WINDOW, Decision, Family, Situation, decide, family_of
from bot.storage import GuildSettings, Stores
from bot.storage.guild_settings import DEFAULT_GUILD_SETTINGS

DM_GUILD_KEY = 0  # cooldowns for direct messages are kept under server 0


@dataclass(frozen=True)
class Where:
    """Where a message was written and by whom: ids only."""

    guild_id: int | None
    channel_id: int
    author_id: int
    parent_channel_id: int | None = None  # a thread's channel
    role_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def guild_key(self) -> int:
        return self.guild_id if self.guild_id is not None else DM_GUILD_KEY


@dataclass(frozen=True)
class Plan:
    assessment: Assessment
    decision: Decision
    settings: GuildSettings
    situation: Situation

    @property
    def label(self) -> str:
        return self.assessment.label

    @property
    def family(self) -> Family:
        return family_of(self.assessment.label)


class ChannelFloodGuard:
    """Safety replies per channel in the last few minutes (in memory: a restart forgets, harmlessly)."""

    def __init__(self) -> None:
        self._replies: dict[int, deque[datetime]] = {}

    def recent(self, channel_id: int, now: datetime) -> int:
        times = self._replies.get(channel_id)
        if not times:
            return 0
        while times and now - times[0] > CHANNEL_FLOOD_WINDOW:
            times.popleft()
        return len(times)

    def record(self, channel_id: int, at: datetime) -> None:
        self._replies.setdefault(channel_id, deque()).append(at)


class SafetyResponder:
    def __init__(self, stores: Stores, clock: Clock) -> None:
        self._stores = stores
        self._clock = clock
        self.flood_guard = ChannelFloodGuard()

    async def settings_for(self, guild_id: int | None) -> GuildSettings:
        return await self._stores.guild_settings.get(guild_id) if guild_id is not None else DEFAULT_GUILD_SETTINGS

    @staticmethod
    def is_quiet(settings: GuildSettings, where: Where) -> bool:
        if where.guild_id is None:
            return False
        channels = {where.channel_id, where.parent_channel_id} - {None}
        return bool(channels & set(settings.exempt_channel_ids)) or bool(where.role_ids & set(settings.exempt_role_ids))

    def _situation(
        self, settings: GuildSettings, where: Where, *, opted_out: bool, last_reply: datetime | None, now: datetime
    ) -> Situation:
        return Situation(
            now=now,
            is_dm=where.guild_id is None,
            enabled=settings.safety_enabled,
            mode=settings.safety_mode,
            quiet_here=self.is_quiet(settings, where),
            has_alert_channel=settings.alert_channel_id is not None,
            alert_all_events=settings.alert_all_events,
            opted_out=opted_out,
            last_reply=last_reply,
            cooldown_hours=settings.safety_cooldown_hours,
            channel_recent_replies=self.flood_guard.recent(where.channel_id, now),
        )

    async def plan(self, text: str, where: Where) -> Plan:
        """What to do with a member's message, right now."""
        assessment = assess(text)
        settings = await self.settings_for(where.guild_id)
        now = self._clock.now()
        if assessment.label == "none":
            situation = Situation(now=now, is_dm=where.guild_id is None)
        else:
            stores = self._stores
            situation = self._situation(
                settings,
                where,
                opted_out=await stores.safety_opt_outs.opted_out(where.author_id),
                last_reply=await stores.safety_cooldowns.last_reply(
                    where.guild_key, where.author_id, family_of(assessment.label)
                ),
                now=now,
            )
        return Plan(assessment, decide(assessment.label, situation), settings, situation)

    async def preview(self, text: str, where: Where) -> Plan:
        """The same decision for a member with no cooldown and no opt-out (what `/config test` shows)."""
        assessment = assess(text)
        settings = await self.settings_for(where.guild_id)
        situation = self._situation(settings, where, opted_out=False, last_reply=None, now=self._clock.now())
        return Plan(assessment, decide(assessment.label, situation), settings, situation)

    async def record(self, plan: Plan, where: Where, *, counted_in_channel: bool) -> None:
        """After acting: start the member's cooldown and count a reply shown in the channel."""
        if plan.decision.action == "none":
            return
        now = plan.situation.now
        await self._stores.safety_cooldowns.record_reply(where.guild_key, where.author_id, plan.family, now)
        if counted_in_channel:
            self.flood_guard.record(where.channel_id, now)

"""The one safety decision: what Lantern does with a message in its situation.

The listener and `/config test` both ask `SafetyResponder`, so a preview can never disagree with
what really happens. It gathers the situation (server settings, quiet channels and roles, the
member's opt-out and cooldown, the channel's flood guard) and applies `policy.decide`. It holds no
message text: the text goes to the detector and nowhere else.
"""

from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from bot.clock import Clock
from bot.safety.alerts import TalkRequests
from bot.safety.detector import Assessment, assess, unsure_crisis
from bot.safety.policy import (
    CHANNEL_FLOOD_WINDOW,
    Decision,
    Done,
    Family,
    Outcome,
    Situation,
    Step,
    decide,
    family_of,
    outcome_of,
)
from bot.storage import GuildSettings, Stores
from bot.storage.database import storage_failures
from bot.storage.guild_settings import DEFAULT_GUILD_SETTINGS

log = logging.getLogger(__name__)

DM_GUILD_KEY = 0  # cooldowns for direct messages are kept under server 0
MemberChoice = Literal["opt_out", "not_about_that"]


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
    # Held between deciding and recording, so messages handled at the same time can't all slip past
    # the flood guard or a member's cooldown (each decision sees the ones before it).
    holds_flood_slot: bool = False
    holds_cooldown: bool = False

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

    def release(self, channel_id: int, at: datetime) -> None:
        """Give back a slot held for a reply that was not shown in the channel after all."""
        times = self._replies.get(channel_id)
        if times is not None and at in times:
            times.remove(at)


class SafetyResponder:
    def __init__(self, stores: Stores, clock: Clock) -> None:
        self._stores = stores
        self._clock = clock
        self.flood_guard = ChannelFloodGuard()
        self.talk_requests = TalkRequests()
        # Replies decided but not yet recorded, by (server, member, family): an in-flight reply
        # counts as the member's last reply, so a burst from one member gets one answer.
        self._pending_replies: dict[tuple[int, int, Family], datetime] = {}

    async def settings_for(self, guild_id: int | None) -> GuildSettings:
        return await self._stores.guild_settings.get(guild_id) if guild_id is not None else DEFAULT_GUILD_SETTINGS

    @staticmethod
    def quiet_channel(settings: GuildSettings, where: Where) -> bool:
        """A quiet channel, or a thread in one."""
        channels = {where.channel_id, where.parent_channel_id} - {None}
        return where.guild_id is not None and bool(channels & set(settings.exempt_channel_ids))

    @staticmethod
    def quiet_role(settings: GuildSettings, where: Where) -> bool:
        return where.guild_id is not None and bool(where.role_ids & set(settings.exempt_role_ids))

    def _situation(
        self,
        settings: GuildSettings,
        where: Where,
        assessment: Assessment,
        *,
        opted_out: bool,
        last_reply: datetime | None,
        now: datetime,
    ) -> Situation:
        return Situation(
            now=now,
            is_dm=where.guild_id is None,
            enabled=settings.safety_enabled,
            mode=settings.safety_mode,
            quiet_channel=self.quiet_channel(settings, where),
            quiet_role=self.quiet_role(settings, where),
            has_alert_channel=settings.alert_channel_id is not None,
            alert_all_events=settings.alert_all_events,
            opted_out=opted_out,
            last_reply=last_reply,
            cooldown_hours=settings.safety_cooldown_hours,
            channel_recent_replies=self.flood_guard.recent(where.channel_id, now),
            unsure_crisis=unsure_crisis(assessment),
        )

    async def _member_situation(self, assessment: Assessment, settings: GuildSettings, where: Where) -> Situation:
        """Reads storage first; everything after the last await runs without yielding, so the flood
        guard and in-flight replies seen here are still true when `plan` holds its slots."""
        stores = self._stores
        family = family_of(assessment.label)
        opted_out = await stores.safety_opt_outs.opted_out(where.author_id)
        stored = await stores.safety_cooldowns.last_reply(where.guild_key, where.author_id, family)
        pending = self._pending_replies.get((where.guild_key, where.author_id, family))
        last_reply = max((t for t in (stored, pending) if t is not None), default=None)
        return self._situation(
            settings, where, assessment, opted_out=opted_out, last_reply=last_reply, now=self._clock.now()
        )

    async def plan(self, text: str, where: Where, *, only_crisis: bool = False) -> Plan:
        """What to do with a member's message, right now (`only_crisis`: for an edited message,
        anything but crisis counts as nothing detected)."""
        assessment = assess(text)
        if only_crisis and assessment.label != "crisis":
            assessment = Assessment("none", ())
        crisis = assessment.label == "crisis"
        try:
            settings = await self.settings_for(where.guild_id)
        except storage_failures() as error:
            if not crisis:
                raise
            # A missed crisis is the worst failure: answer with the defaults (crisis outranks the
            # quiet settings anyway); an alert needs the alert channel, from the settings cache.
            log.error(
                "Storage failed reading a server's settings (%s); answering a crisis anyway", type(error).__name__
            )
            settings = DEFAULT_GUILD_SETTINGS
        if assessment.label == "none":
            situation = Situation(now=self._clock.now(), is_dm=where.guild_id is None)
            return Plan(assessment, decide(assessment.label, situation), settings, situation)
        try:
            situation = await self._member_situation(assessment, settings, where)
        except storage_failures() as error:
            if not crisis:
                raise
            log.error(
                "Storage failed reading a member's cooldown (%s); answering a crisis anyway", type(error).__name__
            )
            pending = self._pending_replies.get((where.guild_key, where.author_id, family_of(assessment.label)))
            situation = self._situation(
                settings, where, assessment, opted_out=False, last_reply=pending, now=self._clock.now()
            )
        decision = decide(assessment.label, situation)
        # No await between reading the situation and holding these slots.
        holds_flood = where.guild_id is not None and decision.action == "reply"
        if holds_flood:
            self.flood_guard.record(where.channel_id, situation.now)
        holds_cooldown = bool(decision.steps) or decision.action == "alert_only"
        if holds_cooldown:
            self._pending_replies[(where.guild_key, where.author_id, family_of(assessment.label))] = situation.now
        return Plan(assessment, decision, settings, situation, holds_flood, holds_cooldown)

    async def preview(self, text: str, where: Where, *, as_member: bool = False) -> Plan:
        """The same decision `/config test` shows: for the member in `where` (their opt-out, cooldown
        and roles) when `as_member`, else for a member with no cooldown, no opt-out and no quiet role."""
        assessment = assess(text)
        settings = await self.settings_for(where.guild_id)
        if as_member:
            situation = await self._member_situation(assessment, settings, where)
        else:
            situation = self._situation(
                settings, where, assessment, opted_out=False, last_reply=None, now=self._clock.now()
            )
        return Plan(assessment, decide(assessment.label, situation), settings, situation)

    async def record(self, plan: Plan, where: Where, delivered: Step | None) -> Outcome:
        """After acting: what Lantern did (from which step reached the member), with the member's
        cooldown started, a public reply counted by the channel's flood guard (a DM is not), and the
        server's daily insights counted."""
        outcome = outcome_of(plan.decision, delivered)
        now = plan.situation.now
        shown = outcome.shown_in_channel and where.guild_id is not None
        if plan.holds_flood_slot and not shown:
            self.flood_guard.release(where.channel_id, now)
        elif shown and not plan.holds_flood_slot:
            self.flood_guard.record(where.channel_id, now)  # a DM that fell back to a public reply
        try:
            if outcome.reached_member or outcome.done is Done.ALERT_ONLY:
                await self._stores.safety_cooldowns.record_reply(where.guild_key, where.author_id, plan.family, now)
            if where.guild_id is not None:
                await self._stores.safety_insights.add(where.guild_id, now.date(), plan.family, outcome.key)
        except storage_failures() as error:
            # What was done is done; the moderators' alert must not be lost to an unrecorded count.
            log.error("Storage failed recording a safety reply (%s); its cooldown is not kept", type(error).__name__)
        finally:
            if plan.holds_cooldown:
                key = (where.guild_key, where.author_id, plan.family)
                if self._pending_replies.get(key) == now:
                    del self._pending_replies[key]
        return outcome

    async def count_member_choice(self, guild_id: int | None, choice: MemberChoice) -> None:
        """A member pressed "Don't reply to me" or "Not about that": one more for the server's insights."""
        if guild_id:
            await self._stores.safety_insights.add(guild_id, self._clock.now().date(), "member", choice)

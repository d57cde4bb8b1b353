"""`/pause`: the moment of the urge to text, call or check on someone. Private to the member.

A kind line and a minute of grounding; what is strongest right now, and a prompt that fits; **Write
it, don't send it** (a modal whose text is never stored, logged or sent); **Check on me in 20
minutes** (a DM asking whether the urge passed). Only counts are kept: when a pause began, and
whether it passed.
"""

from __future__ import annotations

import asyncio
import logging
import re
from datetime import datetime, timedelta
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import LanternBot
from bot.content import Content
from bot.content.models import Feeling
from bot.healing.calendar import member_zone
from bot.healing.support import letter_sounds_like_crisis, support_for
from bot.healing.wording import (
    CHECK_AGAIN_LABEL,
    CHECK_ON_ME_LABEL,
    CHECKIN_ALREADY,
    CHECKIN_DM,
    CHECKIN_SCHEDULED,
    FEELING_PLACEHOLDER,
    GROUNDING_TITLE,
    LETTER_DESCRIPTION,
    LETTER_DONE,
    LETTER_HEAVY,
    LETTER_LABEL,
    LETTER_PLACEHOLDER,
    LETTER_TITLE,
    NOT_YOURS,
    PASSED,
    PASSED_LABEL,
    PAUSE_GONE,
    PAUSE_OPENING,
    PRIVATE_FOOTER,
    STILL_STRONG,
    STILL_STRONG_CRISIS,
    STRONG_LABEL,
    WRITE_LABEL,
    counts_line,
)
from bot.interactions import (
    SafeDynamicButton,
    SafeDynamicSelect,
    handle_interaction_error,
    handled_elsewhere,
    send_private,
)
from bot.nonces import nonce_for
from bot.presenters import PROMPT_COLOUR, prompt_embed
from bot.prompts import next_prompt
from bot.sending import send_once
from bot.storage.pauses import DueCheckin, PauseCounts

log = logging.getLogger(__name__)
CHECK_AFTER = timedelta(minutes=20)
LETTER_OPEN_FOR = 2 * 3600.0  # seconds a letter can be written before the form expires
BATCH = 200
CONCURRENT_SENDS = 10
NO_PINGS = discord.AllowedMentions.none()
NO_FEELING = "-"


async def _month_counts(bot: LanternBot, user_id: int) -> PauseCounts:
    zone = await member_zone(bot.stores, user_id)
    return await bot.stores.pauses.counts(user_id, *zone.month_bounds(bot.clock.now()))


def grounding_embed(content: Content, counts: PauseCounts) -> discord.Embed:
    steps = "\n".join(f"{index}. {step}" for index, step in enumerate(content.grounding, start=1))
    embed = discord.Embed(title=GROUNDING_TITLE, description=steps, colour=PROMPT_COLOUR)
    return embed.set_footer(text=f"{counts_line(counts)} {PRIVATE_FOOTER}")


async def feeling_prompt_embed(bot: LanternBot, user_id: int, feeling: Feeling | None) -> discord.Embed:
    """A prompt from a theme that fits the feeling (any theme without one), with the feeling's note."""
    theme = bot.rng.choice(feeling.themes) if feeling is not None else None
    prompt = await next_prompt(bot.content, bot.stores.prompt_rotation, bot.rng, user_id, theme)
    embed = prompt_embed(bot.content, prompt)
    if feeling is not None:
        embed.description = f"*{feeling.note}*\n\n{prompt.text}"
    return embed


def pause_view(content: Content, pause_id: int, feeling: str | None) -> discord.ui.View:
    options = [
        discord.SelectOption(label=f.label, value=f.id, default=f.id == feeling) for f in content.feelings_for("pause")
    ]
    return handled_elsewhere(
        FeelingSelect(pause_id, options), WriteButton(pause_id, feeling), CheckOnMeButton(pause_id)
    )


class FeelingSelect(SafeDynamicSelect, template=r"lantern:pause:feeling:(?P<pause>\d+)"):
    """What is strongest right now: the pause message gains a prompt that fits."""

    def __init__(self, pause_id: int, options: list[discord.SelectOption] | None = None) -> None:
        super().__init__(
            discord.ui.Select(
                custom_id=f"lantern:pause:feeling:{pause_id}", placeholder=FEELING_PLACEHOLDER, options=options or []
            )
        )
        self.pause_id = pause_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> FeelingSelect:
        return cls(int(match["pause"]))

    async def respond(self, interaction: discord.Interaction[Any]) -> None:
        bot: LanternBot = interaction.client
        if not await bot.stores.pauses.exists(self.pause_id, interaction.user.id):
            await send_private(interaction, PAUSE_GONE)
            return
        values = getattr(self.item, "values", [])
        feeling = bot.content.feelings.get(values[0]) if values else None
        embeds = [
            grounding_embed(bot.content, await _month_counts(bot, interaction.user.id)),
            await feeling_prompt_embed(bot, interaction.user.id, feeling),
        ]
        view = pause_view(bot.content, self.pause_id, feeling.id if feeling else None)
        await interaction.response.edit_message(embeds=embeds, view=view)


class LetterModal(discord.ui.Modal):
    """The unsent letter. Its text is read once, in memory, to notice a crisis; it is never stored,
    logged, echoed or sent anywhere."""

    def __init__(self, pause_id: int, feeling: str | None) -> None:
        super().__init__(
            title=LETTER_TITLE,
            custom_id=f"lantern:pause:letter:{pause_id}:{feeling or NO_FEELING}",
            timeout=LETTER_OPEN_FOR,
        )
        self.pause_id = pause_id
        self.feeling = feeling
        self.letter: discord.ui.TextInput[LetterModal] = discord.ui.TextInput(
            custom_id="letter",
            style=discord.TextStyle.paragraph,
            placeholder=LETTER_PLACEHOLDER,
            max_length=4000,
        )
        self.add_item(discord.ui.Label(text=LETTER_LABEL, description=LETTER_DESCRIPTION, component=self.letter))

    async def on_submit(self, interaction: discord.Interaction[Any], /) -> None:
        bot: LanternBot = interaction.client
        heavy = letter_sounds_like_crisis(self.letter.value)
        embeds: list[discord.Embed] = []
        items: list[discord.ui.Item[Any]] = [CheckOnMeButton(self.pause_id)]
        text = LETTER_DONE
        if heavy:
            text = f"{LETTER_DONE}\n\n{LETTER_HEAVY}"
            crisis = await support_for(bot.stores, bot.content, interaction.user.id, interaction.guild_id, "crisis")
            embeds.append(crisis.embed)
            if crisis.region_menu is not None:
                items.insert(0, crisis.region_menu)
        feeling = bot.content.feelings.get(self.feeling or "")
        embeds.append(await feeling_prompt_embed(bot, interaction.user.id, feeling))
        view = handled_elsewhere(*items)
        await interaction.response.send_message(
            text, embeds=embeds, view=view, ephemeral=True, allowed_mentions=NO_PINGS
        )

    async def on_error(self, interaction: discord.Interaction[Any], error: Exception, /) -> None:  # type: ignore[override]
        await handle_interaction_error(interaction, error)


class WriteButton(SafeDynamicButton, template=r"lantern:pause:write:(?P<pause>\d+):(?P<feeling>[a-z0-9-]+)"):
    def __init__(self, pause_id: int, feeling: str | None) -> None:
        super().__init__(
            discord.ui.Button(
                label=WRITE_LABEL,
                style=discord.ButtonStyle.primary,
                custom_id=f"lantern:pause:write:{pause_id}:{feeling or NO_FEELING}",
            )
        )
        self.pause_id = pause_id
        self.feeling = feeling

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> WriteButton:
        feeling = match["feeling"]
        return cls(int(match["pause"]), None if feeling == NO_FEELING else feeling)

    async def respond(self, interaction: discord.Interaction[Any]) -> None:
        await interaction.response.send_modal(LetterModal(self.pause_id, self.feeling))


class CheckOnMeButton(SafeDynamicButton, template=r"lantern:pause:check:(?P<pause>\d+)"):
    def __init__(self, pause_id: int, label: str = CHECK_ON_ME_LABEL) -> None:
        super().__init__(
            discord.ui.Button(
                label=label, style=discord.ButtonStyle.secondary, custom_id=f"lantern:pause:check:{pause_id}"
            )
        )
        self.pause_id = pause_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> CheckOnMeButton:
        return cls(int(match["pause"]))

    async def respond(self, interaction: discord.Interaction[Any]) -> None:
        bot: LanternBot = interaction.client
        pauses = bot.stores.pauses
        if not await pauses.exists(self.pause_id, interaction.user.id):
            await send_private(interaction, PAUSE_GONE)
            return
        due = bot.clock.now() + CHECK_AFTER
        if await pauses.schedule_checkin(self.pause_id, interaction.user.id, due):
            bot.scheduler.wake()
            await send_private(interaction, CHECKIN_SCHEDULED.format(when=_when(due)))
            return
        pending = await pauses.checkin_due(self.pause_id)
        await send_private(interaction, CHECKIN_ALREADY.format(when=_when(pending or due)))


def _when(instant: datetime) -> str:
    unix = int(instant.timestamp())
    return f"at <t:{unix}:t> (<t:{unix}:R>)"


class OutcomeButton(SafeDynamicButton, template=r"lantern:pause:(?P<outcome>passed|strong):(?P<pause>\d+)"):
    """**It passed** / **Still strong** on the check-in DM. The latest answer counts."""

    def __init__(self, pause_id: int, passed: bool) -> None:
        outcome = "passed" if passed else "strong"
        super().__init__(
            discord.ui.Button(
                label=PASSED_LABEL if passed else STRONG_LABEL,
                style=discord.ButtonStyle.success if passed else discord.ButtonStyle.secondary,
                custom_id=f"lantern:pause:{outcome}:{pause_id}",
            )
        )
        self.pause_id = pause_id
        self.passed = passed

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> OutcomeButton:
        return cls(int(match["pause"]), match["outcome"] == "passed")

    async def respond(self, interaction: discord.Interaction[Any]) -> None:
        bot: LanternBot = interaction.client
        user_id = interaction.user.id
        if not await bot.stores.pauses.record_outcome(self.pause_id, user_id, self.passed):
            message = NOT_YOURS if await _pause_of_someone_else(bot, self.pause_id, user_id) else PAUSE_GONE
            await send_private(interaction, message)
            return
        if self.passed:
            counts = await _month_counts(bot, user_id)
            await interaction.response.edit_message(content=f"{PASSED}\n\n{counts_line(counts)}", embed=None, view=None)
            return
        support = await support_for(bot.stores, bot.content, user_id, interaction.guild_id, "own-behaviour")
        items: list[discord.ui.Item[Any]] = [
            WriteButton(self.pause_id, None),
            CheckOnMeButton(self.pause_id, label=CHECK_AGAIN_LABEL),
        ]
        if support.region_menu is not None:
            items.insert(0, support.region_menu)
        await interaction.response.edit_message(
            content=f"{STILL_STRONG}\n\n{STILL_STRONG_CRISIS}", embed=support.embed, view=handled_elsewhere(*items)
        )


async def _pause_of_someone_else(bot: LanternBot, pause_id: int, user_id: int) -> bool:
    return await bot.stores.pauses.owner(pause_id) not in (None, user_id)


class PauseCheckins:
    """The scheduler job: each "check on me" DM once, at its due time (claimed, then sent)."""

    name = "pause-checkins"

    def __init__(self, bot: LanternBot) -> None:
        self.bot = bot
        self._slots = asyncio.Semaphore(CONCURRENT_SENDS)

    async def next_due(self) -> datetime | None:
        return await self.bot.stores.pauses.earliest_checkin()

    async def run_due(self, now: datetime) -> None:
        pauses = self.bot.stores.pauses
        while True:
            due = await pauses.due_checkins(now, BATCH)
            sends = [asyncio.create_task(self._send(checkin)) for checkin in due if await pauses.claim_checkin(checkin)]
            if sends:
                await asyncio.gather(*sends)
            if len(due) < BATCH or self.bot.scheduler.stopping:  # (shutting down: the rest is a standby's)
                return

    async def _send(self, checkin: DueCheckin) -> None:
        view = handled_elsewhere(OutcomeButton(checkin.pause_id, True), OutcomeButton(checkin.pause_id, False))
        # One nonce per pause and due instant: a send Discord made but whose answer was lost is
        # returned, not made twice, when it is repeated (bot/sending.py).
        nonce = nonce_for("pause-checkin", checkin.pause_id, checkin.due.isoformat())
        async with self._slots:
            try:
                channel = await self.bot.create_dm(discord.Object(id=checkin.user_id))
                await send_once(
                    lambda: channel.send(CHECKIN_DM, view=view, nonce=nonce, allowed_mentions=NO_PINGS),
                    what="a pause check-in",
                )
            except discord.Forbidden:
                log.info("A pause check-in could not be delivered: the member's DMs are closed")
            except (discord.HTTPException, TimeoutError, OSError) as exc:
                log.warning("A pause check-in could not be delivered (%s)", type(exc).__name__)


class Pause(commands.Cog):
    def __init__(self, bot: LanternBot) -> None:
        self.bot = bot
        self.checkins = PauseCheckins(bot)

    async def cog_load(self) -> None:
        self.bot.scheduler.register(self.checkins)

    async def cog_unload(self) -> None:
        self.bot.scheduler.unregister(self.checkins)

    @app_commands.command(
        name="pause", description="Before you reach out: a minute to land, a prompt, a letter you don't send"
    )
    async def pause(self, interaction: discord.Interaction) -> None:
        bot = self.bot
        pause_id = await bot.stores.pauses.start(interaction.user.id, bot.clock.now())
        counts = await _month_counts(bot, interaction.user.id)
        await interaction.response.send_message(
            PAUSE_OPENING,
            embed=grounding_embed(bot.content, counts),
            view=pause_view(bot.content, pause_id, None),
            ephemeral=True,
            allowed_mentions=NO_PINGS,
        )


async def setup(bot: LanternBot) -> None:
    bot.add_dynamic_items(FeelingSelect, WriteButton, CheckOnMeButton, OutcomeButton)
    await bot.add_cog(Pause(bot))

"""`/privacy show|delete`: exactly what Lantern keeps about a member, and a way to erase it."""

from __future__ import annotations

import logging
import re
from datetime import datetime
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import LanternBot
from bot.daily_start import schedule_words
from bot.healing.privacy import stored_lines
from bot.interactions import SafeDynamicButton, send_private

log = logging.getLogger(__name__)
DELETE_LABEL = "Delete my data"


def _when(instant: datetime) -> str:
    """A Discord timestamp: each reader sees it in their own local time."""
    return f"<t:{int(instant.timestamp())}:f>"


async def stored_about(bot: LanternBot, user_id: int) -> list[str]:
    """One line per kind of record Lantern holds about this member (nothing else exists), in words."""
    content, stores = bot.content, bot.stores
    lines: list[str] = []
    sub = await stores.daily.get(user_id)
    if sub is not None:
        theme = content.themes.get(sub.theme) if sub.theme else None
        words = schedule_words(sub.local_time, sub.timezone, theme.name if theme else None)
        line = f"**Daily prompts**: every day at {words}."
        if sub.paused_reason == "dms_closed":
            line += f" Paused: my last {sub.consecutive_failures} direct messages to you couldn't be delivered."
        elif sub.paused_reason is not None:
            line += f" Paused: they couldn't be delivered {sub.consecutive_failures} days in a row."
        else:
            line += f" Next: {_when(sub.next_due)}."
            if sub.consecutive_failures:
                failed = sub.consecutive_failures
                line += f" The last {failed} couldn't be delivered (your direct messages were closed)."
        if sub.snoozed_until:
            line += f" Snoozed until {sub.snoozed_until:%A %d %B %Y}."
        if sub.checkin_reminder:
            line += " Check-in reminder on."
        line += " Kept with it: the day one was last sent, and which direct-message conversation to use."
        lines.append(line)
    region = await stores.member_settings.region(user_id)
    if region is not None:
        lines.append(f"**Saved region** for support lines: {content.regions.get(region, region)}.")
    counts = await stores.prompt_rotation.counts(user_id)
    if counts:
        seen = []
        for scope, count in counts.items():
            theme = content.themes.get(scope)
            total = len(content.prompt_ids(scope if theme else None))
            seen.append(f"{count} of {total} ({theme.name if theme else 'any theme'})")
        lines.append(
            f"**Reflection prompts you've seen** in the current round: {'; '.join(seen)}. Lantern keeps which ones "
            "(never their text) so that none repeats until you've seen them all."
        )
    opted_out = await stores.safety_opt_outs.since(user_id)
    if opted_out is not None:
        lines.append(
            f"**You asked Lantern not to reply to you** (“Don't reply to me”, {_when(opted_out)}). "
            "Crisis lines still reach you."
        )
    cooldowns = await stores.safety_cooldowns.count(user_id)
    if cooldowns:
        lines.append(
            f"**When Lantern last replied to you**: {cooldowns} note{'s' if cooldowns != 1 else ''} (which server, "
            "whether it was about hurt, pursuit or a crisis, and when), so it doesn't repeat itself. "
            "Each is deleted after 30 days."
        )
    lines.extend(await stored_lines(stores, user_id))
    handled = await stores.safety_alerts.count_by(user_id)
    if handled:
        lines.append(
            f"**Crisis alerts you took or resolved as a moderator**: {handled}, with when, in those servers' "
            "records (deleted after 90 days)."
        )
    changes = await stores.config_audit.count_by(user_id)
    if changes:
        lines.append(f"**Settings you changed as a moderator**: {changes}, in those servers' histories.")
    return lines


async def delete_member(bot: LanternBot, user_id: int, *, keep_opt_out: bool) -> None:
    """Every record about the member, in one transaction (bot/storage/forget.py)."""
    stores = bot.stores
    await stores.forget.forget_member(user_id, keep=[stores.safety_opt_outs] if keep_opt_out else [])
    bot.scheduler.wake()


class DeleteMyDataButton(SafeDynamicButton, template=r"lantern:privacy:delete:(?P<user>\d+):(?P<keep>[01])"):
    """Only the member who asked can confirm; the choice about the opt-out travels in the custom_id."""

    def __init__(self, user_id: int, keep_opt_out: bool) -> None:
        super().__init__(
            discord.ui.Button(
                label=DELETE_LABEL,
                style=discord.ButtonStyle.danger,
                custom_id=f"lantern:privacy:delete:{user_id}:{int(keep_opt_out)}",
            )
        )
        self.user_id = user_id
        self.keep_opt_out = keep_opt_out

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> DeleteMyDataButton:
        return cls(int(match["user"]), match["keep"] == "1")

    async def respond(self, interaction: discord.Interaction[Any]) -> None:
        if interaction.user.id != self.user_id:
            await send_private(interaction, "This button belongs to someone else's request.")
            return
        await delete_member(interaction.client, self.user_id, keep_opt_out=self.keep_opt_out)
        kept = ' (your "Don\'t reply to me" choice is kept)' if self.keep_opt_out else ""
        await interaction.response.edit_message(
            content=f"Done: everything Lantern kept about you is deleted{kept}.", view=None
        )


class Privacy(commands.GroupCog, group_name="privacy", group_description="What Lantern keeps about you"):
    def __init__(self, bot: LanternBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="show", description="Exactly what Lantern stores about you")
    async def show(self, interaction: discord.Interaction) -> None:
        lines = await stored_about(self.bot, interaction.user.id)
        if not lines:
            await send_private(interaction, "Lantern stores nothing about you. It never stores what you write.")
            return
        body = "\n".join(f"• {line}" for line in lines)
        await send_private(
            interaction,
            f"What Lantern stores about you (never what you write):\n{body}\n\nErase it with `/privacy delete`.",
        )

    @app_commands.command(name="delete", description="Delete everything Lantern stores about you")
    @app_commands.describe(keep_opt_out='Keep your "Don\'t reply to me" choice (deleting it lets Lantern reply again)')
    async def delete(self, interaction: discord.Interaction, keep_opt_out: bool = False) -> None:
        view = discord.ui.View(timeout=None)
        view.add_item(DeleteMyDataButton(interaction.user.id, keep_opt_out))
        kept = ' Your "Don\'t reply to me" choice will be kept.' if keep_opt_out else ""
        await send_private(
            interaction,
            "This deletes your daily prompts, saved region, prompt history, pauses, no-contact count, check-ins "
            f"and safety records.{kept} Sure?",
            view=view,
        )

    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        """Lantern left or was removed: forget everything about the server."""
        await self.bot.stores.forget.forget_guild(guild.id)
        self.bot.scheduler.wake()
        log.info("Removed from server %s; deleted its settings and records", guild.id)


async def setup(bot: LanternBot) -> None:
    bot.add_dynamic_items(DeleteMyDataButton)
    await bot.add_cog(Privacy(bot))

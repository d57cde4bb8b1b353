"""`/privacy show|delete`: exactly what Lantern keeps about a member, and a way to erase it."""

from __future__ import annotations

import logging
import re
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import LanternBot
from bot.healing.privacy import stored_lines
from bot.interactions import SafeDynamicButton, send_private

log = logging.getLogger(__name__)
DELETE_LABEL = "Delete my data"


async def stored_about(bot: LanternBot, user_id: int) -> list[str]:
    """One line per kind of record Lantern holds about this member (nothing else exists)."""
    lines: list[str] = []
    sub = await bot.stores.daily.get(user_id)
    if sub is not None:
        state = f" (paused: {sub.paused_reason})" if sub.paused_reason else ""
        theme = f", theme {sub.theme}" if sub.theme else ""
        snoozed = f" Snoozed until {sub.snoozed_until.isoformat()}." if sub.snoozed_until else ""
        reminder = " Check-in reminder on." if sub.checkin_reminder else ""
        lines.append(
            f"Daily prompts: {sub.local_time:%H:%M} {sub.timezone}{theme}, next {sub.next_due:%Y-%m-%d %H:%M} UTC, "
            f"your DM channel id and {sub.consecutive_failures} failed deliveries in a row{state}.{snoozed}{reminder}"
        )
    region = await bot.stores.member_settings.region(user_id)
    if region is not None:
        lines.append(f"Saved resource region: {region}.")
    counts = await bot.stores.prompt_rotation.counts(user_id)
    if counts:
        shown = ", ".join(f"{'all themes' if scope == '*' else scope}: {n}" for scope, n in counts.items())
        lines.append(f"Prompts seen in your current rotation (ids only, no text): {shown}.")
    if await bot.stores.safety_opt_outs.opted_out(user_id):
        lines.append("You pressed \"Don't reply to me\": Lantern doesn't reply to your messages.")
    cooldowns = await bot.stores.safety_cooldowns.count(user_id)
    if cooldowns:
        lines.append(
            f"{cooldowns} safety cooldown record(s): server, kind of label and when Lantern last replied "
            "(deleted after 30 days)."
        )
    lines.extend(await stored_lines(bot.stores, user_id))
    handled = await bot.stores.safety_alerts.count_by(user_id)
    if handled:
        lines.append(
            f"{handled} crisis alert(s) you took or resolved as a moderator: your id and when, in those servers' "
            "records (deleted after 90 days)."
        )
    changes = await bot.stores.config_audit.count_by(user_id)
    if changes:
        lines.append(f"{changes} settings change(s) you made as a moderator, in those servers' audit trails.")
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

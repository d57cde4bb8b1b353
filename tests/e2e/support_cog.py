"""A test-only extension that exercises the emulator and the central error handler end to end."""

from __future__ import annotations

import asyncio
import contextlib
import io
import struct
import zlib
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import BadInput
from bot.interactions import LanternView, send_private


def tiny_png(width: int = 3, height: int = 2) -> bytes:
    """A valid PNG of the given size (white pixels), built by hand."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


class ProbeView(LanternView):
    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.button(label="Press me", custom_id="probe:press")
    async def press(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        await interaction.response.send_message("pressed", ephemeral=True)

    @discord.ui.button(label="Break", custom_id="probe:break")
    async def broken(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        raise RuntimeError("a bug in a button")


class ProbeModal(discord.ui.Modal, title="Probe form"):
    """Two text inputs the classic way (action rows) and one inside a label, as discord.py 2.6+ builds it."""

    note = discord.ui.TextInput(label="Note", custom_id="probe:note", style=discord.TextStyle.paragraph, max_length=20)
    extra = discord.ui.TextInput(
        label="Extra words", custom_id="probe:extra", required=False, min_length=3, default="pre"
    )
    word = discord.ui.Label(text="One word", component=discord.ui.TextInput(custom_id="probe:word", required=False))

    def __init__(self, *, then: str = "reply") -> None:
        super().__init__(timeout=60)
        self.then = then

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        word = self.word.component
        assert isinstance(word, discord.ui.TextInput)
        summary = f"note={len(self.note.value)} chars, extra={self.extra.value}, word={word.value or '-'}"
        if self.then == "edit":
            await interaction.response.edit_message(content=f"edited: {summary}", view=None)
        elif self.then == "modal":
            try:
                await interaction.response.send_modal(ProbeModal())
            except discord.HTTPException as exc:
                await interaction.response.send_message(f"refused:{exc.status}", ephemeral=True)
        else:
            await interaction.response.send_message(summary, ephemeral=True)


class ProbeFormView(LanternView):
    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.button(label="Open form", custom_id="probe:open-form")
    async def open_form(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        await interaction.response.send_modal(ProbeModal(then="edit"))


class ProbeSelects(LanternView):
    """One menu of each kind Lantern uses: options, a channel, a role, and (for completeness) a member."""

    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.select(
        placeholder="Colours",
        custom_id="probe:colours",
        min_values=0,
        max_values=2,
        options=[discord.SelectOption(label=c.title(), value=c) for c in ("red", "blue", "green")],
    )
    async def colours(self, interaction: discord.Interaction, select: discord.ui.Select[Any]) -> None:
        await interaction.response.send_message(f"colours={','.join(select.values) or 'none'}", ephemeral=True)

    @discord.ui.select(
        cls=discord.ui.ChannelSelect,
        placeholder="Pick a channel",
        custom_id="probe:channel",
        channel_types=[discord.ChannelType.text],
    )
    async def channel(self, interaction: discord.Interaction, select: discord.ui.ChannelSelect[Any]) -> None:
        picked = select.values[0]
        await interaction.response.send_message(f"channel={picked.name} id={picked.id}", ephemeral=True)

    @discord.ui.select(cls=discord.ui.RoleSelect, placeholder="Pick a role", custom_id="probe:role")
    async def role(self, interaction: discord.Interaction, select: discord.ui.RoleSelect[Any]) -> None:
        await interaction.response.edit_message(content=f"role={select.values[0].name}")

    @discord.ui.select(cls=discord.ui.UserSelect, placeholder="Pick a member", custom_id="probe:member")
    async def member(self, interaction: discord.Interaction, select: discord.ui.UserSelect[Any]) -> None:
        await interaction.response.send_message(f"member={select.values[0].name}", ephemeral=True)


class Probe(commands.Cog):
    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot
        self.seen_contents: list[str] = []
        self.joined: list[tuple[int, str | None]] = []  # (guild id, system channel name) per on_guild_join
        bot.add_view(ProbeView())
        bot.add_view(ProbeSelects())
        bot.add_view(ProbeFormView())

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot:
            return
        self.seen_contents.append(message.content)
        if message.content == "probe burst":
            for i in range(5):
                await message.channel.send(f"burst {i}")
        elif message.content == "probe crash":
            raise RuntimeError("a bug in a listener")
        elif message.content == "probe reply":
            await message.reply(f"replying @everyone <@{message.author.id}>")

    @app_commands.command(name="probe-fail", description="Raise an expected or an unexpected error")
    @app_commands.choices(kind=[app_commands.Choice(name=n, value=n) for n in ("input", "bug", "check")])
    async def fail(self, interaction: discord.Interaction, kind: str) -> None:
        if kind == "input":
            raise BadInput("Try a time like 09:30.")
        if kind == "check":
            raise app_commands.CheckFailure()
        raise ZeroDivisionError("a bug")

    @app_commands.command(name="probe-typed", description="Crash with what was typed in the exception")
    async def typed(self, interaction: discord.Interaction, text: str) -> None:
        raise ValueError(f"cannot use {text!r}")

    @app_commands.command(name="probe-dm", description="DM the invoker and say whether it worked")
    async def dm(self, interaction: discord.Interaction) -> None:
        try:
            await interaction.user.send("hello by DM")
        except discord.Forbidden as exc:
            await send_private(interaction, f"closed:{exc.code}")
        else:
            await send_private(interaction, "sent")

    @app_commands.command(name="probe-defer", description="Defer, then follow up and edit")
    async def defer(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        await interaction.followup.send("first", ephemeral=True)
        await interaction.followup.send("second", ephemeral=True)
        await interaction.edit_original_response(content="first, edited")

    @app_commands.command(name="probe-slow", description="Answer too late")
    async def slow(self, interaction: discord.Interaction) -> None:
        await asyncio.sleep(0.5)
        with contextlib.suppress(discord.NotFound):
            await interaction.response.send_message("late")

    @app_commands.command(name="probe-buttons", description="A message with buttons")
    async def buttons(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Here are buttons", view=ProbeView())

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        self.joined.append((guild.id, guild.system_channel.name if guild.system_channel else None))

    @app_commands.command(name="probe-file", description="Answer with a PNG, then post one and edit it away")
    async def file(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(
            "a chart", file=discord.File(io.BytesIO(tiny_png()), "chart.png"), ephemeral=True
        )
        assert interaction.channel is not None and isinstance(interaction.channel, discord.abc.Messageable)
        posted = await interaction.channel.send(file=discord.File(io.BytesIO(tiny_png(5, 4)), "public.png"))
        await posted.edit(content="no file now", attachments=[])
        await posted.delete()  # 204 No Content

    @app_commands.command(name="probe-selects", description="A message with select menus")
    async def selects(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Here are menus", view=ProbeSelects())

    @app_commands.command(name="probe-modal", description="Open a form")
    @app_commands.choices(kind=[app_commands.Choice(name=n, value=n) for n in ("ok", "button", "again", "long-label")])
    async def modal(self, interaction: discord.Interaction, kind: str = "ok") -> None:
        if kind == "button":
            await interaction.response.send_message("Here is a form button", view=ProbeFormView())
            return
        modal = ProbeModal(then="modal" if kind == "again" else "reply")
        if kind == "long-label":
            modal.word.text = "x" * 46
        try:
            await interaction.response.send_modal(modal)
        except discord.HTTPException as exc:
            await interaction.response.send_message(f"refused:{exc.status}:{exc.code}:{exc.text}", ephemeral=True)

    @app_commands.command(name="probe-mod", description="Moderators only")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    async def mod(self, interaction: discord.Interaction) -> None:
        await send_private(interaction, "moderator ok")

    @app_commands.command(name="probe-options", description="Options of several types")
    async def options(
        self,
        interaction: discord.Interaction,
        count: app_commands.Range[int, 1, 10],
        flag: bool = False,
        where: discord.TextChannel | None = None,
        who: discord.Member | None = None,
        word: str | None = None,
    ) -> None:
        parts = [f"count={count}", f"flag={flag}"]
        if where is not None:
            parts.append(f"where={where.name}")
        if who is not None:
            parts.append(f"who={who.name}")
        if word is not None:
            parts.append(f"word={word}")
        await send_private(interaction, " ".join(parts))

    @options.autocomplete("word")
    async def word_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        words = ["fear", "forgiveness", "faith", "boundaries"]
        return [app_commands.Choice(name=w, value=w) for w in words if w.startswith(current.lower())]


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Probe(bot))

"""A Discord emulator on loopback that clients talk to unpatched: discord.py, and hikari in the tests.

Used by the sandbox (`lantern sandbox`) and by the end-to-end tests. See `server.Emulator`.
"""

from emulator.limits import Limits, RateLimit
from emulator.routes import RecordedRequest
from emulator.server import Emulator
from emulator.state import Channel, Guild, Member, Message

__all__ = ["Channel", "Emulator", "Guild", "Limits", "Member", "Message", "RateLimit", "RecordedRequest"]

"""A Discord emulator on loopback that the real, unpatched discord.py client talks to.

Used by the sandbox (`lantern sandbox`) and by the end-to-end tests. See `server.Emulator`.
"""

from emulator.ratelimit import RateLimit
from emulator.routes import RecordedRequest
from emulator.server import Emulator
from emulator.state import Channel, Member, Message

__all__ = ["Channel", "Emulator", "Member", "Message", "RateLimit", "RecordedRequest"]

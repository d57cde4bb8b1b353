"""Which local dates a member's own tools count by: the zone given to /nocontact start, else their
daily-DM zone, else UTC (said so where it is shown)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.storage import Stores
from bot.storage.no_contact import NoContactRun

UTC_ZONE = ZoneInfo("UTC")


@dataclass(frozen=True)
class MemberZone:
    zone: ZoneInfo
    known: bool  # False: no zone was ever given, so dates are UTC dates

    @property
    def name(self) -> str:
        return self.zone.key

    def today(self, now: datetime) -> date:
        return now.astimezone(self.zone).date()

    def start_of(self, day: date) -> datetime:
        """The UTC instant the local date `day` begins."""
        return datetime.combine(day, time(0), tzinfo=self.zone).astimezone(UTC)

    def month_bounds(self, now: datetime) -> tuple[datetime, datetime]:
        """The UTC instants the member's current local month begins and ends."""
        today = self.today(now)
        first = today.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        return self.start_of(first), self.start_of(following)


async def member_zone(stores: Stores, user_id: int, run: NoContactRun | None = None) -> MemberZone:
    """The member's zone for their own counts (`run`: their open no-contact stretch, if already read)."""
    run = run if run is not None else await stores.no_contact.current(user_id)
    if run is not None and run.timezone:
        return MemberZone(ZoneInfo(run.timezone), True)
    sub = await stores.daily.get(user_id)
    if sub is not None:
        return MemberZone(ZoneInfo(sub.timezone), True)
    return MemberZone(UTC_ZONE, False)

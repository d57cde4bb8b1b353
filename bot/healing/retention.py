"""Pauses, check-ins and ended no-contact stretches are kept a year, then purged (once a day)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.storage import Stores

log = logging.getLogger(__name__)
RETENTION = timedelta(days=365)


class HealingPurge:
    """A scheduler job: deletes what is older than a year, then sleeps a day."""

    name = "healing-purge"

    def __init__(self, stores: Stores, clock: Clock) -> None:
        self._stores = stores
        self._next: datetime = clock.now()

    async def next_due(self) -> datetime | None:
        return self._next

    async def run_due(self, now: datetime) -> None:
        cutoff = now - RETENTION
        removed = (
            await self._stores.pauses.purge_before(cutoff)
            + await self._stores.checkins.purge_before(cutoff)
            + await self._stores.no_contact.purge_ended_before(cutoff.date())
        )
        if removed:
            log.info("Purged %d pause, check-in and no-contact records older than a year", removed)
        self._next = now + timedelta(days=1)

"""The one way Lantern forgets: every store of member or server data, in one transaction.

Every repository implements `forget_member` and `forget_guild` (a no-op where it holds no such
data, which says so in its docstring), so a new table cannot be left out of `/privacy delete` or of
leaving a server without a test noticing (tests/unit/test_forget.py checks every table).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bot.storage.database import Database


class Forgettable(Protocol):
    async def forget_member(self, user_id: int) -> None:
        """Delete (or anonymise) everything this store holds about one member."""
        ...

    async def forget_guild(self, guild_id: int) -> None:
        """Delete everything this store holds about one server."""
        ...


class Forgetter:
    def __init__(self, db: Database, stores: Sequence[Forgettable]) -> None:
        self._db = db
        self.stores = tuple(stores)

    async def forget_member(self, user_id: int, *, keep: Sequence[Forgettable] = ()) -> None:
        """Everything about the member, except in the stores listed in `keep` (their own choice)."""
        async with self._db.transaction():
            for store in self.stores:
                if not any(store is kept for kept in keep):
                    await store.forget_member(user_id)

    async def forget_guild(self, guild_id: int) -> None:
        async with self._db.transaction():
            for store in self.stores:
                await store.forget_guild(guild_id)

"""What Lantern keeps per member: the prompt rotation cycle and a saved resource region."""

from __future__ import annotations

import random
from collections.abc import Sequence

from bot.content.rotation import choose_next
from bot.storage.database import Database

ALL_THEMES = "*"


class PromptRotation:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def next_prompt(
        self, user_id: int, scope_key: str, scope: Sequence[str], rng: random.Random, avoid: str | None = None
    ) -> str:
        """Pick and record the member's next prompt of a scope (a theme id, or '*')."""
        async with self._db.transaction():
            await self._db.lock_in_transaction(f"prompt-rotation:{user_id}")  # one pick at a time per member
            chosen, new_cycle = await self.choose(user_id, scope_key, scope, rng, avoid)
            await self._record(user_id, scope_key, chosen, new_cycle=new_cycle)
        return chosen

    async def choose(
        self, user_id: int, scope_key: str, scope: Sequence[str], rng: random.Random, avoid: str | None = None
    ) -> tuple[str, bool]:
        """The next prompt of a scope and whether it starts a new cycle, without recording it (for a
        prompt that is only seen once it is delivered: `record` it after the send succeeds)."""
        rows = await self._db.fetchall(
            "SELECT prompt_id FROM prompt_rotation WHERE user_id = ? AND scope = ? ORDER BY rowid",
            (user_id, scope_key),
        )
        shown = [row["prompt_id"] for row in rows]
        in_scope = set(scope)
        seen = {p for p in shown if p in in_scope}
        return choose_next(scope, seen, shown[-1] if shown else None, rng, avoid)

    async def record(self, user_id: int, scope_key: str, prompt_id: str, *, new_cycle: bool) -> None:
        """The prompt was seen; a new cycle first forgets the previous one."""
        async with self._db.transaction():
            await self._db.lock_in_transaction(f"prompt-rotation:{user_id}")
            await self._record(user_id, scope_key, prompt_id, new_cycle=new_cycle)

    async def _record(self, user_id: int, scope_key: str, prompt_id: str, *, new_cycle: bool) -> None:
        if new_cycle:
            await self._db.execute("DELETE FROM prompt_rotation WHERE user_id = ? AND scope = ?", (user_id, scope_key))
        await self._db.execute(
            "INSERT INTO prompt_rotation (user_id, scope, prompt_id) VALUES (?, ?, ?)", (user_id, scope_key, prompt_id)
        )

    async def counts(self, user_id: int) -> dict[str, int]:
        rows = await self._db.fetchall(
            "SELECT scope, COUNT(*) AS n FROM prompt_rotation WHERE user_id = ? GROUP BY scope ORDER BY scope",
            (user_id,),
        )
        return {row["scope"]: int(row["n"]) for row in rows}

    async def forget_member(self, user_id: int) -> None:
        await self._db.execute("DELETE FROM prompt_rotation WHERE user_id = ?", (user_id,))

    async def forget_guild(self, guild_id: int) -> None:
        """A server's prompt-of-the-day rotation is kept under the server's id."""
        await self._db.execute("DELETE FROM prompt_rotation WHERE user_id = ?", (guild_id,))


class MemberSettings:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def region(self, user_id: int) -> str | None:
        row = await self._db.fetchone("SELECT region FROM member_settings WHERE user_id = ?", (user_id,))
        return row["region"] if row else None

    async def set_region(self, user_id: int, region: str | None) -> None:
        await self._db.execute(
            "INSERT INTO member_settings (user_id, region) VALUES (?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET region = excluded.region",
            (user_id, region),
        )

    async def forget_member(self, user_id: int) -> None:
        await self._db.execute("DELETE FROM member_settings WHERE user_id = ?", (user_id,))

    async def forget_guild(self, guild_id: int) -> None:
        """A member's saved region is theirs, not a server's."""

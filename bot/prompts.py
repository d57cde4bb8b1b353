"""The next reflection prompt for a member or a server: one place for /reflect, daily DMs, the
prompt of the day and the "Another prompt" button.

A theme that was removed from the content since it was saved falls back to every theme. A prompt
counts as seen once it is shown: `/reflect` records it at once, while a DM or a post records it
only after it was delivered (a prompt that never arrived was not seen).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from bot.content import Content
from bot.content.models import Prompt
from bot.storage.members import ALL_THEMES, PromptRotation


@dataclass(frozen=True)
class PromptPick:
    """A prompt chosen for an owner (a member, or a server for its prompt of the day), not yet seen."""

    prompt: Prompt
    owner_id: int
    scope_key: str
    new_cycle: bool


def scope_of(content: Content, theme: str | None) -> str | None:
    """The theme id to draw from, or None for all themes (also for a theme no longer in the content)."""
    return theme if theme is not None and theme in content.themes else None


async def pick_prompt(
    content: Content,
    rotation: PromptRotation,
    rng: random.Random,
    owner_id: int,
    theme: str | None,
    *,
    avoid: str | None = None,
) -> PromptPick:
    """The owner's next unseen prompt, not recorded yet (see `mark_seen`). `avoid`: the prompt
    they are reading now, never offered again as "another" one."""
    scope = scope_of(content, theme)
    scope_key = scope or ALL_THEMES
    prompt_id, new_cycle = await rotation.choose(owner_id, scope_key, content.prompt_ids(scope), rng, avoid)
    return PromptPick(content.prompts[prompt_id], owner_id, scope_key, new_cycle)


async def mark_seen(rotation: PromptRotation, pick: PromptPick) -> None:
    await rotation.record(pick.owner_id, pick.scope_key, pick.prompt.id, new_cycle=pick.new_cycle)


async def next_prompt(
    content: Content,
    rotation: PromptRotation,
    rng: random.Random,
    owner_id: int,
    theme: str | None,
    *,
    avoid: str | None = None,
) -> Prompt:
    """The owner's next unseen prompt, recorded as seen (for a prompt shown right away)."""
    scope = scope_of(content, theme)
    prompt_id = await rotation.next_prompt(owner_id, scope or ALL_THEMES, content.prompt_ids(scope), rng, avoid)
    return content.prompts[prompt_id]

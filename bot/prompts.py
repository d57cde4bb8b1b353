"""The next reflection prompt for a member or a server: one place for /reflect, daily DMs, the
prompt of the day and the "Another prompt" button.

A theme that was removed from the content since it was saved falls back to every theme.
"""

from __future__ import annotations

import random

from bot.content import Content
from bot.content.models import Prompt
from bot.storage.members import ALL_THEMES, PromptRotation


def scope_of(content: Content, theme: str | None) -> str | None:
    """The theme id to draw from, or None for all themes (also for a theme no longer in the content)."""
    return theme if theme is not None and theme in content.themes else None


async def next_prompt(
    content: Content, rotation: PromptRotation, rng: random.Random, owner_id: int, theme: str | None
) -> Prompt:
    """The owner's next unseen prompt (a member, or a server for its prompt of the day), recorded."""
    scope = scope_of(content, theme)
    prompt_id = await rotation.next_prompt(owner_id, scope or ALL_THEMES, content.prompt_ids(scope), rng)
    return content.prompts[prompt_id]

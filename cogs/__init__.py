"""One cog per feature; each is thin glue over `bot/`. Every public module here is an extension."""

from __future__ import annotations

import pkgutil


def extension_names() -> list[str]:
    """Every module in `cogs/` (a leading underscore marks a private helper module)."""
    return sorted(
        f"{__name__}.{module.name}" for module in pkgutil.iter_modules(__path__) if not module.name.startswith("_")
    )

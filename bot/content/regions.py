"""Which region's resources a member sees: their choice, then saved, then the server's, then international."""

from __future__ import annotations

from dataclasses import dataclass

from bot.content.loader import INTERNATIONAL


@dataclass(frozen=True)
class RegionChoice:
    code: str
    reason: str  # "you chose it", "your saved region", "this server's default", "no region set"


def normalise_region(value: str, known: dict[str, str]) -> str | None:
    """A region code from a code or a name, case-insensitive ("uk", "United Kingdom", "GB")."""
    cleaned = value.strip().lower()
    aliases = {"gb": "UK", "usa": "US", "international": INTERNATIONAL, "intl": INTERNATIONAL}
    if cleaned in aliases and aliases[cleaned] in known:
        return aliases[cleaned]
    for code, name in known.items():
        if cleaned in (code.lower(), name.lower()):
            return code
    return None


def resolve_region(
    option: str | None, saved: str | None, server_default: str | None, known: dict[str, str]
) -> RegionChoice:
    """Option, else the member's saved region, else the server default, else international.

    A saved or server region that no longer exists in the content is skipped, not trusted.
    """
    if option is not None:
        return RegionChoice(option, "you chose it")
    if saved is not None and saved in known:
        return RegionChoice(saved, "your saved region")
    if server_default is not None and server_default in known:
        return RegionChoice(server_default, "this server's default")
    return RegionChoice(INTERNATIONAL, "no region set")

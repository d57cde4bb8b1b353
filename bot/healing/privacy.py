"""What `/privacy show` says about the healing tools' records, in plain words."""

from __future__ import annotations

from bot.storage import Stores


async def stored_lines(stores: Stores, user_id: int) -> list[str]:
    """One line per kind of record the healing tools hold about the member (none when there are none)."""
    lines: list[str] = []
    pauses = await stores.pauses.total(user_id)
    if pauses.pauses:
        lines.append(
            f"Pauses: {pauses.pauses} (when each began, and whether the urge passed; {pauses.passed} did). "
            "Never what you felt or wrote. Kept a year."
        )
    pending = await stores.pauses.pending_checkins(user_id)
    if pending:
        lines.append(f"{len(pending)} check-in DM(s) you asked for, next due {pending[0]:%Y-%m-%d %H:%M} UTC.")
    run = await stores.no_contact.current(user_id)
    if run is not None:
        zone = run.timezone or "your daily-prompt zone, else UTC"
        lines.append(
            f"No-contact count: counting since {run.started_on.isoformat()} ({zone}); the last milestone shown "
            f"was {run.milestone} days."
        )
    ended = await stores.no_contact.ended_count(user_id)
    if ended:
        lines.append(f"{ended} earlier no-contact stretch(es): their first and last dates only. Kept a year.")
    checkins = await stores.checkins.count(user_id)
    if checkins:
        lines.append(
            f"Check-ins: {checkins} (when, a mood from 1 to 5, and the feelings you picked from the list). Kept a year."
        )
    return lines

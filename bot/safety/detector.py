"""`assess(text)`: does a message say the writer is ignored, rejected, blocked, pursuing, or in crisis?

Deterministic and linear-time. The most serious label wins: crisis > pursuit > blocked > rejected
> ignored > none. Nothing here stores or logs the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from bot.safety import rules
from bot.safety.normalize import REPLACEMENTS, expand, lower_plain, strip_ignored_parts

Label = Literal["crisis", "pursuit", "blocked", "rejected", "ignored", "none"]
LABELS: tuple[Label, ...] = ("crisis", "pursuit", "blocked", "rejected", "ignored", "none")
MAX_CHARS = 4000  # Discord's longest message; anything past it is not a member's message

_PUNCT = str.maketrans({c: " " for c in '!"#$%&()*+,-./:;<=>?@[\\]^_{|}~\n\t\r…“”'})
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|i'd|i'll|me|my|myself)\b")
_ENDS_WITH_WRITER = re.compile(r"\b(?:i|i'm|i've|we|i\s+just|i\s+finally|i\s+also)\s+(?:\w+\s+)?$")
# Rules where "i …" right before the phrase means the writer did it (a healthy boundary, not a hurt).
_WRITER_CAN_BE_ACTOR = frozenset(
    {"went silent", "stopped replying", "chose someone else", "moved on", "no reply", "ignoring me", "ghosted"}
)
_NEGATABLE = frozenset({"blocked", "rejected"})
_HYPOTHETICAL_LABELS = frozenset({"blocked", "rejected", "ignored"})


@dataclass(frozen=True)
class Assessment:
    label: Label
    reasons: tuple[str, ...] = field(default_factory=tuple)


NONE = Assessment("none", ())


def _compile(patterns: list[tuple[str, str]]) -> tuple[re.Pattern[str], dict[str, str]]:
    names: dict[str, str] = {}
    parts: list[str] = []
    for index, (name, source) in enumerate(patterns):
        group = f"r{index}"
        names[group] = name
        parts.append(f"(?P<{group}>{source})")
    return re.compile("|".join(parts)), names


_COMPILED = [(label, triggers, *_compile(patterns)) for label, triggers, patterns in rules.LABEL_RULES]
_LABEL_TRIGGERS = frozenset().union(*(triggers for _, triggers, _ in rules.LABEL_RULES))
# Shorthand and typos that expand to a trigger word must pass the cheap check too.
ALL_TRIGGERS = _LABEL_TRIGGERS | frozenset(
    short for short, full in REPLACEMENTS.items() if not _LABEL_TRIGGERS.isdisjoint(full.split())
)


def _clause_before(text: str, start: int) -> str:
    """The words of the clause that lead up to a match (at most 120 characters back)."""
    window_start = max(0, start - 120)
    window = text[window_start:start]
    last = None
    for last in rules.CLAUSE_BREAK.finditer(window):
        pass
    return window[last.end() :] if last else window


def _skip_reason(label: str, rule: str, text: str, match: re.Match[str]) -> str | None:
    """Why this match does not count, or None when it does."""
    before = _clause_before(text, match.start())
    if label == "crisis":
        around = text[max(0, match.start() - 40) : match.end() + 5]
        if rules.CRISIS_NEGATED.search(around) or rules.CRISIS_NEGATION_BEFORE.search(before):
            return "negated"
        clause = before + match.group(0) + text[match.end() : match.end() + 60]
        anchored = _FIRST_PERSON.search(before + match.group(0))
        if rules.CRISIS_GENERAL.search(clause) and not anchored:
            return "general talk"
        if rules.CRISIS_PAST.search(before) and not rules.ONGOING.search(clause):
            return "in the past"
        return None
    if rules.RESOLVED.search(text) and not rules.ONGOING.search(text):
        return "resolved"
    # The subject is in the last few words before the phrase ("my cat has been ignoring me").
    near = " ".join(before.split()[-5:])
    if rules.NON_TARGET_SUBJECT.search(near) or rules.NON_TARGET_BARE.search(near):
        if not re.search(r"\b(?:he|she|they)\s+(?:\w+\s+)?$", near + " "):
            return "about someone else"
    if rules.GENERAL_SUBJECT.search(near) and not _FIRST_PERSON.search(before + match.group(0)):
        return "general talk"
    after = text[match.end() : match.end() + 40]
    if rules.NON_TARGET_OBJECT.search(after) or (label == "blocked" and rules.NON_TARGET_AFTER.search(after)):
        return "about someone else"
    if label in _NEGATABLE and rules.NEGATION_BEFORE.search(before):
        return "negated"
    if label in _HYPOTHETICAL_LABELS and rules.HYPOTHETICAL_BEFORE.search(before):
        return "hypothetical"
    if (
        rule in _WRITER_CAN_BE_ACTOR
        and _ENDS_WITH_WRITER.search(before)
        and not match.group(0).startswith(("i ", "i'"))
    ):
        if not re.search(r"\b(?:me|my)\b", match.group(0)):
            return "the writer did it"
    return None


def prepare(text: str) -> str:
    """The text the rules read: own words only, lowercase, chat spelling expanded."""
    return expand(lower_plain(strip_ignored_parts(text[:MAX_CHARS])))


def assess(text: str) -> Assessment:
    """Label one message. Pure: the same text always gets the same answer."""
    if not text:
        return NONE
    plain = lower_plain(strip_ignored_parts(text[:MAX_CHARS]))
    tokens = set(plain.translate(_PUNCT).split())
    if ALL_TRIGGERS.isdisjoint(tokens):
        return NONE
    prepared = expand(plain)
    tokens |= set(prepared.translate(_PUNCT).split())
    for label, triggers, pattern, names in _COMPILED:
        if triggers.isdisjoint(tokens):
            continue
        reasons: list[str] = []
        for match in pattern.finditer(prepared):
            rule = names[match.lastgroup or ""]
            if _skip_reason(label, rule, prepared, match) is None and rule not in reasons:
                reasons.append(rule)
        if reasons:
            return Assessment(label, tuple(reasons))  # type: ignore[arg-type]
    return NONE

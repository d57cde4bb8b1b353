"""`assess(text)`: does a message say the writer is ignored, rejected, blocked, pursuing, or in crisis?

One reading, one decision:
- the message is prepared once (bot/safety/features.py: quotes, code and links dropped, chat
  spelling made plain) and the rules run over it (bot/safety/matching.py);
- a learned model (bot/safety/model.py) scores every label from word and character n-grams,
  word classes, negation scope and what the rules found;
- crisis wins when its probability reaches its threshold (chosen on validation for recall);
  otherwise the likeliest relationship label counts only when it reaches its own threshold
  (chosen for precision), unless a guard overrules it: the writer is the one who blocks or
  ignores, the only act done to the writer is negated, or the rules found the act only done by
  someone other than a love interest ("my cat has been ignoring me").

Deterministic and linear-time; nothing here stores or logs the text.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from bot.safety.matching import Findings, guard_of
from bot.safety.model import model, sigmoid

Label = Literal["crisis", "pursuit", "blocked", "rejected", "ignored", "none"]
LABELS: tuple[Label, ...] = ("crisis", "pursuit", "blocked", "rejected", "ignored", "none")
RELATIONSHIP_LABELS: tuple[Label, ...] = ("pursuit", "blocked", "rejected", "ignored")

__all__ = [
    "CRISIS_SURE",
    "LABELS",
    "NONE",
    "RELATIONSHIP_LABELS",
    "Assessment",
    "Label",
    "assess",
    "combine",
    "guard_of",
    "unsure_crisis",
]


@dataclass(frozen=True)
class Assessment:
    label: Label
    reasons: tuple[str, ...] = field(default_factory=tuple)
    confidence: float = 1.0  # the model's probability for this label (for none: 1 - the highest other)


NONE = Assessment("none", (), 1.0)

# A crisis label below this probability is answered privately first (bot/safety/policy.py): on
# validation (1,503 messages), 146 of the 216 true crises labelled crisis reach it and 6 of the 112
# false ones do, so most false alarms on jokes and other senses never become a public reply, while
# every crisis label still gets crisis lines and the alert. Chosen on validation, never on test.
CRISIS_SURE = 0.7


def unsure_crisis(assessment: Assessment) -> bool:
    """A crisis label the model is not sure of: crisis lines by DM first, not in the channel."""
    return assessment.label == "crisis" and assessment.confidence < CRISIS_SURE


_RELATIONSHIP_POSITIONS = tuple(LABELS.index(label) for label in RELATIONSHIP_LABELS)


def combine(logits: Sequence[float], findings: Findings, cuts: Sequence[float]) -> tuple[Label, str | None]:
    """The label, and the guard that overruled the model's relationship label (or None).

    `cuts` are the thresholds as logits."""
    if logits[0] >= cuts[0]:
        return "crisis", None
    best = max(_RELATIONSHIP_POSITIONS, key=logits.__getitem__)
    if logits[best] < cuts[best]:
        return "none", None
    label = LABELS[best]
    guard = findings.guard_for(label)
    if guard is not None:
        return "none", guard
    return label, None


@functools.lru_cache(maxsize=8192)
def _none(confidence: float, guard: str | None) -> Assessment:
    """Most messages are none: an Assessment is immutable, so one per (confidence, guard) serves them all
    (a rounded confidence has 1,001 values, and there are three guards)."""
    return Assessment("none", (f"guard: {guard}",) if guard else (), confidence)


def assess(text: str) -> Assessment:
    """Label one message. Pure: the same text always gets the same answer."""
    if not text:
        return NONE
    learned = model()
    message, logits = learned.score_text(text)
    label, guard = combine(logits, message.findings, learned.cuts)
    if label == "none":
        return _none(round(1.0 - sigmoid(max(logits[:-1])), 3), guard)
    rule = message.findings.rule_for(label)
    reasons = ((f"rule: {rule}",) if rule else ()) + learned.strongest(message, label, 2 if rule else 3)
    return Assessment(label, reasons, round(sigmoid(logits[LABELS.index(label)]), 3))

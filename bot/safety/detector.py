"""`assess(text)`: does a message say the writer is ignored, rejected, blocked, pursuing, or in crisis?

Two parts, one decision:
- a learned model (bot/safety/model.py) scores every label from word and character n-grams;
- the rules (bot/safety/rules.py) stay where they are precise: a crisis rule is a recall safety
  net (a confirmed match is crisis even when the model is unsure), and guards overrule a
  relationship label when the writer is the one who blocks or ignores, or when the only act done
  to the writer is negated. Quotes, code and links are dropped before either part reads the text.

Crisis wins when its probability reaches its threshold (chosen on validation for recall) or a
crisis rule confirms it; otherwise the likeliest relationship label counts only when it reaches
its own threshold (chosen for precision). Deterministic and linear-time; nothing here stores or
logs the text.

Speed of the rules: every rule names anchor words, one of which any match must contain. An index
from anchor word to rules means a message only runs the rules its own words make possible; most
ordinary messages contain no anchor at all and return after one set lookup per word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Literal

from bot.safety import rules
from bot.safety.features import MAX_CHARS, prepare
from bot.safety.model import Scores, model
from bot.safety.normalize import REPLACEMENTS, collapse_runs, expand_words, lower_plain, strip_ignored_parts

Label = Literal["crisis", "pursuit", "blocked", "rejected", "ignored", "none"]
LABELS: tuple[Label, ...] = ("crisis", "pursuit", "blocked", "rejected", "ignored", "none")

_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|i'd|i'll|me|my|myself)\b")
_ENDS_WITH_WRITER = re.compile(r"\b(?:i|i'm|i've|we|i\s+just|i\s+finally|i\s+also)\s+(?:\w+\s+)?$")
_ME_OR_MY = re.compile(r"\b(?:me|my)\b")
_PRONOUN_SUBJECT_AT_END = re.compile(r"\b(?:he|she|they)\s+(?:\w+\s+)?$")
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
    confidence: float = 1.0  # the model's probability for this label (0..1)


NONE = Assessment("none", (), 1.0)


@dataclass(frozen=True)
class _Rule:
    label: Label
    name: str
    pattern: re.Pattern[str]


_PUNCT_BEFORE = ("", '"', "(", "*", "'")
_PUNCT_AFTER = ("", ",", ".", "!", "?", "...", "!!", "??", "?!", "!?", ":", ";", ")", '"', "*", "'", "..", "!!!", "???")


# Everyday words. Each rule's anchor group with the fewest of these is its "selective" group; a
# message must contain a word of some rule's selective group before masks are even computed.
def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


COMMON_WORDS = _word_set(
    """
    a about after again all also always am an and any anyone anything are around as at back be been before being
    best better but by call called calls can can't come could day days did didn't do does doesn't don't done down
    even every everyone feel few find first for friend friends from get go going gone good got had has have he her
    here him his home how i i'm i've if in into is it it's just keep know last left life like little long look love
    made make man many me message more morning most much my need never new night no not nothing now of off on one
    only or other our out over people phone place really right said same say see seen she should since so some
    something still such take talk team tell text than thank thanks that the their them then there they thing
    things think this thought time times to today told too try two up us used very want wants was way we week well
    went were what when where which while who why will with work would year yes yet you your
    """
)


def _commonness(group: list[str]) -> tuple[int, int]:
    return len(COMMON_WORDS.intersection(group)), len(group)


def _build() -> tuple[list[_Rule], dict[str, int], int, int, int, frozenset[str]]:
    """Rules in precedence order, plus the bit masks that find which rules a message can match.

    Rule r owns a run of bits, one per anchor group, followed by one spare bit. A message's mask is
    the OR of its words' masks. Adding 1 at the start of every run carries into the spare bit
    exactly when every group of that rule is present, so one big-integer addition finds them all.
    """
    ordered: list[_Rule] = []
    word_mask: dict[str, int] = {}
    selective: set[str] = set()
    run_starts = full = spare = 0
    position = 0
    for label, patterns in rules.LABEL_RULES:
        for name, anchors, source in patterns:
            groups: list[list[str]] = [group.split() for group in anchors.split(" + ")]
            most_selective: list[str] = min(groups, key=_commonness)
            selective.update(most_selective)
            ordered.append(_Rule(label, name, re.compile(source)))  # type: ignore[arg-type]
            run_starts |= 1 << position
            for offset, group in enumerate(groups):
                bit = 1 << (position + offset)
                full |= bit
                for word in group:
                    word_mask[word] = word_mask.get(word, 0) | bit
            spare |= 1 << (position + len(groups))
            position += len(groups) + 1
    # Chat spelling counts as the words it stands for ("kms", "dont", "blokced").
    for short, long_form in REPLACEMENTS.items():
        mask = 0
        for word in long_form.split():
            mask |= word_mask.get(word, 0)
        if mask:
            word_mask[short] = word_mask.get(short, 0) | mask
        if selective.intersection(long_form.split()):
            selective.add(short)
    selective.update({"dm", "dms"})
    word_mask["dm"] = word_mask.get("dm", 0) | word_mask.get("message", 0) | word_mask.get("masculine", 0)
    # Words as `str.split()` leaves them in chat: with punctuation stuck on ("me," "blocked!!").
    for word, mask in list(word_mask.items()):
        for before in _PUNCT_BEFORE:
            for after in _PUNCT_AFTER:
                if before or after:
                    variant = f"{before}{word}{after}"
                    word_mask[variant] = word_mask.get(variant, 0) | mask
                    if word in selective:
                        selective.add(variant)
    return ordered, word_mask, run_starts, full, spare, frozenset(selective)


_RULES, _WORD_MASK, _RUN_STARTS, _FULL, _SPARE, _SELECTIVE = _build()
_KNOWN_WORDS = frozenset(_WORD_MASK)
_RULE_AT_SPARE_BIT: dict[int, int] = {}
for _rule_id, _bit in enumerate(b for b in range(_SPARE.bit_length()) if _SPARE >> b & 1):
    _RULE_AT_SPARE_BIT[_bit] = _rule_id
_GLUE = re.compile(r"[-/_~|+=<>]+")


def _words_of(lowered: str) -> list[str]:
    """Words as split on spaces; hyphens and slashes also separate ("self-harm", "ig/snap")."""
    if "-" in lowered or "/" in lowered or "_" in lowered or "~" in lowered:
        lowered = _GLUE.sub(" ", lowered)
    return lowered.split()


def _possible_rules(words: list[str]) -> int:
    """Spare bits of the rules whose every anchor group occurs among `words` (0 for most chat)."""
    if _SELECTIVE.isdisjoint(words):
        return 0  # no rule's most selective group is present, so no rule can be complete
    known = _KNOWN_WORDS.intersection(words)
    if not known:
        return 0
    mask = reduce(or_, map(_WORD_MASK.__getitem__, known))
    return ((mask & _FULL) + _RUN_STARTS) & _SPARE


def _clause_before(text: str, start: int) -> str:
    """The words of the clause that lead up to a match (at most 120 characters back)."""
    window = text[max(0, start - 120) : start]
    cut = 0
    for found in rules.CLAUSE_BREAK.finditer(window):
        cut = found.end()
    return window[cut:]


class _Message:
    """The prepared text, with whole-message facts computed at most once."""

    __slots__ = ("_resolved", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._resolved: bool | None = None

    @property
    def resolved(self) -> bool:
        if self._resolved is None:
            self._resolved = bool(rules.RESOLVED.search(self.text)) and not rules.ONGOING.search(self.text)
        return self._resolved


def _skip_reason(label: str, rule: str, message: _Message, match: re.Match[str]) -> str | None:
    """Why this match does not count, or None when it does."""
    text = message.text
    before = _clause_before(text, match.start())
    matched = match.group(0)
    if label == "crisis":
        around = text[max(0, match.start() - 40) : match.end() + 5]
        if rules.CRISIS_NEGATED.search(around) or rules.CRISIS_NEGATION_BEFORE.search(before):
            return "negated"
        clause = before + matched + text[match.end() : match.end() + 60]
        if rules.CRISIS_GENERAL.search(clause) and not _FIRST_PERSON.search(before + matched):
            return "general talk"
        if rules.CRISIS_PAST.search(before) and not rules.ONGOING.search(clause):
            return "in the past"
        return None
    if message.resolved:
        return "resolved"
    # The subject is in the last few words before the phrase ("my cat has been ignoring me").
    near = " ".join(before.split()[-5:])
    if (rules.NON_TARGET_SUBJECT.search(near) or rules.NON_TARGET_BARE.search(near)) and not (
        _PRONOUN_SUBJECT_AT_END.search(near + " ")
    ):
        return "about someone else"
    if rules.GENERAL_SUBJECT.search(near) and not _FIRST_PERSON.search(before + matched):
        return "general talk"
    if label != "pursuit" and rules.NON_TARGET_OBJECT.search(text[match.end() : match.end() + 40]):
        return "about someone else"
    if label in _NEGATABLE and rules.NEGATION_BEFORE.search(before):
        return "negated"
    if label in _HYPOTHETICAL_LABELS and rules.HYPOTHETICAL_BEFORE.search(before):
        return "hypothetical"
    if (
        rule in _WRITER_CAN_BE_ACTOR
        and _ENDS_WITH_WRITER.search(before)
        and not matched.startswith(("i ", "i'"))
        and not _ME_OR_MY.search(matched)
    ):
        return "the writer did it"
    return None


def rule_assessment(text: str) -> Assessment:
    """The rules alone: the first confirmed match, most serious label first."""
    if not text:
        return NONE
    plain = lower_plain(strip_ignored_parts(text[:MAX_CHARS]))
    words = _words_of(plain)
    possible = _possible_rules(words)
    if not possible:
        return NONE
    prepared = expand_words(collapse_runs(plain), set(words))
    if prepared is not plain:
        possible = _possible_rules(_words_of(prepared))
    message = _Message(prepared)
    while possible:
        lowest = possible & -possible
        possible ^= lowest
        rule = _RULES[_RULE_AT_SPARE_BIT[lowest.bit_length() - 1]]
        match = rule.pattern.search(prepared)
        while match is not None:
            if _skip_reason(rule.label, rule.name, message, match) is None:
                # Rules run most serious label first, so the first confirmed match decides.
                return Assessment(rule.label, (f"rule: {rule.name}",))
            match = rule.pattern.search(prepared, match.end())
    return NONE


RELATIONSHIP_LABELS: tuple[Label, ...] = ("pursuit", "blocked", "rejected", "ignored")


def guard_of(prepared: str) -> str | None:
    """A precise reason to overrule a relationship label, or None."""
    done_to_writer = len(rules.DONE_TO_WRITER.findall(prepared))
    if not done_to_writer and rules.WRITER_ACTS.search(prepared):
        return "the writer did it"
    negated = len(rules.NEGATED_DONE_TO_WRITER.findall(prepared))
    if negated and negated >= done_to_writer:
        return "negated"
    return None


def crisis_rule(text: str, prepared: str) -> str | None:
    """The confirmed crisis rule that serves as a safety net, or None (none, or said as a joke)."""
    rule = rule_assessment(text)
    if rule.label != "crisis" or rules.MUNDANE_OR_JOKING.search(prepared):
        return None
    return rule.reasons[0]


def combine(
    scores: Scores, crisis_net: str | None, guard: str | None, thresholds: dict[str, float]
) -> tuple[Label, str]:
    """The label, and what decided it: "model", "rule" or "guard" (none for want of evidence: "model")."""
    if scores.of("crisis") >= thresholds["crisis"]:
        return "crisis", "model"
    if crisis_net is not None and scores.of("crisis") >= thresholds["crisis_rule_floor"]:
        return "crisis", "rule"
    best = max(RELATIONSHIP_LABELS, key=scores.of)
    if scores.of(best) < thresholds[best]:
        return "none", "model"
    if guard == "negated" and best == "pursuit":
        return best, "model"
    if guard is not None:
        return "none", "guard"
    return best, "model"


def assess(text: str) -> Assessment:
    """Label one message. Pure: the same text always gets the same answer."""
    if not text:
        return NONE
    prepared = prepare(text)
    learned = model()
    scores = learned.scores(prepared)
    net = crisis_rule(text, prepared)
    best = max(RELATIONSHIP_LABELS, key=scores.of)
    guard = guard_of(prepared) if scores.of(best) >= learned.thresholds[best] else None  # only when it matters
    label, by = combine(scores, net, guard, learned.thresholds)
    confidence = round(scores.of(label) if label != "none" else 1.0 - max(scores.probability[:-1]), 3)
    if by == "rule" and net is not None:
        return Assessment(label, (net,), confidence)
    if by == "guard":
        return Assessment(label, (f"guard: {guard}",), confidence)
    if label == "none":
        return Assessment(label, (), confidence)
    return Assessment(label, learned.strongest(prepared, label), confidence)

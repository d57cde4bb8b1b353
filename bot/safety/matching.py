"""The rules (bot/safety/rules.py) run over a prepared message: what they find, as model features.

Every match of every rule a message's words make possible is either confirmed, or skipped for a
named reason (negated, in the past, about someone else, general talk, hypothetical, resolved, the
writer did it). The findings become features of the learned model (`x:crisis`,
`x:blocked~negated`, `x:joking`, `x:guard:the writer did it`), so the model weighs them against
everything else it reads instead of being overruled by them; the guards still overrule a
relationship label, where they were checked precise on validation.

Speed: every rule names anchor words, one of which any match must contain. An index from anchor
word to rules means a message only runs the rules its own tokens make possible; most ordinary
messages contain no anchor at all and return after one set lookup per token. The guards and the
joke check run only when one of their anchor pieces is in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import reduce
from operator import or_

from bot.safety import rules

_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|i'd|i'll|me|my|myself)\b")
_ENDS_WITH_WRITER = re.compile(r"\b(?:i|i'm|i've|we|i\s+just|i\s+finally|i\s+also)\s+(?:\w+\s+)?$")
_ME_OR_MY = re.compile(r"\b(?:me|my)\b")
_PRONOUN_SUBJECT_AT_END = re.compile(r"\b(?:he|she|they)\s+(?:\w+\s+)?$")
# Someone else is the subject of a crisis phrase ("my little brother said he doesn't want to be alive",
# "my best friend is suicidal"): support for someone else, not the writer's own crisis (labelling guide).
_OTHER_PERSON = re.compile(rf"\b(?:(?:my|our|his|her|their)\s+(?:\w+\s+)?{rules.NON_TARGET_NOUNS}|he|she|they)\b")
# Rules where "i …" right before the phrase means the writer did it (a healthy boundary, not a hurt).
_WRITER_CAN_BE_ACTOR = frozenset(
    {"went silent", "stopped replying", "chose someone else", "moved on", "no reply", "ignoring me", "ghosted"}
)
_NEGATABLE = frozenset({"blocked", "rejected"})
_HYPOTHETICAL_LABELS = frozenset({"blocked", "rejected", "ignored"})


@dataclass(frozen=True)
class _Rule:
    label: str
    name: str
    pattern: re.Pattern[str]


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
            ordered.append(_Rule(label, name, re.compile(source)))
            run_starts |= 1 << position
            for offset, group in enumerate(groups):
                bit = 1 << (position + offset)
                full |= bit
                for word in group:
                    word_mask[word] = word_mask.get(word, 0) | bit
            spare |= 1 << (position + len(groups))
            position += len(groups) + 1
    return ordered, word_mask, run_starts, full, spare, frozenset(selective)


_RULES, _WORD_MASK, _RUN_STARTS, _FULL, _SPARE, _SELECTIVE = _build()
_KNOWN_WORDS = frozenset(_WORD_MASK)
_RULE_AT_SPARE_BIT: dict[int, int] = {}
for _rule_id, _bit in enumerate(b for b in range(_SPARE.bit_length()) if _SPARE >> b & 1):
    _RULE_AT_SPARE_BIT[_bit] = _rule_id


def possible_rules(tokens: list[str]) -> int:
    """Spare bits of the rules whose every anchor group occurs among the message's tokens (0 for most chat).

    The rules read the prepared text, where chat spelling is already plain ("kms" is "kill myself"),
    so the anchors are plain words and a token is a plain word or nothing to the index.
    """
    if _SELECTIVE.isdisjoint(tokens):
        return 0  # no rule's most selective group is present, so no rule can be complete
    known = _KNOWN_WORDS.intersection(tokens)
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


def skip_reason(label: str, rule: str, message: _Message, match: re.Match[str]) -> str | None:
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
        near = " ".join(before.split()[-6:])
        subjects = [found.end() for found in _OTHER_PERSON.finditer(near)]
        if subjects and not _FIRST_PERSON.search(near[subjects[-1] :] + " " + matched):
            return "about someone else"
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


def has_guard_piece(word: str) -> bool:
    """Whether one word holds a piece every guard pattern needs ("by" standing for "by me")."""
    return any(map(word.__contains__, _GUARD_WORD_PIECES))


_GUARD_WORD_PIECES = tuple(piece.split()[0] for piece in rules.GUARD_PIECES)


def guard_of(prepared: str) -> str | None:
    """A precise reason to overrule a relationship label, or None."""
    if not any(map(prepared.__contains__, rules.GUARD_PIECES)):
        return None
    done_to_writer = len(rules.DONE_TO_WRITER.findall(prepared))
    if not done_to_writer and rules.WRITER_ACTS.search(prepared):
        return "the writer did it"
    negated = len(rules.NEGATED_DONE_TO_WRITER.findall(prepared))
    if negated and negated >= done_to_writer:
        return "negated"
    return None


def is_joke_word(token: str) -> bool:
    return token in rules.JOKE_WORDS or token.startswith("haha")


def joking(prepared: str, tokens: list[str]) -> bool:
    """Said with a laugh or about a mundane thing (labelling guide C8): "lol", "this boss fight", 💀.

    Token by token (a token is a run of letters, digits and apostrophes), without scanning the text
    with a regular expression.
    """
    if not rules.JOKE_WORDS.isdisjoint(tokens):
        return True
    if "haha" in prepared and any(token.startswith("haha") for token in tokens):
        return True
    return laughing_emoji(prepared)


def laughing_emoji(text: str) -> bool:
    return "💀" in text or "😂" in text or "🤣" in text


def is_anchor(token: str) -> bool:
    """Whether a token can make some rule possible (see possible_rules)."""
    return token in _SELECTIVE


@dataclass(frozen=True)
class Findings:
    """What the rules found in one message (never stored)."""

    confirmed: tuple[tuple[str, str], ...] = ()  # (label, rule name): the first confirmed rule of each label
    skipped: tuple[str, ...] = ()  # "label~reason" for matches that did not count
    joking: bool = False
    guard: str | None = None

    def rule_for(self, label: str) -> str | None:
        for found, name in self.confirmed:
            if found == label:
                return name
        return None

    def guard_for(self, label: str) -> str | None:
        """A precise reason to overrule the model's relationship label, or None: the writer did it,
        the act is negated (not for pursuit: "he didn't reply but i keep texting" is pursuit), or
        every match of that label's rules is about someone other than a love interest ("my cat has
        been ignoring me", "my boss rejected my leave") while none of them is about the person."""
        if self.guard is not None and not (self.guard == "negated" and label == "pursuit"):
            return self.guard
        if f"{label}~about someone else" in self.skipped and self.rule_for(label) is None:
            return "about someone else"
        return None

    def features(self) -> list[str]:
        found = [f"x:{label}" for label, _ in self.confirmed] + [f"x:{skipped}" for skipped in self.skipped]
        if self.joking:
            found.append("x:joking")
        if self.guard is not None:
            found.append(f"x:guard:{self.guard}")
        return found


NOTHING = Findings()


def find(prepared: str, tokens: list[str]) -> Findings:
    """Every rule the message's tokens make possible, run over the prepared text."""
    return find_known(prepared, tokens, joking(prepared, tokens), not _SELECTIVE.isdisjoint(tokens), True)


def find_known(prepared: str, tokens: list[str], joke_word: bool, anchored: bool, guard_word: bool) -> Findings:
    """find(), for a caller that has already looked at every word: whether a token is a joke word
    (is_joke_word) or a word has a laughing emoji (laughing_emoji), whether a token is a rule anchor
    (is_anchor), whether a word has a guard piece (has_guard_piece)."""
    jokes = joke_word or laughing_emoji(prepared)
    guard = guard_of(prepared) if guard_word else None
    possible = possible_rules(tokens) if anchored else 0
    if not possible:
        return Findings(joking=True, guard=guard) if jokes else (Findings(guard=guard) if guard else NOTHING)
    message = _Message(prepared)
    confirmed: dict[str, str] = {}
    skipped: set[str] = set()
    while possible:
        lowest = possible & -possible
        possible ^= lowest
        rule = _RULES[_RULE_AT_SPARE_BIT[lowest.bit_length() - 1]]
        match = rule.pattern.search(prepared)
        while match is not None:
            why = skip_reason(rule.label, rule.name, message, match)
            if why is None:
                confirmed.setdefault(rule.label, rule.name)
            else:
                skipped.add(f"{rule.label}~{why}")
            match = rule.pattern.search(prepared, match.end())
    return Findings(tuple(confirmed.items()), tuple(sorted(skipped)), jokes, guard)

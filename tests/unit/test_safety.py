"""The safety detector: labels by category, hard negatives, the rules kept beside the model, linear time.

The detector is held to the issue's targets on the test split in tests/unit/test_safety_model.py.
"""

from __future__ import annotations

import re
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.safety import LABELS, assess
from bot.safety import rules as safety_rules
from bot.safety.detector import guard_of
from bot.safety.features import prepare, read

try:  # Python 3.11+: the parser lives in re._parser
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

CASES = {
    "crisis": [
        "i don't want to be here anymore",
        "thinking about ending it all tonight",
        "kms honestly",
        "i've been self-harming again since he left",
        "everyone would be better off without me",
        "i googled how many pills it would take",
    ],
    "pursuit": [
        "he blocked me so i made a new account to message him",
        "she said no but i keep texting her every day",
        "i drove to his work to make him talk to me",
        "i asked his best friend to give him my letter",
        "i called him 40 times last night even though he told me to stop",
    ],
    "blocked": [
        "he blocked me on everything",
        "my TF blocked me on ig again",
        "just found out i'm blocked on whatsapp",
        "she unfriended me and removed me as a follower",
    ],
    "rejected": [
        "he said he doesn't feel the same way",
        "she broke up with me last night",
        "he told me to leave him alone",
        "my twin flame is engaged to someone else",
    ],
    "ignored": [
        "he hasn't replied in 4 days",
        "my DM ghosted me after our date",
        "no word from him since christmas",
    ],
    "none": [
        # the same words in other senses
        "i blocked out an hour to journal",
        "ignore my typos, on mobile",
        "this is killing me lol, what a week",
        "i'm dying laughing",
        "our goalie blocked every shot",
        # the writer is the one setting the boundary
        "i blocked him and i feel so free",
        "i went no contact and it's the best decision i made",
        # negation and resolved past
        "he didn't block me, he just deleted the app",
        "he ghosted me years ago, i'm happily married now",
        "i'm not suicidal, just sad today",
        # general talk, advice and quotes
        "if someone blocks you, respect their boundary",
        "the runner runs from fear, according to the article",
        "> he blocked me on everything\nthat line from the article hit hard",
        "```\nshe left me on read\n```",
        # someone other than a love interest
        "my mom left me on read lol",
        "my cat has been ignoring me all day",
        "my boss hasn't replied to my email",
    ],
}


@pytest.mark.parametrize(("label", "text"), [(label, text) for label, texts in CASES.items() for text in texts])
def test_labels_by_category(label: str, text: str) -> None:
    assert assess(text).label == label


def test_chat_spelling_and_typos() -> None:
    assert assess("HE BLOKCED ME ON SNAP").label == "blocked"
    assert prepare("she hasnt answerd me in dayyyss") == "she hasn't answered me in dayyss"  # the model reads this
    assert assess("my tf blockeddd me").label in {"blocked", "none"}  # elongation beyond two letters is tolerated
    assert assess("i wanna unalive myself").label == "crisis"


# Written for this file (not from any labelled set): what the issue names, and the rules kept.
BEHAVIOUR = {
    "none": [
        "this boss fight makes me want to die lol",
        "i blocked him and honestly i feel lighter",
        "i'm ignoring his texts on purpose, he had his chance",
        "> he blocked me on everything\nthis quote from the article stings",
        "`he ghosted me` is the example sentence in the docs",
    ],
    "pursuit": ["he said no but twin flames always come back right? I'll keep trying"],
    "crisis": ["i want to die", "i have the pills ready and i'm doing it tonight"],
}


@pytest.mark.parametrize(("label", "text"), [(label, text) for label, texts in BEHAVIOUR.items() for text in texts])
def test_behaviour_the_issue_names(label: str, text: str) -> None:
    assert assess(text).label == label


def test_writer_as_actor_guard() -> None:
    assert guard_of(prepare("i blocked him everywhere")) == "the writer did it"
    assert guard_of(prepare("i finally ghosted her")) == "the writer did it"
    assert guard_of(prepare("he blocked me so i blocked him")) is None, "something was done to the writer too"


def test_negation_guard() -> None:
    assert guard_of(prepare("he didn't block me, he deleted the app")) == "negated"
    assert guard_of(prepare("she never ignored me")) == "negated"
    assert guard_of(prepare("he blocked me last night")) is None


def test_quotes_code_and_links_are_not_read() -> None:
    assert prepare("> he blocked me\nok").split() == ["ok"]
    assert prepare("```\ni want to die\n```fine").split() == ["fine"]
    assert "http" not in prepare("look https://example.com/blocked-me")


def test_crisis_rule_findings_mark_jokes_about_mundane_things() -> None:
    plain = read("i want to die").findings
    assert plain.rule_for("crisis") == "wants to die" and not plain.joking
    joke = read("this raid boss makes me want to die lol").findings
    assert joke.joking and "x:joking" in joke.features()
    assert assess("this raid boss makes me want to die lol").label == "none"


def test_character_pieces_alone_never_make_a_crisis() -> None:
    """A message with no word the model knows scores crisis no higher than an empty one."""
    assert assess("probe burst").label == "none"
    assert assess("zorblax quimmet").label == "none"
    assert assess("kms").label == "crisis", "chat spelling is made plain first: a known phrase"


def test_assessment_has_a_confidence_and_reasons() -> None:
    flagged = assess("he blocked me so i made a new account to message him")
    assert flagged.label == "pursuit" and flagged.reasons
    assert 0.5 <= flagged.confidence <= 1.0
    guarded = assess("i blocked him and honestly i feel lighter")
    assert 0.0 <= guarded.confidence <= 1.0


# ----- linear time ------------------------------------------------------------------------------


def _unbounded_repeats_nest(parsed: object, inside_unbounded: bool = False) -> bool:
    """True if an unbounded repetition contains another one (the shape that backtracks badly)."""
    for op, arg in parsed:  # type: ignore[attr-defined]
        if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
            _low, high, sub = arg
            unbounded = high == sre_constants.MAXREPEAT
            if unbounded and inside_unbounded:
                return True
            if _unbounded_repeats_nest(sub, inside_unbounded or unbounded):
                return True
        elif op == sre_constants.SUBPATTERN:
            if _unbounded_repeats_nest(arg[-1], inside_unbounded):
                return True
        elif op == sre_constants.BRANCH:
            if any(_unbounded_repeats_nest(branch, inside_unbounded) for branch in arg[1]):
                return True
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT) and _unbounded_repeats_nest(
            arg[1], inside_unbounded
        ):
            return True
    return False


def _all_patterns() -> list[str]:
    sources = [source for _, patterns in safety_rules.LABEL_RULES for _, _, source in patterns]
    sources += [value.pattern for value in vars(safety_rules).values() if isinstance(value, re.Pattern)]
    return sources


def test_no_pattern_nests_unbounded_repetition() -> None:
    offenders = [source[:80] for source in _all_patterns() if _unbounded_repeats_nest(sre_parse.parse(source))]
    assert offenders == []


def test_the_nesting_check_can_fail() -> None:
    assert _unbounded_repeats_nest(sre_parse.parse(r"(a+)+b"))
    assert not _unbounded_repeats_nest(sre_parse.parse(r"(?:\s+\w+){0,3}"))


ANCHOR_WORDS = sorted(
    {word for _, patterns in safety_rules.LABEL_RULES for _, anchors, _ in patterns for word in anchors.split()} - {"+"}
    | {"me", "he", "she", "i", "my", "not", "but"}
)

ADVERSARIAL = [
    "a" * 4000,
    "he " * 1333,
    "blocked me " * 363,
    "i keep texting " * 266,
    "not " * 1000,
    ("he said no but i " + "and " * 900)[:4000],
    "!" * 4000,
    ("i want to " + "really " * 600)[:4000],
    "> " + "quoted " * 570,
    "`" * 4000,
    "```" + "he blocked me " * 280,
    "my " * 1333,
    ("since " * 700)[:4000],
]


def test_adversarial_inputs_finish() -> None:
    """A hang guard, not a speed target: 13 long inputs get 20 s where they need milliseconds."""
    results: list[str] = []
    worker = threading.Thread(target=lambda: results.extend(assess(text).label for text in ADVERSARIAL), daemon=True)
    worker.start()
    worker.join(timeout=20)
    assert not worker.is_alive(), "the detector did not finish: a pattern backtracks"
    assert len(results) == len(ADVERSARIAL) and set(results) <= set(LABELS)


@settings(max_examples=300, deadline=None)
@given(
    st.text(max_size=400)
    | st.lists(
        st.sampled_from(ANCHOR_WORDS),
        max_size=60,
    ).map(" ".join)
)
def test_never_raises_and_is_deterministic(text: str) -> None:
    first = assess(text)
    assert first.label in LABELS
    assert assess(text) == first


def test_pursuit_wording_follows_the_kind_detected_and_falls_back_kindly() -> None:
    from bot.safety.wording import PUBLIC_REPLY, PURSUIT_REPLY, public_reply

    assert public_reply("pursuit", ("new account to reach them",)) == PURSUIT_REPLY["new account to reach them"]
    assert "block" in public_reply("pursuit", ("new account to reach them",))
    both = public_reply("pursuit", ("keeps contacting", "restraining order"))
    assert both == PURSUIT_REPLY["restraining order"], "the most serious kind named wins"
    unknown = public_reply("pursuit", ("a reason a newer detector might give",))
    assert unknown == PUBLIC_REPLY["pursuit"] and "asked for space" not in unknown
    assert public_reply("ignored", ("no reply",)) == PUBLIC_REPLY["ignored"]
    assert len(set(PURSUIT_REPLY.values())) == len(PURSUIT_REPLY)

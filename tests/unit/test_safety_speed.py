"""The detector's fast path gives what the reference path gives, to the last bit (issue 12, cost).

assess() reads a message through Model.score_text: shortcuts for words the model lists, cached
pieces of words it does not, pairs looked up by their two tokens. Training and `lantern evaluate`'s
thresholds read it through features.read() and Model.logits(). These tests hold the two together,
and pin what assess() answered for a set of tricky messages before the speed work (commit aee0015).
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.safety import assess
from bot.safety.features import TOKEN, finish_preparing, read
from bot.safety.model import _PLAIN_WORDS, LABEL_ORDER, model
from bot.safety.normalize import REPLACEMENTS, expand_words

# label, confidence and reasons as the detector gave them before the speed work (never the test split)
PINNED = [
    ("i want to die lol this boss fight", "crisis", 0.214, ("rule: wants to die", '"i want"', '"want to"')),
    (
        "he blocked me on everything and i keep making new accounts to text him",
        "pursuit",
        0.971,
        ("rule: new account to reach them", '"keep"', '"he blocked"'),
    ),
    ("i blocked him. best decision i ever made", "none", 0.974, ()),
    ("He DIDN’T block me, he just went quiet for a week", "none", 0.611, ()),
    (
        "idk why he wont reply, its been 3 wks and i keep txting u know",
        "ignored",
        0.98,
        ("rule: no reply", '"its"', '"why he"'),
    ),
    ("my DM said no to meeting up but i'll keep trying", "pursuit", 0.975, ('"i\'ll keep"', '"keep"', '"trying"')),
    (
        "i dm'd him again even though he asked for space",
        "pursuit",
        1.0,
        ("rule: despite a no", '"even though"', '"though he"'),
    ),
    ("noooooo he ghosteddddd me 😭😭", "ignored", 0.761, ()),
    ("> i want to die\nthat line from the song is stuck in my head", "none", 0.996, ()),
    ("```\nkill myself\n``` is a bad variable name lmao", "none", 0.999, ()),
    ("check this out https://example.com/kms it's hilarious", "none", 0.973, ()),
    ("my cat has been ignoring me all day 💀", "none", 0.558, ("guard: about someone else",)),
    (
        "i don't want to be here anymore. i wrote letters to everyone",
        "crisis",
        1.0,
        ("rule: not wanting to live", '"wrote letters"', '"be here"'),
    ),
    ("Ich bin so müde. nobody answers me, not even my sister", "crisis", 0.101, ('"nobody"', '"even my"', '"not"')),
    (
        "Zoë and Renée haven't replied since friday, whatever",
        "ignored",
        0.729,
        ("rule: no reply", '"since friday"', '"friday"'),
    ),
    (
        "twinflame runner energy: he left me on read again, surrender they said",
        "ignored",
        0.747,
        ("rule: left on read", '"read"', '"runner"'),
    ),
    (
        "i'm fine, just tired of living like this tbh",
        "crisis",
        0.995,
        ("rule: not wanting to live", '"tired of"', '"living like"'),
    ),
    ("🙂🙂🙂", "none", 0.981, ()),
    (
        "he said no but twin flames always come back right? I'll keep trying",
        "pursuit",
        0.998,
        ('"i\'ll keep"', '"keep"', '"trying"'),
    ),
    ("this boss fight makes me want to die lol", "none", 0.987, ()),
    (" ".join(["he stopped texting me"] * 200), "pursuit", 1.0, ('"texting"', '"me he"', '"he stopped"')),
    ("kms " * 1100, "crisis", 1.0, ("rule: kill myself", '"myself"')),
]


@pytest.mark.parametrize(("text", "label", "confidence", "reasons"), PINNED)
def test_assess_answers_as_before_the_speed_work(
    text: str, label: str, confidence: float, reasons: tuple[str, ...]
) -> None:
    found = assess(text)
    assert (found.label, found.confidence, found.reasons) == (label, confidence, reasons)


def _same_as_reference(text: str) -> None:
    message, logits = model().score_text(text)
    reference = read(text)
    assert (message.text, message.tokens, message.words) == (reference.text, reference.tokens, reference.words)
    assert message.findings == reference.findings
    assert logits == model().logits(reference)  # exactly: the same rows summed in the same order


@pytest.mark.parametrize("text", [text for text, *_ in PINNED])
def test_score_text_matches_read_and_logits_on_tricky_messages(text: str) -> None:
    _same_as_reference(text)


_WORDS = sorted(
    {
        *REPLACEMENTS,
        "dm",
        "dm'd",
        "my",
        "the",
        "he",
        "blocked",
        "me",
        "i",
        "want",
        "to",
        "die",
        "lol",
        "never",
        "noooo",
        "blockedddd",
        "zoë",
        "💀",
        "😂",
        "by",
        "ignoring",
        "told",
        "keep",
        "texting",
        "kms",
        "u",
        "im",
    }
)
_PIECES = st.one_of(
    st.sampled_from(_WORDS),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=6),
    st.sampled_from([" ", "  ", "\n", ". ", ", ", "’", "'", "`", "```", "> ", "http://x.y ", "!!", "?"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_score_text_matches_read_and_logits_on_any_text(text: str) -> None:
    if text:
        _same_as_reference(text)


def test_a_listed_word_is_already_prepared() -> None:
    """What the fast path relies on: preparing leaves every word in its table, each is at most one token."""
    learned = model()
    for word in learned._plain_row:
        assert finish_preparing(word) == (word, TOKEN.findall(word)), word
        assert len(TOKEN.findall(word)) <= 1


_OLD_REPLACEABLE = re.compile(
    r"(?<![\w'])(?:"
    + "|".join(map(re.escape, sorted((w for w, p in REPLACEMENTS.items() if w != p), key=lambda w: (-len(w), w))))
    + r")(?![\w'])"
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_replacements_by_token_split_equal_the_old_alternation(text: str) -> None:
    plain = text.lower()
    tokens = TOKEN.findall(plain)
    if {"dm", "dms", "dm'd", "dmd", "dmed", "dming"}.isdisjoint(tokens):
        expected = _OLD_REPLACEABLE.sub(lambda found: REPLACEMENTS[found.group(0)], plain)
        assert expand_words(plain, tokens) == expected


def test_strongest_ranks_as_the_weights_say() -> None:
    """The reasons' ranking from the per-label dicts equals one read straight from the weight table."""
    learned = model()
    message = read("he blocked me and i keep texting him every day even though he said no, my twin flame")
    for label in LABEL_ORDER:
        column = len(LABEL_ORDER) + 1 + LABEL_ORDER.index(label)
        named = [
            (row, token)
            for token in message.tokens
            if token not in _PLAIN_WORDS and (row := learned._unigram.get(token))
        ]
        named += [
            (row, " ".join(pair))
            for pair in zip(message.tokens, message.tokens[1:], strict=False)
            if (row := learned._pair_row.get(pair))
        ]
        pushes = {(-weight, name) for row, name in named if (weight := float(learned._table[row, column])) > 0}
        assert len(pushes) >= 3
        assert learned.strongest(message, label, 3) == tuple(f'"{name}"' for _, name in sorted(pushes)[:3])


def test_only_chat_length_words_are_cached() -> None:
    """The unlisted-word cache keeps words, never messages, and never a 4,000-character 'word'."""
    cache = model()._cached_unlisted
    before = cache.cache_info().currsize
    assess("q" + "zx" * 1999)
    assert cache.cache_info().currsize == before
    assess("qzxqzxwv")
    assert cache.cache_info().currsize == before + 1

"""What the learned model reads: the member's own words, in plain spelling, as n-gram features.

One function prepares the text and two list its features; training (bot/safety/train.py) and
inference (bot/safety/model.py) both use them, so the model always sees the same thing.

- word features: every token and every pair of neighbouring tokens (`w:he`, `b:blocked me`);
- character features: the 2-, 3- and 4-character pieces of each word padded with a space at both
  ends, never across two words (`c: bl`, `c:ked `). They catch spellings and endings no list has.

Features of a message never leave this process and are never stored.
"""

from __future__ import annotations

import itertools
import re

from bot.safety.normalize import collapse_runs, expand_words, lower_plain, strip_ignored_parts

MAX_CHARS = 4000  # Discord's longest message; anything past it is not a member's message
CHAR_SIZES = (2, 3, 4)
TOKEN = re.compile(r"[\w']+")
FEATURES_VERSION = "lantern-features-v1: prepare=strip,lower,collapse,expand; word=1,2; char_wb=2,3,4"


def prepare(text: str) -> str:
    """Only the member's own words (no code, quotes or links), lower case, chat spelling made plain."""
    plain = lower_plain(strip_ignored_parts(text[:MAX_CHARS]))
    collapsed = collapse_runs(plain)
    return expand_words(collapsed, set(collapsed.split()))


def word_features(prepared: str) -> list[str]:
    tokens = TOKEN.findall(prepared)
    return [f"w:{token}" for token in tokens] + [f"b:{a} {b}" for a, b in itertools.pairwise(tokens)]


def char_features(word: str) -> list[str]:
    """The character pieces of one whitespace-separated word."""
    padded = f" {word} "
    return [f"c:{padded[i : i + n]}" for n in CHAR_SIZES for i in range(len(padded) - n + 1)]


def all_features(prepared: str) -> list[str]:
    """Every feature occurrence of a prepared message (training uses this; inference sums per word)."""
    features = word_features(prepared)
    for word in prepared.split():
        features += char_features(word)
    return features

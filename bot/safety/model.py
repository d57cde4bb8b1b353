"""The learned part of the detector: a linear model over sparse features (bot/safety/features.py).

The model is two committed files, `data/safety/model.npy` (float32 weights) and
`data/safety/model.json` (vocabulary, thresholds, how it was trained). Both are checked against
`MODEL_SHA256` when first loaded: a file that is not the one this code was reviewed with is
refused, never guessed at. `lantern safety train` rebuilds them bit for bit from the corpus.

Scoring is a sum of rows. The character block and the word block are each scaled by
1/sqrt(their total idf), so a message's character part is the sum of its words' character parts:
every word listed in the model has that sum, and its token's unigram, precomputed in one row.
A message whose words are all listed costs a handful of C-level passes (`map` over dicts) and
one numpy gather and sum; any other message takes the same path word by word.

assess() reads a message through score_text, which skips what cannot change the answer: a listed
word is already prepared (no run of three letters, nothing to expand), so a message made of them
needs no regular expression before the rules; an unlisted word's pieces are cached (words only,
never a message); pairs are looked up by their two tokens. It sums the same rows in the same order
as read() + logits() (what training and `lantern evaluate` use), so every logit is identical to
the last bit (tests/unit/test_safety_speed.py). The extra tables cost about 0.1 s and 9 MB at load.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import math
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import reduce
from operator import add, not_, or_
from pathlib import Path
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from bot.safety.features import (
    CLASS_BITS,
    CLASS_NAMES,
    FEATURES_VERSION,
    NEGATIONS,
    RULE_FEATURE_VALUE,
    TOKEN,
    Message,
    class_features,
    finish_preparing,
    negated,
    plain_text,
)
from bot.safety.matching import (
    NOTHING,
    Findings,
    find_known,
    has_guard_piece,
    is_anchor,
    is_joke_word,
    laughing_emoji,
)
from bot.safety.normalize import EXPANDABLE, THREE_SAME_LETTERS

MODEL_DIR = Path(__file__).resolve().parents[2] / "data" / "safety"
MODEL_FILES = ("model.json", "model.npy")
# sha256 over model.json then model.npy; `lantern safety train` prints the new value.
MODEL_SHA256 = "61f25f2a65e347d725c1038cc358536a6911883ec3504693588531ee50699196"
LABEL_ORDER = ("crisis", "pursuit", "blocked", "rejected", "ignored", "none")

_POSITION = {label: i for i, label in enumerate(LABEL_ORDER)}
Floats = npt.NDArray[np.float64]
# Words too plain to explain anything on their own; pairs that contain them still can.
_PLAIN = (
    "i i'm i've i'll me my he she they him her them his their it to the a an and or but so of in on at for is was be"
)
_PLAIN_WORDS = frozenset(f"{_PLAIN} been just this that you your we us with".split())
# A word's mask: its class bits, then flags: a negation, a joke word (or a laughing emoji), a rule
# anchor, a guard piece. Without the last three the rules have nothing to find.
_CLASS_MASK = (1 << len(CLASS_NAMES)) - 1
_NEGATION_FLAG = 1 << len(CLASS_NAMES)
_JOKE_FLAG, _ANCHOR_FLAG, _GUARD_FLAG = _NEGATION_FLAG << 1, _NEGATION_FLAG << 2, _NEGATION_FLAG << 3
_RULE_FLAGS = _JOKE_FLAG | _ANCHOR_FLAG | _GUARD_FLAG
UNLISTED_CACHE_SIZE = 4096
CACHED_WORD_CHARS = 32


def _token_mask(token: str) -> int:
    return (
        CLASS_BITS.get(token, 0)
        | (_NEGATION_FLAG if token in NEGATIONS else 0)
        | (_JOKE_FLAG if is_joke_word(token) else 0)
        | (_ANCHOR_FLAG if is_anchor(token) else 0)
    )


def _word_mask(word: str, tokens: Iterable[str]) -> int:
    mask = (_GUARD_FLAG if has_guard_piece(word) else 0) | (_JOKE_FLAG if laughing_emoji(word) else 0)
    for token in tokens:
        mask |= _token_mask(token)
    return mask


def _plain_word(word: str, tokens: list[str] | None = None) -> bool:
    """Whether preparing leaves a word as it is: no run of three same letters, no token in EXPANDABLE."""
    return not THREE_SAME_LETTERS.search(word) and EXPANDABLE.isdisjoint(
        TOKEN.findall(word) if tokens is None else tokens
    )


class ModelError(RuntimeError):
    """The committed model is missing, altered, or of another format."""


def files_sha256(folder: Path) -> str:
    digest = hashlib.sha256()
    for name in MODEL_FILES:
        digest.update((folder / name).read_bytes())
    return digest.hexdigest()


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-min(max(z, -60.0), 60.0)))


def logit(probability: float) -> float:
    """The logit a probability threshold stands for (0 and 1 are minus and plus infinity)."""
    if probability <= 0.0:
        return -math.inf
    if probability >= 1.0:
        return math.inf
    return math.log(probability / (1.0 - probability))


def cuts_of(thresholds: dict[str, float]) -> tuple[float, ...]:
    """Per label in LABEL_ORDER, the logit at which its probability reaches its threshold (none: never)."""
    return tuple(logit(thresholds[label]) if label in thresholds else math.inf for label in LABEL_ORDER)


@dataclass(frozen=True)
class Scores:
    """One probability per label (one-vs-rest logistic, each in 0..1), in LABEL_ORDER."""

    probability: tuple[float, ...]

    def of(self, label: str) -> float:
        return self.probability[_POSITION[label]]


class Model:
    """Inference tables built from the weights.

    Table columns: 0-5 character weights·idf, 6 their idf; 7-12 word-block weights·idf,
    13 their idf. Rows: 0 is all zeros; then one per character and word-block feature (`c:`, `w:`,
    `b:`, `n:`, `l:`, `k:`); then one per listed word (the sum of its character features and its
    token's `w:` row); then one per class mask (the sum of its `l:` and `k:` rows, 2**13 of them).
    Rule findings, a few per message at most, add their weights to the logits directly.
    """

    def __init__(
        self,
        vocabulary: Sequence[str],
        table: npt.NDArray[np.float32],
        thresholds: dict[str, float],
        words: Sequence[str] = (),
        metadata: dict[str, Any] | None = None,
    ) -> None:
        labels = len(LABEL_ORDER)
        if table.shape != (len(vocabulary) + 1, labels + 1):
            raise ModelError(f"weights have shape {table.shape}, expected {(len(vocabulary) + 1, labels + 1)}")
        self.vocabulary = list(vocabulary)
        self.thresholds = dict(thresholds)
        self.cuts = cuts_of(self.thresholds)  # decisions compare logits, so no message needs six exp()
        self.metadata = dict(metadata or {})
        weights = table[:-1, :labels].astype(np.float64)
        idf = table[:-1, labels].astype(np.float64)
        self.bias: Floats = table[-1, :labels].astype(np.float64)
        self._bias = self.bias.tolist()
        self._rule_weights = {
            f: tuple((weights[i] * RULE_FEATURE_VALUE).tolist()) for i, f in enumerate(self.vocabulary) if f[:2] == "x:"
        }
        features = [i for i, f in enumerate(self.vocabulary) if f[:2] != "x:"]
        row_of = {self.vocabulary[i]: row for row, i in enumerate(features, 1)}
        width = 2 * labels + 2
        block = np.zeros((len(features) + 1, width))
        for row, i in enumerate(features, 1):
            if self.vocabulary[i][:2] == "c:":
                block[row, :labels] = weights[i] * idf[i]
                block[row, labels] = idf[i]
            else:
                block[row, labels + 1 : 2 * labels + 1] = weights[i] * idf[i]
                block[row, 2 * labels + 1] = idf[i]
        self._char = {f[2:]: row for f, row in row_of.items() if f[:2] == "c:"}
        # Every token string is one shared (interned) object: the pair tuples then compare their
        # items by identity, and thousands of copies of the same token stay out of the caches.
        self._unigram = {sys.intern(f[2:]): row for f, row in row_of.items() if f[:2] == "w:"}
        self._negated = {f[2:]: row for f, row in row_of.items() if f[:2] == "n:"}
        pairs = [(f[2:].partition(" "), row) for f, row in row_of.items() if f[:2] == "b:"]
        # Pairs by their two tokens: a message's pairs are then one C-level map over pairwise(tokens).
        self._pair_row = {(sys.intern(a), sys.intern(b)): row for (a, _, b), row in pairs}
        self._pushes = _pushes(block[:, labels + 1 : 2 * labels + 1], self._unigram, self._pair_row)
        # Words the model does not list recur (names, typos, rare words): their pieces are worked out
        # once. Only words are kept, never a message: at most UNLISTED_CACHE_SIZE of them, each at most
        # CACHED_WORD_CHARS long (a few MB at worst; a 4,000-character "word" is never kept).
        self._cached_unlisted = functools.lru_cache(maxsize=UNLISTED_CACHE_SIZE)(self._unlisted_pieces)
        # Listed words with at most one token: their row and their mask (when not 0).
        offset = len(features) + 1
        listed = [w for w in sorted(set(words)) if len(TOKEN.findall(w)) <= 1]
        listed_rows = np.zeros((len(listed), width))
        self._row: dict[str, int] = {}
        self._mask: dict[str, int] = {}
        for row, word in enumerate(listed):
            ids = self._char_ids(word)
            word_tokens = TOKEN.findall(word)
            ids += [unigram for token in word_tokens if (unigram := self._unigram.get(token)) is not None]
            mask = _word_mask(word, word_tokens)
            if ids:
                listed_rows[row] = block[ids].sum(axis=0)
            self._row[word] = offset + row
            if mask:
                self._mask[word] = mask
        self._class_offset = offset + len(listed)
        # Listed words that preparing leaves as they are (no run of three same letters, no token in
        # EXPANDABLE): a message made only of them is already prepared (features.plain_text).
        clean = [w for w in self._row if not THREE_SAME_LETTERS.search(w) and EXPANDABLE.isdisjoint(TOKEN.findall(w))]
        self._plain_row = {w: self._row[w] for w in clean}
        self._plain_token = {w: sys.intern(tokens[0]) for w in clean if (tokens := TOKEN.findall(w))}
        class_rows = np.zeros((1 << len(CLASS_NAMES), width))
        for classes in range(1, 1 << len(CLASS_NAMES)):
            ids = [found for f in class_features(classes) if (found := row_of.get(f)) is not None]
            if ids:
                class_rows[classes] = block[ids].sum(axis=0)
        self._table: Floats = np.vstack([block, listed_rows, class_rows])

    def _char_ids(self, word: str) -> list[int]:
        """The rows of a word's character pieces (features.char_features), built by C-level maps."""
        padded = f" {word} "
        second, third, fourth = padded[1:], padded[2:], padded[3:]
        pairs = list(map(add, padded, second))
        triples = list(map(add, pairs, third))
        quads = map(add, triples, fourth)
        return list(filter(None, map(self._char.get, itertools.chain(pairs, triples, quads))))

    def _word_rows(self, words: list[str], tokens: list[str], ids: list[int]) -> int:
        """Append the rows of the words and tokens (characters, unigrams, pairs) to `ids`; return their mask.

        The order is fixed (unlisted words' pieces, listed words' rows, pairs): numpy sums rows in
        that order, so the logits stay the same to the last bit."""
        listed = list(map(self._row.get, words))
        mask = reduce(or_, filter(None, map(self._mask.get, words)), 0)
        if None in listed:
            for word, row in zip(words, listed, strict=True):
                if row is None:
                    pieces, word_mask, _ = self._unlisted_word(word)
                    ids += pieces
                    mask |= word_mask
            ids += filter(None, listed)
        else:
            ids += cast("list[int]", listed)  # no None in it
        if len(tokens) > 1:
            ids += filter(None, map(self._pair_row.get, itertools.pairwise(tokens)))
        return mask

    def _plain_rows(self, plain: str, words: list[str], ids: list[int]) -> tuple[list[str], int] | None:
        """_word_rows for a text that preparing would leave as it is: append the rows, return the tokens
        and the mask; None (and `ids` half filled) when some word would change.

        A listed word never changes (see _plain_row); an unlisted one is looked up in the cache, which
        says whether it would. Each listed word is at most one token, so a message made only of them
        needs no findall either."""
        listed = list(map(self._plain_row.get, words))
        mask = 0
        if None in listed:
            for word in itertools.compress(words, map(not_, listed)):
                if len(word) > CACHED_WORD_CHARS and not _plain_word(word):
                    return None  # before working out the pieces of a long word that preparing will change
                pieces, word_mask, plain_word = self._unlisted_word(word)
                if not plain_word:
                    return None
                ids += pieces
                mask |= word_mask
            tokens = TOKEN.findall(plain)
            ids += filter(None, listed)
        else:
            tokens = list(filter(None, map(self._plain_token.get, words)))
            ids += cast("list[int]", listed)  # no None in it
        mask |= reduce(or_, filter(None, map(self._mask.get, words)), 0)
        if len(tokens) > 1:
            ids += filter(None, map(self._pair_row.get, itertools.pairwise(tokens)))
        return tokens, mask

    def _unlisted_word(self, word: str) -> tuple[tuple[int, ...], int, bool]:
        """_unlisted_pieces, from the cache for a word of chat length."""
        if len(word) <= CACHED_WORD_CHARS:
            return self._cached_unlisted(word)
        return self._unlisted_pieces(word)

    def _unlisted_pieces(self, word: str) -> tuple[tuple[int, ...], int, bool]:
        """The character pieces and unigrams of a word the model does not list, its mask, and whether
        preparing leaves it as it is (no run of three same letters, no token in EXPANDABLE)."""
        ids = self._char_ids(word)
        tokens = TOKEN.findall(word)
        ids += filter(None, map(self._unigram.get, tokens))
        return tuple(ids), _word_mask(word, tokens), _plain_word(word, tokens)

    def rows(self, message: Message) -> list[int]:
        """The table rows that sum to the character and word blocks of `message` (what all_features lists)."""
        ids: list[int] = []
        mask = self._word_rows(message.words, message.tokens, ids)
        if mask & _CLASS_MASK:
            ids.append(self._class_offset + (mask & _CLASS_MASK))
        if mask & _NEGATION_FLAG:
            ids += [row for f in negated(message.tokens) if (row := self._negated.get(f[2:])) is not None]
        return ids

    def score_text(self, text: str) -> tuple[Message, list[float]]:
        """read(text) and logits() in one pass: what assess() runs for every message.

        The same rows and findings as for read(text), with the rules run only when a word is one of
        their anchors (the words' masks say so) and no token looked up twice.
        """
        plain = plain_text(text)
        words = plain.split()
        ids: list[int] = []
        found = self._plain_rows(plain, words, ids)
        if found is None:  # preparing changes a word: the whole preparation, then the same rows
            prepared, tokens = finish_preparing(plain)
            words = prepared.split()
            del ids[:]
            mask = self._word_rows(words, tokens, ids)
        else:
            prepared, (tokens, mask) = plain, found
        if mask & _CLASS_MASK:
            ids.append(self._class_offset + (mask & _CLASS_MASK))
        if mask & _NEGATION_FLAG:
            ids += [row for f in negated(tokens) if (row := self._negated.get(f[2:])) is not None]
        if mask & _RULE_FLAGS:
            findings = find_known(
                prepared, tokens, bool(mask & _JOKE_FLAG), bool(mask & _ANCHOR_FLAG), bool(mask & _GUARD_FLAG)
            )
        else:
            findings = NOTHING
        return Message(prepared, tokens, words, findings), self._sum(ids, findings)

    def logits(self, message: Message) -> list[float]:
        return self._sum(self.rows(message), message.findings)

    def _sum(self, ids: list[int], findings: Findings) -> list[float]:
        total: list[float] = np.add.reduce(self._table.take(ids, axis=0)).tolist()
        chars, words = total[6], total[13]
        char_scale = chars**-0.5 if chars > 0 else 0.0
        word_scale = words**-0.5 if words > 0 else 0.0
        bias = self._bias  # one line per label, LABEL_ORDER: bias + character block + word block
        logits = [
            bias[0] + total[0] * char_scale + total[7] * word_scale,
            bias[1] + total[1] * char_scale + total[8] * word_scale,
            bias[2] + total[2] * char_scale + total[9] * word_scale,
            bias[3] + total[3] * char_scale + total[10] * word_scale,
            bias[4] + total[4] * char_scale + total[11] * word_scale,
            bias[5] + total[5] * char_scale + total[12] * word_scale,
        ]
        if findings is not NOTHING:
            for weights in _known(map(self._rule_weights.get, findings.features())):
                logits = [z + w for z, w in zip(logits, weights, strict=True)]
        if words <= 0.0 and logits[0] > self._bias[0]:
            # Not one word, pair or word class the model knows ("probe burst", a name, emoji): the
            # character pieces alone are too little evidence for a crisis, so crisis scores no
            # higher than an empty message. Nothing in train or validation is crisis without one.
            logits[0] = self._bias[0]
        return logits

    def scores(self, message: Message) -> Scores:
        return Scores(tuple(map(sigmoid, self.logits(message))))

    def strongest(self, message: Message, label: str, count: int = 3) -> tuple[str, ...]:
        """The word features that pushed hardest toward `label` (vocabulary entries, never stored)."""
        unigrams, pairs = self._pushes[_POSITION[label]]
        tokens = message.tokens
        pushes = {(-weight, token) for token in tokens if (weight := unigrams.get(token)) is not None}
        pushes.update(
            (-weight, f"{pair[0]} {pair[1]}")
            for pair in itertools.pairwise(tokens)
            if (weight := pairs.get(pair)) is not None
        )
        return tuple(f'"{name}"' for _, name in sorted(pushes)[:count])


def _pushes(
    word_block: Floats, unigram: dict[str, int], pair: dict[tuple[str, str], int]
) -> tuple[tuple[dict[str, float], dict[tuple[str, str], float]], ...]:
    """Per label, the unigrams (not plain words) and pairs with a positive weight: what strongest() ranks."""
    out = []
    for column in word_block.T:
        weights: list[float] = column.tolist()
        unigrams = {t: w for t, row in unigram.items() if t not in _PLAIN_WORDS and (w := weights[row]) > 0}
        pairs = {p: w for p, row in pair.items() if (w := weights[row]) > 0}
        out.append((unigrams, pairs))
    return tuple(out)


def _known(values: Iterable[tuple[float, ...] | None]) -> Iterable[tuple[float, ...]]:
    return (v for v in values if v is not None)


def read_model(folder: Path = MODEL_DIR, expected_sha256: str | None = MODEL_SHA256) -> Model:
    """Load and check the committed model (expected_sha256=None skips the check: training only)."""
    try:
        if expected_sha256 is not None and files_sha256(folder) != expected_sha256:
            raise ModelError(
                f"{folder}: the safety model files do not match MODEL_SHA256; rebuild them with `lantern safety train`"
            )
        meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
        table = np.load(folder / "model.npy", allow_pickle=False)
    except OSError as exc:
        raise ModelError(f"{folder}: cannot read the safety model ({exc.strerror})") from None
    if meta.get("features") != FEATURES_VERSION or tuple(meta.get("labels", ())) != LABEL_ORDER:
        raise ModelError(f"{folder}: the safety model was built for other features or labels")
    return Model(meta["vocabulary"], table, meta["thresholds"], meta["words"], meta)


_MODEL: Model | None = None


def model() -> Model:
    """The committed model, loaded and checked once."""
    global _MODEL
    if _MODEL is None:
        _MODEL = read_model()
    return _MODEL

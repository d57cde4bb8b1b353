"""The learned part of the detector: a linear model over word and character n-grams.

The model is two committed files, `data/safety/model.npy` (float32 weights) and
`data/safety/model.json` (vocabulary, thresholds, how it was trained). Both are checked against
`MODEL_SHA256` when first loaded: a file that is not the one this code was reviewed with is
refused, never guessed at. `lantern safety train` rebuilds them bit for bit from the corpus.

Scoring is a sum of rows. A message's features are grouped by block and each block is scaled by
1/sqrt(its total weight), so the character part of a message is the sum of the character parts
of its words. Every word seen in training has that sum precomputed; a message costs one dict
lookup per known word, a few per unknown word, and one numpy gather per block.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from bot.safety.features import FEATURES_VERSION, TOKEN, char_features

MODEL_DIR = Path(__file__).resolve().parents[2] / "data" / "safety"
MODEL_FILES = ("model.json", "model.npy")
# sha256 over model.json then model.npy; `lantern safety train` prints the new value.
MODEL_SHA256 = "3530d8224ebc503dd038e809482c75381f75618898ea40ac996669a616ebad76"
LABEL_ORDER = ("crisis", "pursuit", "blocked", "rejected", "ignored", "none")

_POSITION = {label: i for i, label in enumerate(LABEL_ORDER)}
Floats = npt.NDArray[np.float64]
# Words too plain to explain anything on their own; pairs that contain them still can.
_PLAIN = (
    "i i'm i've i'll me my he she they him her them his their it to the a an and or but so of in on at for is was be"
)
_PLAIN_WORDS = frozenset(f"{_PLAIN} been just this that you your we us with".split())


class ModelError(RuntimeError):
    """The committed model is missing, altered, or of another format."""


def files_sha256(folder: Path) -> str:
    digest = hashlib.sha256()
    for name in MODEL_FILES:
        digest.update((folder / name).read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class Scores:
    """One probability per label (one-vs-rest logistic, each in 0..1), in LABEL_ORDER."""

    probability: tuple[float, ...]

    def of(self, label: str) -> float:
        return self.probability[_POSITION[label]]


class Model:
    """Inference tables built from the weights: feature rows, and per-word character sums."""

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
        self.metadata = dict(metadata or {})
        weights = table[:-1, :labels].astype(np.float64)
        idf = table[:-1, labels].astype(np.float64)
        self.bias: Floats = table[-1, :labels].astype(np.float64)
        self._weights = weights
        # One table, one gather per message. Columns 0-5: character weights·idf, 6: their idf;
        # columns 7-12: word weights·idf, 13: their idf. Rows: character features, then the
        # precomputed character sum of every word seen in training, then word features.
        width = 2 * (labels + 1)
        char_ids = [i for i, f in enumerate(self.vocabulary) if f.startswith("c:")]
        word_ids = [i for i, f in enumerate(self.vocabulary) if not f.startswith("c:")]
        self._char_index = {self.vocabulary[i]: row for row, i in enumerate(char_ids)}
        char_rows = np.zeros((len(char_ids), width))
        char_rows[:, :labels] = weights[char_ids] * idf[char_ids, None]
        char_rows[:, labels] = idf[char_ids]
        known = sorted(set(words))
        self._known_word = {word: len(char_ids) + row for row, word in enumerate(known)}
        known_rows = np.zeros((len(known), width))
        for row, word in enumerate(known):
            ids = self._char_ids(word)
            if ids:
                known_rows[row] = char_rows[ids].sum(axis=0)
        self._word_offset = len(char_ids) + len(known)
        self._word_index = {self.vocabulary[i]: self._word_offset + row for row, i in enumerate(word_ids)}
        word_rows = np.zeros((len(word_ids), width))
        word_rows[:, labels + 1 : 2 * labels + 1] = weights[word_ids] * idf[word_ids, None]
        word_rows[:, 2 * labels + 1] = idf[word_ids]
        self._table: Floats = np.vstack([char_rows, known_rows, word_rows])
        self._bias = self.bias.tolist()

    def _char_ids(self, word: str) -> list[int]:
        index = self._char_index
        return [row for f in char_features(word) if (row := index.get(f)) is not None]

    def _logits(self, prepared: str) -> list[float]:
        ids: list[int] = []
        known = self._known_word
        for word in prepared.split():
            row = known.get(word)
            if row is None:
                ids += self._char_ids(word)
            else:
                ids.append(row)
        tokens = TOKEN.findall(prepared)
        index = self._word_index
        ids += [row for token in tokens if (row := index.get("w:" + token)) is not None]
        ids += [row for a, b in itertools.pairwise(tokens) if (row := index.get(f"b:{a} {b}")) is not None]
        if not ids:
            return list(self._bias)
        total: list[float] = self._table[ids].sum(axis=0).tolist()
        char_scale = 1.0 / math.sqrt(total[6]) if total[6] > 0 else 0.0
        word_scale = 1.0 / math.sqrt(total[13]) if total[13] > 0 else 0.0
        return [b + total[k] * char_scale + total[7 + k] * word_scale for k, b in enumerate(self._bias)]

    def scores(self, prepared: str) -> Scores:
        return Scores(tuple(1.0 / (1.0 + math.exp(-min(max(z, -60.0), 60.0))) for z in self._logits(prepared)))

    def strongest(self, prepared: str, label: str, count: int = 3) -> tuple[str, ...]:
        """The word features that pushed hardest toward `label` (vocabulary entries, never stored)."""
        column = LABEL_ORDER.index(label)
        tokens = TOKEN.findall(prepared)
        present = {"w:" + t for t in tokens} | {f"b:{a} {b}" for a, b in itertools.pairwise(tokens)}
        pushes = [
            (float(self._table[row, len(LABEL_ORDER) + 1 + column]), feature)
            for feature in present
            if (row := self._word_index.get(feature)) is not None
        ]
        pushes = [p for p in pushes if p[0] > 0 and p[1][2:] not in _PLAIN_WORDS]
        pushes.sort(key=lambda p: (-p[0], p[1]))
        return tuple(f'"{feature[2:]}"' for _, feature in pushes[:count])


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

"""Rebuild the safety model from the corpus: `lantern safety train` or `python -m bot.safety.train`.

Reads data/safety/train.jsonl (the model's only training data) and data/safety/validation.jsonl
(where the per-label thresholds are chosen), and writes data/safety/model.json and model.npy.
Deterministic: sorted vocabulary, liblinear (no random state, no threads), float32 weights, JSON
with sorted keys. The same corpus and library versions give the same bytes; the new sha256 is
printed and must match `MODEL_SHA256` in bot/safety/model.py. Needs scikit-learn (the `dev` extra).

The test split (tests/data/safety_test.jsonl) is never read here.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from bot.safety.corpus import read_corpus
from bot.safety.features import FEATURES_VERSION, all_features, prepare
from bot.safety.model import LABEL_ORDER, MODEL_DIR, Model, files_sha256

CORPUS_DIR = Path(__file__).resolve().parents[2] / "data" / "safety"
C = 10.0  # inverse regularisation strength, chosen on validation
CHAR_MIN_DF = 2  # a character piece must occur in two training messages
WORD_MIN_DF = 1
CRISIS_RECALL = 0.95  # the target: a missed crisis is the worst failure
RELATIONSHIP_PRECISION = 0.95  # of relationship replies, at most 1 in 20 on an ordinary message
MIN_FLAGGED = 10
# The none false-positive target applied to validation's ordinary chat: a crisis reply on an
# ordinary message is public, and a detector that gives many loses the servers it should protect.
ORDINARY_CRISIS_RATE = 0.03
# A crisis rule counts unless the model is nearly certain it is not crisis ("this boss fight makes
# me want to die lol"); the floor with the fewest false alarms at the recall target is chosen.
RULE_NET_FLOORS = (0.0, 0.01, 0.02, 0.03, 0.05)  # a precision needs at least this many messages behind it


@dataclass(frozen=True)
class Fitted:
    vocabulary: list[str]
    table: npt.NDArray[np.float32]
    words: list[str]


def _idf(df: int, n: int) -> float:
    return math.log((1 + n) / (1 + df)) + 1.0


def design_matrix(prepared: Sequence[str], vocabulary: dict[str, int], idf: npt.NDArray[np.float64]) -> Any:
    """Rows as model.Model scores them: per block, count·idf scaled by 1/sqrt(the block's total)."""
    from scipy import sparse  # training only

    is_char_feature = [False] * len(vocabulary)
    for feature, k in vocabulary.items():
        is_char_feature[k] = feature.startswith("c:")
    rows: list[int] = []
    cols: list[int] = []
    values: list[float] = []
    for r, text in enumerate(prepared):
        counts = Counter(vocabulary[f] for f in all_features(text) if f in vocabulary)
        for is_char in (True, False):
            block = sorted(k for k in counts if is_char_feature[k] == is_char)
            total = sum(counts[k] * idf[k] for k in block)
            if not block:
                continue
            for k in block:
                rows.append(r)
                cols.append(k)
                values.append(counts[k] * idf[k] / math.sqrt(total))
    return sparse.csr_matrix((values, (rows, cols)), shape=(len(prepared), len(vocabulary)), dtype=np.float64)


def fit(texts: Sequence[str], labels: Sequence[str], c: float = C) -> Fitted:
    from sklearn.linear_model import LogisticRegression  # training only

    prepared = [prepare(t) for t in texts]
    df: Counter[str] = Counter()
    for text in prepared:
        df.update(set(all_features(text)))
    vocabulary = sorted(f for f, n in df.items() if n >= (CHAR_MIN_DF if f.startswith("c:") else WORD_MIN_DF))
    index = {f: i for i, f in enumerate(vocabulary)}
    idf = np.array([_idf(df[f], len(prepared)) for f in vocabulary])
    x = design_matrix(prepared, index, idf)
    y = np.array([LABEL_ORDER.index(label) for label in labels])
    table = np.zeros((len(vocabulary) + 1, len(LABEL_ORDER) + 1), dtype=np.float32)
    for k in range(len(LABEL_ORDER)):
        # One binary model per label, each class weighted by its rarity ("balanced").
        clf = LogisticRegression(C=c, solver="liblinear", class_weight="balanced", max_iter=1000, tol=1e-6)
        clf.fit(x, (y == k).astype(np.int64))
        table[:-1, k] = clf.coef_[0].astype(np.float32)
        table[-1, k] = np.float32(clf.intercept_[0])
    table[:-1, len(LABEL_ORDER)] = idf.astype(np.float32)
    words = sorted({word for text in prepared for word in text.split()})
    return Fitted(vocabulary, table, words)


def _floor(value: float) -> float:
    return math.floor(value * 1000) / 1000


def choose_thresholds(model: Model, validation: Sequence[dict[str, str]]) -> dict[str, float]:
    """Per label on validation: crisis for recall, the relationship labels for precision.

    - crisis: the highest threshold at which the model, with the crisis rules as a safety net,
      finds CRISIS_RECALL of validation's crisis messages, then raised as far as needed so that at
      most ORDINARY_CRISIS_RATE of validation's ordinary chat (kind "ordinary") gets a crisis reply.
      The net's floor (the model's probability under which a rule match does not count) is the one
      with the fewest false alarms;
    - each relationship label: the lowest threshold at which at least RELATIONSHIP_PRECISION of the
      messages it would flag (after crisis and the guards) are not `none` messages.
    """
    from bot.safety.detector import RELATIONSHIP_LABELS, combine, crisis_rule, guard_of

    texts = [item["text"] for item in validation]
    labels = [item["label"] for item in validation]
    ordinary = [item["kind"] == "ordinary" for item in validation]
    prepared = [prepare(t) for t in texts]
    scores = [model.scores(p) for p in prepared]
    rules = [crisis_rule(t, p) for t, p in zip(texts, prepared, strict=True)]
    crisis_total = sum(1 for gold in labels if gold == "crisis")
    needed_total = math.ceil(CRISIS_RECALL * crisis_total)
    best: tuple[int, float, float] | None = None  # (none messages flagged, floor, threshold)
    for floor in RULE_NET_FLOORS:
        net = [r is not None and s.of("crisis") >= floor for s, r in zip(scores, rules, strict=True)]
        caught = sum(1 for n, gold in zip(net, labels, strict=True) if n and gold == "crisis")
        rest = sorted(
            (s.of("crisis") for s, n, gold in zip(scores, net, labels, strict=True) if gold == "crisis" and not n),
            reverse=True,
        )
        needed = needed_total - caught
        threshold = _floor(rest[needed - 1]) if needed > 0 else 1.0
        ordinary_scores = sorted(
            (s.of("crisis") for s, n, o in zip(scores, net, ordinary, strict=True) if o and not n), reverse=True
        )
        allowed = math.floor(ORDINARY_CRISIS_RATE * sum(ordinary)) - sum(
            1 for n, o in zip(net, ordinary, strict=True) if n and o
        )
        if 0 <= allowed < len(ordinary_scores) and ordinary_scores[allowed] >= threshold:
            threshold = _floor(ordinary_scores[allowed]) + 0.001  # just above the first one too many
        false_alarms = sum(
            1
            for s, n, gold in zip(scores, net, labels, strict=True)
            if gold == "none" and (n or s.of("crisis") >= threshold)
        )
        if best is None or false_alarms < best[0]:
            best = (false_alarms, floor, threshold)
    assert best is not None
    _, floor, crisis = best
    thresholds: dict[str, float] = {"crisis": crisis, "crisis_rule_floor": floor}
    candidates: dict[str, list[tuple[float, bool]]] = {label: [] for label in RELATIONSHIP_LABELS}
    open_door: dict[str, float] = {**thresholds, **dict.fromkeys(RELATIONSHIP_LABELS, 0.0)}
    for text, s, rule, gold in zip(prepared, scores, rules, labels, strict=True):
        decided, _ = combine(s, rule, guard_of(text), open_door)  # what each message gets at threshold 0
        if decided in candidates:
            candidates[decided].append((s.of(decided), gold != "none"))
    for label, flagged in candidates.items():
        flagged.sort(reverse=True)
        chosen, concerning = 1.0, 0
        for count, (score, is_concern) in enumerate(flagged, 1):
            concerning += is_concern
            if count >= MIN_FLAGGED and concerning / count >= RELATIONSHIP_PRECISION:
                chosen = score
        thresholds[label] = _floor(chosen)
    return thresholds


def corpus_sha256(paths: Sequence[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _versions() -> dict[str, str]:
    import scipy
    import sklearn

    return {"numpy": np.__version__, "scipy": scipy.__version__, "scikit-learn": sklearn.__version__}


def train(corpus_dir: Path = CORPUS_DIR, out_dir: Path = MODEL_DIR) -> str:
    """Fit, choose thresholds, write the two model files; returns their sha256."""
    train_path, validation_path = corpus_dir / "train.jsonl", corpus_dir / "validation.jsonl"
    training = list(read_corpus(train_path))
    validation = list(read_corpus(validation_path))
    fitted = fit([i["text"] for i in training], [i["label"] for i in training])
    provisional = Model(fitted.vocabulary, fitted.table, {}, fitted.words)
    thresholds = choose_thresholds(provisional, validation)
    meta: dict[str, Any] = {
        "format": 1,
        "features": FEATURES_VERSION,
        "labels": list(LABEL_ORDER),
        "thresholds": {k: round(v, 6) for k, v in sorted(thresholds.items())},
        "training": {
            "corpus": "data/safety/train.jsonl",
            "corpus_sha256": corpus_sha256([train_path]),
            "examples": len(training),
            "thresholds_chosen_on": "data/safety/validation.jsonl",
            "validation_sha256": corpus_sha256([validation_path]),
            "model": "one-vs-rest logistic regression (liblinear), class_weight=balanced",
            "C": C,
            "char_min_df": CHAR_MIN_DF,
            "word_min_df": WORD_MIN_DF,
            "versions": _versions(),
        },
        "vocabulary": fitted.vocabulary,
        "words": fitted.words,
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    text = json.dumps(meta, sort_keys=True, ensure_ascii=True, separators=(",", ":")) + "\n"
    (out_dir / "model.json").write_text(text, encoding="utf-8")
    with (out_dir / "model.npy").open("wb") as out:
        np.save(out, fitted.table, allow_pickle=False)
    return files_sha256(out_dir)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lantern safety train", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=MODEL_DIR, help="where to write model.json and model.npy")
    args = parser.parse_args(argv)
    return run(args.out)


def run(out_dir: Path = MODEL_DIR) -> int:
    try:
        import sklearn  # noqa: F401
    except ImportError:
        print("lantern: training needs scikit-learn: pip install -e '.[dev]'", file=sys.stderr)
        return 2
    sha = train(out_dir=out_dir)
    print(f"wrote {out_dir / 'model.json'} and {out_dir / 'model.npy'}")
    print(f"sha256={sha}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

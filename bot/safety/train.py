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
from bot.safety.features import FEATURES_VERSION, RULE_FEATURE_VALUE, Message, all_features, read
from bot.safety.model import LABEL_ORDER, MODEL_DIR, Model, cuts_of, files_sha256, read_model, sigmoid

CORPUS_DIR = Path(__file__).resolve().parents[2] / "data" / "safety"
ORDINARY_CHAT = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "ordinary_chat.txt"
C = 10.0  # inverse regularisation strength, chosen by cross-validation on train (3 and 30 no better)
# NB weighting (see nb_ratio) for these labels, with this smoothing: for crisis, five-fold
# cross-validation on train took the none false-positive rate at crisis recall 0.95 from 0.146 to
# 0.121 (alpha 0.05-0.1 best of 0.02-0.25); validation agreed (0.107 -> 0.088). For the relationship
# labels it did worse on validation (binary F1 0.879 -> 0.842, pursuit recall 0.815 -> 0.677).
NB_LABELS = frozenset({"crisis"})
NB_ALPHA = 0.1
CHAR_MIN_DF = 2  # a character piece must occur in two training messages
WORD_MIN_DF = 1
# A pair of tokens needs only one training message: requiring two halves the vocabulary but took
# the crisis none false-positive rate at recall 0.95 from 0.121 to 0.126 (cross-validation on
# train) and from 0.088 to 0.101 (validation).
BIGRAM_MIN_DF = 1
CRISIS_RECALL = 0.95  # the target: a missed crisis is the worst failure
RELATIONSHIP_PRECISION = 0.90  # of what a relationship label flags, at most 1 in 10 is an ordinary message
MIN_FLAGGED = 10  # a precision needs at least this many messages behind it
# Validation kinds that are everyday chat, for the operating-point table (what a false crisis costs).
ORDINARY_KINDS = frozenset(
    [
        "ordinary",
        "greeting_farewell",
        "daily_life",
        "gratitude",
        "reactions",
        "plans",
        "banter",
        "tech",
        "school_work",
        "social_friends",
        "spirituality",
        "journaling_progress",
        "feelings_no_label",
        "tired",
        "questions_meta",
    ]
)
CRISIS_POINTS = (0.05, 0.1, 0.2, 0.3, 0.4, 0.5)


@dataclass(frozen=True)
class Fitted:
    vocabulary: list[str]
    table: npt.NDArray[np.float32]
    words: list[str]


def _idf(df: int, n: int) -> float:
    return math.log((1 + n) / (1 + df)) + 1.0


def design_matrix(messages: Sequence[Message], vocabulary: dict[str, int], idf: npt.NDArray[np.float64]) -> Any:
    """Rows as model.Model scores them: the character and word blocks each count·idf scaled by
    1/sqrt(the block's total), rule findings at RULE_FEATURE_VALUE."""
    from scipy import sparse  # training only

    block = [1] * len(vocabulary)
    for feature, k in vocabulary.items():
        block[k] = 0 if feature.startswith("c:") else 2 if feature.startswith("x:") else 1
    rows: list[int] = []
    cols: list[int] = []
    values: list[float] = []
    for r, message in enumerate(messages):
        counts = Counter(vocabulary[f] for f in all_features(message) if f in vocabulary)
        for kind in (0, 1, 2):
            present = sorted(k for k in counts if block[k] == kind)
            if not present:
                continue
            total = math.sqrt(sum(counts[k] * idf[k] for k in present))
            for k in present:
                rows.append(r)
                cols.append(k)
                # a finding is listed once per message and keeps its fixed value
                values.append(RULE_FEATURE_VALUE if kind == 2 else counts[k] * idf[k] / total)
    return sparse.csr_matrix((values, (rows, cols)), shape=(len(messages), len(vocabulary)), dtype=np.float64)


def _min_df(feature: str) -> int:
    return CHAR_MIN_DF if feature.startswith("c:") else BIGRAM_MIN_DF if feature.startswith("b:") else WORD_MIN_DF


def nb_ratio(x: Any, target: npt.NDArray[np.int64], alpha: float) -> npt.NDArray[np.float64]:
    """Per feature, the log of its smoothed share of the label's feature mass over its share of the
    rest's (Wang & Manning 2012, "NBSVM"): a feature the label's messages use far more weighs more."""
    inside = alpha + np.asarray(x[target == 1].sum(axis=0)).ravel()
    outside = alpha + np.asarray(x[target == 0].sum(axis=0)).ravel()
    ratio: npt.NDArray[np.float64] = np.log((inside / inside.sum()) / (outside / outside.sum()))
    return ratio


def fit(texts: Sequence[str], labels: Sequence[str], c: float = C) -> Fitted:
    from sklearn.linear_model import LogisticRegression  # training only

    messages = [read(t) for t in texts]
    df: Counter[str] = Counter()
    for message in messages:
        df.update(set(all_features(message)))
    vocabulary = sorted(f for f, n in df.items() if n >= _min_df(f))
    index = {f: i for i, f in enumerate(vocabulary)}
    idf = np.array([_idf(df[f], len(messages)) for f in vocabulary])
    x = design_matrix(messages, index, idf)
    y = np.array([LABEL_ORDER.index(label) for label in labels])
    table = np.zeros((len(vocabulary) + 1, len(LABEL_ORDER) + 1), dtype=np.float32)
    for k, label in enumerate(LABEL_ORDER):
        # One binary model per label, each class weighted by its rarity ("balanced"). With NB
        # weighting, each feature is first scaled by how much likelier it is in this label's
        # messages than in the rest; the scale is folded into the weight, so inference is unchanged.
        target = (y == k).astype(np.int64)
        scale = nb_ratio(x, target, NB_ALPHA) if label in NB_LABELS else np.ones(x.shape[1])
        clf = LogisticRegression(C=c, solver="liblinear", class_weight="balanced", max_iter=1000, tol=1e-6)
        clf.fit(x.multiply(scale).tocsr(), target)
        table[:-1, k] = (clf.coef_[0] * scale).astype(np.float32)
        table[-1, k] = np.float32(clf.intercept_[0])
    table[:-1, len(LABEL_ORDER)] = idf.astype(np.float32)
    words = sorted({word for message in messages for word in message.words})
    return Fitted(vocabulary, table, words)


def _floor(value: float) -> float:
    return math.floor(value * 1000) / 1000


def choose_thresholds(model: Model, validation: Sequence[dict[str, str]]) -> dict[str, float]:
    """Per label on validation: crisis for recall, the relationship labels for precision.

    - crisis: the highest threshold (to 0.001) at which the model finds CRISIS_RECALL of
      validation's crisis messages;
    - each relationship label: the lowest threshold at which at least RELATIONSHIP_PRECISION of the
      messages it would flag (after crisis and the guards) are not `none` messages.
    """
    from bot.safety.detector import RELATIONSHIP_LABELS, combine

    messages = [read(item["text"]) for item in validation]
    labels = [item["label"] for item in validation]
    logits = [model.logits(m) for m in messages]
    crisis_scores = sorted(
        (sigmoid(z[0]) for z, gold in zip(logits, labels, strict=True) if gold == "crisis"), reverse=True
    )
    crisis = _floor(crisis_scores[math.ceil(CRISIS_RECALL * len(crisis_scores)) - 1])
    thresholds: dict[str, float] = {"crisis": crisis}
    candidates: dict[str, list[tuple[float, bool]]] = {label: [] for label in RELATIONSHIP_LABELS}
    open_door = cuts_of({**thresholds, **dict.fromkeys(RELATIONSHIP_LABELS, 0.0)})
    for message, z, gold in zip(messages, logits, labels, strict=True):
        decided, _ = combine(z, message.findings, open_door)  # what each message gets at threshold 0
        if decided in candidates:
            candidates[decided].append((sigmoid(z[LABEL_ORDER.index(decided)]), gold != "none"))
    for label, flagged in candidates.items():
        flagged.sort(reverse=True)
        chosen, concerning = 1.0, 0
        for count, (score, is_concern) in enumerate(flagged, 1):
            concerning += is_concern
            if count >= MIN_FLAGGED and concerning / count >= RELATIONSHIP_PRECISION:
                chosen = score
        thresholds[label] = _floor(chosen)
    return thresholds


def crisis_operating_points(model: Model, validation: Sequence[dict[str, str]]) -> list[str]:
    """A table of crisis thresholds: recall, none false-positive rate and false crisis on everyday chat."""
    scored = [(sigmoid(model.logits(read(item["text"]))[0]), item["label"], item["kind"]) for item in validation]
    ordinary = [
        sigmoid(model.logits(read(line))[0])
        for line in ORDINARY_CHAT.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    crisis = [s for s, label, _ in scored if label == "crisis"]
    none = [s for s, label, _ in scored if label == "none"]
    everyday = [s for s, label, kind in scored if label == "none" and kind in ORDINARY_KINDS]
    chosen = model.thresholds.get("crisis")
    points = sorted({*CRISIS_POINTS, *([chosen] if chosen is not None else [])})
    lines = [
        "crisis threshold | crisis recall | none FPR (crisis only) | false crisis: validation everyday chat | "
        "benchmarks/data/ordinary_chat.txt"
    ]
    for t in points:

        def share(values: list[float], t: float = t) -> str:
            hits = sum(1 for v in values if v >= t)
            return f"{hits / len(values):.3f} ({hits}/{len(values)})"

        mark = " (chosen)" if t == chosen else ""
        lines.append(f"{t:.3f}{mark} | {share(crisis)} | {share(none)} | {share(everyday)} | {share(ordinary)}")
    return lines


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
            "crisis_recall_on_validation": CRISIS_RECALL,
            "relationship_precision_on_validation": RELATIONSHIP_PRECISION,
            "C": C,
            "nb_weighting": {"labels": sorted(NB_LABELS), "alpha": NB_ALPHA},
            "char_min_df": CHAR_MIN_DF,
            "word_min_df": WORD_MIN_DF,
            "bigram_min_df": BIGRAM_MIN_DF,
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
    trained = read_model(out_dir, expected_sha256=None)
    print("thresholds: " + " ".join(f"{k}={v}" for k, v in sorted(trained.thresholds.items())))
    validation = list(read_corpus(CORPUS_DIR / "validation.jsonl"))
    print("\n".join(crisis_operating_points(trained, validation)))
    print(f"sha256={sha}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

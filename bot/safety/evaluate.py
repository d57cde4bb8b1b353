"""Precision, recall and F1 per label, a confusion matrix, and the summary line the targets use."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.safety.detector import LABELS, Assessment, assess


@dataclass(frozen=True)
class Example:
    text: str
    label: str


@dataclass(frozen=True)
class Report:
    n: int
    per_label: dict[str, tuple[float, float, float, int]]  # precision, recall, f1, support
    confusion: dict[str, dict[str, int]]  # gold -> predicted -> count
    binary_f1: float
    crisis_recall: float
    pursuit_recall: float
    none_fpr: float
    label_accuracy: float
    misses: list[tuple[str, str, str]]  # text, gold, predicted

    def summary_line(self) -> str:
        return (
            f"binary_f1={self.binary_f1:.3f} crisis_recall={self.crisis_recall:.3f} "
            f"pursuit_recall={self.pursuit_recall:.3f} none_fpr={self.none_fpr:.3f} "
            f"label_accuracy={self.label_accuracy:.3f} n={self.n}"
        )


def read_examples(path: Path) -> list[Example]:
    examples: list[Example] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            label = row["label"]
            text = row["text"]
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{number}: expected a JSON object with text and label ({exc})") from None
        if label not in LABELS:
            raise ValueError(f"{path}:{number}: unknown label {label!r} (labels: {', '.join(LABELS)})")
        examples.append(Example(str(text), label))
    return examples


def _ratio(top: int, bottom: int) -> float:
    return top / bottom if bottom else 0.0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def evaluate(examples: Iterable[Example], detector: Callable[[str], Assessment] = assess) -> Report:
    rows = [(ex, detector(ex.text).label) for ex in examples]
    confusion: dict[str, dict[str, int]] = {gold: dict.fromkeys(LABELS, 0) for gold in LABELS}
    for ex, predicted in rows:
        confusion[ex.label][predicted] += 1
    per_label: dict[str, tuple[float, float, float, int]] = {}
    for label in LABELS:
        tp = confusion[label][label]
        predicted_total = sum(confusion[g][label] for g in LABELS)
        support = sum(confusion[label].values())
        precision, recall = _ratio(tp, predicted_total), _ratio(tp, support)
        per_label[label] = (precision, recall, _f1(precision, recall), support)
    tp = sum(1 for ex, p in rows if ex.label != "none" and p != "none")
    fp = sum(1 for ex, p in rows if ex.label == "none" and p != "none")
    fn = sum(1 for ex, p in rows if ex.label != "none" and p == "none")
    none_total = sum(1 for ex, _ in rows if ex.label == "none")
    return Report(
        n=len(rows),
        per_label=per_label,
        confusion=confusion,
        binary_f1=_f1(_ratio(tp, tp + fp), _ratio(tp, tp + fn)),
        crisis_recall=per_label["crisis"][1],
        pursuit_recall=per_label["pursuit"][1],
        none_fpr=_ratio(fp, none_total),
        label_accuracy=_ratio(sum(1 for ex, p in rows if ex.label == p), len(rows)),
        misses=[(ex.text, ex.label, p) for ex, p in rows if ex.label != p],
    )


def format_report(report: Report) -> str:
    lines = ["label      precision  recall  f1     support"]
    for label, (precision, recall, f1, support) in report.per_label.items():
        lines.append(f"{label:<10} {precision:>9.3f}  {recall:>6.3f}  {f1:.3f}  {support:>7}")
    lines.append("")
    lines.append("confusion (rows: true label, columns: predicted)")
    lines.append(" " * 10 + "".join(f"{label[:8]:>9}" for label in LABELS))
    for gold in LABELS:
        lines.append(f"{gold:<10}" + "".join(f"{report.confusion[gold][p]:>9}" for p in LABELS))
    lines.append("")
    lines.append(report.summary_line())
    return "\n".join(lines)

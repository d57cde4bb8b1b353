"""Precision, recall and F1 per label, a confusion matrix, and the summary line the targets use."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.safety.detector import LABELS, Assessment, assess


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    kind: str = ""  # what sort of message it is, as the corpus names it ("method/short", "gaming")


# The two groups of kinds, named by the words of a kind before its "/" (fixed before the
# test split was scored; a kind's name, never its text, decides):
# - explicit crisis statements (a method, a plan, the means, a place or a time, a note or a goodbye,
#   giving things away, self-harm, intent): at least 95% should be labelled crisis;
# - jokes and other senses (gaming, hyperbole, dark humour, irony, media, lyrics and quotes, slang,
#   idioms, memes): at most 2% should be labelled crisis.
EXPLICIT_KIND_WORDS = frozenset(
    [
        "method",
        "methods",
        "plan",
        "plans",
        "planning",
        "means",
        "place",
        "time",
        "timing",
        "date",
        "note",
        "notes",
        "goodbye",
        "goodbyes",
        "giving",
        "self",
        "harm",
        "intent",
        "explicit",
    ]
)
JOKING_KIND_WORDS = frozenset(
    [
        "gaming",
        "game",
        "games",
        "hyperbole",
        "humour",
        "humor",
        "irony",
        "ironic",
        "sarcasm",
        "sarcastic",
        "joke",
        "jokes",
        "joking",
        "media",
        "lyrics",
        "lyric",
        "quote",
        "quotes",
        "song",
        "songs",
        "slang",
        "idiom",
        "idioms",
        "meme",
        "memes",
    ]
)
_KIND_WORD = re.compile(r"[a-z]+")


def kind_group(label: str, kind: str) -> str | None:
    """ "explicit" for a crisis example of an explicit kind, "joking" for a none example of a joking
    kind, else None."""
    words = set(_KIND_WORD.findall(kind.split("/")[0].lower()))
    if label == "crisis" and not EXPLICIT_KIND_WORDS.isdisjoint(words):
        return "explicit"
    if label == "none" and not JOKING_KIND_WORDS.isdisjoint(words):
        return "joking"
    return None


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
    per_kind: dict[tuple[str, str], tuple[int, int, int]]  # (gold, kind) -> examples, right, labelled crisis

    def group_crisis_share(self, group: str) -> tuple[int, int]:
        """Of a kind group's examples (kind_group), how many were labelled crisis, and how many there are."""
        crisis = total = 0
        for (gold, kind), (n, _, as_crisis) in self.per_kind.items():
            if kind_group(gold, kind) == group:
                crisis += as_crisis
                total += n
        return crisis, total

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
        examples.append(Example(str(text), label, str(row.get("kind", ""))))
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
    per_kind: dict[tuple[str, str], tuple[int, int, int]] = {}
    for ex, predicted in rows:
        n, right, as_crisis = per_kind.get((ex.label, ex.kind), (0, 0, 0))
        per_kind[(ex.label, ex.kind)] = (n + 1, right + (predicted == ex.label), as_crisis + (predicted == "crisis"))
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
        per_kind=per_kind,
    )


def format_kinds(report: Report) -> str:
    """Per kind (label and kind, never a text): how many, how many right, how many labelled crisis;
    then the issue's two groups as shares labelled crisis."""
    lines = ["label      kind                              n  right  as crisis  group"]
    for (gold, kind), (n, right, as_crisis) in sorted(report.per_kind.items()):
        group = kind_group(gold, kind) or ""
        lines.append(f"{gold:<10} {kind or '-':<30} {n:>4} {right:>6} {as_crisis:>10}  {group}")
    lines.append("")
    for group, says in (
        ("explicit", "explicit method/plan/goodbye statements labelled crisis (target >= 0.95)"),
        ("joking", "gaming, irony, lyrics and slang labelled crisis (target <= 0.02)"),
    ):
        crisis, total = report.group_crisis_share(group)
        share = f"{crisis / total:.3f}" if total else "-"
        lines.append(f"{says}: {share} ({crisis}/{total})")
    return "\n".join(lines)


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

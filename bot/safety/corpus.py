"""The safety corpus: labelled chat messages, split by where they came from.

Messages grounded in one page stay in one split, so a model never sees a sibling of a test message
in training. `split_of` is the committed rule; tests/unit/test_safety_corpus.py checks every file
follows it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Literal

Split = Literal["train", "validation", "test"]
SPLIT_SALT = "lantern-safety-split-v1"
TRAIN_PERCENT, VALIDATION_PERCENT = 70, 15  # the rest (15%) is test
FIELDS = ("id", "text", "label", "kind", "source", "annotator")


def group_of(item: Mapping[str, str]) -> str:
    """The unit that is never split: a source page, or one written message."""
    source = item["source"].strip()
    if source == "written":
        return "written:" + hashlib.sha256(item["text"].encode("utf-8")).hexdigest()
    return source.rstrip("/").lower()


def split_of(item: Mapping[str, str]) -> Split:
    bucket = int(hashlib.sha256(f"{SPLIT_SALT}:{group_of(item)}".encode()).hexdigest(), 16) % 100
    if bucket < TRAIN_PERCENT:
        return "train"
    if bucket < TRAIN_PERCENT + VALIDATION_PERCENT:
        return "validation"
    return "test"


def read_corpus(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if line.strip():
                item = json.loads(line)
                missing = [f for f in FIELDS if f not in item]
                if missing:
                    raise ValueError(f"{path}:{number}: missing {', '.join(missing)}")
                yield item

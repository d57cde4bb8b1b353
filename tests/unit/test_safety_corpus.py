"""The safety corpus keeps its shape: valid items, split by source, big enough where the issue says."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from bot.safety.corpus import group_of, read_corpus, split_of

ROOT = Path(__file__).resolve().parents[2]
FILES = {
    "train": ROOT / "data/safety/train.jsonl",
    "validation": ROOT / "data/safety/validation.jsonl",
    "test": ROOT / "tests/data/safety_test.jsonl",
}
LABELS = {"crisis", "pursuit", "blocked", "rejected", "ignored", "none"}


@pytest.fixture(scope="module")
def corpus() -> dict[str, list[dict[str, str]]]:
    return {split: list(read_corpus(path)) for split, path in FILES.items()}


def test_every_item_is_in_the_split_its_source_hashes_to(corpus: dict[str, list[dict[str, str]]]) -> None:
    for split, items in corpus.items():
        assert items
        assert all(split_of(item) == split for item in items), split


def test_no_source_spans_two_splits(corpus: dict[str, list[dict[str, str]]]) -> None:
    owner: dict[str, str] = {}
    for split, items in corpus.items():
        for item in items:
            assert owner.setdefault(group_of(item), split) == split


def test_items_are_valid_and_unique(corpus: dict[str, list[dict[str, str]]]) -> None:
    everything = [item for items in corpus.values() for item in items]
    assert len({item["id"] for item in everything}) == len(everything)
    assert len({item["text"].lower() for item in everything}) == len(everything)
    for item in everything:
        assert item["label"] in LABELS
        assert 1 <= len(item["text"].split()) <= 80
        assert item["source"] == "written" or item["source"].startswith(("http://", "https://"))


def test_the_corpus_is_as_large_as_the_issue_asks(corpus: dict[str, list[dict[str, str]]]) -> None:
    everything = [item for items in corpus.values() for item in items]
    labels = Counter(item["label"] for item in everything)
    assert len(everything) >= 4000
    assert labels["crisis"] >= 600
    for label in ("ignored", "rejected", "blocked", "pursuit"):
        assert labels[label] >= 400, label
    hard = [i for i in everything if i["label"] == "none" and i["kind"] not in ("ordinary", "round1")]
    assert len(hard) >= 1500

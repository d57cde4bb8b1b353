"""The committed safety model: checked at load, rebuilt bit for bit from the corpus."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bot.safety.model import MODEL_DIR, MODEL_FILES, MODEL_SHA256, ModelError, files_sha256, read_model


def test_the_committed_files_match_the_checked_sha256() -> None:
    assert files_sha256(MODEL_DIR) == MODEL_SHA256
    assert read_model().thresholds["crisis"] > 0


def test_an_altered_model_is_refused(tmp_path: Path) -> None:
    for name in MODEL_FILES:
        shutil.copy(MODEL_DIR / name, tmp_path / name)
    with (tmp_path / "model.npy").open("r+b") as weights:
        weights.seek(-4, 2)
        weights.write(b"\x00\x00\x80\x3f")
    with pytest.raises(ModelError, match="MODEL_SHA256"):
        read_model(tmp_path)


def test_training_rebuilds_the_committed_model_bit_for_bit(tmp_path: Path) -> None:
    """About 15 s on two cores: fit on train.jsonl, thresholds on validation.jsonl."""
    pytest.importorskip("sklearn")
    from bot.safety.train import train

    assert train(out_dir=tmp_path) == MODEL_SHA256
    for name in MODEL_FILES:
        assert (tmp_path / name).read_bytes() == (MODEL_DIR / name).read_bytes()


TEST_SPLIT = Path(__file__).resolve().parents[1] / "data" / "safety_test.jsonl"


def test_the_test_split_meets_the_targets_it_meets_and_holds_the_rest_at_their_measured_floor() -> None:
    """The test split (1,409 messages), scored once for this model (commit 6c172b3, corpus round 3).

    Measured: binary_f1=0.837 crisis_recall=0.959 pursuit_recall=0.731 none_fpr=0.204
    label_accuracy=0.824; explicit method/plan/goodbye statements labelled crisis 0.947 (124/131);
    gaming, irony, lyrics and slang labelled crisis 0.140 (18/129). Of the 120 crisis labels on
    messages that are not a crisis, 111 are below CRISIS_SURE (crisis lines by DM, not in public).

    Held to the issue's targets, because they are met: crisis recall >= 0.95, label accuracy >= 0.80.
    NOT met, so held only at the measured figure rounded a little toward worse, so that a change can
    not quietly make them worse: binary F1 (target >= 0.90, floor 0.83), none false-positive rate
    (target <= 0.03, ceiling 0.21), explicit statements labelled crisis (target >= 0.95, floor 0.94),
    jokes labelled crisis (target <= 0.02, ceiling 0.15). These are floors, not the targets: the
    detector misses those targets (README, "Where it stands").
    """
    from bot.safety.detector import assess, unsure_crisis
    from bot.safety.evaluate import evaluate, read_examples

    examples = read_examples(TEST_SPLIT)
    report = evaluate(examples)
    summary = report.summary_line()
    assert report.n == 1409, summary
    # the targets, met
    assert report.crisis_recall >= 0.95, summary
    assert report.label_accuracy >= 0.80, summary
    # measured floors for targets NOT met
    assert report.binary_f1 >= 0.83, summary
    assert report.none_fpr <= 0.21, summary
    explicit, explicit_total = report.group_crisis_share("explicit")
    joking, joking_total = report.group_crisis_share("joking")
    assert explicit_total == 131 and joking_total == 129
    assert explicit / explicit_total >= 0.94, (explicit, explicit_total)
    assert joking / joking_total <= 0.15, (joking, joking_total)
    # what a member sees: a public crisis reply on a message that is not a crisis stays rare
    public_false_alarms = sum(
        1
        for example in examples
        if example.label != "crisis" and (found := assess(example.text)).label == "crisis" and not unsure_crisis(found)
    )
    assert public_false_alarms <= 12, public_false_alarms  # 9 measured


def test_the_sure_threshold_keeps_most_false_crisis_alarms_private_on_validation() -> None:
    """CRISIS_SURE was chosen on validation: most crisis labels on messages that are not a crisis
    fall below it (answered by DM, never a public crisis reply), most true crises reach it."""
    from bot.safety.detector import assess, unsure_crisis

    path = Path(__file__).resolve().parents[2] / "data" / "safety" / "validation.jsonl"
    true_sure = true_all = false_unsure = false_all = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        found = assess(item["text"])
        if found.label != "crisis":
            continue
        if item["label"] == "crisis":
            true_all += 1
            true_sure += not unsure_crisis(found)
        else:
            false_all += 1
            false_unsure += unsure_crisis(found)
    assert false_unsure / false_all >= 0.9  # 106 of 112 measured (69 of 73 when chosen, corpus round 2)
    assert true_sure / true_all >= 0.65  # 146 of 216 measured (124 of 179 when chosen)

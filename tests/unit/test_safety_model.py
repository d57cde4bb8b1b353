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
    """The test split (1,204 messages), scored once for this model (commit 9650053).

    Measured: binary_f1=0.846 crisis_recall=0.935 pursuit_recall=0.753 none_fpr=0.173
    label_accuracy=0.833; explicit method/plan/goodbye statements labelled crisis 0.900 (99/110);
    gaming, irony, lyrics and slang labelled crisis 0.125 (13/104).

    Held to the issue's target, because it is met: label accuracy >= 0.80.
    NOT met, so held only at the measured figure rounded a little toward worse, so that a change can
    not quietly make them worse: binary F1 (target >= 0.90, floor 0.84), crisis recall (target >= 0.95,
    floor 0.93), none false-positive rate (target <= 0.03, ceiling 0.18), explicit statements labelled
    crisis (target >= 0.95, floor 0.89), jokes labelled crisis (target <= 0.02, ceiling 0.13). These
    are floors, not the targets: the detector misses those targets (README, "Where it stands").
    """
    from bot.safety.evaluate import evaluate, read_examples

    report = evaluate(read_examples(TEST_SPLIT))
    summary = report.summary_line()
    assert report.n == 1204, summary
    # the target, met
    assert report.label_accuracy >= 0.80, summary
    # measured floors for targets NOT met
    assert report.binary_f1 >= 0.84, summary
    assert report.crisis_recall >= 0.93, summary
    assert report.none_fpr <= 0.18, summary
    explicit, explicit_total = report.group_crisis_share("explicit")
    joking, joking_total = report.group_crisis_share("joking")
    assert explicit_total == 110 and joking_total == 104
    assert explicit / explicit_total >= 0.89, (explicit, explicit_total)
    assert joking / joking_total <= 0.13, (joking, joking_total)


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
    assert false_unsure / false_all >= 0.9  # 69 of 73 when chosen
    assert true_sure / true_all >= 0.65  # 124 of 179 when chosen

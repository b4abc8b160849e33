"""Category heads: fitting on the staff set, scores, thresholds, explanations, the artifact."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from classifiers.content.artifact import load_model, save_heads, save_model
from classifiers.content.category_cues import cue_features
from classifiers.content.category_eval import category_report
from classifiers.content.category_heads import CATEGORIES, HEAD_COLUMNS, combined
from classifiers.content.category_training import fit_heads
from classifiers.content.decision import raised
from classifiers.content.errors import ArtifactError
from classifiers.content.labels import StaffCategory
from classifiers.content.staff_set import load_staff_set, split_rows

STAFF_SET = Path(__file__).resolve().parents[4] / "tests" / "data" / "staff_categories.jsonl"


@pytest.fixture(scope="module")
def rows():
    return load_staff_set(STAFF_SET)


@pytest.fixture(scope="module")
def headed(tiny_model, rows):
    from dataclasses import replace

    return replace(tiny_model, heads=fit_heads(tiny_model, rows, folds=2))


class TestHeads:
    def test_a_drunk_at_work_post_scores_alcohol(self, headed):
        """A post about teaching drunk is flagged alcohol_drugs, with a cue word in its terms."""
        text = "Still drunk and hungover from the bar, teaching first period wasted lol"
        prediction = headed.classify_batch([text], every_category=True)[0]
        alcohol = prediction.categories[CATEGORIES.index(StaffCategory.ALCOHOL_DRUGS)]
        assert alcohol.flagged and alcohol.top_terms

    def test_a_district_threshold_overrides_the_default(self, headed):
        """A threshold of 1.0 for a category keeps that category from ever flagging."""
        text = "Still drunk and hungover from the bar, teaching first period wasted lol"
        cuts = {StaffCategory.ALCOHOL_DRUGS: 1.0}
        prediction = headed.classify_batch([text], category_thresholds=cuts)[0]
        assert StaffCategory.ALCOHOL_DRUGS not in {
            c.category for c in prediction.flagged_categories
        }

    def test_a_disabled_category_is_not_raised(self, headed):
        """`raised` drops the categories a district has not enabled."""
        prediction = headed.classify("Still drunk and hungover from the bar, teaching wasted lol")
        enabled = set(StaffCategory) - {StaffCategory.ALCOHOL_DRUGS}
        assert all(
            c.category is not StaffCategory.ALCOHOL_DRUGS for c in raised(prediction, enabled)
        )

    def test_cue_features_count_per_category(self):
        """A text with two alcohol cues gets log(3) in the alcohol column only."""
        row = cue_features(["drunk and hungover"])[0]
        column = list(StaffCategory).index(StaffCategory.ALCOHOL_DRUGS)
        assert row[column] == pytest.approx(1.0986, abs=1e-3) and row.sum() == row[column]

    def test_a_phrase_cue_counts_an_admission_in_ordinary_words(self):
        """ "nobody will ever know" is a misconduct cue though none of its words is one."""
        row = cue_features(["took the day off and nobody will ever know"])[0]
        column = list(StaffCategory).index(StaffCategory.MISCONDUCT)
        assert row[column] > 0 and row.sum() == row[column]

    def test_phrase_cues_leave_everyday_senses_alone(self):
        """Everyday posts that share words with the phrase cues get no cue count."""
        texts = ["the play was a hit", "these people are amazing volunteers", "you will learn"]
        assert not cue_features(texts).any()

    def test_a_score_is_the_geometric_mean_of_its_three_heads(self):
        """Each category's score is the cube root of direct x topic x breach."""
        n = len(CATEGORIES)
        probabilities = np.full((1, HEAD_COLUMNS), 0.5)
        probabilities[0, 0], probabilities[0, n], probabilities[0, 2 * n] = 0.8, 0.4, 0.2
        scores = combined(probabilities)
        assert scores[0, 0] == pytest.approx((0.8 * 0.4 * 0.2) ** (1 / 3))
        assert scores[0, 1] == pytest.approx((0.5 * 0.5 * 0.2) ** (1 / 3))

    def test_every_head_is_fitted(self, headed):
        """The heads hold a direct and a topic column per category and one breach column."""
        assert headed.heads is not None
        assert headed.heads.weights.shape[1] == HEAD_COLUMNS == 2 * len(CATEGORIES) + 1

    def test_report_counts_any_flag_against_any_category(self, headed, rows):
        """The report has one line per category, `offensive` and `any`, with P and R."""
        val = split_rows(rows, "val")
        predictions = headed.classify_batch([row.text for row in val], every_category=True)
        report = category_report(val, [p.categories for p in predictions])
        assert set(report) == {*(c.value for c in CATEGORIES), "offensive", "any"}
        assert 0 <= report["any"]["precision"] <= 1


class TestHeadsArtifact:
    def test_round_trip_keeps_category_scores(self, headed, tmp_path):
        """Saved and loaded heads give the same category scores."""
        save_model(headed, tmp_path)
        assert headed.heads is not None
        save_heads(headed.heads, headed, tmp_path)
        loaded = load_model(tmp_path)
        text = "Hungover at car line, six tequila shots was a mistake"
        before = [c.score for c in headed.classify_batch([text], every_category=True)[0].categories]
        after = [c.score for c in loaded.classify_batch([text], every_category=True)[0].categories]
        assert after == pytest.approx(before)

    def test_heads_of_another_model_are_refused(self, headed, tmp_path):
        """Heads whose model digest differs from the model beside them are refused."""
        save_model(headed, tmp_path)
        assert headed.heads is not None
        save_heads(headed.heads, headed, tmp_path)
        meta = tmp_path / "categories.json"
        data = json.loads(meta.read_text())
        data["model_digest"] = "0" * 64
        meta.write_text(json.dumps(data))
        with pytest.raises(ArtifactError, match="another model"):
            load_model(tmp_path)

    def test_heads_of_the_old_format_are_refused(self, headed, tmp_path):
        """Session 11's six-column heads are refused with a word to retrain."""
        save_model(headed, tmp_path)
        assert headed.heads is not None
        save_heads(headed.heads, headed, tmp_path)
        six = {"weights": headed.heads.weights[:, :6], "biases": headed.heads.biases[:6]}
        np.savez(tmp_path / "categories.npz", thresholds=headed.heads.thresholds, **six)
        with pytest.raises(ArtifactError, match="retrain"):
            load_model(tmp_path)


class TestDetectorWithHeads:
    def test_a_drunk_at_work_post_raises_with_its_category(self, headed):
        """The detector raises alcohol_drugs with score, threshold and words in evidence."""
        from classifiers.content.detector import ContentDetector
        from tests.builders import make_post, sample_context

        text = "Still drunk and hungover from the bar, teaching first period wasted lol"
        [finding] = ContentDetector(headed)(make_post(text=text), sample_context())
        first = finding.evidence["categories"][0]
        assert finding.evidence["category"] == first["category"] == "alcohol_drugs"
        assert first["score"] >= first["threshold"] and first["top_terms"]


class TestWorkerPath:
    def test_a_clean_post_carries_no_category_objects(self, headed):
        """Without every_category a post that flags nothing carries no category scores."""
        prediction = headed.classify("Field trip forms are due Friday")
        assert prediction.categories == ()

    def test_every_category_gives_all_six_in_order(self, headed):
        """With every_category each text has the six categories in CATEGORIES order."""
        prediction = headed.classify_batch(
            ["Field trip forms are due Friday"], every_category=True
        )[0]
        assert tuple(c.category for c in prediction.categories) == CATEGORIES

    def test_a_flagged_post_carries_only_its_flagged_categories(self, headed):
        """The worker's predictions hold just the flagged categories, each with its words."""
        text = "Still drunk and hungover from the bar, teaching first period wasted lol"
        prediction = headed.classify(text)
        assert prediction.categories and all(
            c.flagged and c.top_terms for c in prediction.categories
        )


class TestRaised:
    def test_a_disabled_head_category_is_not_raised_as_another(self, headed):
        """A drunk post the heads call alcohol_drugs is not raised as profanity when disabled."""
        text = "Still drunk and hungover from the bar, teaching first period wasted lol"
        prediction = headed.classify(text)
        enabled = set(StaffCategory) - {StaffCategory.ALCOHOL_DRUGS}
        assert raised(prediction, enabled) == ()


class TestEvalCommand:
    def test_eval_prints_each_category_and_a_json_last_line(self, headed, tmp_path, capsys):
        """`classifiers eval` on the staff set prints per-category precision and recall."""
        from tapwatch.commands.classifiers import evaluate_categories

        assert headed.heads is not None
        save_model(headed, tmp_path)
        save_heads(headed.heads, headed, tmp_path)
        assert evaluate_categories(STAFF_SET, "val", tmp_path) == 0
        lines = capsys.readouterr().out.strip().splitlines()
        assert any(line.startswith("misconduct") for line in lines)
        summary = json.loads(lines[-1])
        assert summary["split"] == "val" and 0 <= summary["any"]["recall"] <= 1

    def test_eval_scores_one_writing_round_with_a_group_prefix(self, headed, tmp_path, capsys):
        """`--group-prefix r12-` scores that round's rows only; a prefix with none is refused."""
        from tapwatch.commands.classifiers import evaluate_categories
        from tapwatch.exit_codes import ExitCode

        assert headed.heads is not None
        save_model(headed, tmp_path)
        save_heads(headed.heads, headed, tmp_path)
        assert evaluate_categories(STAFF_SET, "val", tmp_path) == 0
        whole = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
        assert evaluate_categories(STAFF_SET, "val", tmp_path, "r12-") == 0
        part = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
        assert part["group_prefix"] == "r12-" and 0 < part["n"] < whole["n"]
        assert evaluate_categories(STAFF_SET, "val", tmp_path, "no-such-") == ExitCode.DATA
        assert "no val rows" in capsys.readouterr().err

    def test_eval_refuses_a_model_without_heads(self, tiny_model, tmp_path, capsys):
        """A model trained without the staff set says to retrain, with the data exit code."""
        from tapwatch.commands.classifiers import evaluate_categories
        from tapwatch.exit_codes import ExitCode

        save_model(tiny_model, tmp_path)
        assert evaluate_categories(STAFF_SET, "test", tmp_path) == ExitCode.DATA
        assert "no category heads" in capsys.readouterr().err

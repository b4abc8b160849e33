import json

import numpy as np
import pytest

from classifiers.content.artifact import METADATA_FILE, MODEL_FILE, load_model, save_model
from classifiers.content.errors import ArtifactError
from classifiers.content.minilm_table import fit_word_vectors
from classifiers.content.training import TrainingParams, train_model


class TestArtifact:
    def test_round_trip_keeps_predictions_and_version(self, tiny_model, staff_rows, tmp_path):
        """A saved and reloaded model has the same version and the same predictions."""
        save_model(tiny_model, tmp_path / "m")
        loaded = load_model(tmp_path / "m")
        assert loaded.version == tiny_model.version
        assert loaded.classify_batch(staff_rows.texts) == tiny_model.classify_batch(
            staff_rows.texts
        )

    def test_metadata_records_how_the_model_was_made(self, tiny_model, tmp_path):
        """The metadata holds version, thresholds, params, seed, libraries and val metrics."""
        save_model(tiny_model, tmp_path / "m")
        meta = json.loads((tmp_path / "m" / METADATA_FILE).read_text())
        assert meta["version"].startswith("content-")
        assert meta["seed"] == 7
        assert meta["params"]["min_df"] == 1
        libraries = {"python", "scikit-learn", "numpy", "scipy", "PyStemmer"}
        assert set(meta["libraries"]) == libraries
        assert meta["prior"] == "hand-made"
        assert meta["stem_prior"] == "hand-made stems"
        assert {"macro_f1", "precision", "recall"} <= set(meta["val_metrics"])
        assert 0 < meta["threshold"] < 1
        assert 0 < meta["operating_threshold"] < 1
        assert "staff_metrics" in meta

    def test_tampered_arrays_are_refused(self, tiny_model, tmp_path):
        """Weights that do not match the metadata's digest raise ArtifactError."""
        save_model(tiny_model, tmp_path / "m")
        with np.load(tmp_path / "m" / MODEL_FILE) as data:
            arrays = {name: data[name] for name in data.files}
        arrays["lexicon_weights"] = arrays["lexicon_weights"] + 1.0
        np.savez_compressed(tmp_path / "m" / MODEL_FILE, **arrays)
        with pytest.raises(ArtifactError, match="digest"):
            load_model(tmp_path / "m")

    def test_missing_artifact_says_how_to_make_one(self, tmp_path):
        """Loading from an empty folder names the training command."""
        with pytest.raises(ArtifactError, match="classifiers train"):
            load_model(tmp_path)

    def test_other_lexicon_is_refused(self, tiny_model, tmp_path):
        """A model fitted with another lexicon must be retrained, not loaded."""
        save_model(tiny_model, tmp_path / "m")
        path = tmp_path / "m" / METADATA_FILE
        meta = json.loads(path.read_text())
        meta["features"]["lexicon_digest"] = "0" * 16
        path.write_text(json.dumps(meta))
        with pytest.raises(ArtifactError, match="lexicon"):
            load_model(tmp_path / "m")

    def test_training_is_deterministic_for_a_seed(
        self, staff_rows, tiny_minilm, tiny_prior, tiny_stem_prior
    ):
        """Two trainings on the same rows with the same seed give the same version."""
        train, val = staff_rows, staff_rows
        params = TrainingParams(min_df=1, seed=3)
        versions = {
            train_model(
                train,
                val,
                params,
                prior=tiny_prior,
                word_vectors=fit_word_vectors(train.texts, 8, 3, tiny_minilm),
                stem_prior=tiny_stem_prior,
            ).version
            for _ in range(2)
        }
        assert len(versions) == 1

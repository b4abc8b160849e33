import io
import json
from pathlib import Path

from classifiers.content.artifact import load_model, save_model
from classifiers.content.encoder_graph import ENCODER_FILE
from classifiers.content.reading_heads import ReadingHeads
from tapwatch.commands.classifiers import evaluate, predict, train

STAFF_SET = Path(__file__).resolve().parents[4] / "tests" / "data" / "staff_categories.jsonl"

CATEGORIES = {"profanity", "insult_or_harassment", "sexual", "slur", "none"}


class TestClassifierCommands:
    def test_train_writes_a_loadable_artifact(self, tiny_dataset, staff_posts, tmp_path, capsys):
        """train fits on the dataset and writes a versioned model that loads."""
        assert train([tiny_dataset], tmp_path / "model", seed=1, staff_posts=staff_posts) == 0
        model = load_model(tmp_path / "model")
        assert model.version in capsys.readouterr().out
        assert any(path.endswith("train_text.txt") for path in model.metadata["data_files"])

    def test_train_fits_reading_heads_with_the_encoder_graph(
        self, tiny_dataset, staff_posts, tmp_path, capsys
    ):
        """With a staff set, the encoder graph is built (from the MiniLM package) beside the
        model and the reading heads fitted."""
        out = tmp_path / "model"
        assert train([tiny_dataset], out, 1, staff_posts, STAFF_SET) == 0
        assert isinstance(load_model(out).heads, ReadingHeads)
        assert (out / ENCODER_FILE).exists()
        assert "reading heads fitted" in capsys.readouterr().out

    def test_train_refuses_a_folder_without_data(self, tmp_path, capsys):
        """A dataset folder without splits is an error, exit status 65 (bad input data)."""
        assert train([tmp_path], tmp_path / "model", seed=1) == 65
        assert "error:" in capsys.readouterr().err

    def test_eval_last_line_is_the_json_summary(self, tiny_dataset, tiny_model, tmp_path, capsys):
        """eval prints the metrics and ends with one JSON object of the required keys."""
        save_model(tiny_model, tmp_path / "model")
        assert evaluate(tiny_dataset, "test", tmp_path / "model") == 0
        lines = capsys.readouterr().out.strip().splitlines()
        summary = json.loads(lines[-1])
        assert {"macro_f1", "precision", "recall", "f1", "texts_per_s"} <= set(summary)
        assert 0 <= summary["macro_f1"] <= 1
        assert summary["texts_per_s"] > 0
        assert any(line.startswith("macro-F1") for line in lines)

    def test_predict_prints_one_json_object_per_line(self, tiny_model, tmp_path):
        """Every stdin line, even an empty one, gets one JSON object in the documented shape."""
        save_model(tiny_model, tmp_path / "model")
        stdin = io.StringIO("Great game tonight!\n\nyou stupid fucking idiot\r\nlast line")
        stdout = io.StringIO()
        assert predict(tmp_path / "model", stdin, stdout) == 0
        rows = [json.loads(line) for line in stdout.getvalue().splitlines()]
        assert len(rows) == 4
        for row in rows:
            assert 0 <= row["score"] <= 1
            assert row["label"] in {"offensive", "clean"}
            assert row["category"] in CATEGORIES
            assert isinstance(row["top_terms"], list)

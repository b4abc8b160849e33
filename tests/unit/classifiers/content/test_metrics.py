import pytest

from classifiers.content.metrics import binary_metrics, false_positive_rates


class TestBinaryMetrics:
    def test_known_confusion_matrix(self):
        """tp=2, fp=1, fn=1, tn=2 gives precision 2/3, recall 2/3 and macro-F1 2/3."""
        result = binary_metrics([1, 1, 1, 0, 0, 0], [1, 1, 0, 1, 0, 0])
        assert result.accuracy == pytest.approx(4 / 6)
        assert result.precision == pytest.approx(2 / 3)
        assert result.recall == pytest.approx(2 / 3)
        assert result.macro_f1 == pytest.approx(2 / 3)

    def test_no_predicted_positives_gives_zero_not_an_error(self):
        """Precision with nothing flagged is 0 rather than a division error."""
        result = binary_metrics([1, 0], [0, 0])
        assert result.precision == 0.0
        assert result.f1 == 0.0

    def test_false_positive_rate_per_group(self):
        """Each group's rate is its flagged share."""
        rates = {r.group: r.rate for r in false_positive_rates("aab", [True, False, False])}
        assert rates == {"a": 0.5, "b": 0.0}

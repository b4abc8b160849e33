import numpy as np

from classifiers.content.thresholds import all_cuts, best_macro_f1, precision_first

SCORES = np.array([0.9, 0.8, 0.7, 0.6, 0.4, 0.3, 0.2, 0.1])
LABELS = np.array([1, 1, 0, 1, 0, 0, 1, 0])


class TestThresholds:
    def test_cuts_go_from_highest_score_down(self):
        """There is one cut per distinct score, highest first, with its precision and recall."""
        cuts = all_cuts(SCORES, LABELS)
        assert [c.threshold for c in cuts] == sorted(SCORES.tolist(), reverse=True)
        assert cuts[0].precision == 1.0
        assert cuts[-1].recall == 1.0

    def test_best_macro_f1_separates_the_classes(self):
        """With perfectly separable scores the best cut is the lowest positive score."""
        cut = best_macro_f1(np.array([0.9, 0.8, 0.3, 0.2]), np.array([1, 1, 0, 0]))
        assert cut.threshold == 0.8
        assert cut.macro_f1 == 1.0

    def test_precision_first_takes_the_most_recall_at_the_target(self):
        """The chosen cut is the lowest one whose precision still reaches the target."""
        cut = precision_first(SCORES, LABELS, min_precision=0.75)
        assert cut.threshold == 0.6
        assert (cut.precision, cut.recall) == (0.75, 0.75)

    def test_precision_first_without_reachable_target_takes_best_precision(self):
        """When no cut reaches the target, the most precise cut is returned."""
        cut = precision_first(np.array([0.9, 0.5]), np.array([0, 1]), min_precision=0.99)
        assert cut.threshold == 0.5
        assert cut.precision == 0.5

    def test_tied_scores_share_one_cut(self):
        """Texts with equal scores are flagged or cleared together."""
        cuts = all_cuts(np.array([0.5, 0.5, 0.5]), np.array([1, 0, 1]))
        assert len(cuts) == 1
        assert cuts[0].precision == 2 / 3

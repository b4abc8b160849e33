"""The policy error types print and travel as the contract says."""

from __future__ import annotations

import pickle

from core.errors import PermanentError
from policy import DistrictFileError, DistrictValidationError, InvalidValue


class TestDistrictFileError:
    def test_str_is_file_line_column_message(self):
        """A problem prints as `file:line: column: what is wrong`."""
        problem = DistrictFileError("oneroster/users.csv", 12, "role", "unknown role 'wizard'")
        assert str(problem) == "oneroster/users.csv:12: role: unknown role 'wizard'"

    def test_equal_by_value(self):
        """Two problems with the same position and message are equal."""
        assert DistrictFileError("a.csv", 1, "x", "m") == DistrictFileError("a.csv", 1, "x", "m")


class TestDistrictValidationError:
    def test_is_permanent(self):
        """A refused district will be refused again: the error is permanent."""
        assert issubclass(DistrictValidationError, PermanentError)
        assert issubclass(InvalidValue, ValueError)

    def test_message_lists_every_problem(self):
        """The message counts the problems and prints one per line."""
        error = DistrictValidationError(
            [DistrictFileError("a.csv", 2, "x", "bad"), DistrictFileError("b.csv", 3, "y", "worse")]
        )
        assert str(error) == "district refused, 2 problems:\na.csv:2: x: bad\nb.csv:3: y: worse"

    def test_pickles_with_its_problems(self):
        """The error survives pickling (as between worker processes) with its problems."""
        error = DistrictValidationError([DistrictFileError("a.csv", 2, "x", "bad")])
        assert pickle.loads(pickle.dumps(error)).problems == error.problems

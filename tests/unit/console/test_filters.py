"""The queue's query parameters into the typed incident filter."""

from __future__ import annotations

import pytest

from console.filters import filter_from_params


class TestFilterFromParams:
    def test_terms_dates_sort_and_paging(self):
        """Each known parameter lands in its field; empty ones do not filter."""
        spec = filter_from_params(
            {
                "status": "open",
                "rule": "",
                "since": "2026-10-01",
                "sort": "severity:asc",
                "page": "2",
            }
        )
        assert spec.status == "open" and spec.rule is None
        assert spec.since is not None and spec.since.isoformat().startswith("2026-10-01")
        assert spec.sort == "severity:asc" and spec.page == 2

    @pytest.mark.parametrize(
        "params", [{"page": "x"}, {"sort": "summary"}, {"since": "yesterday"}, {"size": "5000"}]
    )
    def test_bad_values_are_value_errors(self, params):
        """A bad page, sort field, date or size is refused with a message."""
        with pytest.raises(ValueError):
            filter_from_params(params)

"""Unit tests of the incident-review query builder (alerts/incident_query.py)."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from alerts.incident_query import IncidentFilter, build_query, build_search, build_sort, parse_when


def _filters(spec: IncidentFilter) -> list[dict]:
    return build_query(spec)["bool"]["filter"]


class TestFilters:
    @pytest.mark.parametrize(
        ("option", "field"),
        [
            ("district_id", "district_id"),
            ("building", "building_id"),
            ("staff", "staff_id"),
            ("student", "student_ids"),
            ("rule", "rule"),
            ("status", "status"),
            ("platform", "platform"),
            ("severity", "severity"),
            ("assignee", "assignee"),
        ],
    )
    def test_each_option_is_one_term_filter_on_its_field(self, option, field):
        """Each exact option becomes one term filter on the matching alert field."""
        assert _filters(IncidentFilter(**{option: "x-1"})) == [{"term": {field: "x-1"}}]

    def test_no_options_filter_nothing(self):
        """An empty filter matches every alert."""
        assert build_query(IncidentFilter()) == {"bool": {"filter": []}}

    def test_since_and_until_are_one_range_on_event_time_in_utc(self):
        """The time range is a range on event_time with UTC bounds."""
        since = datetime(2026, 10, 5, 9, 0, tzinfo=timezone(timedelta(hours=-5)))
        until = datetime(2026, 10, 6, tzinfo=UTC)
        spec = IncidentFilter(since=since, until=until)
        assert _filters(spec) == [
            {
                "range": {
                    "event_time": {"gte": "2026-10-05T14:00:00Z", "lte": "2026-10-06T00:00:00Z"}
                }
            }
        ]

    def test_only_since_gives_an_open_range(self):
        """A range with only a lower bound has no upper bound."""
        spec = IncidentFilter(since=datetime(2026, 1, 1, tzinfo=UTC))
        assert _filters(spec) == [{"range": {"event_time": {"gte": "2026-01-01T00:00:00Z"}}}]

    def test_text_is_a_match_on_summary_only_with_the_words_as_data(self):
        """Free text is a match on summary; query syntax in it is not interpreted."""
        hostile = 'status:dismissed OR * AND "x" -rule:(a)'
        query = build_query(IncidentFilter(text=hostile))
        assert query["bool"]["must"] == [
            {"match": {"summary": {"query": hostile, "operator": "and"}}}
        ]
        assert "query_string" not in repr(query)

    def test_blank_text_adds_no_match(self):
        """Whitespace-only text does not filter."""
        assert "must" not in build_query(IncidentFilter(text="   "))["bool"]

    def test_filters_combine(self):
        """Several options are all required together."""
        spec = IncidentFilter(rule="school_hours", staff="t-1", text="lunch")
        query = build_query(spec)["bool"]
        assert len(query["filter"]) == 2 and len(query["must"]) == 1


class TestSortAndPaging:
    def test_default_sort_is_event_time_desc_then_alert_id(self):
        """Newest events first; alert_id breaks ties so pages are stable."""
        assert build_sort(IncidentFilter()) == [
            {"event_time": {"order": "desc", "unmapped_type": "keyword"}},
            {"alert_id": {"order": "asc"}},
        ]

    def test_field_without_order_sorts_keywords_ascending(self):
        """A keyword field named alone sorts ascending."""
        assert build_sort(IncidentFilter(sort="staff_id"))[0] == {
            "staff_id": {"order": "asc", "unmapped_type": "keyword"}
        }

    def test_unknown_sort_field_is_refused(self):
        """Only listed fields may be sorted by (no script or arbitrary field)."""
        with pytest.raises(ValueError, match="cannot sort"):
            IncidentFilter(sort="summary")

    def test_bad_sort_order_is_refused(self):
        """The order is asc or desc."""
        with pytest.raises(ValueError, match="asc or desc"):
            IncidentFilter(sort="event_time:sideways")

    def test_page_three_skips_two_pages(self):
        """Page N starts after N-1 pages of the chosen size."""
        body = build_search(IncidentFilter(page=3, size=20))
        assert (body["from"], body["size"]) == (40, 20)

    def test_paging_past_the_result_window_is_refused(self):
        """from + size may not pass Elasticsearch's result window."""
        with pytest.raises(ValueError, match="10000"):
            IncidentFilter(page=11, size=1000)

    def test_since_after_until_is_refused(self):
        """An empty time range is a mistake, not an empty result."""
        with pytest.raises(ValueError, match="after"):
            IncidentFilter(
                since=datetime(2026, 2, 1, tzinfo=UTC), until=datetime(2026, 1, 1, tzinfo=UTC)
            )


class TestParseWhen:
    def test_bare_date_is_midnight_utc(self):
        """A date alone starts at 00:00 UTC."""
        assert parse_when("2026-10-05") == datetime(2026, 10, 5, tzinfo=UTC)

    def test_bare_date_as_until_is_the_end_of_that_day(self):
        """A date as the upper bound includes the whole day."""
        assert parse_when("2026-10-05", end_of_day=True).date().isoformat() == "2026-10-05"
        assert parse_when("2026-10-05", end_of_day=True).hour == 23

    def test_time_with_offset_becomes_utc(self):
        """An offset is honoured and converted to UTC."""
        assert parse_when("2026-10-05T09:00:00-05:00") == datetime(2026, 10, 5, 14, tzinfo=UTC)

    def test_garbage_is_refused(self):
        """A value that is not ISO raises ValueError naming it."""
        with pytest.raises(ValueError, match="yesterday"):
            parse_when("yesterday")

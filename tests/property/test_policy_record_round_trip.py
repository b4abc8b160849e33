"""Property tests of the reference records: any small district round-trips exactly."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policy import (
    Account,
    AccountKind,
    BuildingSettings,
    Consent,
    DistrictData,
    DistrictSettings,
    DutyFreeKind,
    DutyFreeWindow,
    Enrollment,
    ExternalSite,
    Org,
    OrgType,
    Person,
    Role,
    SchoolDay,
    Session,
    district_from_records,
    district_to_records,
)

# Building a district is slow-ish for hypothesis; keep it generous for a 2-core box.
SMALL = settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow])

ids = st.from_regex(r"\A[a-z][a-z0-9-]{0,5}\Z")
names = st.text(max_size=8)
maybe = st.none() | st.text(min_size=1, max_size=8)
days = st.dates()
id_tuples = st.lists(ids, max_size=3, unique=True).map(tuple)


@st.composite
def ordered_times(draw: st.DrawFn) -> tuple:
    first, second = draw(st.lists(st.times(), min_size=2, max_size=2, unique=True))
    return tuple(sorted((first, second)))


school_days = ordered_times().map(lambda pair: SchoolDay(*pair))
offsets = st.integers(min_value=-14 * 60, max_value=14 * 60).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
moments = st.builds(
    lambda moment, offset: moment.replace(tzinfo=offset),
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)),
    offsets,
)


@st.composite
def sessions(draw: st.DrawFn) -> Session:
    start = draw(moments)
    length = draw(st.integers(min_value=1, max_value=10**9))
    return Session(draw(ids), draw(ids), draw(ids), start, start + timedelta(microseconds=length))


@st.composite
def windows(draw: st.DrawFn) -> DutyFreeWindow:
    start, end = draw(ordered_times())
    weekday = draw(st.integers(min_value=0, max_value=6))
    return DutyFreeWindow(draw(ids), weekday, start, end, draw(st.sampled_from(DutyFreeKind)))


district_settings = st.builds(
    DistrictSettings,
    id=ids,
    name=names,
    timezone=st.sampled_from(["America/Chicago", "UTC", "Europe/Berlin"]),
    approved_platforms=id_tuples,
    school_day=school_days,
    buildings=st.dictionaries(
        ids,
        st.builds(BuildingSettings, st.none() | school_days, id_tuples),
        max_size=2,
    ),
)
orgs = st.builds(Org, ids, names, st.sampled_from(OrgType), st.none() | ids)
people = st.builds(
    Person,
    ids,
    st.sampled_from(Role),
    id_tuples,
    names,
    names,
    maybe,
    maybe,
    id_tuples,
    st.booleans(),
)
accounts = st.builds(
    Account,
    ids,
    ids,
    maybe,
    ids,
    st.sampled_from(AccountKind),
    st.none() | ids,
    st.none() | days,
    maybe,
)
consents = st.builds(Consent, ids, ids, ids, days, days, st.none() | days)
sites = st.builds(ExternalSite, ids, names.filter(bool), names.filter(bool), days)
enrollments = st.builds(Enrollment, ids, ids, st.sampled_from(Role))


def few(strategy: st.SearchStrategy, **unique: object) -> st.SearchStrategy:
    return st.lists(strategy, max_size=4, **unique).map(tuple)  # type: ignore[arg-type]


districts = st.builds(
    DistrictData,
    settings=district_settings,
    orgs=few(orgs, unique_by=lambda o: o.sourced_id),
    people=few(people, unique_by=lambda p: p.sourced_id),
    accounts=few(accounts, unique_by=lambda a: (a.platform, a.account_id)),
    duty_free=few(windows()),
    consents=few(consents),
    sessions=few(sessions()),
    external_sites=few(sites),
    enrollments=few(enrollments),
    no_attendance_dates=st.frozensets(days, max_size=5),
)


@SMALL
@given(districts)
def test_record_round_trip(data: DistrictData):
    """Any district survives records and JSON unchanged."""
    values = [json.loads(json.dumps(value)) for _, value in district_to_records(data)]
    assert district_from_records(values) == data


@SMALL
@given(districts)
def test_record_keys_are_unique(data: DistrictData):
    """No two records share a key, so compaction keeps every one."""
    keys = [key for key, _ in district_to_records(data)]
    assert len(keys) == len(set(keys))

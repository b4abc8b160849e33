"""The mailer's ops check: its interval, a failing source, and the districts it offers."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from alerts.mail.ops_check import OpsCheck
from alerts.ops_alerts import OpsAlert
from core.errors import TransientError
from tests.unit.alerts.mail.mail_builders import NOW

ALERT = OpsAlert("o1", "mailer", "mailer", None, NOW, None, "SMTP down", 4, NOW)


class Source:
    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.calls = 0

    async def overdue(self, now: datetime) -> list[OpsAlert]:
        self.calls += 1
        if self.fail:
            raise TransientError("status board unreachable")
        return [ALERT]


class TestOpsCheck:
    def test_a_due_check_returns_the_sources_overdue_list(self) -> None:
        """The first check runs at once and returns what the source found."""
        assert asyncio.run(OpsCheck(Source(), 60).overdue(NOW)) == [ALERT]

    def test_no_second_check_inside_the_interval(self) -> None:
        """A check 59 s after the last is skipped; at 60 s it runs again."""
        source = Source()
        check = OpsCheck(source, 60)

        async def three() -> None:
            await check.overdue(NOW)
            assert await check.overdue(NOW + timedelta(seconds=59)) is None
            assert await check.overdue(NOW + timedelta(seconds=60)) is not None

        asyncio.run(three())
        assert source.calls == 2

    def test_a_failing_source_is_skipped_until_the_next_interval(self) -> None:
        """A transient failure gives nothing now and waits a whole interval to retry."""
        source = Source(fail=True)
        check = OpsCheck(source, 60)
        assert asyncio.run(check.overdue(NOW)) is None
        assert asyncio.run(check.overdue(NOW + timedelta(seconds=1))) is None
        assert source.calls == 1

    def test_without_a_source_nothing_is_checked(self) -> None:
        """A mailer run without ops watch never reports overdue components."""
        assert asyncio.run(OpsCheck(None, 60).overdue(NOW)) is None

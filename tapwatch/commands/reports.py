"""`tapwatch incidents escalate-overdue --district DIR`: the reporting deadline's job.

The work is in alerts/report_deadlines.py (and why a scheduled job, not the mailer).

Exit codes: 0 done (escalated or not); 1 a mail could not be sent (the escalation is
recorded); 69 Elasticsearch unreachable.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from pathlib import Path

from alerts.incident_store import IncidentStore
from alerts.mail.smtp_sender import SmtpSender
from alerts.report_deadlines import escalate_overdue
from core.settings import SmtpSettings
from policy.context import DistrictContext
from tapwatch.commands.incidents import run_on_store
from tapwatch.commands.inputs import load_district_folder
from tapwatch.exit_codes import ExitCode


def escalate_command(district_dir: Path, every_minutes: int | None, as_json: bool) -> int:
    """Escalate once, or every `every_minutes` until interrupted (Ctrl-C exits 130)."""
    context = DistrictContext(load_district_folder(district_dir))
    sender = SmtpSender(SmtpSettings())

    def once(store: IncidentStore) -> int:
        done = escalate_overdue(store, context, sender.send, sender.sender, store.clock.now())
        for escalation in done:
            if as_json:
                print(json.dumps(asdict(escalation)))
            else:
                mailed = ", ".join(escalation.mailed_to) or "nobody"
                error = f" (mail failed: {escalation.mail_error})" if escalation.mail_error else ""
                print(f"escalated {escalation.alert_id}: mailed {mailed}{error}")
        if not as_json:
            print(f"{len(done)} alert(s) escalated")
        return ExitCode.FOUND if any(e.mail_error for e in done) else ExitCode.OK

    while True:
        code = run_on_store(once)
        if every_minutes is None:
            return code
        time.sleep(every_minutes * 60)

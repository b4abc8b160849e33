"""The stack's SMTP server stopped mid-stream: every flag mail arrives once after it returns.

A worker and `tapwatch mail run` process the posts; the high-severity alerts are mailed
at once (after the 5 s grace) to the principals of the staff member's building, through
the local stack's SMTP server, which stores each mail in its maildir. The server is
stopped once the first mails arrived, posts keep coming while it is down, and it stays
down until the mailer's retries failed; once it is back, every expected mail must be
in the maildir exactly once, to its principal only, and the mailer must still run.
"""

from __future__ import annotations

import mailbox
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from classifiers.content.artifact import DEFAULT_MODEL_DIR, load_model
from classifiers.registry import RULES
from core.kafka_status_board import read_status_board
from core.pipeline_names import PipelineNames
from core.settings import KafkaSettings, StackSettings
from deploy.health import port_open
from deploy.layout import StackLayout
from ingest.post import Post, PostKind, post_to_json
from streams.pipeline import RawRecord, detect_batch
from streams.thread_store import EncodedThreadStore
from tests.builders import BAPTISTE_PERSONAL
from tests.faults.conftest import produce_posts
from tests.faults.stack_control import start_service, stop_service
from tests.faults.workload import AFTER_SCHOOL, DISTRICT_ID, conversation, district_context
from tests.integration.conftest import WorkerProcess
from tests.integration.test_mail_process import MailerProcess

# One conversation in five ends with an offensive post by an org-whs teacher (high).
CONVERSATIONS = 60
# Threats toward students on t-baptiste's personal page (org-wms): high, for the other
# principal.
BAPTISTE_POSTS = 10
PRINCIPALS = {
    "org-whs": "principal.whs@example.org",  # district.yaml principal_emails
    "org-wms": "t.dube@example.org",  # the building's OneRoster administrator
}
BAPTISTE_BASE = 1_700_300_000_000_000_000
# The server stays down at least this long (s): several of the mailer's retries (2 s
# doubling) fail ...
MIN_OUTAGE_S = 25.0
# ... and until this many attempts in a row failed, but no longer than MAX_OUTAGE_S (s).
MIN_FAILED_ATTEMPTS = 2
MAX_OUTAGE_S = 120.0
# The worker loads its model and the mailer waits 5 s per high alert (s).
FIRST_MAIL_TIMEOUT_S = 180.0
# After the server's return: a retry up to 32 s later, then the mails (s).
DELIVERY_TIMEOUT_S = 180.0
# Several mailer rounds (1 s poll each): a duplicate would have arrived by then (s).
SETTLE_S = 8.0


@dataclass(frozen=True, slots=True)
class Delivered:
    """One mail the stack's SMTP server stored: its envelope recipients and headers."""

    recipients: tuple[str, ...]
    message_id: str
    subject: str
    item_ids: frozenset[str]


class Maildir:
    """The stack's maildir, read incrementally: only mails stored after it was opened count."""

    def __init__(self, path: Path) -> None:
        self._box = mailbox.Maildir(path, factory=None, create=False)
        self._seen = set(self._box.keys())
        self._delivered: list[Delivered] = []

    def delivered(self) -> list[Delivered]:
        for key in sorted(set(self._box.keys()) - self._seen):
            self._seen.add(key)
            parsed = message_from_bytes(self._box.get_bytes(key), policy=policy.default)
            assert isinstance(parsed, EmailMessage)
            items = str(parsed.get("X-Tapwatch-Items", ""))
            self._delivered.append(
                Delivered(
                    recipients=tuple(
                        part.strip().lower()
                        for part in str(parsed["X-Envelope-To"]).split(",")
                        if part.strip()
                    ),
                    message_id=str(parsed["Message-ID"]),
                    subject=str(parsed["Subject"]),
                    item_ids=frozenset(part.strip() for part in items.split(",") if part.strip()),
                )
            )
        return list(self._delivered)


def _renumbered(post: Post, offset: int) -> Post:
    """The post with its ids moved by `offset`: this run's alert ids are its own.

    Alert ids and Message-IDs derive from district, rule and post, never from the
    namespace, and the maildir keeps every earlier run's mails.
    """

    def moved(post_id: str | None) -> str | None:
        return None if post_id is None else str(int(post_id) + offset)

    return replace(
        post,
        post_id=str(moved(post.post_id)),
        thread_id=str(moved(post.thread_id)),
        in_reply_to_post_id=moved(post.in_reply_to_post_id),
    )


def _baptiste_post(number: int, offset: int) -> Post:
    post_id = str(BAPTISTE_BASE + offset + number)
    return Post(
        district_id=DISTRICT_ID,
        platform="twitter",
        post_id=post_id,
        kind=PostKind.POST,
        author_account_id=BAPTISTE_PERSONAL,
        created_at=AFTER_SCHOOL + timedelta(milliseconds=number),
        text=f"these kids are fucking idiots, I swear I'll smack the next one who talks back "
        f"(wms {number})",
        thread_id=post_id,
    )


def _posts(offset: int) -> list[Post]:
    """The fault workload's conversations and t-baptiste's posts, interleaved."""
    threads = [
        [_renumbered(post, offset) for post in conversation(index)]
        for index in range(CONVERSATIONS)
    ]
    per_baptiste = CONVERSATIONS // BAPTISTE_POSTS
    posts: list[Post] = []
    for index, thread in enumerate(threads):
        posts.extend(thread)
        if index % per_baptiste == per_baptiste - 1:
            posts.append(_baptiste_post(index // per_baptiste, offset))
    return posts


def _alerts(posts: Sequence[Post]) -> list[dict[str, object]]:
    """The alerts the worker raises for `posts` (its own detection code, in process)."""
    context = district_context()
    records = [
        RawRecord(post_to_json(post), post.conversation_key.encode(), "replay", 0, offset)
        for offset, post in enumerate(posts)
    ]
    outcome = detect_batch(
        records,
        lambda district: context if district == DISTRICT_ID else None,
        EncodedThreadStore(),
        datetime.now(UTC),
        batch_detectors=RULES.batch_detectors(load_model(DEFAULT_MODEL_DIR)),
    )
    assert not outcome.dead_letters, outcome.dead_letters[:3]
    return [alert.to_document() for alert in outcome.alerts]


def _expected_mails(alerts: Sequence[dict[str, object]]) -> Counter[tuple[str, str]]:
    """(principal, alert id) of every high alert: each must arrive once, in one mail."""
    expected: Counter[tuple[str, str]] = Counter()
    for alert in alerts:
        if alert["severity"] == "high":
            expected[(PRINCIPALS[str(alert["building_id"])], str(alert["alert_id"]))] = 1
    return expected


def _arrived(
    mails: Sequence[Delivered], ours: frozenset[str]
) -> tuple[Counter[tuple[str, str]], list[Delivered]]:
    """(recipient, alert id) counts over this run's immediate mails, and those mails.

    Daily digests are left out: 07:00 in Chicago may fall inside the run, and a digest
    holds low and medium alerts only.
    """
    immediate = [
        mail
        for mail in mails
        if mail.item_ids & ours and not mail.subject.startswith("[tapwatch] Daily digest")
    ]
    counts: Counter[tuple[str, str]] = Counter(
        (recipient, alert_id)
        for mail in immediate
        for recipient in mail.recipients
        for alert_id in mail.item_ids
    )
    return counts, immediate


def _relay_failures(names: PipelineNames) -> int:
    """The mailer's failures in a row on its status board; 0 unless its last error is SMTP's."""
    status = read_status_board(KafkaSettings(), names, timeout_s=10).get("mailer")
    if status is None or not (status.last_error or "").startswith("SMTP:"):
        return 0
    return status.consecutive_failures


@dataclass(frozen=True, slots=True)
class Outage:
    """How long the server was kept down, and what the mailer showed meanwhile."""

    seconds: float
    failures: int  # the most SMTP attempts in a row the mailer saw fail
    # When the port answered again although this case had not started the server (s):
    # another session's `tapwatch stack up` (the integration `stack` fixture) did.
    restarted_by_others_after: float | None


def _hold_outage(names: PipelineNames, mailer: MailerProcess, worker: WorkerProcess) -> Outage:
    """Wait MIN_OUTAGE_S, and on until MIN_FAILED_ATTEMPTS failed (MAX_OUTAGE_S at most)."""
    began = time.monotonic()
    failures = 0
    restarted: float | None = None
    while (elapsed := time.monotonic() - began) < MIN_OUTAGE_S or (
        failures < MIN_FAILED_ATTEMPTS and elapsed < MAX_OUTAGE_S
    ):
        assert mailer.process.poll() is None, mailer.output()[-3000:]
        assert worker.process.poll() is None, "the worker died while SMTP was down"
        failures = max(failures, _relay_failures(names))
        if restarted is None and port_open(StackSettings().stack_smtp_port):
            restarted = round(elapsed, 1)
        time.sleep(1)
    return Outage(round(time.monotonic() - began, 1), failures, restarted)


@pytest.fixture
def mailer(loaded: PipelineNames, tmp_path: Path) -> Iterator[MailerProcess]:
    """`tapwatch mail run` in the module's namespace, sending through the stack's server."""
    process = MailerProcess(loaded, StackSettings().stack_smtp_port, tmp_path / "mailer.log")
    try:
        yield process
    finally:
        process.terminate()


def _wait(
    condition: Callable[[], object], timeout_s: float, what: str, *alive: MailerProcess
) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        for process in alive:
            assert process.process.poll() is None, (
                f"the mailer exited while waiting for {what}:\n{process.output()[-3000:]}"
            )
        assert time.monotonic() < deadline, f"timed out after {timeout_s}s waiting for {what}"
        time.sleep(0.5)


def test_smtp_outage_every_mail_arrives_once(
    loaded: PipelineNames,
    worker_factory: Callable[[], WorkerProcess],
    mailer: MailerProcess,
) -> None:
    """Mails due before, during and after the outage each reach their principal exactly once."""
    maildir = Maildir(StackLayout.from_settings(StackSettings()).maildir)
    posts = _posts(offset=int(loaded.namespace[1:], 16) * 1000)
    alerts = _alerts(posts)
    ours = frozenset(str(alert["alert_id"]) for alert in alerts)
    expected = _expected_mails(alerts)
    by_principal = Counter(recipient for recipient, _ in expected)
    assert by_principal == {
        PRINCIPALS["org-whs"]: CONVERSATIONS // 5,
        PRINCIPALS["org-wms"]: BAPTISTE_POSTS,
    }, by_principal

    worker = worker_factory()
    half = len(posts) // 2
    produce_posts(loaded, posts[:half])
    _wait(
        lambda: _arrived(maildir.delivered(), ours)[0],
        FIRST_MAIL_TIMEOUT_S,
        "the first flag mail",
        mailer,
    )
    before_outage = sum(_arrived(maildir.delivered(), ours)[0].values())

    stop_service("smtp")
    try:
        produce_posts(loaded, posts[half:])
        outage = _hold_outage(loaded, mailer, worker)
        held_back = len(set(expected) - set(_arrived(maildir.delivered(), ours)[0]))
    finally:
        start_service("smtp")
    # The outage really held mails back: attempts to send due mails failed, and some of
    # the expected mails had not arrived when the server came back.
    assert outage.failures >= MIN_FAILED_ATTEMPTS and held_back > 0, (outage, held_back)

    _wait(
        lambda: set(_arrived(maildir.delivered(), ours)[0]) >= set(expected),
        DELIVERY_TIMEOUT_S,
        "every flag mail after the outage",
        mailer,
    )
    time.sleep(SETTLE_S)
    counts, mails = _arrived(maildir.delivered(), ours)

    doubled = {pair: n for pair, n in counts.items() if n > 1}
    unexpected = set(counts) - set(expected)
    assert not doubled and not unexpected, (
        f"{len(doubled)} mailed twice {sorted(doubled)[:5]}, "
        f"{len(unexpected)} unexpected {sorted(unexpected)[:5]}"
    )
    message_ids = Counter(mail.message_id for mail in mails)
    assert all(n == 1 for n in message_ids.values()), message_ids.most_common(3)
    assert all(len(mail.recipients) == 1 for mail in mails)
    assert mailer.process.poll() is None, mailer.output()[-3000:]
    print(
        f"{len(expected)} mails: {before_outage} before the outage, {held_back} held back; {outage}"
    )

"""The detection step as plain code: raw post records in, alerts and dead letters out."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from alerts.alert import Alert, build_alert
from classifiers.detector import BatchDetector
from classifiers.registry import RULES, RuleSet
from classifiers.thread_dialogue import ThreadFinding, observe_thread
from ingest.dead_letter import DeadLetter
from ingest.errors import InvalidEvent
from ingest.post import Post, post_from_json
from policy.context import DistrictContext
from streams.dead_letter_limit import THREAD_OBSERVER, DetectorFailure
from streams.thread_store import ThreadStore

log = logging.getLogger(__name__)

ContextLookup = Callable[[str], DistrictContext | None]


@dataclass(frozen=True, slots=True)
class RawRecord:
    """A Kafka record as the agent received it, before any decoding."""

    value: bytes | None
    key: bytes | None
    topic: str
    partition: int
    offset: int


@dataclass(slots=True)
class DetectionOutcome:
    """What one batch produced: alerts to publish and records to dead-letter."""

    alerts: list[Alert] = field(default_factory=list)
    dead_letters: list[DeadLetter] = field(default_factory=list)
    # Every post of the batch that decoded, in order, judged or not (the posts index
    # takes them all, so the worker decodes each record once).
    decoded_posts: list[Post] = field(default_factory=list)
    # Posts that reached the detectors, and each detector's failures among them (for the
    # dead-letter limit, streams/dead_letter_limit.py).
    judged: int = 0
    detector_failures: list[DetectorFailure] = field(default_factory=list)


def _dead_letter(record: RawRecord, reason: str) -> DeadLetter:
    return DeadLetter(
        stage="detect",
        reason=reason,
        value=record.value,
        source_topic=record.topic,
        partition=record.partition,
        offset=record.offset,
        key=record.key,
    )


def _decode(record: RawRecord) -> Post:
    if record.value is None:
        raise InvalidEvent("record has no value")
    return post_from_json(record.value)


def detect_batch(
    records: Sequence[RawRecord],
    contexts: ContextLookup,
    threads: ThreadStore,
    detected_at: datetime,
    batch_detectors: Mapping[str, BatchDetector] | None = None,
    rules: RuleSet = RULES,
) -> DetectionOutcome:
    """Decode, look up the district, run every rule; never raise for one bad record.

    The per-post rules come from `rules`; its batch rules run from `batch_detectors`,
    built around the loaded model (`RuleSet.batch_detectors`).
    """
    batch = judge_posts(records, contexts, threads, detected_at, rules)
    run_batch_rules(batch, batch_detectors or {})
    return batch.finish()


@dataclass(slots=True)
class JudgedBatch:
    """A batch after the per-post rules and the conversation states, before the batch
    rules: what `run_batch_rules` reads and adds to."""

    outcome: DetectionOutcome
    decoded: list[tuple[RawRecord, Post, DistrictContext]]
    detected_at: datetime

    def finish(self) -> DetectionOutcome:
        """The outcome, one alert per alert_id."""
        self.outcome.alerts = _first_of_each(self.outcome.alerts)
        self.outcome.judged = len(self.decoded)
        return self.outcome


def judge_posts(
    records: Sequence[RawRecord],
    contexts: ContextLookup,
    threads: ThreadStore,
    detected_at: datetime,
    rules: RuleSet = RULES,
) -> JudgedBatch:
    """Decode, look up the district, run the per-post rules and observe the conversations
    (the thread store is read and written here only); never raise for one bad record."""
    outcome = DetectionOutcome()
    detectors = rules.detectors
    decoded: list[tuple[RawRecord, Post, DistrictContext]] = []
    for record in records:
        try:
            post = _decode(record)
        except InvalidEvent as exc:
            outcome.dead_letters.append(_dead_letter(record, f"invalid post: {exc.reason}"))
            continue
        outcome.decoded_posts.append(post)
        context = contexts(post.district_id)
        if context is None:
            outcome.dead_letters.append(
                _dead_letter(record, f"district {post.district_id!r} is not loaded")
            )
            continue
        decoded.append((record, post, context))
        for rule, detector in detectors.items():
            try:
                findings = detector(post, context)
            except Exception as exc:  # a detector bug must not stop the stream
                log.exception("detector.failed rule=%s post_id=%s", rule, post.post_id)
                outcome.dead_letters.append(
                    _dead_letter(record, f"detector {rule} failed: {type(exc).__name__}: {exc}")
                )
                outcome.detector_failures.append(
                    DetectorFailure(rule, len(decoded) - 1, _error(exc))
                )
                continue
            outcome.alerts.extend(build_alert(post, f, detected_at, context) for f in findings)
        try:
            thread_findings = _observe_thread(post, context, threads)
        except Exception as exc:  # same as a detector: dead-letter the post, keep going
            log.exception("thread.failed post_id=%s", post.post_id)
            outcome.dead_letters.append(
                _dead_letter(record, f"thread state failed: {type(exc).__name__}: {exc}")
            )
            outcome.detector_failures.append(
                DetectorFailure(THREAD_OBSERVER, len(decoded) - 1, _error(exc))
            )
            continue
        outcome.alerts.extend(
            build_alert(i.post, i.finding, detected_at, context) for i in thread_findings
        )
    return JudgedBatch(outcome, decoded, detected_at)


def run_batch_rules(batch: JudgedBatch, batch_detectors: Mapping[str, BatchDetector]) -> None:
    """Run the batch rules (the content model) on the judged posts, adding to the batch's
    outcome. Touches nothing but `batch`, so the worker runs it off its event loop."""
    for rule, batch_detector in batch_detectors.items():
        _run_batch_detector(rule, batch_detector, batch.decoded, batch.detected_at, batch.outcome)


def _error(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:500]


def _first_of_each(alerts: list[Alert]) -> list[Alert]:
    """One alert per alert_id: a rule and the thread observer may both raise the same one
    (same district, rule and post), and the index keeps the first anyway."""
    seen: dict[str, Alert] = {}
    for alert in alerts:
        seen.setdefault(alert.alert_id, alert)
    return list(seen.values())


def _run_batch_detector(
    rule: str,
    detector: BatchDetector,
    decoded: Sequence[tuple[RawRecord, Post, DistrictContext]],
    detected_at: datetime,
    outcome: DetectionOutcome,
) -> None:
    """One vectorized call for the batch; if it fails, post by post to isolate the culprit."""
    if not decoded:
        return
    posts = [post for _, post, _ in decoded]
    contexts = [context for _, _, context in decoded]
    try:
        results = detector.detect_batch(posts, contexts)
    except Exception:
        log.exception("detector.batch_failed rule=%s posts=%d", rule, len(decoded))
        results = []
        for position, (record, post, context) in enumerate(decoded):
            try:
                results.extend(detector.detect_batch([post], [context]))
            except Exception as exc:
                outcome.dead_letters.append(
                    _dead_letter(record, f"detector {rule} failed: {type(exc).__name__}: {exc}")
                )
                outcome.detector_failures.append(DetectorFailure(rule, position, _error(exc)))
                results.append(())
    for post, context, findings in zip(posts, contexts, results, strict=True):
        outcome.alerts.extend(build_alert(post, f, detected_at, context) for f in findings)


def _observe_thread(
    post: Post, context: DistrictContext, threads: ThreadStore
) -> list[ThreadFinding]:
    """Update the post's conversation state; return the thread findings it raises."""
    key = post.conversation_key
    state = threads.get(key)
    new_state, found = observe_thread(post, context, state)
    if new_state is not state:
        threads.put(key, new_state)
    return found

"""`tapwatch rules explain`: every rule's decision on every post of a file, without Kafka or ES."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from classifiers.content.artifact import DEFAULT_MODEL_DIR, load_model
from classifiers.content.errors import ArtifactError
from classifiers.detector import BatchDetector, Detector
from classifiers.finding import Finding
from classifiers.registry import RULES, RuleSet
from classifiers.thread_dialogue import observe_thread
from classifiers.thread_state import ThreadState
from core.settings import ModelSettings
from ingest.parsers import parser_for
from ingest.post import Post
from ingest.response_files import read_response_file
from policy.context import DistrictContext
from policy.errors import DistrictValidationError
from policy.loader import load_district


def _who(context: DistrictContext, platform: str, account_id: str) -> str:
    account = context.account(platform, account_id)
    if account is None:
        return f"{account_id} (not in accounts.csv)"
    owner = context.person(account.owner_id)
    role = owner.role.value if owner else "unknown owner"
    current = "" if owner is None or owner.is_current else ", not current"
    return f"{account_id} ({account.owner_id}, {role}{current}, {account.kind.value} account)"


def _one_post(batch: BatchDetector) -> Detector:
    """A batch rule asked about one post at a time, as explain goes post by post."""

    def detect(post: Post, context: DistrictContext) -> Sequence[Finding]:
        return batch.detect_batch([post], [context])[0]

    return detect


def _all_detectors(rules: RuleSet) -> tuple[dict[str, Detector], str | None]:
    """Every rule's detector, the batch rules when a model is built (else why it is missing)."""
    detectors = dict(rules.detectors)
    model_dir = ModelSettings().content_model or DEFAULT_MODEL_DIR
    batch = [rule.id for rule in rules.values() if rule.batch is not None]
    if not batch:
        return detectors, None
    try:
        model = load_model(model_dir)
    except ArtifactError as exc:
        return detectors, f"{', '.join(batch)} not evaluated: {exc}"
    for rule_id, batch_detector in rules.batch_detectors(model).items():
        detectors[rule_id] = _one_post(batch_detector)
    return {rule_id: detectors[rule_id] for rule_id in rules if rule_id in detectors}, None


def explain_post(
    post: Post,
    context: DistrictContext,
    detectors: Mapping[str, Detector] | None = None,
    rules: RuleSet = RULES,
) -> list[str]:
    """Lines describing the post's context and each rule's decision with its reasons."""
    local = post.created_at.astimezone(context.settings.zone)
    lines = [
        f"post {post.post_id} ({post.kind.value}, {post.visibility.value}) on {post.platform}",
        f"  at {post.created_at.isoformat()} = {local:%a %Y-%m-%d %H:%M %Z} local",
        f"  author {_who(context, post.platform, post.author_account_id)}",
    ]
    lines += [f"  addressed {_who(context, post.platform, a)}" for a in post.addressed_account_ids]
    for rule, detector in (rules.detectors if detectors is None else detectors).items():
        findings = detector(post, context)
        if not findings:
            lines.append(f"  {rule}: not raised: {rules[rule].explain(post, context)}")
        for finding in findings:
            lines.append(f"  {rule}: RAISED ({finding.severity.value}) {finding.summary}")
            evidence = json.dumps(dict(finding.evidence), ensure_ascii=False, sort_keys=True)
            lines.append(f"    evidence {evidence}")
    return lines


def _thread_lines(
    post: Post, context: DistrictContext, threads: dict[str, ThreadState]
) -> list[str]:
    """Thread findings, with the file's earlier posts as the thread so far (in file order)."""
    key = post.conversation_key
    threads[key], found = observe_thread(post, context, threads.get(key, ThreadState()))
    if not found:
        return ["  two_way_dialogue (thread): nothing raised by this item"]
    return [
        f"  two_way_dialogue (thread): RAISED for post {item.post.post_id} "
        f"({item.finding.severity.value}) {item.finding.summary}"
        for item in found
    ]


def explain(district_dir: Path, platform: str, files: list[Path], rules: RuleSet = RULES) -> int:
    try:
        context = DistrictContext(load_district(district_dir))
        parse = parser_for(platform)
    except DistrictValidationError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    except KeyError as exc:
        print(f"error: {exc.args[0]}", file=sys.stderr)
        return 1
    detectors, missing_model = _all_detectors(rules)
    if missing_model:
        print(f"note: {missing_model}")
    threads: dict[str, ThreadState] = {}
    for path in files:
        for line in read_response_file(path):
            where = f"{path.name}:{line.line_no}"
            if line.error is not None:
                print(f"{where}: refused: {line.error}")
                continue
            result = parse(line.payload, context.district_id)
            for refusal in result.refused:
                print(f"{where}: refused: {refusal.reason}")
            for post in result.posts:
                print(f"{where}: " + "\n".join(explain_post(post, context, detectors, rules)))
                print("\n".join(_thread_lines(post, context, threads)))
    return 0

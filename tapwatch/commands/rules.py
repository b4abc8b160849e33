"""`tapwatch rules explain`: every rule's decision on every post of a file, without Kafka or ES."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from classifiers.content.artifact import DEFAULT_MODEL_DIR, load_model
from classifiers.content.errors import ArtifactError
from classifiers.detector import BatchDetector, Detector
from classifiers.finding import Finding
from classifiers.registry import RULES, RuleSet
from classifiers.thread_dialogue import ThreadFinding, observe_thread
from classifiers.thread_state import ThreadState
from core.settings import ModelSettings
from ingest.parsers import parser_for
from ingest.post import Post
from ingest.response_files import ResponseLine, read_response_file
from policy.context import DistrictContext
from tapwatch.commands.inputs import load_district_folder, require_files
from tapwatch.exit_codes import ExitCode
from tapwatch.user_errors import CliError


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


@dataclass(frozen=True, slots=True)
class Decision:
    """One rule's decision on one post: raised (with its finding) or why not."""

    rule: str
    finding: Finding | None = None
    why_not: str | None = None

    def as_json(self) -> dict[str, object]:
        if self.finding is None:
            return {"rule": self.rule, "raised": False, "why_not": self.why_not}
        return {
            "rule": self.rule,
            "raised": True,
            "severity": self.finding.severity.value,
            "summary": self.finding.summary,
            "evidence": dict(self.finding.evidence),
        }


def decide(
    post: Post,
    context: DistrictContext,
    detectors: Mapping[str, Detector] | None = None,
    rules: RuleSet = RULES,
) -> list[Decision]:
    """Each rule's decision on the post, in registry order (one per finding when raised)."""
    decisions = []
    for rule, detector in (rules.detectors if detectors is None else detectors).items():
        findings = detector(post, context)
        if not findings:
            decisions.append(Decision(rule, why_not=rules[rule].explain(post, context)))
        decisions += [Decision(rule, finding=finding) for finding in findings]
    return decisions


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
    for decision in decide(post, context, detectors, rules):
        finding = decision.finding
        if finding is None:
            lines.append(f"  {decision.rule}: not raised: {decision.why_not}")
            continue
        lines.append(f"  {decision.rule}: RAISED ({finding.severity.value}) {finding.summary}")
        evidence = json.dumps(dict(finding.evidence), ensure_ascii=False, sort_keys=True)
        lines.append(f"    evidence {evidence}")
    return lines


def _thread_findings(
    post: Post, context: DistrictContext, threads: dict[str, ThreadState]
) -> list[ThreadFinding]:
    """Thread findings, with the file's earlier posts as the thread so far (in file order)."""
    key = post.conversation_key
    threads[key], found = observe_thread(post, context, threads.get(key, ThreadState()))
    return list(found)


def _thread_lines(found: list[ThreadFinding]) -> list[str]:
    if not found:
        return ["  two_way_dialogue (thread): nothing raised by this item"]
    return [
        f"  two_way_dialogue (thread): RAISED for post {item.post.post_id} "
        f"({item.finding.severity.value}) {item.finding.summary}"
        for item in found
    ]


@dataclass(slots=True)
class ExplainSummary:
    """The counts of the last line: posts read, rule decisions, items refused."""

    posts: int = 0
    decisions: int = 0
    raised: int = 0
    refused: int = 0

    def line(self) -> str:
        return (
            f"{self.posts} post(s) read, {self.decisions} decision(s) "
            f"({self.raised} raised), {self.refused} item(s) refused"
        )


class _Output:
    """Prints each explained post or refused item as text lines or JSON objects."""

    def __init__(self, context: DistrictContext, rules: RuleSet, as_json: bool) -> None:
        self.context = context
        self.rules = rules
        self.as_json = as_json
        self.summary = ExplainSummary()

    def refused(self, path: Path, line_no: int, reason: str) -> None:
        self.summary.refused += 1
        if self.as_json:
            print(json.dumps({"file": str(path), "line": line_no, "refused": reason}))
        else:
            print(f"{path.name}:{line_no}: refused: {reason}")

    def post(
        self,
        path: Path,
        line_no: int,
        post: Post,
        detectors: Mapping[str, Detector],
        thread: list[ThreadFinding],
    ) -> None:
        decisions = decide(post, self.context, detectors, self.rules)
        self.summary.posts += 1
        self.summary.decisions += len(decisions)
        self.summary.raised += sum(d.finding is not None for d in decisions) + len(thread)
        if not self.as_json:
            lines = explain_post(post, self.context, detectors, self.rules)
            print(f"{path.name}:{line_no}: " + "\n".join(lines))
            print("\n".join(_thread_lines(thread)))
            return
        shown = {
            "file": str(path),
            "line": line_no,
            "post_id": post.post_id,
            "platform": post.platform,
            "decisions": [decision.as_json() for decision in decisions],
            "thread": [
                {
                    "rule": "two_way_dialogue",
                    "post_id": item.post.post_id,
                    "severity": item.finding.severity.value,
                    "summary": item.finding.summary,
                }
                for item in thread
            ],
        }
        print(json.dumps(shown, ensure_ascii=False, sort_keys=True))

    def finish(self) -> int:
        """The summary line (stderr for text, a last object for JSON); 1 if items were refused."""
        if self.as_json:
            print(json.dumps({"summary": asdict(self.summary)}, sort_keys=True))
        else:
            print(self.summary.line(), file=sys.stderr)
        return ExitCode.FOUND if self.summary.refused else ExitCode.OK


def _responses(path: Path) -> Iterator[ResponseLine]:
    try:
        return read_response_file(path)
    except ValueError as exc:  # an unknown file type: the file is named in the message
        raise CliError(ExitCode.NO_INPUT, str(exc)) from exc


def explain(
    district_dir: Path,
    platform: str,
    files: list[Path],
    rules: RuleSet = RULES,
    as_json: bool = False,
) -> int:
    """Explain every post of the files; exit 1 when an item was refused."""
    context = DistrictContext(load_district_folder(district_dir))
    parse = parser_for(platform)
    require_files(files)
    detectors, missing_model = _all_detectors(rules)
    if missing_model:
        print(f"note: {missing_model}", file=sys.stderr)
    output = _Output(context, rules, as_json)
    threads: dict[str, ThreadState] = {}
    for path in files:
        for line in _responses(path):
            if line.error is not None:
                output.refused(path, line.line_no, line.error)
                continue
            result = parse(line.payload, context.district_id)
            for refusal in result.refused:
                output.refused(path, line.line_no, refusal.reason)
            for post in result.posts:
                found = _thread_findings(post, context, threads)
                output.post(path, line.line_no, post, detectors, found)
    return output.finish()

"""`tapwatch ingest file`: platform response files to Kafka, with a report per file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ingest.dead_letter import DeadLetter
from ingest.kafka_publisher import PostPublisher
from ingest.parsers import parser_for
from ingest.response_files import read_response_file


@dataclass(slots=True)
class FileReport:
    """What one file gave: posts read, items refused (with reasons) and items skipped."""

    path: Path
    posts: int = 0
    skipped: int = 0
    refusals: list[str] = field(default_factory=list)

    @property
    def refused(self) -> int:
        return len(self.refusals)


def ingest_file(
    path: Path, district_id: str, platform: str, publisher: PostPublisher
) -> FileReport:
    """Parse every response in the file and publish posts, raw responses and refusals."""
    parse = parser_for(platform)
    report = FileReport(path)
    for line in read_response_file(path):
        source = f"{path.name}:{line.line_no}"
        if line.error is not None:
            report.refusals.append(f"{source}: {line.error}")
            publisher.publish_dead_letter(
                DeadLetter(
                    "ingest", line.error, line.raw_text.encode("utf-8", "replace"), source=source
                )
            )
            continue
        publisher.publish_raw(district_id, platform, source, line.raw_text)
        result = parse(line.payload, district_id)
        too_large = publisher.publish_posts(result.posts, source)
        report.posts += len(result.posts) - len(too_large)
        report.refusals.extend(f"{source}: {letter.reason}" for letter in too_large)
        report.skipped += result.skipped
        for refusal in result.refused:
            report.refusals.append(f"{source}: {refusal.reason}")
            publisher.publish_dead_letter(
                DeadLetter("ingest", refusal.reason, refusal.item.encode(), source=source)
            )
    return report


def ingest_files(
    paths: Sequence[Path], district_id: str, platform: str, publisher: PostPublisher
) -> list[FileReport]:
    reports = [ingest_file(path, district_id, platform, publisher) for path in paths]
    publisher.flush()
    return reports

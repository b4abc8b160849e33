"""Runs every fuzz target (tests/fuzz/targets.py) for a bounded time: `make fuzz`.

Each target runs in its own process (libFuzzer exits when done) with a seed corpus of
the platforms' sample responses and the hostile corpus's texts, `-timeout=1` (an input
slower than 1 s is a failure) and `-max_total_time` seconds. Crash inputs are kept
under .tapwatch/fuzz/ for a reproduction: `python -m tests.fuzz.targets NAME FILE`.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from ingest.parsers import PARSERS
from tests.hostile_corpus import table

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
ARTIFACTS = ROOT / ".tapwatch" / "fuzz"
# Sample files per parser, as bench/parsers.py reads them (one response per line).
SAMPLE_FILES = {
    "twitter": ("x/timeline.jsonl", "x/dm_events.jsonl", "x/malformed.jsonl"),
    "facebook": ("facebook/feed.jsonl", "facebook/conversations.jsonl", "facebook/webhook.jsonl"),
    "wordpress": ("wordpress/comments.jsonl", "wordpress/malformed.jsonl"),
    "googleplus": ("googleplus/activities.jsonl", "googleplus/malformed.jsonl"),
    "edmodo": ("edmodo/messages.jsonl", "edmodo/malformed.jsonl"),
    "bluesky": ("bluesky/author_feed.jsonl", "bluesky/thread.jsonl", "bluesky/malformed.jsonl"),
}
# Seeds per corpus: enough to start from every shape, few enough to load at once.
MAX_SEEDS = 40


def _texts() -> list[str]:
    data = table()
    texts = [
        t.replace("{", "").replace("}", "") for key in ("invitations", "quotes") for t in data[key]
    ]
    texts += [text for text, _ in data["html_tricks"] + data["plain_tricks"]]
    texts += [piece * 8 for piece, _ in data["malformed"]]
    return texts


def _lines(names: tuple[str, ...]) -> list[bytes]:
    lines: list[bytes] = []
    for name in names:
        path = SAMPLES / name
        if path.exists():
            lines += [line for line in path.read_bytes().splitlines() if line.strip()]
    return lines[:MAX_SEEDS]


def seeds(target: str) -> list[bytes]:
    """Starting inputs of one target, laid out as the target's FuzzedDataProvider reads them."""
    texts = [text.encode("utf-8") for text in _texts()]
    if target == "webhook":
        return _lines(("facebook/webhook.jsonl",)) + texts[:5]
    if target == "html":
        return [b"\x00" + text for text in texts]
    platform = target.removeprefix("parser-")
    # First byte: odd for a raw JSON body, even for a response built around a text.
    return [b"\x01" + line for line in _lines(SAMPLE_FILES[platform])] + [
        b"\x00\x00" + text for text in texts
    ]


def run(target: str, seconds: int) -> bool:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f"fuzz-{target}-") as corpus:
        for number, seed in enumerate(seeds(target)):
            (Path(corpus) / f"seed-{number}").write_bytes(seed)
        command = [
            sys.executable, "-m", "tests.fuzz.targets", target, corpus,
            f"-max_total_time={seconds}", "-timeout=1", "-rss_limit_mb=2048",
            f"-artifact_prefix={ARTIFACTS}/{target}-", "-print_final_stats=1",
        ]  # fmt: skip
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    stats = [
        line
        for line in done.stderr.splitlines()
        if line[:2].startswith("#") and line[1:2].isdigit()
    ]
    runs = [line for line in done.stderr.splitlines() if line.startswith("Done")]
    last = stats[-1].split("\t", 1)[-1] if stats else ""
    print(f"{target}: exit {done.returncode}; {runs[-1] if runs else ''}; {last}", flush=True)
    if done.returncode != 0:
        print(done.stderr[-4000:], file=sys.stderr)
    return done.returncode == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=20, help="fuzzing time per target")
    parser.add_argument("targets", nargs="*", help="targets to run (default: all)")
    args = parser.parse_args()
    names = args.targets or [f"parser-{platform}" for platform in sorted(PARSERS)] + [
        "html",
        "webhook",
    ]
    failed = [name for name in names if not run(name, args.seconds)]
    if failed:
        sys.exit(f"fuzzing failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()

"""`python -m bench.pipeline`: drive N synthetic posts through the real stack and time them.

Prints a table, then as its last line one JSON object (posts, posts_per_s, p50_ms,
p99_ms, bare_consumer_per_s, then more keys). Progress goes to stderr. See
bench/README.md for the method and its limits.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from elasticsearch import Elasticsearch
from kafka import TopicPartition
from kafka.errors import KafkaError

from bench import cpu
from bench.alert_watch import AlertWatcher
from bench.deadline import BenchError, Deadline
from bench.kafka_side import (
    BareResult,
    BenchProducer,
    GroupWatch,
    ProduceResult,
    bare_consume,
    delete_namespace_topics,
)
from bench.report import ms, percentile, rate, table
from bench.synthetic import SyntheticPost, measured_posts, probe_post
from bench.workers import (
    REPO,
    WorkerProcess,
    check_all_alive,
    load_district,
    start_workers,
    tapwatch_env,
)
from streams.topics import PipelineNames
from tapwatch.settings import ElasticsearchSettings, KafkaSettings

# How long the workers get to join the group, and the warm-up alerts to become searchable (s).
JOIN_TIMEOUT_S = 180.0
WARM_UP_TIMEOUT_S = 180.0
# How long one idle probe's alert may take to become searchable (s).
PROBE_TIMEOUT_S = 30.0
# Default drain deadline: this much, plus one second per DRAIN_POSTS_PER_S posts (s).
DRAIN_BASE_S = 120.0
DRAIN_POSTS_PER_S = 200.0
# How often the drain loop reads the group's committed offsets (s).
OFFSETS_POLL_S = 0.1
# After the group committed everything, alerts still unseen this long are looked up by id (s).
SWEEP_AFTER_S = 3.0


@dataclass(frozen=True, slots=True)
class BenchConfig:
    """The options of one run, checked once."""

    posts: int = 100_000
    workers: int = 1
    partitions: int = 4
    alert_ratio: float = 0.1
    keep: bool = False
    drain_timeout_s: float | None = None
    poll_s: float = 0.15
    idle_probes: int = 10

    def __post_init__(self) -> None:
        if self.posts < 1 or self.workers < 1 or self.partitions < 1 or self.idle_probes < 0:
            raise ValueError("--posts, --workers and --partitions must be at least 1")
        if not 0.0 < self.alert_ratio <= 1.0:
            raise ValueError("--alert-ratio must be in (0, 1]")
        if not 0.02 <= self.poll_s <= 2.0:
            raise ValueError("--poll-ms must be between 20 and 2000")

    @property
    def drain_s(self) -> float:
        if self.drain_timeout_s is not None:
            return self.drain_timeout_s
        return DRAIN_BASE_S + self.posts / DRAIN_POSTS_PER_S


@dataclass(slots=True)
class Drain:
    """When (wall clock, s) the group committed the posts, then the alerts; the last sighting."""

    posts_committed_at: float = math.nan
    alerts_committed_at: float = math.nan
    last_seen_at: float = math.nan

    @property
    def end_at(self) -> float:
        return max(self.alerts_committed_at, self.last_seen_at)

    @property
    def end_signal(self) -> str:
        if self.last_seen_at >= self.alerts_committed_at:
            return "es_alerts_searchable"
        return "group_committed_offsets"


@dataclass(slots=True)
class RunResult:
    config: BenchConfig
    namespace: str
    produce: ProduceResult | None = None
    drain: Drain = field(default_factory=Drain)
    latencies_s: list[float] = field(default_factory=list)
    to_detect_s: list[float] = field(default_factory=list)
    detect_to_seen_s: list[float] = field(default_factory=list)
    idle_s: list[float] = field(default_factory=list)
    alert_posts: int = 0
    indexed: int = 0
    expected_indexed: int = 0
    swept: int = 0
    refresh_interval: str = "?"
    bare: BareResult | None = None
    cpu_s: dict[str, float] = field(default_factory=dict)
    worker_exits: list[int | None] = field(default_factory=list)


def say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def wait_for_group(group: GroupWatch, workers: list[WorkerProcess], deadline: Deadline) -> None:
    """Until the group is Stable with every worker holding partitions."""
    state, assigned = "unknown", 0
    while True:
        check_all_alive(workers)
        try:
            state, assigned = group.members()
        except KafkaError as exc:
            state = f"unreadable ({type(exc).__name__})"
        if state == "Stable" and assigned >= len(workers):
            return
        deadline.check(f"group state {state}, {assigned} of {len(workers)} members assigned")
        time.sleep(0.5)


def wait_seen(watcher: AlertWatcher, post_ids: Sequence[str], workers: list[WorkerProcess],
              deadline: Deadline, poll_s: float) -> None:
    while True:
        check_all_alive(workers)
        unseen = watcher.unseen(post_ids)
        if unseen == 0:
            return
        error = f"; last search error: {watcher.last_error}" if watcher.last_error else ""
        deadline.check(f"{len(post_ids) - unseen} of {len(post_ids)} alerts searchable{error}")
        time.sleep(poll_s / 2)


def warm_up(producer: BenchProducer, watcher: AlertWatcher, names: PipelineNames,
            config: BenchConfig, workers: list[WorkerProcess]) -> None:
    """One alert-raising post per partition, so every worker has started its detect path."""
    produced_at: dict[str, float] = {}
    posts = [probe_post(p) for p in range(config.partitions)]
    for partition, post in enumerate(posts):
        producer.produce(names.posts, [post], produced_at, partition=partition)
    wait_seen(watcher, [p.post_id for p in posts], workers,
              Deadline(WARM_UP_TIMEOUT_S, "the warm-up alerts to become searchable"),
              config.poll_s)


def idle_probes(producer: BenchProducer, watcher: AlertWatcher, names: PipelineNames,
                config: BenchConfig, workers: list[WorkerProcess]) -> list[float]:
    """Latency of single alert posts sent one at a time into an idle pipeline (s)."""
    latencies = []
    for number in range(config.idle_probes):
        post = probe_post(config.partitions + number)
        produced_at: dict[str, float] = {}
        producer.produce(names.posts, [post], produced_at)
        wait_seen(watcher, [post.post_id], workers,
                  Deadline(PROBE_TIMEOUT_S, f"idle probe {number} to become searchable"),
                  config.poll_s)
        sighting = watcher.seen(post.post_id)
        assert sighting is not None
        latencies.append(sighting.seen_at - produced_at[post.post_id])
    return latencies


def drain(group: GroupWatch, watcher: AlertWatcher, names: PipelineNames, alert_ids: list[str],
          workers: list[WorkerProcess], deadline: Deadline) -> Drain:
    """Wait until the group committed the posts topic's end, then the alerts topic's end,
    and every alert was seen in the index."""
    done = Drain()
    posts_ends = group.end_offsets(names.posts)
    alerts_ends: dict[TopicPartition, int] | None = None
    last_sweep = 0.0
    behind = sum(posts_ends.values())
    while True:
        check_all_alive(workers)
        now = time.time()
        try:
            if alerts_ends is None:
                behind = group.behind(posts_ends)
                if behind == 0:
                    done.posts_committed_at = now
                    alerts_ends = group.end_offsets(names.alerts)
            if alerts_ends is not None and math.isnan(done.alerts_committed_at):
                behind = group.behind(alerts_ends)
                if behind == 0:
                    done.alerts_committed_at = now
        except KafkaError as exc:
            say(f"reading committed offsets failed, retrying: {exc}")
        unseen = watcher.unseen(alert_ids)
        committed = not math.isnan(done.alerts_committed_at)
        if committed and unseen == 0:
            sightings = watcher.sightings()
            done.last_seen_at = max(sightings[p].seen_at for p in alert_ids)
            return done
        if committed and now - done.alerts_committed_at > SWEEP_AFTER_S and now - last_sweep > 1:
            last_sweep = now
            watcher.sweep(alert_ids)
        stage = "posts" if alerts_ends is None else "alerts"
        deadline.check(f"group {behind} {stage} records behind the topic end; "
                       f"{len(alert_ids) - unseen} of {len(alert_ids)} alerts searchable")
        time.sleep(OFFSETS_POLL_S)


def measure(config: BenchConfig, posts: list[SyntheticPost], names: PipelineNames,
            kafka: KafkaSettings, workers: list[WorkerProcess], result: RunResult) -> None:
    watcher = AlertWatcher(ElasticsearchSettings(), names.alerts_index, config.poll_s)
    group = GroupWatch(kafka, names)
    producer = BenchProducer(kafka)
    try:
        watcher.start()
        say(f"waiting for {config.workers} worker(s) to join group {names.group_id}")
        wait_for_group(group, workers, Deadline(JOIN_TIMEOUT_S, "the workers to join the group"))
        say("warm-up: one alert per partition")
        warm_up(producer, watcher, names, config, workers)
        result.refresh_interval = watcher.refresh_interval()
        say(f"idle probes: {config.idle_probes} single alerts")
        result.idle_s = idle_probes(producer, watcher, names, config, workers)

        trees = {"workers": [w.pid for w in workers], **{k: [v] for k, v in
                                                         cpu.stack_pids(REPO).items()}}
        before = cpu.snapshot(trees)
        say(f"producing {len(posts):,} posts")
        produced_at: dict[str, float] = {}
        result.produce = producer.produce(names.posts, posts, produced_at)
        say(f"produced in {result.produce.all_acked_at - result.produce.first_send_at:.1f}s; "
            f"draining (deadline {config.drain_s:.0f}s)")
        alert_ids = list(produced_at)
        result.drain = drain(group, watcher, names, alert_ids, workers,
                             Deadline(config.drain_s, "the workers to process every post"))
        result.cpu_s = cpu.usage_between(before, cpu.snapshot(trees))

        sightings = watcher.sightings()
        for post_id, sent_at in produced_at.items():
            sighting = sightings[post_id]
            result.latencies_s.append(sighting.seen_at - sent_at)
            if sighting.detected_at is not None:
                result.to_detect_s.append(sighting.detected_at - sent_at)
                result.detect_to_seen_s.append(sighting.seen_at - sighting.detected_at)
        result.alert_posts = len(alert_ids)
        result.swept = watcher.swept
        result.indexed = watcher.index_count()
        result.expected_indexed = len(alert_ids) + config.partitions + config.idle_probes
    finally:
        producer.close()
        group.close()
        watcher.close()


def run(config: BenchConfig) -> RunResult:
    names = PipelineNames(f"bench{uuid.uuid4().hex[:8]}")
    kafka = KafkaSettings()
    env = tapwatch_env(names.namespace, config.partitions)
    workdir = Path(tempfile.mkdtemp(prefix=f"tapwatch-{names.namespace}-"))
    result = RunResult(config, names.namespace)
    say(f"namespace {names.namespace}, worker logs in {workdir}")
    posts = measured_posts(config.posts, config.alert_ratio)
    workers: list[WorkerProcess] = []
    failed = True
    try:
        say(load_district(env, workdir))
        workers = start_workers(config.workers, env, workdir)
        measure(config, posts, names, kafka, workers, result)
        result.worker_exits = [w.stop() for w in workers]
        say("bare consumer: reading the posts topic from the beginning")
        with GroupWatch(kafka, names) as group:
            ends = group.end_offsets(names.posts)
        result.bare = bare_consume(kafka, ends, timeout_s=max(60.0, config.posts / 1000))
        failed = False
        return result
    finally:
        for worker in workers:
            worker.stop()
        if failed:
            for worker in workers:
                say(f"worker {worker.number} log tail ({worker.log_path}):\n{worker.log_tail()}")
        if config.keep:
            say(f"--keep: namespace {names.namespace} left in place")
        else:
            cleanup(kafka, names)
        if not failed and not config.keep:
            shutil.rmtree(workdir, ignore_errors=True)


def cleanup(kafka: KafkaSettings, names: PipelineNames) -> None:
    """Delete the namespace's topics, group and alerts index; report, never raise."""
    try:
        deleted = delete_namespace_topics(kafka, names)
        say(f"deleted topics: {', '.join(deleted) or '-'} and group {names.group_id}")
    except Exception as exc:
        say(f"warning: deleting the namespace's topics failed: {exc}")
    try:
        es = Elasticsearch(**ElasticsearchSettings().client_options())  # type: ignore[arg-type]
        try:
            es.indices.delete(index=names.alerts_index, ignore_unavailable=True)
        finally:
            es.close()
        say(f"deleted index {names.alerts_index}")
    except Exception as exc:
        say(f"warning: deleting index {names.alerts_index} failed: {exc}")


def summarize(result: RunResult) -> tuple[str, dict[str, Any]]:
    """The table and the JSON line of a finished run."""
    config, produce, drain_, bare = result.config, result.produce, result.drain, result.bare
    assert produce is not None and bare is not None
    start = produce.first_send_at
    elapsed = drain_.end_at - start
    posts_per_s = rate(config.posts, elapsed)
    lat = result.latencies_s
    p50, p90, p99 = (percentile(lat, f) for f in (0.5, 0.9, 0.99))
    cpu_s = result.cpu_s
    worker_cpu = cpu_s.get("workers", math.nan)
    produce_s = produce.all_acked_at - start
    end_note = ("later of: group committed posts+alerts topic ends (polled every "
                f"{OFFSETS_POLL_S * 1000:.0f} ms), last alert searchable -> {drain_.end_signal}")
    rows: list[tuple[str, str, str]] = [
        ("-- run", "", ""),
        ("namespace", result.namespace, "deleted at the end" if not config.keep else "kept"),
        ("workers x partitions", f"{config.workers} x {config.partitions}", ""),
        ("posts", f"{config.posts:,}", f"avg {produce.value_bytes / produce.records:.0f} B/value"),
        ("alert-raising posts", f"{result.alert_posts:,}",
         f"alert ratio {config.alert_ratio}; two_way_dialogue replies"),
        ("alerts in index", f"{result.indexed:,}",
         "as expected" if result.indexed == result.expected_indexed
         else f"EXPECTED {result.expected_indexed:,} (incl. warm-up and probes)"),
        ("-- throughput", "", ""),
        ("produce (until all acked)", f"{rate(config.posts, produce_s):,.0f}/s",
         f"{produce_s:.2f} s, kafka-python acks=all"),
        ("pipeline", f"{posts_per_s:,.0f} posts/s", f"{elapsed:.1f} s from first produce"),
        ("  posts topic committed", f"+{drain_.posts_committed_at - start:.1f} s", ""),
        ("  alerts topic committed", f"+{drain_.alerts_committed_at - start:.1f} s", ""),
        ("  last alert searchable", f"+{drain_.last_seen_at - start:.1f} s", ""),
        ("  end signal", drain_.end_signal, end_note),
        ("-- latency produce -> searchable", "", ""),
        ("p50", ms(p50), f"{len(lat):,} samples (every alert post)"),
        ("p90", ms(p90), ""),
        ("p99", ms(p99), ""),
        ("max", ms(max(lat) if lat else math.nan), ""),
        ("  produce -> detected p50/p99",
         f"{ms(percentile(result.to_detect_s, 0.5))} / {ms(percentile(result.to_detect_s, 0.99))}",
         "detected_at is the worker's clock at the batch"),
        ("  detected -> seen p50/p99",
         f"{ms(percentile(result.detect_to_seen_s, 0.5))} / "
         f"{ms(percentile(result.detect_to_seen_s, 0.99))}",
         "alerts topic, index agent, bulk, refresh, poll"),
        ("idle p50 / max", f"{ms(percentile(result.idle_s, 0.5))} / "
         f"{ms(max(result.idle_s) if result.idle_s else math.nan)}",
         f"{len(result.idle_s)} single posts into an idle pipeline"),
        ("resolution", f"~{config.poll_s * 1000:.0f} ms + refresh",
         f"ES poll every {config.poll_s * 1000:.0f} ms, index refresh_interval "
         f"{result.refresh_interval}; {result.swept} alerts found late by id sweep"),
        ("-- bare consumer (aiokafka, no group, no decoding)", "", ""),
        ("read posts topic", f"{bare.per_s:,.0f} msg/s",
         f"{bare.messages:,} messages in {bare.seconds:.2f} s (workers stopped)"),
        ("pipeline / bare", f"{posts_per_s / bare.per_s:.1%}" if bare.per_s else "n/a", ""),
        ("-- CPU during the measured phase", "", f"{elapsed:.1f} s x cores"),
    ]
    for name in ("workers", "kafka", "elasticsearch", "bench", "other", "idle"):
        if name in cpu_s:
            rows.append((f"  {name}", f"{cpu_s[name]:.1f} cpu-s",
                         f"{cpu_s[name] / elapsed:.0%} of one core" if elapsed > 0 else ""))
    rows.append(("  worker cpu per 1k posts", f"{worker_cpu / config.posts * 1000 * 1000:,.0f} ms",
                 "all workers together"))
    if any(code not in (0, None) for code in result.worker_exits):
        rows.append(("worker exit codes", ",".join(map(str, result.worker_exits)),
                     "after SIGTERM"))
    line = {
        "posts": config.posts,
        "posts_per_s": round(posts_per_s, 1),
        "p50_ms": round(p50 * 1000, 1),
        "p99_ms": round(p99 * 1000, 1),
        "bare_consumer_per_s": round(bare.per_s, 1),
        "workers": config.workers,
        "partitions": config.partitions,
        "alerts": result.alert_posts,
        "alert_ratio": config.alert_ratio,
        "throughput_end_signal": drain_.end_signal,
        "produce_per_s": round(rate(config.posts, produce_s), 1),
        "p90_ms": round(p90 * 1000, 1),
        "idle_p50_ms": round(percentile(result.idle_s, 0.5) * 1000, 1),
        "worker_cpu_s": round(worker_cpu, 2),
        "other_cpu_s": round(cpu_s.get("other", math.nan), 2),
        "namespace": result.namespace,
    }
    return table(rows), line


def parse_args(argv: Sequence[str] | None) -> BenchConfig:
    parser = argparse.ArgumentParser(prog="python -m bench.pipeline", description=__doc__)
    parser.add_argument("--posts", type=int, default=100_000, help="posts to produce")
    parser.add_argument("--workers", type=int, default=1, help="`tapwatch worker` processes")
    parser.add_argument("--partitions", type=int, default=4,
                        help="partitions of the namespace's posts and alerts topics")
    parser.add_argument("--alert-ratio", type=float, default=0.1,
                        help="fraction of posts that break two_way_dialogue")
    parser.add_argument("--keep", action="store_true",
                        help="keep the namespace's topics, group and index")
    parser.add_argument("--timeout", type=float, default=None,
                        help=f"seconds the workers get to process all posts "
                             f"(default {DRAIN_BASE_S:.0f} + posts/{DRAIN_POSTS_PER_S:.0f})")
    parser.add_argument("--poll-ms", type=float, default=150.0,
                        help="how often the alerts index is searched for new alerts")
    parser.add_argument("--idle-probes", type=int, default=10,
                        help="single alerts timed one by one before the burst")
    args = parser.parse_args(argv)
    try:
        return BenchConfig(args.posts, args.workers, args.partitions, args.alert_ratio,
                           args.keep, args.timeout, args.poll_ms / 1000, args.idle_probes)
    except ValueError as exc:
        parser.error(str(exc))
        raise  # parser.error exits


def main(argv: Sequence[str] | None = None) -> int:
    config = parse_args(argv)
    try:
        result = run(config)
    except BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    text, line = summarize(result)
    print(text)
    print(json.dumps(line), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

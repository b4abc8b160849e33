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
import signal
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

from elasticsearch import Elasticsearch
from kafka import TopicPartition
from kafka.errors import KafkaError

from bench import cpu
from bench.alert_watch import AlertWatcher
from bench.deadline import BenchError, Deadline
from bench.kafka_side import (
    LINGER_MS,
    PACED_LINGER_MS,
    BenchProducer,
    GroupWatch,
    bare_consume,
    delete_namespace_topics,
    producer_crc_name,
)
from bench.proc_memory import ProcessMemory, read_memory
from bench.report import summarize
from bench.run_result import (
    DRAIN_BASE_S,
    DRAIN_POSTS_PER_S,
    OFFSETS_POLL_S,
    BenchConfig,
    Drain,
    RunResult,
)
from bench.synthetic import SyntheticPost, measured_posts, probe_post
from bench.workers import (
    REPO,
    WorkerProcess,
    check_all_alive,
    load_district,
    start_workers,
    tapwatch_env,
)
from core.pipeline_names import PipelineNames
from core.settings import ElasticsearchSettings, KafkaSettings

# How long the workers get to join the group, and the warm-up alerts to become searchable (s).
JOIN_TIMEOUT_S = 180.0
WARM_UP_TIMEOUT_S = 180.0
# How long one idle probe's alert may take to become searchable (s).
PROBE_TIMEOUT_S = 30.0
# After the group committed everything, alerts still unseen this long are looked up by id (s).
SWEEP_AFTER_S = 3.0
# How long a worker gets to log its state after SIGUSR1 before it is stopped (s).
STATE_DUMP_WAIT_S = 2.0
# Worker memory is sampled when a quarter, a half and three quarters of the posts are
# committed (the end of the drain is sampled anyway).
QUARTERS_SAMPLED = 3


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
    total = behind = sum(posts_ends.values())
    while True:
        check_all_alive(workers)
        now = time.time()
        try:
            if alerts_ends is None:
                behind = group.behind(posts_ends)
                while (len(done.memory_at_quarters) < QUARTERS_SAMPLED
                       and (total - behind) * 4 >= total * (len(done.memory_at_quarters) + 1)):
                    done.memory_at_quarters.append(worker_memory(workers))
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
            try:
                watcher.sweep(alert_ids)
            except Exception as exc:  # ES busy: the next sweep, or the deadline, decides
                say(f"looking up unseen alerts failed, retrying: {exc}")
        topic = names.posts if alerts_ends is None else names.alerts
        deadline.check(f"the group's commits are {behind} records short of the end of {topic}; "
                       f"{len(alert_ids) - unseen} of {len(alert_ids)} alerts searchable; "
                       "raise --timeout if the workers are just slow")
        time.sleep(OFFSETS_POLL_S)


def worker_memory(workers: list[WorkerProcess]) -> list[ProcessMemory | None]:
    """Each worker's resident memory now. The pid is the worker's Python process itself
    (started without a shell), so no process tree is summed."""
    return [read_memory(w.pid) for w in workers]


def measure(config: BenchConfig, posts: list[SyntheticPost], names: PipelineNames,
            kafka: KafkaSettings, workers: list[WorkerProcess], result: RunResult) -> None:
    watcher = AlertWatcher(ElasticsearchSettings(), names.alerts_index, config.poll_s)
    group = GroupWatch(kafka, names)
    # Paced records should leave at once, not wait up to LINGER_MS for company.
    producer = BenchProducer(kafka, PACED_LINGER_MS if config.rate > 0 else LINGER_MS)
    try:
        watcher.start()
        say(f"waiting for {config.workers} worker(s) to join group {names.group_id}")
        wait_for_group(group, workers, Deadline(JOIN_TIMEOUT_S, "the workers to join the group"))
        say("warm-up: one alert per partition")
        warm_up(producer, watcher, names, config, workers)
        result.worker_memory_start = worker_memory(workers)
        result.refresh_interval = watcher.refresh_interval()
        say(f"idle probes: {config.idle_probes} single alerts")
        result.idle_s = idle_probes(producer, watcher, names, config, workers)

        trees = {"workers": [w.pid for w in workers], **{k: [v] for k, v in
                                                         cpu.stack_pids(REPO).items()}}
        before = cpu.snapshot(trees)
        pace = ""
        if config.rate > 0:
            pace = f" at {config.rate:,.0f}/s (~{len(posts) / config.rate:.0f} s)"
        say(f"producing {len(posts):,} posts{pace}")
        produced_at: dict[str, float] = {}
        result.produce = producer.produce(names.posts, posts, produced_at, rate=config.rate)
        say(f"produced in {result.produce.all_acked_at - result.produce.first_send_at:.1f}s; "
            f"draining (deadline {config.drain_s:.0f}s)")
        alert_ids = list(produced_at)
        result.drain = drain(group, watcher, names, alert_ids, workers,
                             Deadline(config.drain_s, "the workers to process every post"))
        result.cpu_s = cpu.usage_between(before, cpu.snapshot(trees))
        result.worker_memory_end = worker_memory(workers)

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
    result.producer_crc = producer_crc_name()
    workers: list[WorkerProcess] = []
    failed = True
    try:
        say(load_district(env, workdir))
        workers = start_workers(config.workers, env, workdir)
        say(f"started worker pid(s) {', '.join(str(w.pid) for w in workers)}")
        measure(config, posts, names, kafka, workers, result)
        result.worker_exits = [w.stop() for w in workers]
        say("bare consumer: reading the posts topic from the beginning")
        with GroupWatch(kafka, names) as group:
            ends = group.end_offsets(names.posts)
        result.bare = bare_consume(kafka, ends, timeout_s=max(60.0, config.posts / 1000))
        failed = False
        return result
    finally:
        if failed:
            dump_worker_state(workers)
        stop_workers(workers, show_logs=failed)
        if config.keep:
            say(f"--keep: namespace {names.namespace} left in place")
        else:
            cleanup(kafka, names)
        if not failed and not config.keep:
            shutil.rmtree(workdir, ignore_errors=True)


def dump_worker_state(workers: list[WorkerProcess]) -> None:
    """Ask each live worker to log its consumer state and tasks (SIGUSR1) before it is
    stopped, so that a stalled run leaves evidence in the worker logs."""
    asked = [w for w in workers if w.process.poll() is None]
    for worker in asked:
        worker.process.send_signal(signal.SIGUSR1)
    if asked:
        time.sleep(STATE_DUMP_WAIT_S)
        say("asked the workers for their state (SIGUSR1): see `worker.state` in their logs")


def stop_workers(workers: list[WorkerProcess], show_logs: bool) -> None:
    """Stop every worker (and show its log tail after a failure); report, never raise."""
    for worker in workers:
        try:
            worker.stop()
            if show_logs:
                say(f"worker {worker.number} log tail ({worker.log_path}):\n{worker.log_tail()}")
        except Exception as exc:
            say(f"warning: stopping worker {worker.number} (pid {worker.pid}) failed: {exc}")


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
    parser.add_argument("--rate", type=float, default=0.0,
                        help="hand the posts to the producer at this many per second "
                             f"(linger {PACED_LINGER_MS} ms); 0 = as fast as possible "
                             f"(linger {LINGER_MS} ms)")
    args = parser.parse_args(argv)
    try:
        return BenchConfig(args.posts, args.workers, args.partitions, args.alert_ratio,
                           args.keep, args.timeout, args.poll_ms / 1000, args.idle_probes,
                           args.rate)
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

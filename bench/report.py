"""The printed table and JSON line of a benchmark run (pure: numbers in, text out)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from bench.kafka_side import BATCH_BYTES
from bench.proc_memory import ProcessMemory
from bench.run_result import OFFSETS_POLL_S, RunResult


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile; NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def table(rows: Sequence[tuple[str, str, str]]) -> str:
    """A plain-text table of (metric, value, note) rows; a row of dashes starts a section."""
    header = ("metric", "value", "note")
    body = [row for row in rows if not row[0].startswith("--")]
    widths = [max(len(row[i]) for row in (header, *body)) for i in range(2)]
    lines = [f"{header[0]:<{widths[0]}}  {header[1]:>{widths[1]}}  {header[2]}",
             f"{'-' * widths[0]}  {'-' * widths[1]}  {'-' * 4}"]
    for metric, value, note in rows:
        if metric.startswith("--"):
            lines.append(metric)
            continue
        lines.append(f"{metric:<{widths[0]}}  {value:>{widths[1]}}  {note}".rstrip())
    return "\n".join(lines)


def ms(seconds: float) -> str:
    return "n/a" if math.isnan(seconds) else f"{seconds * 1000:,.0f} ms"


def rate(count: float, seconds: float) -> float:
    return count / seconds if seconds > 0 else math.nan


def mib(memory: ProcessMemory | None, peak: bool = False) -> float | None:
    """Resident (or peak resident) MiB to one decimal; None when it could not be read."""
    if memory is None:
        return None
    return round(memory.peak_rss_mib if peak else memory.rss_mib, 1)


def memory_rows(start: Sequence[ProcessMemory | None],
                end: Sequence[ProcessMemory | None]) -> list[tuple[str, str, str]]:
    """One row per worker: resident MiB after the warm-up -> at the end of the drain, and peak."""
    rows = []
    for number, after in enumerate(end):
        before = start[number] if number < len(start) else None
        shown = [f"{v:,.1f}" if v is not None else "n/a" for v in (mib(before), mib(after))]
        peak = mib(after, peak=True)
        rows.append((f"  worker {number} RSS", f"{shown[0]} -> {shown[1]} MiB",
                     f"peak (VmHWM) {peak:,.1f} MiB" if peak is not None else "unreadable"))
    return rows


def memory_growth_rows(quarters: Sequence[Sequence[ProcessMemory | None]],
                       end: Sequence[ProcessMemory | None]) -> list[tuple[str, str, str]]:
    """One row per worker: resident MiB at 25%, 50%, 75% of the posts committed and at the end."""
    rows = []
    for number, at_end in enumerate(end):
        samples = [q[number] if number < len(q) else None for q in quarters] + [at_end]
        shown = " / ".join(f"{v:,.1f}" if v is not None else "n/a"
                           for v in (mib(m) for m in samples))
        rows.append((f"  worker {number} RSS by progress", f"{shown} MiB",
                     "at 25% / 50% / 75% of the posts committed / end"))
    return rows


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
    send_per_s = produce.send_per_s
    send_note = f"first to last hand-over, {produce.last_send_at - start:.2f} s"
    if config.rate > 0:
        send_note += f"; at most {produce.max_late_s * 1000:,.1f} ms behind schedule"
        pacing = (f"{config.rate:,.0f} posts/s",
                  f"post i handed over no earlier than first send + i/rate; "
                  f"linger {produce.linger_ms} ms so paced records leave at once")
    else:
        pacing = ("unpaced", f"as fast as possible; linger {produce.linger_ms} ms, "
                  f"batches up to {BATCH_BYTES // 1024} KiB")
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
        ("target rate (--rate)", *pacing),
        ("achieved send rate", f"{send_per_s:,.0f}/s" if not math.isnan(send_per_s) else "n/a",
         send_note),
        ("produce (until all acked)", f"{rate(config.posts, produce_s):,.0f}/s",
         f"{produce_s:.2f} s, kafka-python acks=all, CRC: {result.producer_crc}"),
        ("pipeline", f"{posts_per_s:,.0f} posts/s",
         f"{elapsed:.1f} s from first produce"
         + ("; cannot exceed --rate" if config.rate > 0 else "")),
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
    rows.append(("-- worker memory: resident after warm-up -> at end of drain "
                 "(VmRSS, VmHWM of /proc/PID/status)", "", ""))
    rows.extend(memory_rows(result.worker_memory_start, result.worker_memory_end))
    rows.extend(memory_growth_rows(drain_.memory_at_quarters, result.worker_memory_end))
    if any(code not in (0, None) for code in result.worker_exits):
        rows.append(("worker exit codes", ",".join(map(str, result.worker_exits)),
                     "after SIGTERM"))
    line: dict[str, Any] = {
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
        "rate": config.rate if config.rate > 0 else None,
        "send_per_s": round(send_per_s, 1),
        "send_max_late_ms": round(produce.max_late_s * 1000, 1) if config.rate > 0 else None,
        "linger_ms": produce.linger_ms,
        "worker_rss_start_mib": [mib(m) for m in result.worker_memory_start],
        "worker_rss_mib": [mib(m) for m in result.worker_memory_end],
        "worker_peak_rss_mib": [mib(m, peak=True) for m in result.worker_memory_end],
        "worker_rss_quarters_mib": [[mib(m) for m in q] for q in drain_.memory_at_quarters],
        "namespace": result.namespace,
    }
    # NaN (no idle probes, say) is not JSON: write null.
    line = {k: None if isinstance(v, float) and math.isnan(v) else v for k, v in line.items()}
    return table(rows), line

"""What a benchmark run was asked to do, and what it measured (plain data)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from bench.kafka_side import BareResult, ProduceResult
from bench.proc_memory import ProcessMemory

# Default drain deadline: this much, plus one second per DRAIN_POSTS_PER_S posts (s).
DRAIN_BASE_S = 120.0
DRAIN_POSTS_PER_S = 200.0
# How often the drain loop reads the group's committed offsets (s).
OFFSETS_POLL_S = 0.1


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
    rate: float = 0.0  # measured posts handed to the producer per second; 0 = as fast as possible

    def __post_init__(self) -> None:
        if self.posts < 1 or self.workers < 1 or self.partitions < 1 or self.idle_probes < 0:
            raise ValueError("--posts, --workers and --partitions must be at least 1")
        if not (math.isfinite(self.rate) and self.rate >= 0):
            raise ValueError("--rate must be 0 (unpaced) or a positive number of posts/s")
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
    # Each worker's memory when the group had committed a quarter, half and three
    # quarters of the posts topic (does it level off, or grow with every post?).
    memory_at_quarters: list[list[ProcessMemory | None]] = field(default_factory=list)

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
    producer_crc: str = "pure Python (kafka-python's fallback)"
    worker_exits: list[int | None] = field(default_factory=list)
    # Each worker's memory after the warm-up, and at the end of the drain (None: unreadable).
    worker_memory_start: list[ProcessMemory | None] = field(default_factory=list)
    worker_memory_end: list[ProcessMemory | None] = field(default_factory=list)

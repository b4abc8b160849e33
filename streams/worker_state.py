"""The worker's own view of its consumer, for stall diagnosis (logged on SIGUSR1).

It reads Faust's and aiokafka's internal bookkeeping, which neither library exposes,
so every field is read defensively: a diagnostic must never break the worker.
"""

from __future__ import annotations

from typing import Any


def _safe(read: Any) -> Any:
    try:
        return read()
    except Exception as exc:  # internals of another version: say so, do not fail
        return f"?{type(exc).__name__}"


def _position(consumer: Any, tp: Any) -> Any:
    kafka_consumer = consumer._thread._ensure_consumer()
    assignment = kafka_consumer._subscription.subscription.assignment
    return assignment.state_value(tp).position


def describe_consumer(app: Any) -> str:
    """One line per assigned partition: the read and committed offsets, what the
    ledger may commit and how many delivered records wait for acks, and aiokafka's
    fetch position; then the size of each stream's queue."""
    consumer = app.consumer
    conductor = app.topics
    lines = [
        f"paused={sorted(map(str, consumer._paused_partitions))} "
        f"active={sorted(map(str, consumer._active_partitions or ()))} "
        f"unacked={len(consumer._unacked_messages)} rebalancing={app.rebalancing} "
        f"flow_active={consumer.flow_active} "
        f"suspend_flow={_safe(lambda: consumer.suspend_flow.is_set())} "
        f"flow_control_suspended={_safe(lambda: app.flow_control.is_active() is False)}"
    ]
    for tp in sorted(consumer.assignment()):
        lines.append(
            f"{tp.topic}[{tp.partition}] read={consumer._read_offset.get(tp)} "
            f"committed={consumer._committed_offset.get(tp)} "
            f"may_commit={_safe(lambda tp=tp: consumer.ledger.commit_offset(tp))} "
            f"delivered_unacked={_safe(lambda tp=tp: consumer.ledger.waiting(tp))} "
            f"position={_safe(lambda tp=tp: _position(consumer, tp))} "
            f"routed={tp in conductor._tp_to_callback}"
        )
    for channel in list(conductor._topics):
        lines.append(
            f"channel {sorted(getattr(channel, 'topics', ()))} "
            f"queued={_safe(lambda channel=channel: channel.queue.qsize())}"
        )
    return "\n  ".join(lines)

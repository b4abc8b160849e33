"""The worker's consumer commits past duplicate acked offsets in one step (Faust crawls)."""

from __future__ import annotations

from collections import defaultdict
from types import SimpleNamespace

from faust.transport.drivers.aiokafka import Consumer as FaustConsumer
from faust.types import TP
from intervaltree import IntervalTree

from streams.faust_consumer import TapwatchConsumer, install_consumer, without_duplicates

TOPIC = TP("tapwatch-posts-unit", 0)


def _bookkeeping(consumer_class, committed, acked):
    """A consumer holding only the offset bookkeeping `_new_offset` reads (no loop, no I/O)."""
    consumer = consumer_class.__new__(consumer_class)
    consumer._committed_offset = defaultdict(lambda: None, {TOPIC: committed})
    consumer._acked = defaultdict(list, {TOPIC: list(acked)})
    consumer._acked_index = defaultdict(set, {TOPIC: set(acked)})
    consumer._gap = defaultdict(IntervalTree)
    return consumer


def test_install_makes_the_app_create_the_repaired_consumer():
    app = SimpleNamespace(transport=SimpleNamespace())
    install_consumer(app)
    assert app.transport.Consumer is TapwatchConsumer


def test_duplicates_do_not_cut_the_run_of_acked_offsets():
    acked = [5, 5, 6, 6, 7, 8, 8]
    assert _bookkeeping(FaustConsumer, 5, acked)._new_offset(TOPIC) == 6  # Faust's crawl
    assert _bookkeeping(TapwatchConsumer, 5, acked)._new_offset(TOPIC) == 9


def test_a_real_gap_still_stops_the_commit():
    consumer = _bookkeeping(TapwatchConsumer, 5, [5, 6, 6, 9, 10])
    assert consumer._new_offset(TOPIC) == 7  # 7 and 8 are not acked


def test_without_duplicates_sorts_and_keeps_each_offset_once():
    assert without_duplicates([9, 3, 3, 4, 9]) == [3, 4, 9]

"""Conversation state by conversation key, as the detect step reads and writes it.

Stores keep each state encoded (`thread_state_to_json`), as the changelog does; a
store may keep decoded states too, so that a busy conversation is not decoded and
encoded again for every post.
"""

from __future__ import annotations

import logging
from typing import Protocol

from classifiers.thread_state import ThreadState, thread_state_from_json, thread_state_to_json
from ingest.errors import InvalidEvent

log = logging.getLogger(__name__)


class ThreadStore(Protocol):
    """The worker's conversation table, or a dict in tests and the offline replay."""

    def get(self, key: str) -> ThreadState: ...

    def put(self, key: str, state: ThreadState) -> None: ...


def decode_thread_state(key: str, payload: bytes | None) -> ThreadState:
    """The stored state, or a fresh one when there is none or it is damaged: a damaged
    state must not stop its thread (the error is logged, without the state's content)."""
    try:
        return thread_state_from_json(payload)
    except InvalidEvent as exc:
        log.error("thread.state_unreadable key=%s reason=%s", key, exc.reason)
        return ThreadState()


class EncodedThreadStore:
    """A ThreadStore over a plain dict of encoded states."""

    def __init__(self) -> None:
        self.encoded: dict[str, bytes] = {}

    def get(self, key: str) -> ThreadState:
        return decode_thread_state(key, self.encoded.get(key))

    def put(self, key: str, state: ThreadState) -> None:
        self.encoded[key] = thread_state_to_json(state)

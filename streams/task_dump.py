"""SIGUSR1 makes a worker log where each of its asyncio tasks is waiting (stall diagnosis).

`kill -USR1 <pid>` writes one log record per task with the chain of coroutines it is
suspended in (innermost last). It changes nothing; district IT uses it when
`tapwatch status` shows a worker behind.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from typing import Any

log = logging.getLogger(__name__)

# How deep the chain of awaited coroutines is followed.
MAX_DEPTH = 40


def awaited_chain(awaitable: Any) -> list[str]:
    """`file:line function` of each coroutine or async generator `awaitable` waits in."""
    chain: list[str] = []
    current = awaitable
    while current is not None and len(chain) < MAX_DEPTH:
        frame = (
            getattr(current, "cr_frame", None)
            or getattr(current, "ag_frame", None)
            or getattr(current, "gi_frame", None)
        )
        if frame is not None:
            code = frame.f_code
            chain.append(f"{code.co_filename}:{frame.f_lineno} {code.co_name}")
        current = (
            getattr(current, "cr_await", None)
            or getattr(current, "ag_await", None)
            or getattr(current, "gi_yieldfrom", None)
        )
    if current is not None:
        chain.append(repr(current)[:200])
    return chain


def _dump(loop: asyncio.AbstractEventLoop, describe: Any) -> None:
    if describe is not None:
        log.warning("worker.state %s", describe())
    for task in asyncio.all_tasks(loop):
        chain = "\n  ".join(awaited_chain(task.get_coro()))
        log.warning("task.waiting task=%s\n  %s", task.get_name()[:120], chain)


def install_task_dump(loop: asyncio.AbstractEventLoop, describe: Any = None) -> None:
    """Log `describe()` (the worker's own view of its state), then every task of `loop`
    and where it waits, on SIGUSR1."""
    loop.add_signal_handler(signal.SIGUSR1, _dump, loop, describe)

"""Progress on stderr: "connecting to ..." lines, waits and progress bars; plain lines off a tty.

On a terminal, rich draws a spinner or a bar that redraws in place. Anywhere else (a
pipe, a log file, cron, CI) the same calls print plain lines: one when the work starts,
one every `heartbeat_s` while it lasts, one every tenth of a progress bar, so a log
shows that the command is alive without a screenful of control characters.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)

# Off a terminal, a wait prints "still ..." this often (seconds).
HEARTBEAT_S = 10.0
# Off a terminal, a progress bar prints a line each time it passes another tenth.
PLAIN_PROGRESS_STEPS = 10


def _console() -> Console:
    # Built per use: sys.stderr may have been replaced (tests, redirection) since import.
    return Console(file=sys.stderr, highlight=False)


def note(message: str) -> None:
    """One line on stderr, whatever stderr is."""
    print(message, file=sys.stderr, flush=True)


def _heartbeat(message: str, started: float, heartbeat_s: float, stop: threading.Event) -> None:
    while not stop.wait(heartbeat_s):
        note(f"still {message} ({time.monotonic() - started:.0f} s)")


@contextmanager
def waiting(message: str, heartbeat_s: float = HEARTBEAT_S) -> Iterator[None]:
    """Announce `message ...` and show that the block is still running until it ends."""
    note(f"{message} ...")
    console = _console()
    if console.is_terminal:
        with Progress(
            SpinnerColumn(),
            TextColumn(message),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as spinner:
            spinner.add_task(message, total=None)
            yield
        return
    stop = threading.Event()
    beat = threading.Thread(
        target=_heartbeat, args=(message, time.monotonic(), heartbeat_s, stop), daemon=True
    )
    beat.start()
    try:
        yield
    finally:
        stop.set()
        beat.join()


def connecting(
    service: str, address: str, heartbeat_s: float = HEARTBEAT_S
) -> AbstractContextManager[None]:
    """`connecting to Kafka at 127.0.0.1:9092 ...` while the block waits for the server."""
    return waiting(f"connecting to {service} at {address}", heartbeat_s)


# `with progress(...) as advance: advance(n)` moves the bar n units on.
Advance = Callable[[float], None]


@contextmanager
def progress(description: str, total: float) -> Iterator[Advance]:
    """A progress bar over `total` units (bytes, posts); plain tenths off a terminal."""
    console = _console()
    if console.is_terminal:
        with Progress(
            TextColumn(description),
            BarColumn(),
            TaskProgressColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as bar:
            task = bar.add_task(description, total=total)
            yield lambda amount: bar.advance(task, amount)
        return
    done = 0.0
    shown = 0

    def advance(amount: float) -> None:
        nonlocal done, shown
        done += amount
        step = int(PLAIN_PROGRESS_STEPS * min(done, total) / total) if total > 0 else 0
        if step > shown:
            shown = step
            note(f"{description}: {100 * step // PLAIN_PROGRESS_STEPS}%")

    yield advance

"""start_eagerly finishes a coroutine inline, or hands it to a task mid-way."""

from __future__ import annotations

import asyncio

import pytest

from streams.run_eagerly import start_eagerly


def test_a_coroutine_that_never_waits_finishes_inline_without_a_task():
    seen: list[str] = []

    async def deliver() -> None:
        seen.append("delivered")

    async def scenario() -> object:
        return start_eagerly(deliver())

    assert asyncio.run(scenario()) is None
    assert seen == ["delivered"]


def test_a_coroutine_that_waits_resumes_in_a_task_with_values_passed_through():
    async def deliver(queue: asyncio.Queue[int]) -> int:
        await queue.put(1)  # a full queue: waits for room
        await asyncio.sleep(0)
        return 42

    async def scenario() -> tuple[bool, int, int]:
        queue: asyncio.Queue[int] = asyncio.Queue(maxsize=1)
        queue.put_nowait(0)
        task = start_eagerly(deliver(queue))
        assert task is not None
        waited = not task.done()
        assert await queue.get() == 0
        result = await asyncio.wait_for(task, 5)
        return waited, result, await queue.get()

    assert asyncio.run(scenario()) == (True, 42, 1)


def test_cancelling_the_task_cancels_the_coroutine_where_it_waits():
    cleaned: list[str] = []

    async def deliver() -> None:
        try:
            await asyncio.Event().wait()
        finally:
            cleaned.append("cleaned up")

    async def scenario() -> None:
        task = start_eagerly(deliver())
        assert task is not None
        await asyncio.sleep(0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(scenario())
    assert cleaned == ["cleaned up"]


def test_errors_reach_the_caller_inline_or_through_the_task():
    async def fails_now() -> None:
        raise ValueError("bad record")

    async def fails_later() -> None:
        await asyncio.sleep(0)
        raise KeyError("later")

    async def scenario() -> None:
        with pytest.raises(ValueError, match="bad record"):
            start_eagerly(fails_now())
        task = start_eagerly(fails_later())
        assert task is not None
        with pytest.raises(KeyError):
            await task

    asyncio.run(scenario())

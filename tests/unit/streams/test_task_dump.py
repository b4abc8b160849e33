"""The stall diagnosis: where a suspended coroutine waits, innermost last."""

from __future__ import annotations

import asyncio

from streams.task_dump import awaited_chain


async def _inner(event: asyncio.Event) -> None:
    await event.wait()


async def _outer(event: asyncio.Event) -> None:
    await _inner(event)


def test_chain_names_each_coroutine_down_to_the_wait():
    """A task suspended two coroutines deep shows both, outermost first."""

    async def scenario() -> list[str]:
        event = asyncio.Event()
        task = asyncio.create_task(_outer(event))
        await asyncio.sleep(0)
        chain = awaited_chain(task.get_coro())
        event.set()
        await task
        return chain

    chain = asyncio.run(scenario())
    names = [line.rsplit(" ", 1)[1] for line in chain if " " in line and ":" in line]
    assert names[:2] == ["_outer", "_inner"]
    assert "wait" in names

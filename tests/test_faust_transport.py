"""The fixed Faust transport (streams/faust_transport.py): which partitions the consumer
rewinds after a rebalance, and the fetch loop's inline hand-over."""

from __future__ import annotations

import asyncio
import hashlib
import inspect
from collections.abc import Callable, Coroutine
from typing import Any

import pytest
from faust.transport import consumer as faust_consumer
from faust.types import TP

from streams.faust_transport import never_committed, run_inline

# faust-streaming 0.15.3's Consumer._drain_messages, which streams.faust_transport copies.
FAUST_DRAIN_MESSAGES_SHA256 = "44a2500309e83c630493f6828af50166ec8d96a0b3e4fb2bab735f704ae93417"

INPUTS = {"messages", "contract-events"}


@pytest.mark.parametrize(
    ("committed", "expected"),
    [
        # committed offset (next to read) per partition → partitions read from the start
        ({TP("messages", 0): None}, [TP("messages", 0)]),
        ({TP("messages", 0): 0}, [TP("messages", 0)]),
        ({TP("messages", 0): 1}, []),
        ({TP("messages", 0): 5000}, []),
        # a changelog partition is left to table recovery, committed or not
        ({TP("opguard-contracts-changelog", 3): None}, []),
        (
            {
                TP("contract-events", 2): None,
                TP("messages", 1): 12,
                TP("contract-events", 0): 0,
                TP("messages", 0): None,
            },
            [TP("contract-events", 0), TP("contract-events", 2), TP("messages", 0)],
        ),
        ({}, []),
    ],
)
def test_never_committed_input_partitions(
    committed: dict[TP, int | None], expected: list[TP]
) -> None:
    assert never_committed(committed, INPUTS.__contains__) == expected


# The fetch loop hands each record over inline (``run_inline``), and only a hand-over
# that suspends goes on through ``wait_first``.  How a hand-over behaves → what happens.
async def _finishes() -> str:
    return "done"


async def _suspends_then_finishes() -> str:
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    return "done later"


async def _raises_at_once() -> str:
    raise ValueError("bad record")


async def _raises_after_suspending() -> str:
    await asyncio.sleep(0)
    raise ValueError("bad record later")


async def _waits_for(event: asyncio.Event) -> str:
    await event.wait()
    return "released"


@pytest.mark.parametrize(
    ("handover", "finished_inline", "result"),
    [
        (_finishes, True, None),
        (_suspends_then_finishes, False, "done later"),
        (_raises_at_once, ValueError("bad record"), None),
        (_raises_after_suspending, False, ValueError("bad record later")),
    ],
)
def test_run_inline(
    handover: Callable[[], Coroutine[Any, Any, str]],
    finished_inline: bool | Exception,
    result: str | Exception | None,
) -> None:
    async def main() -> tuple[bool, Any]:
        finished, rest = run_inline(handover())
        return finished, None if rest is None else await rest

    if isinstance(finished_inline, Exception):
        with pytest.raises(type(finished_inline), match=str(finished_inline)):
            asyncio.run(main())
    elif isinstance(result, Exception):
        with pytest.raises(type(result), match=str(result)):
            asyncio.run(main())
    else:
        assert asyncio.run(main()) == (finished_inline, result)


def test_a_suspended_handover_can_be_abandoned_as_wait_first_does() -> None:
    """On a rebalance ``wait_first`` cancels a hand-over still blocked (full buffer)."""

    async def main() -> bool:
        release = asyncio.Event()
        finished, rest = run_inline(_waits_for(release))
        assert not finished and rest is not None
        task = asyncio.ensure_future(rest)
        await asyncio.sleep(0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return task.cancelled()

    assert asyncio.run(main())


def test_the_copied_fetch_loop_is_still_faust_s() -> None:
    """``Consumer._drain_messages`` copies Faust's with one change: a Faust upgrade that
    changes the original must be looked at (and this hash updated) on purpose."""
    source = inspect.getsource(faust_consumer.Consumer._drain_messages)
    assert hashlib.sha256(source.encode()).hexdigest() == FAUST_DRAIN_MESSAGES_SHA256

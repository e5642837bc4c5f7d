"""The framework fixes of ``streams.seam``, each without a broker (the real-broker tests
are ``tests/integration/test_rebalance.py`` and ``test_delivery_failure.py``)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any

import pytest
from faust.transport.drivers import by_url
from faust.types import TP

from streams import seam

MESSAGES = "messages"
CHANGELOG = "opguard-contracts-changelog"


def acked(topic: str) -> bool:
    return topic == MESSAGES


# (committed offsets as seek_to_committed returns them, partitions to rewind)
NEVER_COMMITTED = [
    ({TP(MESSAGES, 0): 5, TP(MESSAGES, 1): None}, [TP(MESSAGES, 1)]),
    ({TP(MESSAGES, 2): 0, TP(MESSAGES, 1): None}, [TP(MESSAGES, 1), TP(MESSAGES, 2)]),
    ({TP(CHANGELOG, 0): None}, []),  # table recovery seeks changelogs itself
    ({TP(MESSAGES, 0): 1}, []),
    ({}, []),
]


@pytest.mark.parametrize(("committed", "rewind"), NEVER_COMMITTED)
def test_never_committed(committed: Mapping[TP, int | None], rewind: list[TP]) -> None:
    assert seam.never_committed(committed, acked) == rewind


class _Thread:
    """The consumer thread as aiokafka leaves it: committed offsets, nothing sought."""

    def __init__(self, committed: dict[TP, int | None], earliest: dict[TP, int]) -> None:
        self.committed, self.earliest = committed, earliest
        self.sought: dict[TP, int] = {}

    async def seek_to_committed(self) -> dict[TP, int | None]:
        return self.committed

    async def earliest_offsets(self, *tps: TP) -> dict[TP, int]:
        return {tp: self.earliest[tp] for tp in tps}

    async def seek_wait(self, positions: Mapping[TP, int]) -> None:
        self.sought.update(positions)


def _consumer(thread: _Thread, reset: str) -> seam.Consumer:
    consumer = object.__new__(seam.Consumer)  # no transport: only what the fix uses
    consumer.__dict__["_thread"] = thread
    consumer.__dict__["app"] = SimpleNamespace(
        topics=SimpleNamespace(acks_enabled_for=acked),
        conf=SimpleNamespace(consumer_auto_offset_reset=reset),
    )
    return consumer


@pytest.mark.parametrize(
    ("reset", "sought"),
    [("earliest", {TP(MESSAGES, 1): 40, TP(MESSAGES, 2): 0}), ("latest", {})],
)
def test_a_rebalance_rewinds_never_committed_inputs(reset: str, sought: dict[TP, int]) -> None:
    """The bug: aiokafka seeks only partitions with a positive committed offset, so a
    never-committed input kept the position after the records Faust threw away."""
    committed: dict[TP, int | None] = {TP(MESSAGES, 0): 7, TP(MESSAGES, 1): None}
    committed[TP(MESSAGES, 2)] = 0
    committed[TP(CHANGELOG, 0)] = None
    earliest = {TP(MESSAGES, 1): 40, TP(MESSAGES, 2): 0}
    thread = _Thread(committed, earliest)
    returned = asyncio.run(_consumer(thread, reset).seek_to_committed())
    assert returned == committed  # what Faust's perform_seek goes on with
    assert thread.sought == sought


def test_the_opguard_scheme_selects_the_fixed_transport() -> None:
    assert by_url("opguard://127.0.0.1:9092") is seam.Transport
    assert seam.Transport.Consumer is seam.Consumer
    assert seam.broker_urls("a:1, b:2") == ["opguard://a:1", "opguard://b:2"]


# (what fails, the code that fails it)
STOPS = [
    (
        "a delivery",
        "f = asyncio.get_event_loop_policy().new_event_loop().create_future();"
        "f.set_exception(RuntimeError('refused')); seam.check_delivered(f)",
    ),
    ("a changelog record", "seam.DeliverySensor().on_send_error(None, RuntimeError('x'), None)"),
    ("a batch", "seam.stop_uncommitted(RuntimeError('x'), 'a batch failed')"),
]


@pytest.mark.parametrize(("what", "code"), STOPS, ids=[what for what, _ in STOPS])
def test_a_lost_output_exits_at_once_with_status_1(what: str, code: str) -> None:
    """At once: nothing after the failure runs, so no commit can follow it."""
    prelude = "import asyncio, logging\nfrom streams import seam\nlogging.basicConfig()\n"
    script = f"{prelude}{code}\nprint('went on')\n"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    assert "went on" not in done.stdout
    assert "committing nothing more" in done.stderr


def test_a_delivered_record_goes_on() -> None:
    loop = asyncio.new_event_loop()
    try:
        future: asyncio.Future[Any] = loop.create_future()
        future.set_result(None)
        seam.check_delivered(future)
        cancelled: asyncio.Future[Any] = loop.create_future()
        cancelled.cancel()
        seam.check_delivered(cancelled)
    finally:
        loop.close()

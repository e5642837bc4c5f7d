"""Faust's Kafka transport with one fix: a rebalance never strands a partition.

The bug (faust-streaming 0.15.3 with aiokafka 0.14; ``tests/integration/test_rebalance.py``):
during a rebalance Faust stops the flow and throws away the records it has already
fetched, relying on "seek every assigned partition back to its committed offset"
(``Consumer.perform_seek``) to read them again.  aiokafka's ``seek_to_committed`` only
seeks when the committed offset is a positive number; a partition that has *never been
committed* (a new consumer group whose first commit had not happened yet when the
rebalance came) keeps the fetch position after the thrown-away records.  Nothing is
committed for it, nothing more is delivered, and no error is logged: its records stay
unconsumed until the worker restarts.  Two workers started together on a backlog hit
it nearly every time.

The fix: after seeking to the committed offsets, send every input partition with no
committed offset back to its beginning, which is what ``auto_offset_reset=earliest``
(set by ``streams.app``) means for it.  Records read twice this way are judged twice,
which the pipeline already tolerates (at-least-once: deterministic event ids,
redelivery-safe contract timelines, strikes keyed by event id).
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import types
from collections.abc import AsyncIterator, Awaitable, Coroutine, Generator, Mapping
from typing import Any, cast

import faust
from faust.transport.consumer import CONSUMER_FETCHING
from faust.transport.drivers import aiokafka as aiokafka_driver
from faust.types import TP

log = logging.getLogger(__name__)


def never_committed(committed: Mapping[TP, int | None], acked_topic: Any) -> list[TP]:
    """Partitions of acked (agent input) topics that have no committed offset yet.

    ``committed`` is what ``seek_to_committed`` returns: the offset to read next, or
    ``None`` when the group never committed one.  An offset of 0 is the same as none.
    Changelog partitions are left to table recovery, which seeks them itself.
    """
    return sorted(
        (tp for tp, offset in committed.items() if not offset and acked_topic(tp.topic)),
        key=lambda tp: (tp.topic, tp.partition),
    )


@types.coroutine
def _resume(coro: Coroutine[Any, Any, Any], waiting_on: Any) -> Generator[Any, Any, Any]:
    """Go on with ``coro``, started by hand and now suspended on ``waiting_on``: an
    awaitable that runs the rest of it (as ``await coro`` would have)."""
    while True:
        try:
            sent = yield waiting_on
        except BaseException as error:  # thrown in by the task: hand it on
            try:
                waiting_on = coro.throw(error)
            except StopIteration as done:
                return done.value
        else:
            try:
                waiting_on = coro.send(sent)
            except StopIteration as done:
                return done.value


def run_inline(work: Awaitable[Any]) -> tuple[bool, Awaitable[Any] | None]:
    """Run the coroutine ``work`` up to its first suspension: (True, None) if it
    finished, else (False, an awaitable of the rest); any other awaitable is left to
    be awaited.  Exceptions it raises propagate."""
    if not isinstance(work, Coroutine):
        return False, work
    coro = work
    try:
        waiting_on = coro.send(None)
    except StopIteration:
        return True, None
    return False, _rest(coro, waiting_on)


async def _rest(coro: Coroutine[Any, Any, Any], waiting_on: Any) -> Any:
    # A native coroutine (``mode.Service.wait_first`` takes those, not generators).
    return await _resume(coro, waiting_on)


class Consumer(aiokafka_driver.Consumer):
    """aiokafka consumer whose seek-to-committed also rewinds never-committed inputs,
    and whose fetch loop hands a record over without four tasks per record."""

    async def _drain_messages(self, fetcher: Any) -> None:  # pragma: no cover - see below
        """Faust 0.15's ``Consumer._drain_messages`` (the loop that hands every fetched
        record to the conductor) with one change.  Faust awaits
        ``wait_first(callback(message), suspend_flow.wait())`` per record: four asyncio
        tasks and an ``asyncio.wait`` so that a rebalance (``suspend_flow``) can abandon
        a hand-over blocked on a full stream buffer.  That is a sixth of a consume-only
        worker's CPU.  Here the hand-over first runs inline: nearly always it finishes
        without suspending (the buffer has room), and nothing could have interrupted
        it.  Only when it suspends does the rest go through ``wait_first`` as before.

        ``tests/test_faust_transport.py`` pins the upstream source this copies, so a
        Faust upgrade that changes it fails a test instead of drifting silently; the
        rebalance, scale-out and restart integration tests exercise it end to end.
        """
        callback = self.callback
        getmany = self.getmany
        consumer_should_stop = cast(Any, self)._stopped.is_set
        fetcher_should_stop = fetcher._stopped.is_set
        flow_suspended = self.suspend_flow.is_set
        get_read_offset = self._read_offset.__getitem__
        set_read_offset = self._read_offset.__setitem__
        set_flag = self.diag.set_flag
        unset_flag = self.diag.unset_flag
        commit_every = self._commit_every
        acks_enabled_for = self.app.topics.acks_enabled_for
        yield_every = 100
        num_since_yield = 0
        sleep = asyncio.sleep
        try:
            while not (consumer_should_stop() or fetcher_should_stop()):
                set_flag(CONSUMER_FETCHING)
                ait = cast(AsyncIterator[Any], getmany(timeout=1.0))
                await self.sleep(0)
                if not self.should_stop:
                    async for tp, message in ait:
                        num_since_yield += 1
                        if num_since_yield > yield_every:
                            await sleep(0)
                            num_since_yield = 0
                        offset = message.offset
                        r_offset = get_read_offset(tp)
                        if r_offset is None or offset >= r_offset:
                            gap = offset - (r_offset or 0)
                            if gap > 1 and r_offset and acks_enabled_for(message.topic):
                                await self._add_gap(tp, r_offset + 1, offset)
                            if commit_every is not None and self._n_acked >= commit_every:
                                self._n_acked = 0
                                await self.commit()
                            if flow_suspended():
                                await self.wait_first(callback(message), self.suspend_flow.wait())
                            else:
                                finished, rest = run_inline(callback(message))
                                if not finished:
                                    await self.wait_first(
                                        cast(Awaitable[Any], rest), self.suspend_flow.wait()
                                    )
                            set_read_offset(tp, offset)
                    unset_flag(CONSUMER_FETCHING)
        except self.consumer_stopped_errors:
            if self.transport.app.should_stop:
                self.log.info("Broker stopped consumer, shutting down...")
                return
            raise
        except asyncio.CancelledError:
            if self.transport.app.should_stop:
                self.log.info("Consumer shutting down for user cancel.")
                return
            raise
        except Exception as exc:
            self.log.exception("Drain messages raised: %r", exc)
            raise
        finally:
            unset_flag(CONSUMER_FETCHING)

    async def seek_to_committed(self) -> Mapping[TP, int]:
        committed = await super().seek_to_committed()
        rewind = never_committed(committed, self.app.topics.acks_enabled_for)
        if rewind and self.app.conf.consumer_auto_offset_reset == "earliest":
            log.info(
                "no committed offset yet for %d input partition(s): reading them from the "
                "beginning (%s)",
                len(rewind),
                ", ".join(f"{tp.topic}[{tp.partition}]" for tp in rewind),
            )
            # Explicit positions, not ``seek_to_beginning``: aiokafka's only requests a
            # reset from its fetcher and gives up silently after the request timeout,
            # and a restarted worker whose fetcher was already running stalled there
            # (ready, judging nothing).  ``seek_wait`` sets each position at once.
            earliest = await self._thread.earliest_offsets(*rewind)
            await self._thread.seek_wait({tp: earliest[tp] for tp in rewind if tp in earliest})
        return committed

    async def _commit(self, offsets: Mapping[TP, int]) -> bool:
        error = getattr(self.app, "delivery_error", None)
        if error is not None:
            log.error("not committing offsets: produced records were not delivered (%r)", error)
            return False
        return bool(await super()._commit(offsets))


class Transport(aiokafka_driver.Transport):
    Consumer = Consumer


class App(faust.App):
    """``faust.App`` on the fixed transport (only for the ``kafka://`` scheme).

    ``delivery_failed`` is for records produced outside Faust (``streams.outbox``): once
    one could not be produced (refused by the client, or not delivered after aiokafka's
    own retries), and ``batch_failed`` once an agent's batch raised, the consumer
    commits nothing more and the worker stops as on SIGTERM, then exits with status 1
    (see ``streams.worker``): the inputs behind the lost records are processed again by
    the worker that takes their partitions over, or by this one once restarted.
    """

    delivery_error: BaseException | None = None

    def delivery_failed(self, error: BaseException) -> None:
        self._stop_uncommitted(error, "a produced record was not delivered")

    def batch_failed(self, error: BaseException) -> None:
        """An agent's batch raised before all its outputs were produced.  Faust's
        ``take_events`` acks a batch's events even when the agent raises out of it (its
        ``finally``), and the supervisor restarts the agent in the same process, so
        without this the batch's offsets would be committed with its outputs lost."""
        self._stop_uncommitted(error, "a batch failed before its outputs were produced")

    def _stop_uncommitted(self, error: BaseException, what: str) -> None:
        if self.delivery_error is None:
            self.delivery_error = error
            log.critical("%s (%r): committing nothing more, stopping the worker", what, error)
            os.kill(os.getpid(), signal.SIGTERM)

    def _new_transport(self) -> Any:
        urls = self.conf.broker_consumer
        if urls[0].scheme != "kafka":
            raise ValueError(f"opguard supports kafka:// brokers only, not {urls[0]}")
        return Transport(urls, self)

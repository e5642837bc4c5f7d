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

import logging
import os
import signal
from collections.abc import Mapping
from typing import Any

import faust
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


class Consumer(aiokafka_driver.Consumer):
    """aiokafka consumer whose seek-to-committed also rewinds never-committed inputs."""

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
            await self._thread.seek_to_beginning(*rewind)
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
    one could not be delivered (after aiokafka's own retries) the consumer commits
    nothing more and the worker stops as on SIGTERM, then exits with status 1 (see
    ``streams.worker``): the inputs behind the lost records are processed again by the
    worker that takes their partitions over, or by this one once restarted.
    """

    delivery_error: BaseException | None = None

    def delivery_failed(self, error: BaseException) -> None:
        if self.delivery_error is None:
            self.delivery_error = error
            log.critical("a produced record was not delivered (%r): stopping the worker", error)
            os.kill(os.getpid(), signal.SIGTERM)

    def _new_transport(self) -> Any:
        urls = self.conf.broker_consumer
        if urls[0].scheme != "kafka":
            raise ValueError(f"opguard supports kafka:// brokers only, not {urls[0]}")
        return Transport(urls, self)

"""Where opguard meets Faust: the framework fixes and hooks, all in one module.

Everything else in ``streams/`` uses Faust's public API (agents, ``take_events``,
tables used as tables, ``app.producer.send``, sensors, timers, pages).  What is here,
and why:

1. **The never-committed-partition rewind** (a Faust bug; ``Consumer`` below,
   public methods only).  faust-streaming 0.15.3 with aiokafka 0.14: during a
   rebalance Faust stops the flow and throws away the records it has already fetched,
   relying on "seek every assigned partition back to its committed offset"
   (``Consumer.perform_seek``) to read them again.  aiokafka's ``seek_to_committed``
   only seeks when the committed offset is a positive number; a partition that has
   *never been committed* (a new consumer group whose first commit had not happened
   yet when the rebalance came) keeps the fetch position after the thrown-away
   records.  Nothing is committed for it, nothing more is delivered, and no error is
   logged: its records stay unconsumed until the worker restarts.  Two workers started
   together on a backlog hit it nearly every time
   (``tests/integration/test_rebalance.py``; ``tests/test_seam.py`` runs the fix on a
   stub consumer).  The fix: after seeking to the committed offsets, send every input
   partition with no committed offset to its earliest offset, which is what
   ``auto_offset_reset=earliest`` means for it.  Explicit positions (``seek_wait``),
   not ``seek_to_beginning``: aiokafka's only requests a reset from its fetcher and
   gives up silently after the request timeout (a restarted worker stalled there).
   The transport is plugged in through Faust's documented extension point, the
   ``faust.transports`` entry point (``pyproject.toml``): the broker URL scheme
   ``opguard://`` selects it.

2. **At-least-once on a failed produce** (a Faust gap, public API only).  Faust
   flushes the producer before it commits offsets but commits them even when a record
   could not be delivered, and ``take_events`` acks a batch's events even when the
   agent raises out of it (its ``finally``).  So any produce failure (a done callback
   on ``app.producer.send``'s future, or ``Sensor.on_send_error`` for the tables'
   changelog records) and any batch that raises call ``stop_uncommitted``: the process
   exits at once with status 1, before the affected offsets can be committed (a
   failed record's callbacks run before the commit's ``producer.flush()`` returns, and
   a raising batch stops before the generator acks it).  That is a crash like kill -9,
   which at-least-once already covers: the inputs are judged again by the worker that
   takes the partitions over, or by this one once restarted
   (``tests/integration/test_delivery_failure.py``).

3. **The current event of a batch** (the one private member: ``make_current``).
   ``take_events`` leaves the *last* event of a batch current, and Faust's tables file
   a key by the current event's partition: the changelog partition of a write, and
   with RocksDB the partition database of every read and write
   (``faust.stores.rocksdb.Store._get``/``_set``).  Without this, a batch's table reads
   and writes for every other partition go to the wrong place
   (``tests/integration/test_rocksdb_store.py``).  Faust keeps the current event in
   the context variable ``faust.streams._current_event`` and has no public setter.
"""

from __future__ import annotations

import logging
import os
import sys
import weakref
from collections.abc import Mapping
from typing import Any

import faust
from faust.streams import _current_event  # the one private member: see make_current
from faust.transport.drivers import aiokafka as aiokafka_driver
from faust.types import TP

log = logging.getLogger(__name__)

#: The broker URL scheme of ``Transport`` (registered as a ``faust.transports`` entry point).
SCHEME = "opguard"


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
            earliest = await self.earliest_offsets(*rewind)
            await self.seek_wait({tp: earliest[tp] for tp in rewind if tp in earliest})
        return committed


class Transport(aiokafka_driver.Transport):
    """Faust's aiokafka transport with the fixed consumer (broker URL ``opguard://``)."""

    Consumer = Consumer


def broker_urls(bootstrap: str) -> list[str]:
    """Faust broker URLs for comma-separated ``host:port`` servers, on ``Transport``."""
    return [f"{SCHEME}://{server.strip()}" for server in bootstrap.split(",") if server.strip()]


def stop_uncommitted(error: BaseException, what: str) -> None:
    """Exit the process now, with status 1, so that nothing more is committed: ``what``
    (an output) was lost, and the inputs behind it must be processed again."""
    log.critical("%s (%r): committing nothing more, stopping the worker", what, error)
    logging.shutdown()
    sys.stderr.flush()
    os._exit(1)


def check_delivered(future: Any) -> None:
    """Done callback of a produced record's future: a failed delivery stops the worker."""
    if future.cancelled():
        return
    error = future.exception()
    if error is not None:
        stop_uncommitted(error, "a produced record was not delivered")


class DeliverySensor(faust.Sensor):
    """Stops the worker when Faust could not produce a record (table changelogs)."""

    def on_send_error(self, producer: Any, exc: BaseException, state: Any) -> None:
        stop_uncommitted(exc, "a produced record was not delivered")


def make_current(event: Any) -> None:
    """Make ``event`` Faust's current event while its record is read, judged and written
    (see the module's docstring, 3)."""
    _current_event.set(weakref.ref(event))

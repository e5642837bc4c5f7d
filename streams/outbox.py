"""What the agents produce, handed to the Kafka producer once per batch.

Faust produces each record through its own machinery: ``send_soon`` queues it in a
producer buffer, a task publishes it with a ``FutureMessage`` and callbacks, a table
write does the same for its changelog record, and when more than 100 wait the agent
stalls while the buffer drains one record at a time (with a timer per record).
Profiling put that at about as much CPU per produced record as judging a message, and
the messages agent produces almost one record per input (output events plus changelog
entries).  The agents queue their records in an ``Outbox`` instead and flush it once
per batch straight into aiokafka's accumulator, which batches them per partition
(linger) as it does for Faust.  (Not ``send_batch``: aiokafka makes it wait until the
partition's previous batch has left, a produce round trip per flush and partition.)

What stays as it was with Faust's own path:

* at-least-once: Faust flushes this same aiokafka producer before it commits offsets, and
  the agents flush the outbox before their events are acked, so an input is committed
  only once what it produced is written; any record that cannot be produced, refused at
  ``send`` or failed on delivery, calls ``on_error`` (the app then commits nothing more
  and stops);
* order per key: output events go to the partition the default partitioner picks for
  their key (murmur2, what Faust and every Kafka client use), in the order they were
  added, and flushes are serialised;
* tables: the store is updated at once (reads see the new value), the changelog record
  is encoded as Faust encodes it (JSON key and value) and goes to the partition of the
  input record that caused it (what Faust's recovery expects), and only the latest value
  of a key is sent per flush; RocksDB stores get their persisted offset as with Faust.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson
from aiokafka import AIOKafkaProducer
from faust.types import TP

log = logging.getLogger(__name__)


@dataclass(slots=True)
class _TableWrite:
    table: Any
    partition: int
    value: Any


@dataclass
class Outbox:
    """Records waiting to be produced; ``flush`` hands them to the Kafka producer."""

    producer: Callable[[], AIOKafkaProducer]
    #: Called with the exception when a batch could not be delivered.
    on_error: Callable[[BaseException], None]
    _records: list[tuple[str, int | None, bytes | None, bytes]] = field(default_factory=list)
    _tables: dict[tuple[str, str], _TableWrite] = field(default_factory=dict)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def __len__(self) -> int:
        return len(self._records) + len(self._tables)

    def add(
        self, topic: str, key: bytes | None, value: bytes, partition: int | None = None
    ) -> None:
        """Queue a record; without ``partition`` the producer's partitioner (murmur2 of the
        key, as with Faust) picks it."""
        self._records.append((topic, partition, key, value))

    def set(self, table: Any, key: str, value: Any, partition: int) -> None:
        """``table[key] = value`` now, its changelog record at the next flush.

        ``partition`` is the partition of the input record that caused the write, and
        that record's event must be Faust's current event (the RocksDB store files the
        key in the database of the current event's partition).
        """
        table.data[key] = value
        self._tables[(table.name, key)] = _TableWrite(table, partition, value)

    async def flush(self) -> None:
        """Hand everything queued to the producer (without waiting for the broker:
        Faust's commit does that)."""
        async with self._lock:
            records, self._records = self._records, []
            tables, self._tables = self._tables, {}
            if not records and not tables:
                return
            try:
                await self._send_all(records, tables)
            except Exception as error:
                # Refused before it left (too large for max_request_size, a closed
                # producer...): the same as undelivered, nothing may be committed.
                log.error("could not produce a record: %r", error)
                self.on_error(error)
                raise

    async def _send_all(
        self,
        records: list[tuple[str, int | None, bytes | None, bytes]],
        tables: dict[tuple[str, str], _TableWrite],
    ) -> None:
        producer = self.producer()
        failed = self._failed
        for topic, partition, key, value in records:
            future = await producer.send(topic, value, key=key, partition=partition)
            future.add_done_callback(failed)
        for (_, table_key), write in tables.items():
            topic = write.table.changelog_topic.get_topic_name()
            future = await producer.send(
                topic,
                orjson.dumps(write.value),
                key=orjson.dumps(table_key),
                partition=write.partition,
            )
            store = write.table.data
            if hasattr(store, "set_persisted_offset"):  # RocksDB: where recovery resumes
                future.add_done_callback(functools.partial(self._persisted, store))
            else:
                future.add_done_callback(failed)

    def _failed(self, future: asyncio.Future[Any]) -> None:
        if future.cancelled():
            return
        error = future.exception()
        if error is not None:
            log.error("could not produce a record: %r", error)
            self.on_error(error)

    def _persisted(self, store: Any, future: asyncio.Future[Any]) -> None:
        self._failed(future)
        if not future.cancelled() and future.exception() is None:
            metadata = future.result()
            store.set_persisted_offset(TP(metadata.topic, metadata.partition), metadata.offset)

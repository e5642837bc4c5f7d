"""The outbox on the real broker: records land where Faust would have put them."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from typing import Any

import orjson
from aiokafka import AIOKafkaProducer
from faust.serializers import codecs
from faust.types import TP
from kafka import KafkaAdminClient, KafkaConsumer
from kafka.admin import NewTopic
from kafka.partitioner import murmur2
from kafka.structs import TopicPartition

from streams.outbox import Outbox
from streams.settings import Settings

PARTITIONS = 12


class PersistingStore(dict[str, Any]):
    """A store that records persisted offsets, as Faust's RocksDB store does."""

    def __init__(self) -> None:
        super().__init__()
        self.persisted: dict[TP, int] = {}

    def set_persisted_offset(self, tp: TP, offset: int) -> None:
        self.persisted[tp] = offset


@dataclass
class FakeChangelog:
    name: str

    def get_topic_name(self) -> str:
        return self.name


@dataclass
class FakeTable:
    """The parts of a Faust table the outbox uses: name, data (the store), changelog."""

    name: str
    changelog_topic: FakeChangelog
    data: Any = field(default_factory=dict)


def _topics(settings: Settings, *names: str) -> list[str]:
    prefix = f"outbox{uuid.uuid4().hex[:6]}-"
    topics = [prefix + name for name in names]
    admin = KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap)
    try:
        admin.create_topics([NewTopic(t, PARTITIONS, 1) for t in topics])
    finally:
        admin.close()
    return topics


def _read(settings: Settings, topic: str) -> list[tuple[int, bytes | None, bytes]]:
    consumer = KafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap, group_id=None, enable_auto_commit=False
    )
    tps = [TopicPartition(topic, p) for p in range(PARTITIONS)]
    try:
        consumer.assign(tps)
        consumer.seek_to_beginning(*tps)
        end = consumer.end_offsets(tps)
        out: list[tuple[int, bytes | None, bytes]] = []
        while any(consumer.position(tp) < end[tp] for tp in tps):
            for tp, batch in consumer.poll(timeout_ms=500).items():
                out.extend((tp.partition, r.key, r.value) for r in batch)
        return sorted(out)
    finally:
        consumer.close()


async def _run(settings: Settings, work: Any) -> list[BaseException]:
    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap, acks="all")
    await producer.start()
    errors: list[BaseException] = []
    try:
        outbox = Outbox(producer=lambda: producer, on_error=errors.append)
        await work(outbox)
        await producer.flush()
    finally:
        await producer.stop()
    return errors


def test_records_go_to_the_default_partitioners_partition(base_settings: Settings) -> None:
    (events,) = _topics(base_settings, "events")
    keys = [f"conversation-{n}".encode() for n in range(40)]

    async def work(outbox: Outbox) -> None:
        for n, key in enumerate(keys):
            outbox.add(events, key, orjson.dumps({"n": n}))
        outbox.add(events, b"pinned", b"{}", partition=3)
        await outbox.flush()
        assert len(outbox) == 0

    assert asyncio.run(_run(base_settings, work)) == []

    def java_default_partition(key: bytes) -> int:  # kafka-python's own murmur2
        return (murmur2(key) & 0x7FFFFFFF) % PARTITIONS

    expected = sorted(
        [(java_default_partition(key), key, orjson.dumps({"n": n})) for n, key in enumerate(keys)]
        + [(3, b"pinned", b"{}")]
    )
    assert _read(base_settings, events) == expected


def test_table_writes_are_visible_at_once_and_send_the_latest_value_as_faust_encodes_it(
    base_settings: Settings,
) -> None:
    (changelog,) = _topics(base_settings, "conversations-changelog")
    store = PersistingStore()
    table = FakeTable("conversations", FakeChangelog(changelog), store)

    async def work(outbox: Outbox) -> None:
        outbox.set(table, "c-1", {"v": 1}, partition=5)
        assert table.data["c-1"] == {"v": 1}  # reads see the write before any flush
        outbox.set(table, "c-1", {"v": 2}, partition=5)
        outbox.set(table, "c-2", ["x"], partition=0)
        await outbox.flush()
        outbox.set(table, "c-1", {"v": 3}, partition=5)
        await outbox.flush()

    assert asyncio.run(_run(base_settings, work)) == []
    assert _read(base_settings, changelog) == [
        (0, codecs.dumps("json", "c-2"), codecs.dumps("json", ["x"])),
        (5, codecs.dumps("json", "c-1"), codecs.dumps("json", {"v": 2})),
        (5, codecs.dumps("json", "c-1"), codecs.dumps("json", {"v": 3})),
    ]
    # Faust's recovery resumes after the persisted offset of a RocksDB store.
    assert store.persisted == {TP(changelog, 0): 0, TP(changelog, 5): 1}

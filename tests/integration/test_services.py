"""The real services answer and behave as the rest of opguard assumes."""

from __future__ import annotations

import json
import time
import urllib.parse
import urllib.request
import uuid

import redis

from streams.settings import Settings
from streams.topics import TopicSpec, admin_client, apply_topics


def test_admin_creates_a_topic_with_12_partitions(settings: Settings) -> None:
    spec = TopicSpec(settings.topic("probe"), 12, 1, {"retention.ms": "3600000"})
    report = apply_topics(settings, [spec], dry_run=False)
    assert report.created == [spec.name]
    again = apply_topics(settings, [spec], dry_run=False)
    assert (again.created, again.ok, again.drift) == ([], [spec.name], [])
    admin = admin_client(settings)
    try:
        (described,) = admin.describe_topics([spec.name])
        assert len(described["partitions"]) == 12
    finally:
        admin.delete_topics([spec.name])
        admin.close()


def test_drift_is_reported(settings: Settings) -> None:
    spec = TopicSpec(settings.topic("drifty"), 3, 1, {"retention.ms": "3600000"})
    apply_topics(settings, [spec], dry_run=False)
    declared = TopicSpec(spec.name, 4, 1, {"retention.ms": "7200000"})
    report = apply_topics(settings, [declared], dry_run=True)
    assert report.ok == []
    assert any("partitions 3, declared 4" in line for line in report.drift)
    assert any("retention.ms=3600000, declared 7200000" in line for line in report.drift)


def test_keyed_messages_keep_their_order_per_key(settings: Settings) -> None:
    from kafka import KafkaConsumer, KafkaProducer

    topic = settings.topic("ordering")
    apply_topics(settings, [TopicSpec(topic, 12, 1)], dry_run=False)
    producer = KafkaProducer(bootstrap_servers=settings.kafka_bootstrap, linger_ms=5)
    keys = [f"c-{n}" for n in range(20)]
    for sequence in range(25):
        for key in keys:
            producer.send(topic, key=key.encode(), value=json.dumps({"seq": sequence}).encode())
    producer.flush()
    producer.close()

    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=settings.kafka_bootstrap,
        auto_offset_reset="earliest",
        group_id=f"g-{uuid.uuid4().hex}",
        consumer_timeout_ms=10000,
    )
    seen: dict[str, list[int]] = {}
    partitions: dict[str, set[int]] = {}
    for record in consumer:
        key = record.key.decode()
        seen.setdefault(key, []).append(json.loads(record.value)["seq"])
        partitions.setdefault(key, set()).add(record.partition)
        if sum(map(len, seen.values())) == 500:
            break
    consumer.close()
    assert sorted(seen) == sorted(keys)
    assert all(values == list(range(25)) for values in seen.values())
    assert all(len(parts) == 1 for parts in partitions.values())
    assert len(set().union(*partitions.values())) > 1  # keys spread over partitions


def test_redis_set_get_expire(redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url)
    key = f"opguard-test:{uuid.uuid4().hex}"
    client.set(key, "strike", ex=1)
    assert client.get(key) == b"strike"
    assert 0 < client.ttl(key) <= 1
    time.sleep(1.2)
    assert client.get(key) is None
    client.close()


def test_prometheus_answers_a_query(prometheus_url: str) -> None:
    query = urllib.parse.urlencode({"query": "up"})
    with urllib.request.urlopen(f"{prometheus_url}/api/v1/query?{query}", timeout=10) as reply:
        body = json.load(reply)
    assert body["status"] == "success"
    assert body["data"]["resultType"] == "vector"

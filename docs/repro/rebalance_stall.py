"""Reproduces an open bug: two workers started at the same moment on a pre-loaded
backlog; after the second rebalance one worker never consumes the contract-events
partitions it was given (messages partitions are fine).  Bounded: ~50 s, then stops
both workers.  Run with the local stack up:

    PYTHONPATH=. .venv/bin/python docs/repro/rebalance_stall.py

It prints, every 4 s, the records not yet committed per input partition; on a healthy
worker group the dict empties within ~15 s.
"""

import sys
import time
import uuid
from dataclasses import replace
from pathlib import Path

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.structs import TopicPartition

from streams.bench.workload import records
from streams.settings import Settings
from tests.integration.pipeline_harness import Pipeline, free_port
from tests.integration.processes import Worker

s = replace(Settings.from_env(), topic_prefix=f"sim{uuid.uuid4().hex[:6]}-")
wd = Path(f"/tmp/{s.topic_prefix}")
wd.mkdir()
p = Pipeline(s, wd, s.redis_url)
prod = KafkaProducer(bootstrap_servers=s.kafka_bootstrap, linger_ms=20)
for r in records(6000, 600, 7):
    prod.send(s.topic(r.topic), key=r.key, value=r.value)
prod.flush()
ws = []
for i in range(2):
    env = {
        "OPGUARD_TOPIC_PREFIX": s.topic_prefix,
        "OPGUARD_SESSION_TIMEOUT": "10",
        "OPGUARD_WEB_PORT": str(free_port()),
        "OPGUARD_METRICS_PORT": str(free_port()),
        "OPGUARD_LOG_LEVEL": "info",
    }
    ws.append(Worker([sys.executable, "-m", "streams", "worker"], wd / f"w{i}.log", env))
admin = KafkaAdminClient(bootstrap_servers=s.kafka_bootstrap)
c = KafkaConsumer(bootstrap_servers=s.kafka_bootstrap)
tps = [TopicPartition(s.topic(t), i) for t in ("messages", "contract-events") for i in range(12)]
end = c.end_offsets(tps)
for k in range(12):
    time.sleep(4)
    off = admin.list_group_offsets({s.app_id: tps}).get(s.app_id, {})
    behind = {
        f"{tp.topic[-8:]}/{tp.partition}": end[tp] - (off[tp].offset if tp in off else 0)
        for tp in tps
    }
    behind = {k2: v for k2, v in behind.items() if v}
    print(k * 4, "behind:", sum(behind.values()), behind)
    if not behind:
        break
for w in ws:
    w.stop()
print(wd)
p.close()

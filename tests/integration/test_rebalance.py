"""Workers that join at the same moment on a backlog: every input partition is consumed
and committed to its end, and each worker stops cleanly on SIGTERM.

Regression test for the rebalance stall (streams/seam.py, 1): partitions that
had never been committed when a rebalance came were left unconsumed for good.  Before
the fix this failed in nearly every run, on contract-events or messages partitions.
"""

from __future__ import annotations

import time

from kafka import KafkaAdminClient, KafkaConsumer
from kafka.structs import TopicPartition
from opguard_tools.bench.workload import records

from tests.integration.pipeline_harness import Pipeline

BACKLOG = 6000
CONVERSATIONS = 600
DEADLINE_S = 120


def test_two_workers_started_together_commit_every_partition(pipeline: Pipeline) -> None:
    settings = pipeline.settings
    for record in records(BACKLOG, CONVERSATIONS, 7):
        pipeline.producer.send(settings.topic(record.topic), key=record.key, value=record.value)
    pipeline.producer.flush()
    workers = [pipeline.start_worker(wait_ready=False) for _ in range(2)]

    partitions = [
        TopicPartition(settings.topic(topic), partition)
        for topic in ("messages", "contract-events")
        for partition in range(settings.partitions)
    ]
    reader = KafkaConsumer(bootstrap_servers=settings.kafka_bootstrap)
    admin = KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap)
    try:
        end = reader.end_offsets(partitions)
        assert sum(end.values()) >= BACKLOG
        deadline = time.monotonic() + DEADLINE_S
        while True:
            for worker in workers:
                worker.check_alive()
            committed = admin.list_group_offsets({settings.app_id: partitions})
            offsets = committed.get(settings.app_id, {})
            behind = {
                f"{tp.topic}[{tp.partition}]": end[tp]
                - (offsets[tp].offset if tp in offsets else 0)
                for tp in partitions
            }
            behind = {name: count for name, count in behind.items() if count > 0}
            if not behind:
                break
            assert time.monotonic() < deadline, (
                f"not committed after {DEADLINE_S} s: {behind}\n"
                + "\n".join(w.log_tail(15) for w in workers)
            )
            time.sleep(2)
    finally:
        reader.close()
        admin.close()

    started = time.monotonic()
    codes = [worker.stop(timeout=30) for worker in workers]
    assert codes == [0, 0], f"exit codes {codes} (a negative code: killed after 30 s)"
    assert time.monotonic() - started < 60

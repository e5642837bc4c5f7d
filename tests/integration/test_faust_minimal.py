"""A minimal Faust app joins a consumer group on the real broker and processes a record."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

from kafka import KafkaProducer

from streams.settings import Settings
from streams.topics import TopicSpec, apply_topics
from tests.integration.processes import Worker, collect


def test_a_faust_worker_processes_a_record(settings: Settings, tmp_path: Path) -> None:
    prefix = f"echo{uuid.uuid4().hex[:6]}-"
    apply_topics(
        settings, [TopicSpec(f"{prefix}in", 12, 1), TopicSpec(f"{prefix}out", 12, 1)], dry_run=False
    )
    producer = KafkaProducer(bootstrap_servers=settings.kafka_bootstrap)
    producer.send(f"{prefix}in", key=b"c-1", value=b"hello opguard")
    producer.flush()
    producer.close()

    worker = Worker(
        [
            sys.executable,
            "-m",
            "faust",
            "-A",
            "tests.integration.apps.echo_app",
            "--datadir",
            str(tmp_path / "data"),
            "-l",
            "warn",
            "worker",
            "--without-web",
        ],
        tmp_path / "worker.log",
        {"ECHO_PREFIX": prefix},
    )
    try:
        (record,) = collect(
            settings.kafka_bootstrap,
            [f"{prefix}out"],
            lambda r: len(r) >= 1,
            workers=[worker],
            timeout=60,
        )
        assert (record["key"], record["value"]) == (b"c-1", b"HELLO OPGUARD")
    finally:
        worker.stop()

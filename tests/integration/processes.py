"""Helpers for tests that run real worker processes and read real topics."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from kafka import KafkaConsumer
from opguard_tools.processes import Process

ROOT = Path(__file__).resolve().parents[2]


#: A worker subprocess (``opguard_tools.processes``: the one process helper).
Worker = Process


def collect(
    bootstrap: str,
    topics: Sequence[str],
    until: Callable[[list[dict[str, Any]]], bool],
    *,
    timeout: float = 90.0,
    workers: Sequence[Worker] = (),
) -> list[dict[str, Any]]:
    """Read records from ``topics`` (from the start) until ``until(records)`` holds.

    Each record is a dict with ``topic``, ``key``, ``value`` (JSON-decoded when it can
    be) and ``partition``.  Fails early, with the worker's log, if a worker dies.
    """
    consumer = KafkaConsumer(
        *topics,
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        group_id=None,
    )
    records: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    try:
        while not until(records):
            if time.monotonic() > deadline:
                logs = "\n".join(w.log_tail() for w in workers)
                raise AssertionError(f"timed out with {len(records)} records\n{logs}")
            for worker in workers:
                worker.check_alive()
            for batch in consumer.poll(timeout_ms=500).values():
                for record in batch:
                    try:
                        value: Any = json.loads(record.value)
                    except (ValueError, TypeError):
                        value = record.value
                    records.append(
                        {
                            "topic": record.topic,
                            "partition": record.partition,
                            "key": record.key,
                            "value": value,
                        }
                    )
    finally:
        consumer.close()
    return records

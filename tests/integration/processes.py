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


def _end_offsets(consumer: KafkaConsumer) -> str:
    """How many records each collected topic holds (did the worker produce at all?)."""
    try:
        ends = consumer.end_offsets(list(consumer.assignment()))
    except Exception as error:  # a diagnostic only: never hide the timeout behind it
        return f"end offsets unknown ({error!r})"
    totals: dict[str, int] = {}
    for tp, end in ends.items():
        totals[tp.topic] = totals.get(tp.topic, 0) + end
    return "records per topic: " + ", ".join(f"{t}={n}" for t, n in sorted(totals.items()))


def _log_without_tables(worker: Worker, lines: int = 60) -> str:
    """The worker log's last lines, without Faust's partition tables (which fill it)."""
    text = worker.log_path.read_text("utf-8", errors="replace").splitlines()
    kept = [line for line in text if not line.startswith(("|", "+", "\u2502", "\u250c", "\u2514"))]
    return "\n".join(kept[-lines:])


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
                raise AssertionError(
                    f"timed out with {len(records)} records; {_end_offsets(consumer)}\n"
                    + "\n".join(_log_without_tables(w) for w in workers)
                )
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

"""Helpers for tests that run real worker processes and read real topics."""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from kafka import KafkaConsumer

ROOT = Path(__file__).resolve().parents[2]


class Worker:
    """A worker subprocess whose output goes to a log file; stopped by PID, always."""

    def __init__(self, args: Sequence[str], log_path: Path, env: dict[str, str]) -> None:
        self.log_path = log_path
        self._log = log_path.open("ab")
        self.process = subprocess.Popen(
            list(args),
            cwd=ROOT,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **env},
        )

    def check_alive(self) -> None:
        if self.process.poll() is not None:
            raise AssertionError(
                f"worker exited with {self.process.returncode}:\n{self.log_tail()}"
            )

    def log_tail(self, lines: int = 40) -> str:
        text = self.log_path.read_text("utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def stop(self, timeout: float = 30.0) -> int:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
        return self.process.returncode

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()
        self._log.close()


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

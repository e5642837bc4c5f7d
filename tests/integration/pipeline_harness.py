"""A real worker on the real broker, driven the way a producer platform would drive it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kafka import KafkaProducer
from opguard_tools.processes import free_port

from streams.settings import Settings
from streams.topics import admin_client, apply_topics, delete_prefixed, load_topic_specs
from tests.integration.processes import ROOT, Worker, collect

OUTPUTS = ("violations", "warnings", "dead-letters")


def own_settings(base: Settings) -> Settings:
    """``base`` with a topic prefix of its own (so topics, group and Redis keys are the
    test's) and a test-friendly session timeout."""
    return replace(base, topic_prefix=f"t{uuid.uuid4().hex[:8]}-", session_timeout_s=10.0)


def service_env() -> dict[str, str]:
    """The environment for a service a test starts (Redis): without libfaketime's
    shifted clock (``make test`` runs the pipeline tests once more 400 days ahead, and
    only opguard's own processes are meant to see that clock)."""
    hidden = {"LD_PRELOAD", "FAKETIME", "FAKETIME_DONT_FAKE_MONOTONIC", "DYLD_INSERT_LIBRARIES"}
    return {name: value for name, value in os.environ.items() if name not in hidden}


def start_redis(port: int) -> subprocess.Popen[bytes]:
    """A Redis server of the test's own on ``port`` (no persistence); stop it by PID."""
    server = shutil.which("redis-server")
    assert server, "redis-server is needed (deploy/local/stack installs it)"
    process = subprocess.Popen(
        [server, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=service_env(),
    )
    time.sleep(0.5)
    return process


def message(
    mid: str,
    conversation: str,
    text: str,
    sent_at: str,
    *,
    sender: str | None = None,
    role: str = "client",
    **extra: Any,
) -> dict[str, Any]:
    """A message; the sender defaults to the conversation's own client."""
    sender = sender or f"{role}-of-{conversation}"
    return {
        "message_id": mid,
        "conversation_id": conversation,
        "sender_id": sender,
        "sender_role": role,
        "text": text,
        "sent_at": sent_at,
        **extra,
    }


def contract(
    eid: str, conversation: str, state: str, occurred_at: str, **extra: Any
) -> dict[str, Any]:
    return {
        "event_id": eid,
        "conversation_id": conversation,
        "contract_id": f"k-{conversation}",
        "state": state,
        "occurred_at": occurred_at,
        **extra,
    }


@dataclass
class Pipeline:
    settings: Settings
    workdir: Path
    redis_url: str
    env: dict[str, str] = field(default_factory=dict)
    workers: list[Worker] = field(default_factory=list)

    def __post_init__(self) -> None:
        apply_topics(self.settings, load_topic_specs(None, self.settings), dry_run=False)
        self.producer = KafkaProducer(
            bootstrap_servers=self.settings.kafka_bootstrap, linger_ms=2, acks="all"
        )

    def start_worker(self, *, wait_ready: bool = True) -> Worker:
        """Start a worker; by default return once it says it is ready."""
        web_port, metrics_port = free_port(), free_port()
        env = {
            "OPGUARD_TOPIC_PREFIX": self.settings.topic_prefix,
            "OPGUARD_KAFKA_BOOTSTRAP": self.settings.kafka_bootstrap,
            "OPGUARD_REDIS_URL": self.redis_url,
            "OPGUARD_SESSION_TIMEOUT": "10",
            "OPGUARD_WEB_PORT": str(web_port),
            "OPGUARD_METRICS_PORT": str(metrics_port),
            "OPGUARD_FINGERPRINT_KEY": "integration-test-key",
            "OPGUARD_LOG_LEVEL": "info",
            # Faust's own files under the test's scratch folder, not the checkout
            "OPGUARD_DATA_DIR": str(self.workdir / f"data-{len(self.workers)}"),
            **self.env,
        }
        log = self.workdir / f"worker-{len(self.workers)}.log"
        worker = Worker([sys.executable, "-m", "streams", "worker"], log, env, cwd=ROOT)
        worker.web_port = int(env["OPGUARD_WEB_PORT"])  # type: ignore[attr-defined]
        worker.metrics_port = int(env["OPGUARD_METRICS_PORT"])  # type: ignore[attr-defined]
        self.workers.append(worker)
        if not wait_ready:
            return worker
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            worker.check_alive()
            try:
                ready = f"http://127.0.0.1:{env['OPGUARD_WEB_PORT']}/ready"
                with urllib.request.urlopen(ready, timeout=2):
                    return worker
            except OSError:
                time.sleep(0.5)
        raise AssertionError(f"worker not ready in 90 s:\n{worker.log_tail()}")

    def wait_all_ready(self, timeout: float = 90.0) -> None:
        """Until every running worker says it is ready (the group has settled)."""
        deadline = time.monotonic() + timeout
        for worker in self.workers:
            if worker.process.poll() is not None:
                continue
            url = f"http://127.0.0.1:{worker.web_port}/ready"  # type: ignore[attr-defined]
            while True:
                worker.check_alive()
                try:
                    with urllib.request.urlopen(url, timeout=2):
                        break
                except OSError:
                    if time.monotonic() > deadline:
                        raise AssertionError(f"not ready:\n{worker.log_tail()}") from None
                    time.sleep(0.3)

    def metrics(self, worker: Worker) -> str:
        port = worker.metrics_port  # type: ignore[attr-defined]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as reply:
            return str(reply.read().decode())

    def metric(self, worker: Worker, name: str, **labels: str) -> float:
        total = 0.0
        for line in self.metrics(worker).splitlines():
            if line.startswith(name) and all(f'{k}="{v}"' in line for k, v in labels.items()):
                total += float(line.rsplit(" ", 1)[1])
        return total

    def send(self, topic: str, record: dict[str, Any] | bytes, key: str | None = None) -> None:
        value = record if isinstance(record, bytes) else json.dumps(record).encode()
        if key is None and isinstance(record, dict):
            key = record["conversation_id"]
        self.producer.send(
            self.settings.topic(topic), key=(key or "").encode() or None, value=value
        )
        self.producer.flush()

    def outputs(self, until: Any, timeout: float = 120.0) -> list[dict[str, Any]]:
        running = [w for w in self.workers if w.process.poll() is None]
        return collect(
            self.settings.kafka_bootstrap,
            [self.settings.topic(t) for t in OUTPUTS],
            until,
            timeout=timeout,
            workers=running,
        )

    def close(self) -> None:
        """Stop the workers, then delete this test's topics and consumer group."""
        self.producer.close()
        for worker in self.workers:
            if worker.process.poll() is None:
                worker.stop()
        admin = admin_client(self.settings)
        try:
            delete_prefixed(admin, self.settings.topic_prefix, [self.settings.app_id])
        finally:
            admin.close()


def events_of(
    records: list[dict[str, Any]], conversation: str | None = None
) -> list[dict[str, Any]]:
    return [
        r["value"]
        for r in records
        if not r["topic"].endswith("dead-letters")
        and (conversation is None or r["value"]["conversation_id"] == conversation)
    ]


def summary(records: list[dict[str, Any]], conversation: str) -> set[tuple[str, str, str]]:
    """(message id, type, rule) of each event in one conversation."""
    return {(e["message_id"], e["type"], e["rule"]) for e in events_of(records, conversation)}

"""Fixtures for tests against the real local stack (Kafka, Redis, Prometheus).

A missing service is a failure, never a skip: `make test` starts the stack first.
Each test session uses its own topic prefix, so runs never share topics or groups.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from streams.settings import Settings

if TYPE_CHECKING:
    from tests.integration.pipeline_harness import Pipeline

pytestmark = pytest.mark.integration
#: Scrape targets of the local Prometheus (file_sd_configs of prometheus.local.yml).
PROMETHEUS_TARGETS = Path(__file__).resolve().parents[2] / "deploy/prometheus/targets"


def _answers(address: str) -> bool:
    host, _, port = address.rpartition(":")
    try:
        with socket.create_connection((host, int(port)), timeout=2):
            return True
    except OSError:
        return False


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/integration" in str(item.fspath):
            item.add_marker(pytest.mark.integration)
    # The fault suite restarts the shared broker: it runs last, so no other test meets
    # a broker (and group coordinator) that is still coming back.
    items.sort(key=lambda item: item.fspath.basename == "test_faults.py")


@pytest.fixture(scope="session")
def base_settings() -> Settings:
    settings = Settings.from_env()
    kafka = settings.kafka_bootstrap.split(",")[0]
    if not _answers(kafka):
        pytest.fail(f"Kafka does not answer at {kafka}: run `deploy/local/stack up`", False)
    return settings


@pytest.fixture()
def settings(base_settings: Settings) -> Settings:
    """Settings with a topic prefix of their own and test-friendly timeouts."""
    from tests.integration.pipeline_harness import own_settings

    return own_settings(base_settings)


@pytest.fixture(scope="session")
def redis_url() -> str:
    url = os.environ.get("OPGUARD_REDIS_URL", Settings().redis_url)
    address = url.split("//", 1)[1].split("/", 1)[0]
    if not _answers(address):
        pytest.fail(f"Redis does not answer at {address}: run `deploy/local/stack up`", False)
    return url


@pytest.fixture(scope="session")
def prometheus_url() -> str:
    url = os.environ.get("OPGUARD_PROMETHEUS_URL", "http://127.0.0.1:9090")
    if not _answers(url.split("//", 1)[1]):
        pytest.fail(f"Prometheus does not answer at {url}: run `deploy/local/stack up`", False)
    return url


@pytest.fixture()
def pipeline(settings: Settings, tmp_path: Path, redis_url: str) -> Iterator[Pipeline]:
    """A harness for real workers on this test's own topics (stopped at the end)."""
    from tests.integration.pipeline_harness import Pipeline

    harness = Pipeline(settings, tmp_path, redis_url)
    try:
        yield harness
    finally:
        harness.close()


@pytest.fixture(name="free_port")
def free_port_fixture() -> int:
    from opguard_tools.processes import free_port

    return free_port()


@pytest.fixture(scope="session")
def prometheus_with_traffic(
    prometheus_url: str,
    redis_url: str,
    base_settings: Settings,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    """A real Prometheus (the local stack's, with the repo's rules) that has scraped a
    worker while it judged messages, contract events and malformed records.  The worker's
    metrics port is a free one, named to Prometheus in a file of
    ``deploy/prometheus/targets/`` (``prometheus.local.yml``), so parallel runs never
    compete for a port."""
    import json
    import time
    from dataclasses import replace

    from opguard_tools.processes import free_port

    from tests.integration.pipeline_harness import Pipeline, contract, message

    settings = replace(base_settings, topic_prefix=f"prom{uuid.uuid4().hex[:6]}-")
    pipeline = Pipeline(settings, tmp_path_factory.mktemp("prometheus"), redis_url)
    port = free_port()
    pipeline.env["OPGUARD_METRICS_PORT"] = str(port)
    targets = PROMETHEUS_TARGETS / f"{settings.topic_prefix}worker.json"
    targets.write_text(json.dumps([{"targets": [f"127.0.0.1:{port}"]}]))
    try:
        pipeline.start_worker()
        started = time.monotonic()
        n = 0
        while time.monotonic() - started < 12:  # several scrapes (2 s) with traffic
            conversation = f"p-{n % 7}"
            pipeline.send(
                "contract-events",
                contract(
                    f"pe-{n}",
                    conversation,
                    "active" if n % 3 else "offered",
                    "2026-11-21T09:00:00Z",
                ),
            )
            pipeline.send(
                "messages",
                message(
                    f"pm-{n}",
                    conversation,
                    f"call me at +1 415 555 2671 ({n})",
                    "2026-11-21T10:00:00Z",
                    sender=f"s-{n}",
                ),
            )
            pipeline.send(
                "messages",
                message(
                    f"pw-{n}",
                    f"w-{n}",
                    "send me your whatsapp",
                    "2026-11-21T10:00:00Z",
                    sender=f"w-{n}",
                ),
            )
            pipeline.send("messages", b"not json", key=conversation)
            if n % 4 == 0:  # a late contract event: the message before it gets retracted
                late = f"late-{n}"
                pipeline.send(
                    "messages",
                    message(f"pl-{n}", late, "mail me: ana@example.org", "2026-11-21T11:00:00Z"),
                )
                pipeline.send(
                    "messages",
                    message(
                        f"pl2-{n}", late, "mail me: jon.harlow88@gmail.com", "2026-11-21T11:00:00Z"
                    ),
                )
                time.sleep(0.5)
                pipeline.send(
                    "contract-events", contract(f"le-{n}", late, "active", "2026-11-21T10:00:00Z")
                )
            n += 1
            time.sleep(0.5)
        yield prometheus_url
    finally:
        targets.unlink(missing_ok=True)
        pipeline.close()

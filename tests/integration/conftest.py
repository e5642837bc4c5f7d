"""Fixtures for tests against the real local stack (Kafka, Redis, Prometheus).

A missing service is a failure, never a skip: `make test` starts the stack first.
Each test session uses its own topic prefix, so runs never share topics or groups.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator

import pytest

from streams.settings import Settings

pytestmark = pytest.mark.integration


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
    from dataclasses import replace

    return replace(base_settings, topic_prefix=f"t{uuid.uuid4().hex[:8]}-",
                   session_timeout_s=10.0)


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
def free_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    yield port

"""docker-compose.yml (and the Dockerfile it builds): valid Compose, and consistent
with the services, volumes, files, settings and ports the rest of the repository uses.

compose-spec.schema.json is the Compose Specification's schema
(compose-spec/compose-spec, schema/compose-spec.json, Apache-2.0) as vendored by
check-jsonschema 0.38.1, copied here so the test needs neither network nor Docker.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from streams.settings import ENV_VARS, Settings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
COMPOSE_TEXT = COMPOSE_FILE.read_text("utf-8")
COMPOSE: dict[str, Any] = yaml.safe_load(COMPOSE_TEXT)
SERVICES: dict[str, dict[str, Any]] = COMPOSE["services"]
SCHEMA = json.loads((Path(__file__).parent / "compose-spec.schema.json").read_text("utf-8"))
DOCKERFILE = (ROOT / "Dockerfile").read_text("utf-8")
DEFAULTS = Settings()


def test_compose_file_matches_the_compose_specification() -> None:
    validator = jsonschema.validators.validator_for(SCHEMA)(SCHEMA)
    errors = [f"{error.json_path}: {error.message}" for error in validator.iter_errors(COMPOSE)]
    assert errors == []


def test_schema_rejects_an_unknown_service_key() -> None:
    broken = {"services": {"worker": {"image": "opguard", "replica": 3}}}
    assert not jsonschema.validators.validator_for(SCHEMA)(SCHEMA).is_valid(broken)


@pytest.mark.parametrize(
    "service", ["kafka", "redis", "topic-init", "worker", "prometheus", "grafana"]
)
def test_service_exists(service: str) -> None:
    assert service in SERVICES


@pytest.mark.parametrize(("service", "spec"), SERVICES.items())
def test_depends_on_names_services(service: str, spec: dict[str, Any]) -> None:
    assert set(spec.get("depends_on", [])) <= set(SERVICES) - {service}


def _volume_sources(spec: dict[str, Any]) -> list[str]:
    return [
        entry.split(":", 1)[0] if isinstance(entry, str) else entry["source"]
        for entry in spec.get("volumes", [])
    ]


@pytest.mark.parametrize(("service", "spec"), SERVICES.items())
def test_named_volumes_are_declared_and_host_paths_exist(
    service: str, spec: dict[str, Any]
) -> None:
    for source in _volume_sources(spec):
        if source.startswith((".", "/")):
            assert (ROOT / source).exists(), f"{service} mounts missing {source}"
        else:
            assert source in COMPOSE.get("volumes", {}), f"{service}: undeclared {source}"


def test_every_declared_volume_is_used() -> None:
    used = {source for spec in SERVICES.values() for source in _volume_sources(spec)}
    assert set(COMPOSE["volumes"]) <= used


@pytest.mark.parametrize(
    ("service", "dependency", "condition"),
    [
        ("topic-init", "kafka", "service_healthy"),
        ("worker", "topic-init", "service_completed_successfully"),
        ("worker", "redis", "service_healthy"),
    ],
)
def test_start_order(service: str, dependency: str, condition: str) -> None:
    assert SERVICES[service]["depends_on"][dependency]["condition"] == condition
    if condition == "service_healthy":
        assert "healthcheck" in SERVICES[dependency]


def _environment(service: str) -> dict[str, Any]:
    environment: dict[str, Any] = SERVICES[service].get("environment", {})
    return environment


@pytest.mark.parametrize("service", ["topic-init", "worker"])
def test_opguard_environment_names_are_settings(service: str) -> None:
    names = {name for name in _environment(service) if name.startswith("OPGUARD_")}
    assert names, f"{service} sets no OPGUARD_* variable"
    assert names - set(ENV_VARS) == set()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("OPGUARD_KAFKA_BOOTSTRAP", "kafka:29092"),
        ("OPGUARD_REDIS_URL", "redis://redis:6379/0"),
        ("OPGUARD_METRICS_PORT", str(DEFAULTS.metrics_port)),
        ("OPGUARD_WEB_PORT", str(DEFAULTS.web_port)),
        ("OPGUARD_STORE", "rocksdb://"),
        ("OPGUARD_DATA_DIR", "/var/lib/opguard/data"),
    ],
)
def test_worker_points_at_the_compose_services(name: str, value: str) -> None:
    assert str(_environment("worker")[name]) == value


def test_kafka_listens_where_workers_and_host_clients_connect() -> None:
    kafka = SERVICES["kafka"]
    assert kafka["image"] == "apache/kafka:3.9.1"
    advertised = kafka["environment"]["KAFKA_ADVERTISED_LISTENERS"]
    assert f"//{_environment('worker')['OPGUARD_KAFKA_BOOTSTRAP']}" in advertised
    assert f"//localhost:{DEFAULTS.kafka_bootstrap.rsplit(':', 1)[1]}" in advertised
    assert kafka["ports"] == ["9092:9092"]


def test_fingerprint_key_must_be_given() -> None:
    assert re.search(r"OPGUARD_FINGERPRINT_KEY: \$\{OPGUARD_FINGERPRINT_KEY:\?", COMPOSE_TEXT)


def test_workers_scale_with_no_fixed_host_ports() -> None:
    worker = SERVICES["worker"]
    assert "ports" not in worker and "container_name" not in worker
    assert sorted(worker["expose"]) == sorted([str(DEFAULTS.web_port), str(DEFAULTS.metrics_port)])


def test_prometheus_scrapes_the_worker_metrics_port() -> None:
    config = yaml.safe_load((ROOT / "deploy/prometheus/prometheus.yml").read_text("utf-8"))
    [job] = [job for job in config["scrape_configs"] if job["job_name"] == "opguard"]
    [sd] = job["dns_sd_configs"]
    assert sd["names"] == ["worker"]
    assert sd["port"] == int(_environment("worker")["OPGUARD_METRICS_PORT"])


def test_prometheus_mounts_its_config_where_it_reads_it() -> None:
    prometheus = SERVICES["prometheus"]
    assert "./deploy/prometheus:/etc/prometheus:ro" in prometheus["volumes"]
    assert "--config.file=/etc/prometheus/prometheus.yml" in prometheus["command"]
    assert prometheus["ports"] == ["9090:9090"]


def test_grafana_mounts_provisioning_and_the_dashboards_where_the_provider_looks() -> None:
    grafana = SERVICES["grafana"]
    assert grafana["image"].startswith("grafana/grafana-oss:")
    mounts = dict(entry.split(":")[:2] for entry in grafana["volumes"])
    assert mounts["./deploy/grafana/provisioning"] == "/etc/grafana/provisioning"
    provider = yaml.safe_load(
        (ROOT / "deploy/grafana/provisioning/dashboards/opguard.yml").read_text("utf-8")
    )
    assert mounts["./deploy/grafana/dashboards"] == provider["providers"][0]["options"]["path"]
    datasource = yaml.safe_load(
        (ROOT / "deploy/grafana/provisioning/datasources/prometheus.yml").read_text("utf-8")
    )
    assert datasource["datasources"][0]["uid"] == "prometheus"
    assert datasource["datasources"][0]["url"] == "http://prometheus:9090"


# --- Dockerfile -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "instruction",
    [
        "FROM ${PYTHON_IMAGE} AS build",
        "FROM ${PYTHON_IMAGE} AS runtime",
        f"EXPOSE {DEFAULTS.web_port} {DEFAULTS.metrics_port}",
        'VOLUME ["/var/lib/opguard"]',
        'ENTRYPOINT ["opguard"]',
        'CMD ["worker"]',
    ],
)
def test_dockerfile_has(instruction: str) -> None:
    assert instruction in DOCKERFILE.splitlines()


def test_dockerfile_builds_on_python_311_slim_and_runs_as_non_root() -> None:
    assert "ARG PYTHON_IMAGE=python:3.11-slim" in DOCKERFILE
    users = re.findall(r"^USER (\S+)", DOCKERFILE, re.MULTILINE)
    assert users and users[-1].split(":")[0] not in {"root", "0"}


def test_dockerfile_healthcheck_asks_the_liveness_endpoint_without_curl() -> None:
    [healthcheck] = re.findall(r"^HEALTHCHECK (?:.*\\\n)*.*", DOCKERFILE, re.MULTILINE)
    assert f"http://127.0.0.1:{DEFAULTS.web_port}/health" in healthcheck
    assert "urllib.request" in healthcheck and "curl" not in healthcheck


def test_dockerignore_keeps_the_context_small() -> None:
    lines = (ROOT / ".dockerignore").read_text("utf-8").splitlines()
    patterns = [line for line in lines if line and not line.startswith("#")]
    assert patterns[0] == "**"  # everything out, then an allow-list
    assert {"!pyproject.toml", "!streams"} <= set(patterns)

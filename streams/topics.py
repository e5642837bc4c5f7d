"""Topic provisioning: one declarative file, applied idempotently, drift reported."""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from streams.errors import OpguardError
from streams.settings import Settings

INPUT_TOPICS = ("messages", "contract-events")
OUTPUT_TOPICS = ("violations", "warnings", "dead-letters")


@dataclass(frozen=True, slots=True)
class TopicSpec:
    name: str
    partitions: int
    replication_factor: int
    config: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class TopicReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    ok: list[str] = field(default_factory=list)
    drift: list[str] = field(default_factory=list)

    def render(self) -> str:
        lines = [f"created  {name}" for name in self.created]
        lines += [f"updated  {name}" for name in self.updated]
        lines += [f"missing  {name}" for name in self.missing]
        lines += [f"ok       {name}" for name in self.ok]
        lines += [f"drift    {line}" for line in self.drift]
        return "\n".join(lines)


def _count(value: Any, default: int, where: str) -> int:
    if value in (None, "default"):
        return default
    if isinstance(value, int) and value > 0:
        return value
    raise OpguardError(f"{where} must be a positive integer or 'default', got {value!r}")


def load_topic_specs(path: str | None, settings: Settings) -> list[TopicSpec]:
    """Read a topics file (default: the one shipped in the package)."""
    if path is None:
        text = resources.files("streams").joinpath("topics.yaml").read_text("utf-8")
        source = "streams/topics.yaml"
    else:
        try:
            text = Path(path).read_text("utf-8")
        except OSError as error:
            raise OpguardError(f"cannot read topics file {path}: {error.strerror}") from None
        source = path
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise OpguardError(f"{source} is not valid YAML: {error}") from None
    if not isinstance(document, dict) or not isinstance(document.get("topics"), dict):
        raise OpguardError(f"{source}: expected a mapping with a 'topics' mapping")
    defaults = document.get("defaults") or {}
    specs = []
    for raw_name, body in document["topics"].items():
        body = body or {}
        where = f"{source}: topics.{raw_name}"
        config = body.get("config") or {}
        if not isinstance(config, dict):
            raise OpguardError(f"{where}.config must be a mapping")
        raw = str(raw_name)
        # Table changelogs are named after the app id (which carries the prefix already).
        name = raw.format(app_id=settings.app_id) if "{app_id}" in raw else settings.topic(raw)
        specs.append(
            TopicSpec(
                name=name,
                partitions=_count(
                    body.get("partitions", defaults.get("partitions")),
                    settings.partitions,
                    f"{where}.partitions",
                ),
                replication_factor=_count(
                    body.get("replication_factor", defaults.get("replication_factor")),
                    settings.replication_factor,
                    f"{where}.replication_factor",
                ),
                config={str(k): str(v) for k, v in config.items()},
            )
        )
    return specs


def admin_client(settings: Settings) -> Any:
    from kafka.admin import KafkaAdminClient
    from kafka.errors import KafkaError

    from streams.kafka_config import kafka_python_security

    try:
        return KafkaAdminClient(
            bootstrap_servers=settings.kafka_bootstrap.split(","),
            client_id=f"{settings.app_id}-admin",
            request_timeout_ms=15000,
            **kafka_python_security(settings),
        )
    except KafkaError as error:
        raise OpguardError(
            f"no Kafka broker answers at {settings.kafka_bootstrap} ({type(error).__name__})"
        ) from None


def apply_topics(settings: Settings, specs: list[TopicSpec], *, dry_run: bool) -> TopicReport:
    """Create missing topics (unless ``dry_run``) and compare existing ones with the specs."""
    from kafka.admin import ConfigResource, ConfigResourceType, NewTopic
    from kafka.errors import TopicAlreadyExistsError

    report = TopicReport()
    admin = admin_client(settings)
    try:
        existing = set(admin.list_topics())
        to_create = [spec for spec in specs if spec.name not in existing]
        if dry_run:
            report.missing.extend(spec.name for spec in to_create)
        elif to_create:
            for spec in to_create:
                with contextlib.suppress(TopicAlreadyExistsError):  # created concurrently
                    admin.create_topics(
                        [
                            NewTopic(
                                spec.name,
                                spec.partitions,
                                spec.replication_factor,
                                topic_configs=spec.config,
                            )
                        ]
                    )
                report.created.append(spec.name)
            _wait_until_visible(admin, to_create)
        present = [spec for spec in specs if spec.name in existing]
        if present:
            described = {t["name"]: t for t in admin.describe_topics([s.name for s in present])}
            configs = admin.describe_configs(
                [ConfigResource(ConfigResourceType.TOPIC, s.name) for s in present]
            )
            topic_configs = configs.get("topic", {}) if isinstance(configs, dict) else {}
            for spec in present:
                config = topic_configs.get(spec.name, {})
                if not dry_run and _config_drift(spec, config):
                    # Declared settings (retention, limits) are set, not only reported.
                    # AlterConfigs replaces the topic's dynamic configs: the file is the truth.
                    admin.alter_configs(
                        [ConfigResource(ConfigResourceType.TOPIC, spec.name, configs=spec.config)]
                    )
                    report.updated.append(spec.name)
                    config = {key: {"value": value} for key, value in spec.config.items()}
                problems = _drift(spec, described.get(spec.name, {}), config)
                if problems:
                    report.drift.extend(f"{spec.name}: {p}" for p in problems)
                elif spec.name not in report.updated:
                    report.ok.append(spec.name)
    finally:
        admin.close()
    return report


def _wait_until_visible(admin: Any, specs: list[TopicSpec], timeout: float = 15.0) -> None:
    """Block until new topics show all their partitions in metadata (creation is async)."""
    deadline = time.monotonic() + timeout
    wanted = {spec.name: spec.partitions for spec in specs}
    while time.monotonic() < deadline:
        try:
            described = admin.describe_topics(list(wanted))
        except Exception:
            described = []
        ready = {
            t["name"]
            for t in described
            if t.get("error_code") == 0
            and len(t.get("partitions", [])) == wanted[t["name"]]
            and all(p.get("leader_id", -1) >= 0 for p in t["partitions"])
        }
        if ready >= set(wanted):
            return
        time.sleep(0.2)
    raise OpguardError(f"topics not visible after {timeout:.0f}s: {sorted(wanted)}")


def _config_drift(spec: TopicSpec, config: dict[str, Any]) -> bool:
    return any(
        (config.get(key) or {}).get("value") != wanted for key, wanted in spec.config.items()
    )


#: Kafka's default ``max.message.bytes`` (what a topic without the setting accepts).
KAFKA_DEFAULT_MAX_MESSAGE_BYTES = 1048588


def output_topic_limits(settings: Settings) -> dict[str, tuple[str, int]]:
    """Each topic the worker writes: its kind (for ``streams.limits``) and the
    ``max.message.bytes`` the broker applies to it (Kafka's default where it does not
    exist yet)."""
    from kafka.admin import ConfigResource, ConfigResourceType

    kinds = {
        settings.topic("violations"): "events",
        settings.topic("warnings"): "events",
        settings.topic("dead-letters"): "dead-letters",
        **{f"{settings.app_id}-{table}-changelog": "changelog" for table in TABLES},
    }
    admin = admin_client(settings)
    try:
        existing = [name for name in kinds if name in set(admin.list_topics())]
        configs: Any = (
            admin.describe_configs(
                [ConfigResource(ConfigResourceType.TOPIC, name) for name in existing]
            )
            if existing
            else {}
        )
    finally:
        admin.close()
    topic_configs = configs.get("topic", {}) if isinstance(configs, dict) else {}
    limits = {}
    for name, kind in kinds.items():
        value = (topic_configs.get(name, {}).get("max.message.bytes") or {}).get("value")
        limits[name] = (kind, int(value) if value else KAFKA_DEFAULT_MAX_MESSAGE_BYTES)
    return limits


#: The worker's tables (their changelog topics are ``<app id>-<table>-changelog``).
TABLES = ("contracts", "conversations", "flagged")


def _drift(spec: TopicSpec, description: dict[str, Any], config: dict[str, Any]) -> list[str]:
    problems = []
    partitions = description.get("partitions", [])
    if len(partitions) != spec.partitions:
        problems.append(f"partitions {len(partitions)}, declared {spec.partitions}")
    if partitions:
        replicas = len(partitions[0].get("replica_nodes", []))
        if replicas != spec.replication_factor:
            problems.append(f"replication factor {replicas}, declared {spec.replication_factor}")
    for key, wanted in spec.config.items():
        actual = config.get(key, {}).get("value") if isinstance(config.get(key), dict) else None
        if actual != wanted:
            problems.append(f"{key}={actual}, declared {wanted}")
    return problems


def delete_prefixed(admin: Any, prefix: str, groups: list[str]) -> None:
    """Delete every topic whose name starts with ``prefix``, and the consumer ``groups``.

    For runs that live under their own prefix (tests, benchmarks): without it a
    development broker piles up thousands of partitions and slows to a crawl.
    """
    from kafka.errors import KafkaError

    if not prefix:
        raise ValueError("refusing to delete every topic: the prefix is empty")
    topics = [name for name in admin.list_topics() if name.startswith(prefix)]
    try:
        if topics:
            admin.delete_topics(topics, raise_errors=False)
        if groups:
            admin.delete_groups(groups)
    except KafkaError:
        pass  # leftovers of a failed run are harmless: every run has its own prefix

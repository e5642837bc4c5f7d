"""Every setting in one place (twelve-factor): a default for the local stack, and an
environment variable that overrides it.  Secrets are masked whenever settings are
shown or logged.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

DEV_FINGERPRINT_KEY = "opguard-development-key-not-secret"


class SettingsError(ValueError):
    """A setting has a value that cannot be used; the message names the variable."""


@dataclass(frozen=True, slots=True)
class Settings:
    kafka_bootstrap: str = "127.0.0.1:9092"
    """Kafka bootstrap servers, comma separated.  ``OPGUARD_KAFKA_BOOTSTRAP``"""
    redis_url: str = "redis://127.0.0.1:6379/0"
    """Redis for cross-partition state (strikes, throttling).  ``OPGUARD_REDIS_URL``"""
    topic_prefix: str = ""
    """Prefix of every topic name and of the Faust application id.  ``OPGUARD_TOPIC_PREFIX``"""
    metrics_port: int = 9464
    """Port of the Prometheus ``/metrics`` endpoint.  ``OPGUARD_METRICS_PORT``"""
    bind_host: str = "127.0.0.1"
    """Address the worker's web and metrics servers bind to (0.0.0.0 in containers).
    ``OPGUARD_BIND_HOST``"""
    web_port: int = 6066
    """Port of the worker's web server (``/health``, ``/ready``).  ``OPGUARD_WEB_PORT``"""
    policy_path: str = ""
    """Policy YAML file; empty means the shipped default.  ``OPGUARD_POLICY``"""
    store: str = "memory://"
    """Faust table store: ``memory://`` or ``rocksdb://``.  ``OPGUARD_STORE``"""
    data_dir: str = ""
    """Worker data directory, RocksDB tables live under it (keep it on a volume); empty
    means ``<app id>-data`` in the working directory.  ``OPGUARD_DATA_DIR``"""
    fingerprint_key: str = DEV_FINGERPRINT_KEY
    """HMAC key for finding fingerprints (secret).  ``OPGUARD_FINGERPRINT_KEY``"""
    partitions: int = 12
    """Partitions of the input topics.  ``OPGUARD_PARTITIONS``"""
    replication_factor: int = 1
    """Replication factor of every topic (3 in production).  ``OPGUARD_REPLICATION_FACTOR``"""
    session_timeout_s: float = 60.0
    """Consumer group session timeout; tests use 10.  ``OPGUARD_SESSION_TIMEOUT``"""
    max_record_bytes: int = 1_048_576
    """Input records larger than this go to the dead-letter topic.  ``OPGUARD_MAX_RECORD_BYTES``"""
    dead_letter_value_bytes: int = 65_536
    """A dead letter keeps at most this much of the record's value (the record itself stays
    on its input topic).  ``OPGUARD_DEAD_LETTER_VALUE_BYTES``"""
    producer_max_request_bytes: int = 1_000_000
    """The producer's ``max_request_size``: no produced record may be larger.
    ``OPGUARD_PRODUCER_MAX_REQUEST_BYTES``"""
    log_level: str = "info"
    """Worker log level.  ``OPGUARD_LOG_LEVEL``"""
    kafka_security_protocol: str = "PLAINTEXT"
    """PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL.  ``OPGUARD_KAFKA_SECURITY_PROTOCOL``"""
    kafka_sasl_mechanism: str = ""
    """PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512.  ``OPGUARD_KAFKA_SASL_MECHANISM``"""
    kafka_sasl_username: str = ""
    """SASL user name.  ``OPGUARD_KAFKA_SASL_USERNAME``"""
    kafka_sasl_password: str = ""
    """SASL password (secret).  ``OPGUARD_KAFKA_SASL_PASSWORD``"""
    kafka_ssl_cafile: str = ""
    """CA bundle for TLS to Kafka.  ``OPGUARD_KAFKA_SSL_CAFILE``"""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for field in fields(cls):
            name = ENV_NAMES[field.name]
            raw = environ.get(name)
            if raw is None or raw == "":
                continue
            if field.type in ("int", int):
                try:
                    values[field.name] = int(raw)
                except ValueError:
                    raise SettingsError(f"{name} must be an integer, got {raw!r}") from None
            elif field.type in ("float", float):
                try:
                    values[field.name] = float(raw)
                except ValueError:
                    raise SettingsError(f"{name} must be a number, got {raw!r}") from None
            else:
                values[field.name] = raw
        settings = cls(**values)
        settings.validate()
        return settings

    def validate(self) -> None:
        if self.store not in ("memory://", "rocksdb://"):
            hint = ""
            if self.store.startswith("rocksdb://"):
                # Faust would use the path as the file name of EVERY table: the three
                # tables would share one RocksDB database per partition.
                hint = " (no path: the directory is OPGUARD_DATA_DIR)"
            raise SettingsError(
                f"OPGUARD_STORE must be memory:// or rocksdb://{hint}, got {self.store!r}"
            )
        if self.kafka_security_protocol not in {"PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"}:
            raise SettingsError(
                "OPGUARD_KAFKA_SECURITY_PROTOCOL must be PLAINTEXT, SSL, SASL_PLAINTEXT or "
                f"SASL_SSL, got {self.kafka_security_protocol!r}"
            )
        for name, port in (
            ("OPGUARD_METRICS_PORT", self.metrics_port),
            ("OPGUARD_WEB_PORT", self.web_port),
        ):
            if not 0 <= port <= 65535:
                raise SettingsError(f"{name} must be a port number, got {port}")
        if self.partitions < 1:
            raise SettingsError(f"OPGUARD_PARTITIONS must be at least 1, got {self.partitions}")

    def topic(self, name: str) -> str:
        """The full name of one of opguard's topics (``messages``, ``violations``…)."""
        return f"{self.topic_prefix}{name}"

    @property
    def app_id(self) -> str:
        """Faust application id: also the consumer group and the table topics' prefix."""
        return f"{self.topic_prefix}opguard"

    @property
    def uses_dev_fingerprint_key(self) -> bool:
        return self.fingerprint_key == DEV_FINGERPRINT_KEY

    def masked(self) -> dict[str, str]:
        """Settings by environment variable, secrets masked: safe to print or log."""
        shown: dict[str, str] = {}
        for field in fields(self):
            value = str(getattr(self, field.name))
            if field.name in SECRET_FIELDS and value:
                value = "••••••"
            shown[ENV_NAMES[field.name]] = value
        return shown


SECRET_FIELDS = frozenset({"fingerprint_key", "kafka_sasl_password"})
ENV_NAMES: dict[str, str] = {
    field.name: "OPGUARD_"
    + {"policy_path": "POLICY", "session_timeout_s": "SESSION_TIMEOUT"}.get(
        field.name, field.name.upper()
    )
    for field in fields(Settings)
}
#: Every environment variable opguard reads (deploy files are checked against this).
ENV_VARS: tuple[str, ...] = tuple(ENV_NAMES.values())

"""Errors the command line reports as one line (no traceback), collected in one place."""

from __future__ import annotations


class OpguardError(Exception):
    """An expected, user-facing failure of opguard itself."""


class ServiceUnavailable(OpguardError):
    """A service opguard needs (Kafka, Redis) does not answer."""


def expected_errors() -> tuple[type[BaseException], ...]:
    """Exception types shown as one line by the CLI (imported lazily: they pull in Kafka)."""
    from kafka.errors import KafkaError

    from streams.policy import PolicyError
    from streams.settings import SettingsError

    return (OpguardError, SettingsError, PolicyError, KafkaError, OSError, UnicodeError)

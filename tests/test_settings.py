"""OPGUARD_* settings: what is accepted, and the one-line error for what is not."""

from __future__ import annotations

import pytest

from streams.settings import Settings, SettingsError

ACCEPTED = [
    ({}, "store", "memory://"),
    ({"OPGUARD_STORE": "rocksdb://"}, "store", "rocksdb://"),
    ({"OPGUARD_DATA_DIR": "/var/lib/opguard/data"}, "data_dir", "/var/lib/opguard/data"),
    ({"OPGUARD_PARTITIONS": "24"}, "partitions", 24),
    ({"OPGUARD_SESSION_TIMEOUT": "10"}, "session_timeout_s", 10.0),
]

REFUSED = [
    # a path in the store URL would become the file name of every table
    (
        {"OPGUARD_STORE": "rocksdb:///var/lib/opguard/tables"},
        "no path: the directory is OPGUARD_DATA_DIR",
    ),
    ({"OPGUARD_STORE": "redis://"}, "OPGUARD_STORE must be memory:// or rocksdb://"),
    ({"OPGUARD_PARTITIONS": "twelve"}, "OPGUARD_PARTITIONS must be an integer"),
    ({"OPGUARD_PARTITIONS": "0"}, "OPGUARD_PARTITIONS must be at least 1"),
]


@pytest.mark.parametrize(("environ", "field", "expected"), ACCEPTED)
def test_accepted(environ: dict[str, str], field: str, expected: object) -> None:
    assert getattr(Settings.from_env(environ), field) == expected


@pytest.mark.parametrize(("environ", "message"), REFUSED)
def test_refused_with_a_clear_message(environ: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message.replace("(", r"\(")):
        Settings.from_env(environ)

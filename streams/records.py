"""Input records: bytes in, a validated record or a dead-letter reason out (pure).

Validation uses the JSON Schemas in ``schemas/`` (the contract with producers),
compiled once by fastjsonschema: the reference ``jsonschema`` package checks outputs
in the tests, but at tens of microseconds per record it is too slow for the hot path.
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import Any

import fastjsonschema
import orjson

from streams.models import DeadLetter

SCHEMA_FILES = {
    "messages": "message.schema.json",
    "contract-events": "contract-event.schema.json",
    "event": "event.schema.json",
    "dead-letters": "dead-letter.schema.json",
}
MAX_RECORD_BYTES = 1_048_576


class BadRecord(ValueError):
    """A record that goes to the dead-letter topic; ``reason`` is its short label."""

    def __init__(self, reason: str, error: str) -> None:
        super().__init__(error)
        self.reason = reason


def load_schema(name: str) -> dict[str, Any]:
    text = resources.files("streams").joinpath("schemas", SCHEMA_FILES[name]).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def _validator(name: str) -> Any:
    return fastjsonschema.compile(load_schema(name))


def parse_time(value: str) -> float:
    """ISO 8601 (``Z`` or an offset; naive times are UTC) → seconds since the epoch."""
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def format_time(epoch: float) -> str:
    return (
        datetime.fromtimestamp(epoch, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    )


def decode(topic: str, value: bytes | None, max_bytes: int = MAX_RECORD_BYTES) -> dict[str, Any]:
    """Decode and validate one input value; raises :class:`BadRecord`."""
    if value is None:
        raise BadRecord("schema_mismatch", "empty record (no value)")
    if len(value) > max_bytes:
        raise BadRecord("oversized", f"record of {len(value)} bytes exceeds {max_bytes}")
    try:
        text = value.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadRecord("not_utf8", f"not UTF-8: {error.reason} at byte {error.start}") from None
    try:
        data: dict[str, Any] = orjson.loads(text)
    except orjson.JSONDecodeError as error:
        raise BadRecord("not_json", f"not JSON: {error}") from None
    try:
        _validator(topic)(data)
    except fastjsonschema.JsonSchemaValueException as error:
        raise BadRecord("schema_mismatch", f"schema mismatch: {error.message}") from None
    time_field = "sent_at" if topic == "messages" else "occurred_at"
    try:
        data["_epoch"] = parse_time(data[time_field])
    except ValueError:
        raise BadRecord("schema_mismatch", f"{time_field} is not an ISO 8601 time") from None
    return data


#: A dead letter keeps at most this much of the record's key.
DEAD_LETTER_KEY_BYTES = 1024
#: Characters of the error message a dead letter keeps.
DEAD_LETTER_ERROR_CHARS = 500


def dead_letter(
    topic: str,
    partition: int,
    offset: int,
    key: bytes | None,
    value: bytes | None,
    reason: str,
    error: str,
    received_at: str,
    *,
    max_value_bytes: int,
) -> DeadLetter:
    """A bounded dead letter: where the record is, its size and SHA-256, and at most
    ``max_value_bytes`` of its value (``value_truncated`` says when it was cut).  The
    whole record stays readable on its source topic at (partition, offset) for as long
    as that topic retains it."""
    value = value or b""
    kept = value[:max_value_bytes]
    return DeadLetter(
        source_topic=topic,
        partition=partition,
        offset=offset,
        reason=reason,
        error=error[:DEAD_LETTER_ERROR_CHARS],
        key_base64=None
        if key is None
        else base64.b64encode(key[:DEAD_LETTER_KEY_BYTES]).decode("ascii"),
        key_truncated=key is not None and len(key) > DEAD_LETTER_KEY_BYTES,
        value_bytes=len(value),
        value_sha256=hashlib.sha256(value).hexdigest(),
        value_base64=base64.b64encode(kept).decode("ascii"),
        value_truncated=len(kept) < len(value),
        received_at=received_at,
    )


def dead_letter_max_bytes(max_value_bytes: int, topic_name_chars: int = 249) -> int:
    """The largest encoded dead letter for a value cut at ``max_value_bytes`` (topic
    names are at most 249 characters; JSON escapes a character of the error in at most
    six)."""

    def b64(size: int) -> int:
        return 4 * ((size + 2) // 3)

    fixed = 512  # field names, numbers, booleans, the digest, the time
    return (
        fixed
        + topic_name_chars
        + 6 * DEAD_LETTER_ERROR_CHARS
        + b64(DEAD_LETTER_KEY_BYTES)
        + b64(max_value_bytes)
    )

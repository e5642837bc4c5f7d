"""``opguard replay``: produce a JSON-lines file of input records to Kafka.

Each line is a SPEC §2 ``messages`` or ``contract-events`` record, optionally with a
``topic`` field (inferred when absent: ``event_id`` and ``state`` make a contract event)
and an ``expect`` note for the demo's narrative; both are stripped before sending.  A
line ``{"topic": ..., "raw": "...", "key"?: "..."}`` sends those raw bytes instead
(malformed-record demos; ``\\udcXX`` escapes stand for bytes that are not UTF-8).

The whole file is validated before anything is sent: a replay tool must not send half
a file and lose the rest silently.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import orjson

from streams.errors import OpguardError, ServiceUnavailable
from streams.settings import Settings
from streams.topics import INPUT_TOPICS

#: Fields of a replay line that steer the replayer and never reach Kafka.
CONTROL_FIELDS = ("topic", "expect")


@dataclass(frozen=True, slots=True)
class ReplayRecord:
    """One record to produce: a short topic name (no prefix), key and value bytes."""

    topic: str
    key: bytes | None
    value: bytes
    line: int
    expect: str | None = None
    payload: dict[str, Any] | None = None
    """The decoded value (None for raw lines), for callers that show what they send."""


class Outgoing(Protocol):
    """Anything ``produce`` can send (a ReplayRecord, a benchmark workload record)."""

    @property
    def topic(self) -> str: ...
    @property
    def key(self) -> bytes | None: ...
    @property
    def value(self) -> bytes: ...


def _infer_topic(document: dict[str, Any]) -> str:
    return "contract-events" if "event_id" in document and "state" in document else "messages"


def parse_line(text: str, line: int) -> ReplayRecord | None:
    """One replay line as a record; None for a blank line; OpguardError when unusable."""
    if not text.strip():
        return None
    try:
        # The standard library, not orjson: it keeps the \udcXX escapes raw lines use.
        document = json.loads(text)
    except ValueError:
        raise OpguardError(f"line {line}: not JSON") from None
    if not isinstance(document, dict):
        raise OpguardError(f"line {line}: expected a JSON object, got {type(document).__name__}")
    topic = document.get("topic", _infer_topic(document))
    if topic not in INPUT_TOPICS:
        raise OpguardError(
            f"line {line}: unknown topic {topic!r} (expected {' or '.join(INPUT_TOPICS)})"
        )
    expect = document.get("expect")
    if expect is not None and not isinstance(expect, str):
        raise OpguardError(f"line {line}: 'expect' must be a string")
    if "raw" in document:
        return _raw_record(document, topic, line, expect)
    payload = {k: v for k, v in document.items() if k not in CONTROL_FIELDS}
    conversation = payload.get("conversation_id")
    # A record without a usable conversation id is still sent (the worker dead-letters it).
    key = conversation.encode("utf-8") if isinstance(conversation, str) else None
    try:
        value = orjson.dumps(payload)
    except orjson.JSONEncodeError:
        raise OpguardError(f"line {line}: a lone surrogate escape outside 'raw'") from None
    return ReplayRecord(topic, key, value, line, expect, payload)


def _raw_record(
    document: dict[str, Any], topic: str, line: int, expect: str | None
) -> ReplayRecord:
    raw, key = document["raw"], document.get("key")
    if not isinstance(raw, str):
        raise OpguardError(f"line {line}: 'raw' must be a string")
    if key is not None and not isinstance(key, str):
        raise OpguardError(f"line {line}: 'key' must be a string")
    extra = sorted(set(document) - {"raw", "key", *CONTROL_FIELDS})
    if extra:
        raise OpguardError(
            f"line {line}: a raw line takes only topic, raw, key and expect, not {', '.join(extra)}"
        )
    try:
        value = raw.encode("utf-8", "surrogateescape")
        key_bytes = None if key is None else key.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        raise OpguardError(f"line {line}: 'raw' has a lone surrogate that is no byte") from None
    return ReplayRecord(topic, key_bytes, value, line, expect)


def parse_lines(lines: Iterable[bytes | str]) -> list[ReplayRecord]:
    """Every record of a replay file, or OpguardError naming the first bad line."""
    records = []
    for number, line in enumerate(lines, start=1):
        if isinstance(line, bytes):
            try:
                line = line.decode("utf-8")
            except UnicodeDecodeError:
                raise OpguardError(f"line {number}: not UTF-8") from None
        record = parse_line(line, number)
        if record is not None:
            records.append(record)
    return records


def read_replay_file(path: str) -> list[ReplayRecord]:
    """Read and validate a whole replay file (``-`` is standard input, buffered)."""
    if path == "-":
        return parse_lines(sys.stdin.buffer.read().splitlines())
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise OpguardError(f"cannot read {path}: {error.strerror}") from None
    return parse_lines(data.splitlines())


def make_producer(settings: Settings) -> Any:
    """A kafka-python producer for input records (acks=all, 5 ms linger)."""
    from kafka import KafkaProducer
    from kafka.errors import KafkaError

    from streams.kafka_config import kafka_python_security

    try:
        return KafkaProducer(
            bootstrap_servers=settings.kafka_bootstrap.split(","),
            client_id=f"{settings.app_id}-replay",
            acks="all",
            linger_ms=5,
            **kafka_python_security(settings),
        )
    except KafkaError as error:
        raise ServiceUnavailable(
            f"no Kafka broker answers at {settings.kafka_bootstrap} ({type(error).__name__})"
        ) from None


def check_topics_exist(settings: Settings, topics: Iterable[str]) -> None:
    """Fail before producing if a target topic is missing (auto-creation would get its
    partition count wrong and break co-partitioning)."""
    from streams.topics import admin_client

    admin = admin_client(settings)
    try:
        existing = set(admin.list_topics())
    finally:
        admin.close()
    missing = sorted({settings.topic(t) for t in topics} - existing)
    if missing:
        raise OpguardError(
            f"topic {', '.join(missing)} does not exist: "
            "run `opguard topics apply` with the same OPGUARD_TOPIC_PREFIX"
        )


def produce(
    producer: Any,
    settings: Settings,
    records: Sequence[Outgoing],
    *,
    rate: float = 0.0,
    progress: bool = False,
) -> None:
    """Send ``records`` in order, at most ``rate`` per second (0: no limit), and flush.

    Raises OpguardError if the broker refused any record, naming how many and why.
    """
    from rich.console import Console
    from rich.progress import Progress

    failures: list[BaseException] = []
    start = time.monotonic()
    with Progress(console=Console(stderr=True), disable=not progress, transient=False) as bar:
        task = bar.add_task("replaying", total=len(records))
        for index, record in enumerate(records):
            if rate > 0:
                delay = start + index / rate - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
            future = producer.send(settings.topic(record.topic), key=record.key, value=record.value)
            future.add_errback(failures.append)
            bar.advance(task)
        producer.flush()
    if failures:
        raise OpguardError(
            f"{len(failures)} of {len(records)} records were not accepted by Kafka: {failures[0]!r}"
        )


def summarize(records: Sequence[ReplayRecord], settings: Settings, seconds: float) -> str:
    counts = Counter(record.topic for record in records)
    return (
        f"replayed {len(records)} records ({counts['messages']} messages, "
        f"{counts['contract-events']} contract events) to prefix "
        f"'{settings.topic_prefix}' in {seconds:.1f} s"
    )


def replay_file(settings: Settings, path: str, *, rate: float = 0.0) -> str:
    """``opguard replay``: validate the whole file, produce it, return a summary line."""
    if rate < 0:
        raise OpguardError(f"--rate must be 0 or more, got {rate}")
    records = read_replay_file(path)
    started = time.monotonic()
    if records:
        check_topics_exist(settings, {record.topic for record in records})
        producer = make_producer(settings)
        try:
            produce(producer, settings, records, rate=rate, progress=True)
        finally:
            producer.close()
    return summarize(records, settings, time.monotonic() - started)

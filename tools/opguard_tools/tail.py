"""``opguard tail``: print the events of one topic as they arrive.

One readable line per event (or raw JSON lines with ``as_json``); reads without a
consumer group, so tailing never moves anybody's committed offsets.
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime
from typing import Any

import orjson
from rich.console import Console
from rich.text import Text

from streams.errors import OpguardError, ServiceUnavailable
from streams.settings import Settings

SEVERITY_STYLES = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan"}
TYPE_STYLES = {
    "violation": "bold red",
    "warning": "yellow",
    "retraction": "green",
    "dead-letter": "magenta",
}


def decode(value: bytes | None) -> Any:
    """A record value as JSON when it is JSON, else the text (undecodable bytes escaped)."""
    if value is None:
        return None
    try:
        return orjson.loads(value)
    except orjson.JSONDecodeError:
        return value.decode("utf-8", "backslashreplace")


def json_line(value: bytes | None) -> str:
    """A record value as one compact JSON line; a value that is not JSON is wrapped as
    ``{"not_json": text}`` so the output stays valid JSON lines (for jq)."""
    if value is None:
        return "null"
    try:
        return orjson.dumps(orjson.loads(value)).decode()
    except orjson.JSONDecodeError:
        return orjson.dumps({"not_json": value.decode("utf-8", "backslashreplace")}).decode()


def findings_text(event: dict[str, Any]) -> str:
    """The redacted findings of an output event, e.g. ``phone +1 415 ••• ••89``."""
    parts = []
    for finding in event.get("findings") or []:
        if isinstance(finding, dict):
            kind, redacted = str(finding.get("kind", "?")), str(finding.get("redacted") or "")
            parts.append(redacted if redacted.startswith(kind) else f"{kind} {redacted}".strip())
    return ", ".join(parts)


def _clock(event: dict[str, Any], timestamp_ms: int | None) -> str:
    for field in ("detected_at", "received_at", "sent_at", "occurred_at"):
        stamp = event.get(field)
        if isinstance(stamp, str):
            try:
                return datetime.fromisoformat(stamp).strftime("%H:%M:%S")
            except ValueError:
                continue
    if timestamp_ms is None:
        return "--:--:--"
    return datetime.fromtimestamp(timestamp_ms / 1000, UTC).strftime("%H:%M:%S")


def event_line(value: Any, timestamp_ms: int | None = None) -> Text:
    """One readable line for an output event, a dead letter or any other record."""
    if not isinstance(value, dict):
        return Text.assemble(
            (_clock({}, timestamp_ms), "dim"), " ", ("not JSON", "magenta"), " ", repr(value)
        )
    line = Text.assemble((_clock(value, timestamp_ms), "dim"), " ")
    if "source_topic" in value and "reason" in value:
        line.append("dead-letter ", TYPE_STYLES["dead-letter"])
        line.append(f"{value.get('reason')} ")
        line.append(
            f"from {value.get('source_topic')}[{value.get('partition')}]@{value.get('offset')} ",
            "dim",
        )
        line.append(str(value.get("error", "")))
        return line
    kind = str(value.get("type", "record"))
    line.append(f"{kind} ", TYPE_STYLES.get(kind, "bold"))
    if "rule" in value:
        severity = str(value.get("severity", ""))
        line.append(f"{value['rule']} ")
        line.append(f"{severity} ", SEVERITY_STYLES.get(severity, ""))
    line.append(f"{value.get('conversation_id', '?')} {value.get('message_id', '')} ")
    if "contract_phase" in value:
        line.append(f"phase={value['contract_phase']} ", "dim")
    if value.get("related_message_ids"):
        line.append(f"related={','.join(map(str, value['related_message_ids']))} ", "dim")
    if value.get("retracts"):
        line.append(f"retracts={value['retracts']} ", "green")
    line.append(findings_text(value))
    if "text" in value:  # an input message, when tailing `messages`
        line.append(f"{value.get('sender_id', '?')}: {value['text']}")
    return line


def make_consumer(settings: Settings, topics: list[str], *, from_beginning: bool) -> Any:
    """A kafka-python consumer of full topic names, no group and no commits."""
    from kafka import KafkaConsumer
    from kafka.errors import KafkaError

    from streams.kafka_config import kafka_python_security

    try:
        consumer = KafkaConsumer(
            bootstrap_servers=settings.kafka_bootstrap.split(","),
            client_id=f"{settings.app_id}-tail",
            group_id=None,
            enable_auto_commit=False,
            auto_offset_reset="earliest" if from_beginning else "latest",
            **kafka_python_security(settings),
        )
    except KafkaError as error:
        raise ServiceUnavailable(
            f"no Kafka broker answers at {settings.kafka_bootstrap} ({type(error).__name__})"
        ) from None
    missing = sorted(set(topics) - set(consumer.topics()))
    if missing:
        consumer.close()
        raise OpguardError(
            f"topic {', '.join(missing)} does not exist (prefix '{settings.topic_prefix}')"
        )
    consumer.subscribe(topics)
    return consumer


def tail_topic(
    settings: Settings,
    topic: str,
    *,
    from_beginning: bool = False,
    max_events: int = 0,
    idle_timeout: float = 0.0,
    as_json: bool = False,
) -> int:
    """Print events of ``topic`` (a short name; the prefix is added) until ``max_events``
    (0: no limit) or ``idle_timeout`` seconds without one (0: never); Ctrl-C stops cleanly.
    Returns the number of events printed."""
    console = Console(highlight=False, soft_wrap=True)
    consumer = make_consumer(settings, [settings.topic(topic)], from_beginning=from_beginning)
    printed = 0
    last_seen = time.monotonic()
    try:
        while max_events <= 0 or printed < max_events:
            if idle_timeout > 0 and time.monotonic() - last_seen >= idle_timeout:
                break
            for batch in consumer.poll(timeout_ms=200).values():
                for record in batch:
                    if 0 < max_events <= printed:
                        break
                    if as_json:
                        sys.stdout.write(json_line(record.value) + "\n")
                        sys.stdout.flush()
                    else:
                        console.print(event_line(decode(record.value), record.timestamp))
                    printed += 1
                    last_seen = time.monotonic()
    except KeyboardInterrupt:
        pass  # Ctrl-C is how a tail ends: no traceback, no error
    finally:
        consumer.close()
    return printed

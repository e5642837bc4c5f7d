"""An output the broker refuses: the worker stops without committing, and the message is
judged again by the next worker once the broker accepts the output.

The violations topic is set to accept nothing bigger than 100 bytes, so the broker
rejects the violation event (a non-retriable error).  Nothing may be lost: the worker
must not commit the message's offset, must stop (exit status 1), and a worker started
after the limit is lifted must emit the violation.
"""

from __future__ import annotations

import base64
import hashlib
import time
from typing import Any

from kafka import KafkaAdminClient
from kafka.admin import ConfigResource, ConfigResourceType
from kafka.structs import TopicPartition

from streams.topics import apply_topics, load_topic_specs
from tests.integration.pipeline_harness import Pipeline, contract, events_of, message

PHONE_MESSAGE = "Let's move to WhatsApp, my number is +1 415 555 2671"


def _set_max_message_bytes(admin: KafkaAdminClient, topic: str, value: str) -> None:
    admin.alter_configs(
        [ConfigResource(ConfigResourceType.TOPIC, topic, configs={"max.message.bytes": value})]
    )


def _committed(admin: KafkaAdminClient, group: str, topic: str, partitions: int) -> int:
    tps = [TopicPartition(topic, p) for p in range(partitions)]
    offsets = admin.list_group_offsets({group: tps}).get(group, {})
    return sum(max(0, offsets[tp].offset) for tp in tps if tp in offsets)


def test_an_undeliverable_event_stops_the_worker_and_is_not_lost(pipeline: Pipeline) -> None:
    settings = pipeline.settings
    violations = settings.topic("violations")
    messages = settings.topic("messages")
    admin = KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap)
    try:
        first = pipeline.start_worker()
        # An honest message first, so the group has committed something for messages.
        pipeline.send(
            "messages", message("df-0", "df-1", "Budget is $1,500.", "2026-11-21T09:00:00Z")
        )
        deadline = time.monotonic() + 60
        while _committed(admin, settings.app_id, messages, settings.partitions) < 1:
            assert time.monotonic() < deadline, "the honest message was never committed"
            time.sleep(0.5)

        _set_max_message_bytes(admin, violations, "100")
        pipeline.send("messages", message("df-1", "df-1", PHONE_MESSAGE, "2026-11-21T09:05:00Z"))
        try:
            status = first.process.wait(timeout=120)
        except Exception:
            raise AssertionError(f"the worker did not stop:\n{first.log_tail()}") from None
        assert status == 1, f"exit status {status}:\n{first.log_tail()}"
        assert "was not delivered" in first.log_path.read_text("utf-8", errors="replace")
        assert _committed(admin, settings.app_id, messages, settings.partitions) == 1

        _set_max_message_bytes(admin, violations, "1048588")
        pipeline.start_worker()
        try:
            records = pipeline.outputs(
                lambda r: any(e["message_id"] == "df-1" for e in events_of(r))
            )
        except AssertionError as error:  # was df-1 judged (offset 2 committed) at all?
            committed = _committed(admin, settings.app_id, messages, settings.partitions)
            raise AssertionError(f"committed offsets of messages: {committed}\n{error}") from None
        flagged = [e for e in events_of(records) if e["message_id"] == "df-1"]
        assert {e["rule"] for e in flagged} >= {"contact_before_contract"}
    finally:
        admin.close()


def test_a_dead_letter_that_cannot_be_written_is_not_lost_in_either_agent(
    pipeline: Pipeline,
) -> None:
    """Both agents' dead letters refused by the broker: the worker stops, commits
    neither input, and after `opguard topics apply` restores the topic's limit a new
    worker writes both dead letters."""
    settings = pipeline.settings
    dead_letters = settings.topic("dead-letters")
    inputs = {settings.topic("messages"): 1, settings.topic("contract-events"): 1}
    admin = KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap)
    try:
        first = pipeline.start_worker()
        pipeline.send(
            "messages", message("dd-0", "dd-1", "Budget is $1,500.", "2026-11-21T09:00:00Z")
        )
        pipeline.send(
            "contract-events", contract("dd-e0", "dd-1", "offered", "2026-11-21T09:00:00Z")
        )
        deadline = time.monotonic() + 60
        while any(
            _committed(admin, settings.app_id, topic, settings.partitions) < n
            for topic, n in inputs.items()
        ):
            assert time.monotonic() < deadline, "the valid records were never committed"
            time.sleep(0.5)

        _set_max_message_bytes(admin, dead_letters, "100")
        pipeline.send("messages", b"not json {", key="dd-1")
        pipeline.send("contract-events", b'{"event_id": "truncated', key="dd-1")
        try:
            status = first.process.wait(timeout=120)
        except Exception:
            raise AssertionError(f"the worker did not stop:\n{first.log_tail()}") from None
        assert status == 1, f"exit status {status}:\n{first.log_tail()}"
        for topic, n in inputs.items():
            assert _committed(admin, settings.app_id, topic, settings.partitions) == n, topic

        report = apply_topics(settings, load_topic_specs(None, settings), dry_run=False)
        assert dead_letters in report.updated
        pipeline.start_worker()

        def sources(records: list[dict[str, Any]]) -> set[str]:
            return {r["value"]["source_topic"] for r in records if r["topic"] == dead_letters}

        # At least once: a dead letter may come twice (read again after a rebalance).
        assert sources(pipeline.outputs(lambda r: sources(r) == set(inputs))) == set(inputs)
    finally:
        admin.close()


def test_malformed_records_near_and_over_the_size_limit_are_dead_lettered(
    pipeline: Pipeline,
) -> None:
    pipeline.env["OPGUARD_MAX_RECORD_BYTES"] = str(950 * 1024)
    pipeline.start_worker()
    near = b"{" + b"x" * (900 * 1024)  # not JSON, just under the input limit
    over = b'{"text": "' + b"y" * (980 * 1024) + b'"}'  # over it: not decoded at all
    pipeline.send("messages", message("nl-0", "nl-a", PHONE_MESSAGE, "2026-11-21T09:00:00Z"))
    pipeline.send("messages", near, key="nl-b")
    pipeline.send("contract-events", near, key="nl-c")
    pipeline.send("messages", over, key="nl-d")
    pipeline.send("messages", message("nl-1", "nl-e", PHONE_MESSAGE, "2026-11-21T09:00:00Z"))
    dead_letters = pipeline.settings.topic("dead-letters")
    records = pipeline.outputs(
        lambda r: (
            len([x for x in r if x["topic"] == dead_letters]) >= 3
            and {"nl-0", "nl-1"} <= {e["message_id"] for e in events_of(r)}
        )
    )
    letters = sorted(
        (r["value"] for r in records if r["topic"] == dead_letters),
        key=lambda d: d["value_bytes"],
    )
    assert [(d["reason"], d["value_bytes"], d["value_truncated"]) for d in letters] == [
        ("not_json", len(near), True),
        ("not_json", len(near), True),
        ("oversized", len(over), True),
    ]
    for letter in letters:
        assert len(base64.b64decode(letter["value_base64"])) == 64 * 1024
    assert letters[0]["value_sha256"] == hashlib.sha256(near).hexdigest()


def test_limits_that_disagree_stop_the_worker_before_it_starts(pipeline: Pipeline) -> None:
    pipeline.env["OPGUARD_DEAD_LETTER_VALUE_BYTES"] = str(900 * 1024)
    worker = pipeline.start_worker(wait_ready=False)
    status = worker.process.wait(timeout=60)
    log = worker.log_path.read_text("utf-8", errors="replace")
    assert status != 0
    assert "size limits disagree" in log and "OPGUARD_DEAD_LETTER_VALUE_BYTES" in log
    assert "Traceback" not in log

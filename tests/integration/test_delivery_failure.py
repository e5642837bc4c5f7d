"""An output the broker refuses: the worker stops without committing, and the message is
judged again by the next worker once the broker accepts the output.

The violations topic is set to accept nothing bigger than 100 bytes, so the broker
rejects the violation event (a non-retriable error).  Nothing may be lost: the worker
must not commit the message's offset, must stop (exit status 1), and a worker started
after the limit is lifted must emit the violation.
"""

from __future__ import annotations

import time

from kafka import KafkaAdminClient
from kafka.admin import ConfigResource, ConfigResourceType
from kafka.structs import TopicPartition

from tests.integration.pipeline_harness import Pipeline, events_of, message

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
        records = pipeline.outputs(lambda r: any(e["message_id"] == "df-1" for e in events_of(r)))
        flagged = [e for e in events_of(records) if e["message_id"] == "df-1"]
        assert {e["rule"] for e in flagged} >= {"contact_before_contract"}
    finally:
        admin.close()

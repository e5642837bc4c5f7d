"""A backfill gives the same events as live processing, on the real broker and Redis.

The same conversations are replayed three times through one worker: with event times
around now, 60 days old and 400 days old.  Each replay has conversations and senders of
its own, and each must produce exactly the same decisions, rules and retractions:
strikes, warning throttling, flag retention and split details are all measured in event
time (docs/POLICY.md, "Time").  Contract events come both before their messages and
after them (late), by seconds and by weeks.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

from streams.records import format_time
from tests.integration.pipeline_harness import Pipeline, contract, events_of, message

PHONE = "+1 415 555 2671"
EMAIL = "jon.harlow88@gmail.com"
DAY = 86400.0
WEEK = 7 * DAY

# (conversation, sender, record kind, record id, text or contract state, seconds from t0)
# in the order they are sent, by phase: contract events consumed first, then messages,
# then late contract events.
FIRST: list[tuple[str, str, str, float]] = [
    ("contract-first-seconds", "e1", "active", 0),
    ("contract-first-weeks", "e1", "active", -3 * WEEK),
    ("payment-after-contract", "e1", "active", 0),
]
MESSAGES: list[tuple[str, str, str, str, float]] = [
    ("contact", "u-contact", "m1", f"text me at {PHONE}", 0),
    ("contract-first-seconds", "u-cfs", "m1", f"my number is {PHONE}", 5),
    ("contract-first-weeks", "u-cfw", "m1", f"my number is {PHONE}", 0),
    ("payment-after-contract", "u-pay", "m1", "skip the fees, I'll pay you via PayPal", 60),
    ("late-contract-seconds", "u-lcs", "m1", f"Send the weekly reports to {EMAIL}", 60),
    ("late-contract-weeks", "u-lcw", "m1", f"Send the weekly reports to {EMAIL}", 0),
    ("repeat", "u-repeat", "m1", f"call me on {PHONE}", 60),
    ("repeat", "u-repeat", "m2", f"call me on {PHONE}", 120),
    ("repeat", "u-repeat", "m3", f"call me on {PHONE}", 180),
    ("throttle", "u-asker", "m1", "send me your whatsapp number", 60),
    ("throttle", "u-asker", "m2", "send me your whatsapp number please", 120),
    ("split", "u-split", "m1", "415", 0),
    ("split", "u-split", "m2", "555", 10),
    ("split", "u-split", "m3", "2671", 20),
    ("old-flag", "u-old", "m1", f"Send the weekly reports to {EMAIL}", -40 * DAY),
    ("old-flag", "u-old", "m2", f"or call me on {PHONE}", 0),
]
LATE: list[tuple[str, str, str, float]] = [
    ("late-contract-seconds", "e1", "active", 55),
    ("late-contract-weeks", "e1", "active", -3 * WEEK),
    ("old-flag", "e1", "active", -50 * DAY),  # m1 is forgotten: 40 days behind m2
]

# (conversation, message, type, rule), as a multiset
EXPECTED = Counter(
    [
        ("contact", "m1", "violation", "contact_before_contract"),
        ("payment-after-contract", "m1", "violation", "off_platform_payment"),
        ("late-contract-seconds", "m1", "violation", "contact_before_contract"),
        ("late-contract-seconds", "m1", "retraction", "contact_before_contract"),
        ("late-contract-weeks", "m1", "violation", "contact_before_contract"),
        ("late-contract-weeks", "m1", "retraction", "contact_before_contract"),
        ("repeat", "m1", "violation", "contact_before_contract"),
        ("repeat", "m2", "violation", "contact_before_contract"),
        ("repeat", "m3", "violation", "contact_before_contract"),
        ("repeat", "m3", "violation", "repeat_offender"),
        ("throttle", "m1", "warning", "solicitation_before_contract"),
        ("split", "m3", "violation", "contact_before_contract"),
        ("old-flag", "m1", "violation", "contact_before_contract"),
        ("old-flag", "m2", "violation", "contact_before_contract"),
        ("old-flag", "m2", "retraction", "contact_before_contract"),
    ]
)
AGES = {"live": 0, "d60": 60, "d400": 400}


def _send_contracts(
    pipeline: Pipeline, events: list[tuple[str, str, str, float]], t0: dict[str, float]
) -> None:
    for tag, start in t0.items():
        for conversation, eid, state, offset in events:
            pipeline.send(
                "contract-events",
                contract(
                    f"{tag}-{eid}", f"{tag}-{conversation}", state, format_time(start + offset)
                ),
            )


def _wait_consumed(pipeline: Pipeline, topic: str, count: int) -> None:
    worker = pipeline.workers[-1]
    deadline = time.monotonic() + 60
    name = pipeline.settings.topic(topic)
    while pipeline.metric(worker, "opguard_records_consumed_total", topic=name) < count:
        assert time.monotonic() < deadline, f"the worker did not consume {count} from {topic}"
        time.sleep(0.3)


def _by_replay(records: list[dict[str, Any]]) -> dict[str, Counter[tuple[str, str, str, str]]]:
    runs: dict[str, Counter[tuple[str, str, str, str]]] = {tag: Counter() for tag in AGES}
    for event in events_of(records):
        tag, conversation = event["conversation_id"].split("-", 1)
        mid = event["message_id"].rsplit("-", 1)[1]
        runs[tag][(conversation, mid, event["type"], event["rule"])] += 1
    return runs


def test_backfills_60_and_400_days_old_give_the_live_decisions(pipeline: Pipeline) -> None:
    now = float(int(time.time()))
    t0 = {tag: now - days * DAY for tag, days in AGES.items()}
    pipeline.start_worker()

    _send_contracts(pipeline, FIRST, t0)
    _wait_consumed(pipeline, "contract-events", len(FIRST) * len(AGES))
    for tag, start in t0.items():
        for conversation, sender, mid, text, offset in MESSAGES:
            pipeline.send(
                "messages",
                message(
                    f"{tag}-{conversation}-{mid}",
                    f"{tag}-{conversation}",
                    text,
                    format_time(start + offset),
                    sender=f"{tag}-{sender}",
                ),
            )
    flags = sum(n for (_, _, kind, _), n in EXPECTED.items() if kind != "retraction")
    pipeline.outputs(lambda r: len(events_of(r)) >= flags * len(AGES))
    _send_contracts(pipeline, LATE, t0)
    pipeline.outputs(lambda r: len(events_of(r)) >= sum(EXPECTED.values()) * len(AGES))
    quiet_until = time.monotonic() + 5  # read on: anything extra would arrive now
    runs = _by_replay(pipeline.outputs(lambda r: time.monotonic() > quiet_until, timeout=30))

    assert runs["live"] == EXPECTED
    assert runs["d60"] == runs["live"]
    assert runs["d400"] == runs["live"]

"""Every output has a size bound, and the bounds are checked against the producer's and
the topics' limits (streams.limits, streams.records.dead_letter)."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import jsonschema
import orjson
import pytest

from streams.contract import MAX_EVENTS, ContractEvent, Timeline, to_record
from streams.detection.findings import Finding
from streams.events import MAX_EVENT_BYTES, MAX_FINDINGS_PER_EVENT, MessageContext, build_events
from streams.judge import judge_findings
from streams.limits import MAX_TABLE_VALUE_BYTES, Limits, limit_problems
from streams.models import encode
from streams.pipeline import MAX_FLAGGED_PER_CONVERSATION, MAX_PARTICIPANTS
from streams.policy import default_policy
from streams.records import dead_letter, dead_letter_max_bytes, load_schema

POLICY = default_policy()
DEAD_LETTER = jsonschema.Draft202012Validator(load_schema("dead-letters"))
EVENT = jsonschema.Draft202012Validator(load_schema("event"))
ID = "x" * 256  # ids at their schema maximum
KB = 1024

# (case, value size, key size, kept bytes, cut)
DEAD_LETTER_CASES = [
    ("an empty value", 0, 4, 0, False),
    ("a small record is kept whole", 300, 8, 300, False),
    ("exactly the preview size is kept whole", 64 * KB, 8, 64 * KB, False),
    ("a near-limit record keeps its first 64 KiB", 900 * KB, 8, 64 * KB, True),
    ("a 1 MiB record keeps its first 64 KiB", 1024 * KB, 5000, 64 * KB, True),
]


@pytest.mark.parametrize(
    ("size", "key_size", "kept", "cut"),
    [case[1:] for case in DEAD_LETTER_CASES],
    ids=[case[0] for case in DEAD_LETTER_CASES],
)
def test_dead_letters_are_bounded(size: int, key_size: int, kept: int, cut: bool) -> None:
    value = bytes(range(256)) * (size // 256) + b"\x00" * (size % 256)
    letter = dead_letter(
        "t" * 249,
        3,
        17,
        b"k" * key_size,
        value,
        "not_json",
        "\x01" * 2000,  # the worst error text: every character escaped
        "2026-11-21T09:00:00.000Z",
        max_value_bytes=64 * KB,
    )
    encoded = encode(letter)
    DEAD_LETTER.validate(orjson.loads(encoded))
    assert len(base64.b64decode(letter.value_base64)) == kept
    assert letter.value_truncated is cut
    assert letter.value_bytes == size
    assert letter.value_sha256 == hashlib.sha256(value).hexdigest()
    assert letter.key_truncated is (key_size > 1024)
    assert len(encoded) <= dead_letter_max_bytes(64 * KB)


def test_the_largest_event_fits_its_bound() -> None:
    findings = tuple(
        Finding("email", 300 * n, 300 * n + 200, f"{n}" + "\U0001f600" * 150 + "@x.com", "")
        for n in range(500)
    )
    judgement = judge_findings(findings, "none", POLICY)
    ctx = MessageContext(
        ID, ID, ID, "client", "2026-11-21T09:00:00.000+00:00", "none", (ID,) * 4, ID
    )
    events = build_events(judgement, ctx, POLICY, key=b"k", detected_at="2026-11-21T09:00:00Z")
    assert events
    for event in events:
        encoded = encode(event)
        EVENT.validate(orjson.loads(encoded))
        assert len(event.findings) <= MAX_FINDINGS_PER_EVENT
        assert event.findings_omitted > 0
        assert len(encoded) <= MAX_EVENT_BYTES


def test_the_largest_table_values_fit_their_bound() -> None:
    timeline = Timeline()
    for n in range(MAX_EVENTS + 10):
        timeline = timeline.with_event(ContractEvent(float(n), f"{n:0256}", ID, "active", True))
    flagged = [
        {
            "rule": "contact_before_contract",
            "severity": "critical",
            "conversation_id": ID,
            "message_id": ID,
            "sender_id": ID,
            "sender_role": "freelancer",
            "message_sent_at": "2026-11-21T09:00:00.000+00:00",
            "policy_version": "v" * 64,
            "related_message_ids": [ID] * POLICY.split_max_fragments,
            "event_id": "e" * 32,
            "sent_at_epoch": 1.0e9,
        }
    ] * MAX_FLAGGED_PER_CONVERSATION
    conversation: dict[str, Any] = {
        "fragments": {
            f"{n:0256}": [[ID, "9" * 60, 1.0e9]] * 4 for n in range(2 * MAX_PARTICIPANTS)
        },
        "participants": {role: [ID] * MAX_PARTICIPANTS for role in ("client", "freelancer")},
    }
    for value in (to_record(timeline), flagged, conversation):
        assert len(orjson.dumps(value)) <= MAX_TABLE_VALUE_BYTES


def _limits(preview: int = 64 * KB, request: int = 1_000_000, **topics: int) -> Limits:
    kinds = {"t-violations": "events", "t-dead-letters": "dead-letters", "c-changelog": "changelog"}
    return Limits(
        max_record_bytes=1_048_576,
        dead_letter_value_bytes=preview,
        producer_max_request_bytes=request,
        topics={
            name: (kind, topics.get(kind.replace("-", "_"), 1_048_588))
            for name, kind in kinds.items()
        },
    )


# (case, limits, the settings or topics the problems name)
LIMIT_CASES = [
    ("the shipped defaults agree", _limits(), []),
    (
        "a preview too big for the producer and the topic",
        _limits(preview=900 * KB),
        ["OPGUARD_PRODUCER_MAX_REQUEST_BYTES", "t-dead-letters"],
    ),
    (
        "a producer limit below an event",
        _limits(request=32 * KB),
        ["OPGUARD_PRODUCER_MAX_REQUEST_BYTES"] * 3,
    ),
    (
        "a dead-letter topic that refuses a dead letter",
        _limits(dead_letters=50_000),
        ["t-dead-letters"],
    ),
    ("an events topic that refuses an event", _limits(events=1000), ["t-violations"]),
    ("a changelog that refuses a table value", _limits(changelog=100_000), ["c-changelog"]),
]


@pytest.mark.parametrize(
    ("limits", "named"), [case[1:] for case in LIMIT_CASES], ids=[case[0] for case in LIMIT_CASES]
)
def test_limits_that_disagree_are_named(limits: Limits, named: list[str]) -> None:
    problems = limit_problems(limits)
    assert len(problems) == len(named)
    for problem, name in zip(problems, named, strict=True):
        assert name in problem

"""Every output kind, built by the pure core, encodes to JSON that its schema in
``schemas/`` accepts, with the keys in their order and optional fields as consumers know
them, and decodes back to the same typed value (streams.models)."""

from __future__ import annotations

import dataclasses
from typing import Any

import jsonschema
import orjson
import pytest

from streams.detection.findings import Finding
from streams.events import (
    MessageContext,
    build_events,
    event_id,
    flagged_entry,
    repeat_offender,
    retraction,
)
from streams.judge import judge_findings
from streams.models import (
    DeadLetter,
    EventFinding,
    OutputValue,
    ViolationEvent,
    encode,
)
from streams.policy import default_policy
from streams.records import dead_letter, load_schema

POLICY = default_policy()
KEY = b"test-key"
DETECTED = "2026-11-21T10:00:01.000Z"
SCHEMAS = {
    kind: jsonschema.Draft202012Validator(
        load_schema(kind), format_checker=jsonschema.FormatChecker()
    )
    for kind in ("event", "dead-letters")
}

PHONE = Finding("phone", 8, 23, "+14155552671", "")
ASK = Finding("contact_request", 0, 12, "contact_request:ask", "")
SCAM = (
    Finding("messaging_link", 0, 14, "t.me/pm_emma_hr", ""),
    Finding("personal_info_request", 20, 40, "personal_info_request:full_name", ""),
)
MANY = tuple(Finding("email", 30 * n, 30 * n + 20, f"jon{n}@example.com", "") for n in range(60))


def context(role: str = "client", recipient: str | None = "u-2") -> MessageContext:
    return MessageContext(
        "m-1", "c-1", "u-1", role, "2026-11-21T10:00:00Z", "none", ("m-0",), recipient
    )


def event(
    findings: tuple[Finding, ...], kind: str, rule: str, ctx: MessageContext | None = None
) -> Any:
    """The one event of ``kind`` and ``rule`` that a message with ``findings`` gets."""
    judgement = judge_findings(findings, "none", POLICY)
    built = build_events(judgement, ctx or context(), POLICY, key=KEY, detected_at=DETECTED)
    (found,) = (e for e in built if (e.type, e.rule) == (kind, rule))
    return found


def the_violation() -> ViolationEvent:
    violation: ViolationEvent = event((PHONE,), "violation", "contact_before_contract")
    return violation


SHARED = [
    "conversation_id",
    "message_id",
    "sender_id",
    "sender_role",
    "contract_phase",
    "message_sent_at",
    "detected_at",
    "policy_version",
    "related_message_ids",
    "event_id",
    "type",
    "rule",
    "severity",
    "findings",
]
WARNING = [*SHARED, "recipient_id", "recipient_role", "notice"]
RETRACTION = [
    "rule",
    "severity",
    "conversation_id",
    "message_id",
    "sender_id",
    "sender_role",
    "message_sent_at",
    "policy_version",
    "related_message_ids",
    "event_id",
    "type",
    "retracts",
    "contract_phase",
    "detected_at",
    "reason",
    "findings",
]
DEAD_LETTER = [
    "source_topic",
    "partition",
    "offset",
    "reason",
    "error",
    "key_base64",
    "key_truncated",
    "value_bytes",
    "value_sha256",
    "value_base64",
    "value_truncated",
    "received_at",
]


def letter(key: bytes | None, value: bytes | None) -> DeadLetter:
    return dead_letter(
        "messages", 3, 17, key, value, "not_json", "not JSON: é", DETECTED, max_value_bytes=4
    )


# (case, output, schema, its JSON keys in order, the parts of its event id or None,
#  fields it must have with these JSON values)
CASES: list[tuple[str, Any, str, list[str], tuple[str, ...] | None, dict[str, Any]]] = [
    (
        "a violation",
        the_violation,
        "event",
        SHARED,
        ("m-1", "contact_before_contract"),
        {"type": "violation", "related_message_ids": ["m-0"]},
    ),
    (
        "a violation with more findings than it lists",
        lambda: event(MANY, "violation", "contact_before_contract"),
        "event",
        [*SHARED, "findings_omitted"],
        ("m-1", "contact_before_contract"),
        {"findings_omitted": 10},
    ),
    (
        "a solicitation warning goes to its sender",
        lambda: event((ASK,), "warning", "solicitation_before_contract"),
        "event",
        WARNING,
        ("m-1", "solicitation_before_contract"),
        {"type": "warning", "recipient_id": "u-1", "recipient_role": "client"},
    ),
    (
        "a scam's violation",
        lambda: event(SCAM, "violation", "scam_pattern"),
        "event",
        SHARED,
        ("m-1", "scam_pattern"),
        {"type": "violation", "rule": "scam_pattern"},
    ),
    (
        "a scam's warning to the other party",
        lambda: event(SCAM, "warning", "scam_pattern"),
        "event",
        WARNING,
        ("m-1", "scam_pattern", "recipient"),
        {
            "recipient_id": "u-2",
            "recipient_role": "freelancer",
            "notice": "possible_scam_keep_on_platform",
        },
    ),
    (
        "a scam's warning to a recipient not yet known: null",
        lambda: event(SCAM, "warning", "scam_pattern", context(recipient=None)),
        "event",
        WARNING,
        ("m-1", "scam_pattern", "recipient"),
        {"recipient_id": None, "recipient_role": "freelancer"},
    ),
    (
        "a scam's warning from a system sender: no role to warn, null",
        lambda: event(SCAM, "warning", "scam_pattern", context("system", None)),
        "event",
        WARNING,
        ("m-1", "scam_pattern", "recipient"),
        {"recipient_id": None, "recipient_role": None},
    ),
    (
        "a repeat offender's violation",
        lambda: repeat_offender(event(MANY, "violation", "contact_before_contract"), POLICY),
        "event",
        SHARED,
        ("m-1", "repeat_offender"),
        {"rule": "repeat_offender", "severity": "critical", "findings": []},
    ),
    (
        "a retraction",
        lambda: retraction(flagged_entry(the_violation(), 0.0), "active", DETECTED),
        "event",
        RETRACTION,
        (the_violation().event_id, "retraction"),
        {
            "type": "retraction",
            "retracts": the_violation().event_id,
            "contract_phase": "active",
            "findings": [],
        },
    ),
    (
        "a dead letter",
        lambda: letter(b"c-1", b"not json {"),
        "dead-letters",
        DEAD_LETTER,
        None,
        {"key_base64": "Yy0x", "value_base64": "bm90IA==", "value_truncated": True},
    ),
    (
        "a dead letter of a record with no key or value: a null key",
        lambda: letter(None, None),
        "dead-letters",
        DEAD_LETTER,
        None,
        {"key_base64": None, "key_truncated": False, "value_bytes": 0, "value_truncated": False},
    ),
]


@pytest.mark.parametrize(
    ("build", "schema", "keys", "id_parts", "values"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_outputs_encode_to_their_schema(
    build: Any,
    schema: str,
    keys: list[str],
    id_parts: tuple[str, ...] | None,
    values: dict[str, Any],
) -> None:
    value = build()
    data = orjson.loads(encode(value))
    SCHEMAS[schema].validate(data)
    assert list(data) == keys
    assert {name: data[name] for name in values} == values
    if id_parts is not None:
        assert data["event_id"] == event_id(*id_parts)


def decode(cls: type[Any], value: bytes) -> Any:
    """A typed value back from its JSON (what a consumer in Python would do)."""
    data = orjson.loads(value)
    if "findings" in data:
        data["findings"] = tuple(EventFinding(**f) for f in data["findings"])
    if "related_message_ids" in data:
        data["related_message_ids"] = tuple(data["related_message_ids"])
    return cls(**data)


@pytest.mark.parametrize("build", [case[1] for case in CASES], ids=[case[0] for case in CASES])
def test_outputs_round_trip(build: Any) -> None:
    value: OutputValue = build()
    encoded = encode(value)
    assert decode(type(value), encoded) == value
    assert encode(decode(type(value), encoded)) == encoded


def test_the_encoding_is_compact_utf8_json() -> None:
    violation = ViolationEvent(
        conversation_id="c-1",
        message_id="m-1",
        sender_id="u-1",
        sender_role="client",
        contract_phase="none",
        message_sent_at="2026-11-21T10:00:00Z",
        detected_at=DETECTED,
        policy_version="upwork-1",
        event_id="0" * 32,
        rule="contact_before_contract",
        severity="high",
        findings=(
            EventFinding(kind="phone", start=0, end=9, redacted="+1 ••• 42", fingerprint=None),
        ),
    )
    assert (
        encode(violation)
        == (
            '{"conversation_id":"c-1","message_id":"m-1","sender_id":"u-1","sender_role":"client",'
            '"contract_phase":"none","message_sent_at":"2026-11-21T10:00:00Z",'
            '"detected_at":"2026-11-21T10:00:01.000Z","policy_version":"upwork-1",'
            '"related_message_ids":[],"event_id":"00000000000000000000000000000000",'
            '"type":"violation","rule":"contact_before_contract","severity":"high","findings":'
            '[{"kind":"phone","start":0,"end":9,"redacted":"+1 ••• 42","fingerprint":null}]}'
        ).encode()
    )


@pytest.mark.parametrize("build", [case[1] for case in CASES], ids=[case[0] for case in CASES])
def test_outputs_are_frozen_and_slotted(build: Any) -> None:
    value = build()
    assert not hasattr(value, "__dict__")
    first = dataclasses.fields(value)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(value, first, "changed")

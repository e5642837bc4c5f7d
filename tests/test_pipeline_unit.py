"""What the worker does with one record, without a broker (streams.pipeline, events)."""

from __future__ import annotations

from typing import Any

import jsonschema
import orjson
import pytest

from streams.contract import ContractEvent, Timeline
from streams.detection.findings import Finding
from streams.events import event_id, fingerprint
from streams.models import Event, WarningEvent, encode
from streams.pipeline import (
    apply_contract_event,
    conversation_state,
    judge_message,
    remember_flagged,
    with_participant,
)
from streams.policy import default_policy
from streams.records import BadRecord, decode, load_schema, parse_time

POLICY = default_policy()
KEY = b"test-key"
EVENT_SCHEMA = jsonschema.Draft202012Validator(
    load_schema("event"), format_checker=jsonschema.FormatChecker()
)


def check_schema(event: Event) -> bytes:
    """The event as produced, validated against its topic's schema."""
    value = encode(event)
    EVENT_SCHEMA.validate(orjson.loads(value))
    return value


def record(
    mid: str,
    text: str,
    sent_at: str = "2026-11-21T10:00:00Z",
    sender: str = "u-1",
    role: str = "client",
) -> dict[str, Any]:
    data = {
        "message_id": mid,
        "conversation_id": "c-1",
        "sender_id": sender,
        "sender_role": role,
        "text": text,
        "sent_at": sent_at,
    }
    data["_epoch"] = parse_time(sent_at)
    return data


def active_since(hour: int) -> Timeline:
    return Timeline().with_event(
        ContractEvent(parse_time(f"2026-11-21T{hour:02}:00:00Z"), "e1", "k1", "active")
    )


# (text, timeline, expected (type, rule) pairs)
CASES = [
    ("call me at +1 415 555 2671", Timeline(), {("violation", "contact_before_contract")}),
    ("call me at +1 415 555 2671", active_since(9), set()),
    ("call me at +1 415 555 2671", active_since(11), {("violation", "contact_before_contract")}),
    ("Budget is $1,500, deadline 2026-12-15, Python 3.12", Timeline(), set()),
    ("send me your whatsapp number", Timeline(), {("warning", "solicitation_before_contract")}),
    (
        "skip the fees, I'll pay you via PayPal",
        active_since(9),
        {("violation", "off_platform_payment")},
    ),
]


@pytest.mark.parametrize(("text", "timeline", "expected"), CASES)
def test_judge_message(text: str, timeline: Timeline, expected: set[tuple[str, str]]) -> None:
    outcome = judge_message(
        record("m-1", text),
        timeline,
        conversation_state(None),
        POLICY,
        key=KEY,
        detected_at=parse_time("2026-11-21T10:00:01Z"),
    )
    assert {(e.type, e.rule) for e in outcome.events} == expected
    for event in outcome.events:
        value = check_schema(event)
        assert b"5552671" not in value and b"555 2671" not in value


# Details split over consecutive messages of one sender: (pieces, the flagged messages
# as (message, related messages)).
SPLIT_CASES = [
    (["415", "555", "2671"], {("m-2", ("m-0", "m-1"))}),
    (
        ["ok my number is nine one seven", "four eight two", "zero one four two"],
        {("m-2", ("m-0", "m-1"))},
    ),
    (["call me", "nine one seven four eight two", "zero one four two"], {("m-2", ("m-1",))}),
    (
        ["sure! my personal email is johnsmith", "at gmail", "dot com"],
        {("m-1", ("m-0",)), ("m-2", ("m-0", "m-1"))},
    ),
    (["the budget is 500", "and 300 for design", "ok?"], set()),
    (["thanks!", "see you tomorrow", "bye"], set()),
]


@pytest.mark.parametrize(("pieces", "flagged"), SPLIT_CASES)
def test_split_detail_over_messages(
    pieces: list[str], flagged: set[tuple[str, tuple[str, ...]]]
) -> None:
    state = conversation_state(None)
    found = set()
    for n, piece in enumerate(pieces):
        outcome = judge_message(
            record(f"m-{n}", piece, f"2026-11-21T10:00:0{n}Z"),
            Timeline(),
            state,
            POLICY,
            key=KEY,
            detected_at=parse_time("2026-11-21T10:00:05Z"),
        )
        if outcome.fragments is not None:
            state["fragments"]["u-1"] = outcome.fragments
        found |= {
            (event.message_id, event.related_message_ids)
            for event in outcome.events
            if event.rule == "contact_before_contract"
        }
    assert found == flagged


def test_late_contract_event_retracts_flagged_message() -> None:
    now = parse_time("2026-11-21T10:06:00Z")
    outcome = judge_message(
        record("m-1", "mail me: jon.harlow88@gmail.com", "2026-11-21T10:05:00Z"),
        Timeline(),
        conversation_state(None),
        POLICY,
        key=KEY,
        detected_at=now,
    )
    flagged = remember_flagged([], outcome.flagged)
    late = ContractEvent(parse_time("2026-11-21T10:00:00Z"), "e1", "k1", "active")
    _, retractions, remaining = apply_contract_event(
        Timeline(), flagged, late, POLICY, detected_at=now
    )
    (retraction,) = retractions
    assert retraction.retracts == outcome.events[0].event_id
    assert (retraction.type, retraction.contract_phase, remaining) == ("retraction", "active", [])
    check_schema(retraction)
    # A contract that starts after the message retracts nothing.
    later = ContractEvent(parse_time("2026-11-21T11:00:00Z"), "e2", "k1", "active")
    _, none, kept = apply_contract_event(Timeline(), flagged, later, POLICY, detected_at=now)
    assert (none, kept) == ([], flagged)


def test_event_ids_and_fingerprints_are_deterministic() -> None:
    assert event_id("m-1", "contact_before_contract") == event_id("m-1", "contact_before_contract")
    assert event_id("m-1", "contact_before_contract") != event_id("m-2", "contact_before_contract")
    phone = Finding("phone", 0, 10, "+14155552671", "")
    assert fingerprint(KEY, phone) == fingerprint(KEY, phone)
    assert fingerprint(KEY, phone) != fingerprint(b"other-key", phone)
    assert fingerprint(KEY, Finding("contact_request", 0, 5, "contact_request:ask", "")) is None


def test_participants_name_the_warning_recipient() -> None:
    state = conversation_state(None)
    people = with_participant(
        state["participants"], record("m-0", "hi", sender="u-free", role="freelancer")
    )
    assert people == {"freelancer": ["u-free"]}
    assert with_participant(people, record("m-1", "hi", sender="u-free", role="freelancer")) is None
    state["participants"] = people
    outcome = judge_message(
        record("m-2", "Talk on Telegram: t.me/pm_emma_hr, send your full name and address"),
        Timeline(),
        state,
        POLICY,
        key=KEY,
        detected_at=parse_time("2026-11-21T10:00:01Z"),
    )
    warnings = [e for e in outcome.events if isinstance(e, WarningEvent)]
    assert [w.recipient_id for w in warnings] == ["u-free"]


# (raw bytes, dead-letter reason)
BAD = [
    (b"not json {", "not_json"),
    (b"\xff\xfe", "not_utf8"),
    (b'{"message_id": "m"}', "schema_mismatch"),
    (
        b'{"message_id": "m", "conversation_id": "c", "sender_id": "u", "sender_role": "client",'
        b' "text": "x", "sent_at": "yesterday"}',
        "schema_mismatch",
    ),
    (b"x" * 2000, "oversized"),
    (None, "schema_mismatch"),
]


@pytest.mark.parametrize(("value", "reason"), BAD)
def test_bad_records_have_a_reason(value: bytes | None, reason: str) -> None:
    with pytest.raises(BadRecord) as caught:
        decode("messages", value, max_bytes=1000)
    assert caught.value.reason == reason

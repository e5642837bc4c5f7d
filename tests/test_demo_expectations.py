"""The demo's reading of ``expect`` notes, and when an expectation counts as met."""

from __future__ import annotations

import base64

import pytest
from opguard_tools.demo.expectations import ExpectationError, expectations_for
from opguard_tools.replay import parse_lines

V3 = {"type": "violation", "rule": "contact_before_contract", "message_id": "m-3", "event_id": "v3"}
SPLIT = {
    "type": "violation",
    "rule": "contact_before_contract",
    "message_id": "m-5",
    "related_message_ids": ["m-3", "m-4"],
    "event_id": "v5",
}
W3 = {
    "type": "warning",
    "rule": "solicitation_before_contract",
    "message_id": "m-3",
    "event_id": "w3",
}
R3 = {
    "type": "retraction",
    "rule": "contact_before_contract",
    "message_id": "m-3",
    "conversation_id": "c-1",
    "retracts": "v3",
}
DEAD = {
    "source_topic": "messages",
    "reason": "not_json",
    "value_base64": base64.b64encode(b"not json {").decode(),
}
MSG = '{"message_id": "m-3", "conversation_id": "c-1", "text": "t", "expect": "%s"}'


@pytest.mark.parametrize(
    ("line", "events", "met"),
    [
        (MSG % "allow", [], [True]),
        (MSG % "allow (contract ended)", [V3], [False]),
        (MSG % "allow", [V3, R3], [True]),  # judged before a late contract event, retracted
        (MSG % "allow", [SPLIT], [True]),  # only related: the event is about m-5
        (MSG % "violation contact_before_contract", [V3], [True]),
        (MSG % "violation contact_before_contract", [W3], [False]),
        (MSG % "violation contact_before_contract (with the next two)", [SPLIT], [True]),
        (MSG % "violation contact_before_contract related_message_ids", [V3], [False]),
        (MSG % "violation contact_before_contract related_message_ids", [SPLIT], [True]),
        (MSG % "violation off_platform_payment scam_pattern", [V3], [False, False]),
        (MSG % "warning solicitation_before_contract", [W3], [True, True]),
        (MSG % "warning solicitation_before_contract", [W3, V3], [True, False]),
        (MSG % "violation contact_before_contract (then retracted)", [V3], [True, False]),
        (MSG % "violation contact_before_contract (then retracted)", [V3, R3], [True, True]),
        ('{"event_id": "e-1", "conversation_id": "c-1", "state": "active", '
         '"expect": "retraction of the 10:05 violation"}', [R3], [True]),
        ('{"raw": "not json {", "expect": "dead letter (not JSON)"}', [DEAD], [True]),
        ('{"raw": "other", "expect": "dead letter"}', [DEAD], [False]),
        (MSG.replace(', "expect": "%s"', ""), [V3], []),  # no note, no expectation
    ],
)  # fmt: skip
def test_expectations(line: str, events: list[dict[str, object]], met: list[bool]) -> None:
    (record,) = parse_lines([line])
    assert [e.met(events) for e in expectations_for(record)] == met


@pytest.mark.parametrize(
    "note",
    ["maybe", "violation", "violation no_such_rule", "warning", ""],
)
def test_unreadable_notes_are_errors(note: str) -> None:
    (record,) = parse_lines([MSG % note])
    with pytest.raises(ExpectationError, match="line 1"):
        expectations_for(record)

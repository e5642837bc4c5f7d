"""What the demo expects from the worker, read from the scenarios' ``expect`` notes.

A note starts with a decision and may name rules and add notes in parentheses:

- ``allow (…)``: no violation or warning about this message;
- ``violation RULE… [related_message_ids] (…)``: a violation for each RULE that is about
  this message (its ``message_id``, or one of its ``related_message_ids`` when a detail
  is split across messages); ``related_message_ids`` asks for a non-empty list;
  ``(then retracted)`` also asks for a retraction of this message's violation;
- ``warning RULE…``: a warning for each RULE and no violation;
- ``retraction …`` (on a contract event): a retraction in that conversation;
- ``dead letter (…)``: a dead letter carrying exactly the bytes that were sent.

Extra events on a flagged message (``repeat_offender`` once a sender's strikes add up)
do not fail an expectation: they are shown, and the decision is what is checked.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from opguard_tools.replay import ReplayRecord
from streams.policy import RULES

Event = dict[str, Any]
_NOTES = re.compile(r"\(([^)]*)\)")
FLAGS = ("violation", "warning")


class ExpectationError(ValueError):
    """An ``expect`` note the demo cannot read; names the replay line."""


def _about(event: Event, message_id: str) -> bool:
    related = event.get("related_message_ids") or []
    return event.get("message_id") == message_id or message_id in related


@dataclass(frozen=True, slots=True)
class Flagged:
    """A violation or warning for ``rule`` about the message."""

    message_id: str
    type: str
    rule: str
    needs_related: bool = False

    @property
    def label(self) -> str:
        related = " with related_message_ids" if self.needs_related else ""
        return f"{self.message_id}: {self.type} {self.rule}{related}"

    def met(self, events: Sequence[Event]) -> bool:
        return any(
            e.get("type") == self.type
            and e.get("rule") == self.rule
            and _about(e, self.message_id)
            and (e.get("related_message_ids") or not self.needs_related)
            for e in events
        )


@dataclass(frozen=True, slots=True)
class Unflagged:
    """No event of the given types about the message (its own ``message_id``), apart
    from ones later retracted: the phase at ``sent_at`` decides, so a message judged
    before its contract event arrived is flagged and then retracted, which is correct."""

    message_id: str
    types: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.message_id}: no {' or '.join(self.types)}"

    def met(self, events: Sequence[Event]) -> bool:
        retracted = {e.get("retracts") for e in events if e.get("type") == "retraction"}
        return not any(
            e.get("type") in self.types
            and e.get("message_id") == self.message_id
            and e.get("event_id") not in retracted
            for e in events
        )


@dataclass(frozen=True, slots=True)
class Retracted:
    """A retraction naming one of the message's violations in ``retracts``."""

    message_id: str

    @property
    def label(self) -> str:
        return f"{self.message_id}: violation retracted"

    def met(self, events: Sequence[Event]) -> bool:
        flagged = {
            e.get("event_id")
            for e in events
            if e.get("type") == "violation" and e.get("message_id") == self.message_id
        }
        return any(
            e.get("type") == "retraction"
            and e.get("message_id") == self.message_id
            and e.get("retracts") in flagged
            for e in events
        )


@dataclass(frozen=True, slots=True)
class RetractionIn:
    """Some retraction in the conversation (a late contract event's consequence)."""

    conversation_id: str

    @property
    def label(self) -> str:
        return f"{self.conversation_id}: a retraction"

    def met(self, events: Sequence[Event]) -> bool:
        return any(
            e.get("type") == "retraction" and e.get("conversation_id") == self.conversation_id
            for e in events
        )


@dataclass(frozen=True, slots=True)
class DeadLettered:
    """A dead letter whose ``value_base64`` is exactly the bytes sent."""

    line: int
    value: bytes

    @property
    def label(self) -> str:
        return f"line {self.line}: dead letter"

    def met(self, events: Sequence[Event]) -> bool:
        return any(dead_letter_value(e) == self.value for e in events)


Expectation = Flagged | Unflagged | Retracted | RetractionIn | DeadLettered


def dead_letter_value(event: Event) -> bytes | None:
    """The original bytes of a dead letter (None for other events)."""
    encoded = event.get("value_base64")
    if "source_topic" not in event or not isinstance(encoded, str):
        return None
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        return None


def expectations_for(record: ReplayRecord) -> list[Expectation]:
    """What the worker must do with one replayed record, from its ``expect`` note."""
    if record.expect is None:
        return []
    notes = [note.strip() for note in _NOTES.findall(record.expect)]
    words = _NOTES.sub(" ", record.expect).split()
    payload = record.payload or {}
    where = f"line {record.line}: expect {record.expect!r}"
    if words[:2] == ["dead", "letter"]:
        return [DeadLettered(record.line, record.value)]
    if words[:1] == ["retraction"]:
        return [RetractionIn(_text(payload, "conversation_id", where))]
    if not words or words[0] not in ("allow", *FLAGS):
        raise ExpectationError(
            f"{where}: starts with neither allow, violation, warning, retraction nor dead letter"
        )
    message_id = _text(payload, "message_id", where)
    decision, rest = words[0], words[1:]
    if decision == "allow":
        return [Unflagged(message_id, FLAGS)]
    needs_related = "related_message_ids" in rest
    rules = [word for word in rest if word != "related_message_ids"]
    unknown = [rule for rule in rules if rule not in RULES]
    if unknown or not rules:
        raise ExpectationError(f"{where}: names no rule or an unknown one {unknown}")
    expected: list[Expectation] = [
        Flagged(message_id, decision, rule, needs_related) for rule in rules
    ]
    if decision == "warning":
        expected.append(Unflagged(message_id, ("violation",)))
    if "then retracted" in notes:
        expected.append(Retracted(message_id))
    return expected


def _text(payload: dict[str, Any], field: str, where: str) -> str:
    value = payload.get(field)
    if not isinstance(value, str):
        raise ExpectationError(f"{where}: the record has no {field}")
    return value


def positive(expectations: Sequence[Expectation]) -> list[Expectation]:
    """The expectations that wait for an event to arrive (not the absence of one)."""
    return [e for e in expectations if not isinstance(e, Unflagged)]

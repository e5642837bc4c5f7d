"""The output records as typed values, and their one encoding (pure).

Every value the worker produces is one of these: a ``ViolationEvent`` (a rule's
violation, ``repeat_offender`` included), a ``WarningEvent``, a ``RetractionEvent``
(on ``violations``) or a ``DeadLetter``; each event lists its findings as
``EventFinding``.  The pure core (``streams.events``, ``streams.pipeline``,
``streams.records``) builds and passes them; ``encode`` turns one into JSON bytes where
it is produced (``OpguardApp.produce``).  A class's fields are its JSON object's keys,
in the same order, so what the worker writes is what ``schemas/`` describes
(``tests/test_models.py`` checks every kind against its schema and back).

Frozen dataclasses with slots, encoded by orjson, which serializes them natively
(nested findings and tuples included): no new dependency.  msgspec's ``Struct`` would
give ``omit_defaults`` and typed decoding, but the one field left out of the JSON when
it has nothing to say (``findings_omitted``) is a line of ``encode``, and decoding
outputs is only the tests' business.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Literal

import orjson


@dataclass(frozen=True, slots=True, kw_only=True)
class EventFinding:
    """A detail as an event lists it: its span and kind, never its value."""

    kind: str
    start: int
    end: int
    #: the detail masked ("+1 917 ••• ••42")
    redacted: str
    #: keyed hash of the detail, to correlate it across accounts; None for intents
    fingerprint: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class _RuleEvent:
    """What a violation and a warning about one message say, in their JSON order."""

    conversation_id: str
    message_id: str
    sender_id: str
    sender_role: str
    contract_phase: str
    message_sent_at: str
    detected_at: str
    policy_version: str
    related_message_ids: tuple[str, ...] = ()
    event_id: str
    type: Literal["violation", "warning"]
    rule: str
    severity: str
    findings: tuple[EventFinding, ...] = ()
    #: findings beyond those listed; left out of the JSON when 0 (the schema's minimum is 1)
    findings_omitted: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class ViolationEvent(_RuleEvent):
    type: Literal["violation"] = "violation"


@dataclass(frozen=True, slots=True, kw_only=True)
class WarningEvent(_RuleEvent):
    """A warning names who to notify (None when the conversation has not shown them
    yet: JSON null) and the notice template."""

    type: Literal["warning"] = "warning"
    recipient_id: str | None
    recipient_role: str | None
    notice: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RetractionEvent:
    """A flagged message was in fact sent under a contract: ``retracts`` names the event."""

    rule: str
    severity: str
    conversation_id: str
    message_id: str
    sender_id: str
    sender_role: str
    message_sent_at: str
    policy_version: str
    related_message_ids: tuple[str, ...] = ()
    event_id: str
    type: Literal["retraction"] = "retraction"
    retracts: str
    contract_phase: str
    detected_at: str
    reason: str
    findings: tuple[EventFinding, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class DeadLetter:
    """An input record that could not be processed, bounded (``streams.records``)."""

    source_topic: str
    partition: int
    offset: int
    reason: str
    error: str
    key_base64: str | None
    key_truncated: bool
    value_bytes: int
    value_sha256: str
    value_base64: str
    value_truncated: bool
    received_at: str


#: The events about one judged message.
MessageEvent = ViolationEvent | WarningEvent
#: What goes to the ``violations`` and ``warnings`` topics.
Event = ViolationEvent | WarningEvent | RetractionEvent
#: Every value the worker produces.
OutputValue = Event | DeadLetter


def encode(value: OutputValue) -> bytes:
    """An output record's value as UTF-8 JSON: the class's fields in order, less a
    ``findings_omitted`` of 0."""
    if isinstance(value, _RuleEvent) and not value.findings_omitted:
        return orjson.dumps({name: getattr(value, name) for name in _FIELDS[type(value)]})
    return orjson.dumps(value)


_FIELDS = {
    cls: tuple(f.name for f in fields(cls) if f.name != "findings_omitted")
    for cls in (ViolationEvent, WarningEvent)
}

"""What the worker does with one record, as plain functions over plain data.

The Faust agents (``streams/app.py``) read table values, call these, then write tables,
talk to Redis and produce what these return.  No Kafka, Redis or clock in here: every
window and retention is measured in event time (the records' ``sent_at`` and
``occurred_at``), and the one wall-clock value, ``detected_at``, comes in as an
argument, so a backfill gives the same decisions as live processing
(``tests/test_event_time.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from streams.claims import Notice, Strike
from streams.contract import CONTRACT_PHASES, ContractEvent, Timeline
from streams.detection.split import MAX_FRAGMENT_CHARS, Fragment, find_split_detail
from streams.events import (
    RETRACTABLE_RULES,
    MessageContext,
    build_events,
    event_id,
    flagged_entry,
    retraction,
)
from streams.judge import judge, judge_findings, phone_regions
from streams.policy.model import Policy
from streams.records import format_time

#: At most this many retractable events are remembered per conversation.
MAX_FLAGGED_PER_CONVERSATION = 50
#: Remembered events sent this long before the conversation's newest remembered one are
#: forgotten (event time: the conversation's own stream time, never the wall clock).
FLAGGED_RETENTION_SECONDS = 30 * 24 * 3600.0
#: Participants remembered per conversation (to address warnings to the other party).
MAX_PARTICIPANTS = 8


@dataclass(slots=True)
class MessageOutcome:
    phase: str
    decision: str
    events: list[dict[str, Any]]
    #: New value of the sender's fragment buffer, or None when it did not change.
    fragments: list[list[Any]] | None
    #: Entries to remember for later retraction.
    flagged: list[dict[str, Any]] = field(default_factory=list)
    #: The message's violation events (strikes against the sender), if any.
    violations: list[dict[str, Any]] = field(default_factory=list)


def conversation_state(value: Any) -> dict[str, Any]:
    """The per-conversation record of the ``conversations`` table (fragments, people)."""
    if isinstance(value, dict):
        return value
    return {"fragments": {}, "participants": {}}


def _recent_fragments(
    buffer: Sequence[Sequence[Any]], sent_at: float, policy: Policy
) -> list[Fragment]:
    horizon = sent_at - policy.split_window_seconds
    return [Fragment(str(m), str(t)) for m, t, at in buffer if horizon <= float(at) <= sent_at]


def _could_be_fragment(text: str) -> bool:
    """Whether a message may be a piece of a split detail, so worth buffering: short, and
    with a digit, an at-sign, or only a few words ("917", "john.doe", "at gmail").
    Keeping the buffer to these keeps table writes (and changelog traffic) rare."""
    stripped = text.strip()
    if len(stripped) > MAX_FRAGMENT_CHARS:
        return False
    return "@" in stripped or any(c.isdigit() for c in stripped) or len(stripped.split()) <= 4


def judge_message(
    record: dict[str, Any],
    timeline: Timeline,
    state: dict[str, Any],
    policy: Policy,
    *,
    key: bytes,
    detected_at: float,
) -> MessageOutcome:
    """Judge one validated message by the phase at its ``sent_at``."""
    sent_at: float = record["_epoch"]
    phase = timeline.phase_at(sent_at, require_escrow_funded=policy.require_escrow_funded)
    text: str = record["text"]
    country = record.get("sender_country")
    sender = record["sender_id"]
    judgement = judge(text, phase, policy, country)

    related: tuple[str, ...] = ()
    fragments_value: list[list[Any]] | None = None
    buffer = state["fragments"].get(sender, [])
    if policy.split_max_fragments > 0 and _could_be_fragment(text):
        previous = _recent_fragments(buffer, sent_at, policy)
        if previous:
            split = find_split_detail(
                previous,
                Fragment(record["message_id"], text),
                phone_regions(policy, country),
                policy.split_max_fragments,
            )
            if split is not None:
                related = tuple(m for m in split.message_ids if m != record["message_id"])
                judgement = judge_findings(
                    (*judgement.findings, *split.findings),
                    phase,
                    policy,
                )
        horizon = sent_at - policy.split_window_seconds
        kept = [f for f in buffer if float(f[2]) >= horizon]
        fragments_value = [*kept, [record["message_id"], text, sent_at]]
        fragments_value = fragments_value[-policy.split_max_fragments :]
    elif buffer:
        fragments_value = []  # a full message ends a run of fragments

    recipient = _other_participant(state, record)
    ctx = MessageContext(
        message_id=record["message_id"],
        conversation_id=record["conversation_id"],
        sender_id=sender,
        sender_role=record["sender_role"],
        sent_at=record["sent_at"],
        contract_phase=phase,
        related_message_ids=related,
        recipient_id=recipient,
    )
    events = (
        build_events(judgement, ctx, policy, key=key, detected_at=format_time(detected_at))
        if judgement.rules
        else []
    )
    outcome = MessageOutcome(phase, judgement.decision, events, fragments_value)
    for event in events:
        if event["type"] == "violation":
            outcome.violations.append(event)
        if event["rule"] in RETRACTABLE_RULES:
            outcome.flagged.append(flagged_entry(event, sent_at))
    return outcome


def _other_participant(state: dict[str, Any], record: dict[str, Any]) -> str | None:
    role = {"client": "freelancer", "freelancer": "client"}.get(record["sender_role"])
    people = state["participants"].get(role or "", [])
    return str(people[-1]) if people else None


def note_participant(state: dict[str, Any], record: dict[str, Any]) -> bool:
    """Remember who speaks in a conversation; True when the state changed."""
    people: list[str] = state["participants"].setdefault(record["sender_role"], [])
    if record["sender_id"] in people:
        return False
    people.append(record["sender_id"])
    del people[:-MAX_PARTICIPANTS]
    return True


def repeat_offender_event(violation: dict[str, Any], policy: Policy) -> dict[str, Any]:
    """The ``repeat_offender`` violation for a message whose sender crossed the threshold."""
    event = {
        key: violation[key]
        for key in (
            "conversation_id",
            "message_id",
            "sender_id",
            "sender_role",
            "contract_phase",
            "message_sent_at",
            "detected_at",
            "policy_version",
            "related_message_ids",
        )
    }
    event.update(
        event_id=event_id(violation["message_id"], "repeat_offender"),
        type="violation",
        rule="repeat_offender",
        severity=policy.severity("repeat_offender"),
        findings=[],
    )
    return event


def contract_event(record: dict[str, Any]) -> ContractEvent:
    return ContractEvent(
        occurred_at=record["_epoch"],
        event_id=record["event_id"],
        contract_id=record["contract_id"],
        state=record["state"],
        escrow_funded=bool(record.get("escrow_funded", False)),
    )


def apply_contract_event(
    timeline: Timeline,
    flagged: list[dict[str, Any]],
    event: ContractEvent,
    policy: Policy,
    *,
    detected_at: float,
) -> tuple[Timeline, list[dict[str, Any]], list[dict[str, Any]]]:
    """The new timeline, the retractions it causes, and what stays flagged."""
    updated = timeline.with_event(event)
    retractions: list[dict[str, Any]] = []
    remaining: list[dict[str, Any]] = []
    if updated is timeline:
        return timeline, retractions, flagged
    detected = format_time(detected_at)
    for entry in flagged:
        phase = updated.phase_at(
            entry["sent_at_epoch"], require_escrow_funded=policy.require_escrow_funded
        )
        if phase in CONTRACT_PHASES:
            retractions.append(retraction(entry, phase, detected))
        else:
            remaining.append(entry)
    return updated, retractions, remaining


def remember_flagged(
    flagged: list[dict[str, Any]], new: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Bounded memory of retractable events (by count, and by age behind the
    conversation's newest remembered event); redeliveries once."""
    known = {entry["event_id"] for entry in flagged}
    merged = [*flagged, *(entry for entry in new if entry["event_id"] not in known)]
    if not merged:
        return merged
    horizon = max(entry["sent_at_epoch"] for entry in merged) - FLAGGED_RETENTION_SECONDS
    merged = [entry for entry in merged if entry["sent_at_epoch"] >= horizon]
    return merged[-MAX_FLAGGED_PER_CONVERSATION:]


class Judged(NamedTuple):
    """A judged message's events, waiting for the batch's Redis step."""

    key: bytes
    sent_at: float
    events: list[dict[str, Any]]
    #: The message's violations (strikes against its sender), in ``events`` too.
    violations: list[dict[str, Any]]


def strikes_of(batch: Sequence[Judged]) -> list[Strike]:
    """The batch's strikes in event-time order (ties: the order they were judged), so
    a batch counts the same whatever order its partitions arrived in."""
    strikes = [
        Strike(v["sender_id"], v["event_id"], judged.sent_at)
        for judged in batch
        for v in judged.violations
    ]
    return sorted(strikes, key=lambda strike: strike.at)


def notices_of(batch: Sequence[Judged]) -> list[Notice]:
    """The batch's warnings as throttling claims, in event-time order."""
    notices = [
        Notice(
            e["conversation_id"],
            e["rule"],
            e["recipient_id"] or e.get("recipient_role") or "unknown",
            e["event_id"],
            judged.sent_at,
        )
        for judged in batch
        for e in judged.events
        if e["type"] == "warning"
    ]
    return sorted(notices, key=lambda notice: notice.at)


def batch_outputs(
    batch: Sequence[Judged],
    strikes: Sequence[Strike],
    strike_counts: Sequence[int] | None,
    notices: Sequence[Notice],
    notices_allowed: Sequence[bool],
    policy: Policy,
) -> list[tuple[Judged, dict[str, Any]]]:
    """The events to produce for a batch, given what Redis said.

    ``strike_counts`` has, for each of ``strikes`` (``strikes_of(batch)``), its sender's count
    in the window ending at its send time (None: Redis was unavailable, no escalation);
    a message whose strikes reach the threshold also gets a ``repeat_offender``.
    ``notices_allowed`` has a flag per notice of ``notices`` (``notices_of(batch)``); a held-back
    warning is dropped.
    """
    count = (
        {}
        if strike_counts is None
        else dict(zip((s.event_id for s in strikes), strike_counts, strict=True))
    )
    allowed = dict(zip((n.event_id for n in notices), notices_allowed, strict=True))
    outputs: list[tuple[Judged, dict[str, Any]]] = []
    for judged in batch:
        outputs += ((judged, e) for e in judged.events if allowed.get(e["event_id"], True))
        reached = max((count.get(v["event_id"], 0) for v in judged.violations), default=0)
        if reached >= policy.repeat_offender_threshold:
            outputs.append((judged, repeat_offender_event(judged.violations[0], policy)))
    return outputs

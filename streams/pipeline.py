"""What the worker does with one record, and with a batch, as plain functions over plain data.

One step per record: ``message_step`` and ``contract_step`` take the record and its
conversation's state (``ConversationState``, the three table values) and return the
state changes (``StateChanges``) and the outputs.  The Faust agents
(``streams/app.py``) read the state before a step, write the changes after it, and
produce the outputs.  A batch's messages with events wait in a ``Batch`` for the one
Redis round trip (strikes, throttling) of the batch; ``batch_outputs`` then decides, from
what Redis said, which events go out and which senders escalate.  No Kafka, Redis or
clock in here: every
window and retention is measured in event time (the records' ``sent_at`` and
``occurred_at``), and the one wall-clock value, ``detected_at``, comes in as an
argument, so a backfill gives the same decisions as live processing
(``tests/test_event_time.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from streams.claims import Notice, Strike
from streams.contract import CONTRACT_PHASES, ContractEvent, Timeline, from_record, to_record
from streams.detection.split import MAX_FRAGMENT_CHARS, Fragment, find_split_detail
from streams.events import (
    RETRACTABLE_RULES,
    MessageContext,
    build_events,
    flagged_entry,
    repeat_offender,
    retraction,
)
from streams.judge import judge, judge_findings, phone_regions
from streams.models import Event, MessageEvent, RetractionEvent, ViolationEvent, WarningEvent
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
    events: list[MessageEvent]
    #: New value of the sender's fragment buffer, or None when it did not change.
    fragments: list[list[Any]] | None
    #: Entries to remember for later retraction.
    flagged: list[dict[str, Any]] = field(default_factory=list)
    #: The message's violation events (strikes against the sender), if any.
    violations: list[ViolationEvent] = field(default_factory=list)


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
    """Whether a message may be a piece of a split detail, so worth buffering: short.

    Any short message may be one ("917", "at gmail", "ok my number is nine one seven"):
    a test on digits, an at-sign or a word count misses the spelled lead-in of a number
    given over three messages.  Long messages are judged whole and end a run."""
    return len(text.strip()) <= MAX_FRAGMENT_CHARS


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
        if isinstance(event, ViolationEvent):
            outcome.violations.append(event)
        if event.rule in RETRACTABLE_RULES:
            outcome.flagged.append(flagged_entry(event, sent_at))
    return outcome


def _other_participant(state: dict[str, Any], record: dict[str, Any]) -> str | None:
    role = {"client": "freelancer", "freelancer": "client"}.get(record["sender_role"])
    people = state["participants"].get(role or "", [])
    return str(people[-1]) if people else None


def with_participant(
    participants: dict[str, list[str]], record: dict[str, Any]
) -> dict[str, list[str]] | None:
    """The participants with the record's sender remembered under its role (at most
    ``MAX_PARTICIPANTS`` per role, the latest kept); None when the sender is known."""
    role, sender = record["sender_role"], record["sender_id"]
    people = participants.get(role, [])
    if sender in people:
        return None
    return {**participants, role: [*people, sender][-MAX_PARTICIPANTS:]}


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
) -> tuple[Timeline, list[RetractionEvent], list[dict[str, Any]]]:
    """The new timeline, the retractions it causes, and what stays flagged."""
    updated = timeline.with_event(event)
    retractions: list[RetractionEvent] = []
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


@dataclass(frozen=True, slots=True)
class Judged:
    """A judged message's events, waiting for the batch's Redis step."""

    key: bytes
    sent_at: float
    events: list[MessageEvent]
    #: The message's violations (strikes against its sender), in ``events`` too.
    violations: list[ViolationEvent]


@dataclass(frozen=True, slots=True)
class Output:
    """An event to produce, with the key of the input it came from."""

    key: bytes
    event: Event
    #: The send time of the message behind it (for the event-lag metric).
    sent_at: float


@dataclass(slots=True)
class Batch:
    """The judged messages of one batch that have events: what the batch asks of Redis
    (its strikes and notices, in event-time order) and, once Redis answered, what it
    produces (``batch_outputs``)."""

    judged: list[Judged] = field(default_factory=list)

    def add(self, judged: Judged) -> None:
        self.judged.append(judged)

    def __bool__(self) -> bool:
        return bool(self.judged)

    @property
    def strikes(self) -> list[Strike]:
        return strikes_of(self.judged)

    @property
    def notices(self) -> list[Notice]:
        return notices_of(self.judged)


def strikes_of(batch: Sequence[Judged]) -> list[Strike]:
    """The batch's strikes in event-time order (ties: the order they were judged), so
    a batch counts the same whatever order its partitions arrived in."""
    strikes = [
        Strike(v.sender_id, v.event_id, judged.sent_at)
        for judged in batch
        for v in judged.violations
    ]
    return sorted(strikes, key=lambda strike: strike.at)


def notices_of(batch: Sequence[Judged]) -> list[Notice]:
    """The batch's warnings as throttling claims, in event-time order."""
    notices = [
        Notice(
            e.conversation_id,
            e.rule,
            e.recipient_id or e.recipient_role or "unknown",
            e.event_id,
            judged.sent_at,
        )
        for judged in batch
        for e in judged.events
        if isinstance(e, WarningEvent)
    ]
    return sorted(notices, key=lambda notice: notice.at)


def strike_counts_by_event(
    strikes: Sequence[Strike], counts: Sequence[int] | None
) -> dict[str, int]:
    """Each strike's count (its sender's strikes in the window ending at its send
    time), by violation event id; empty when Redis was unavailable (``None``)."""
    if counts is None:
        return {}
    return dict(zip((s.event_id for s in strikes), counts, strict=True))


def escalates(judged: Judged, counts: dict[str, int], policy: Policy) -> bool:
    """Whether the message's sender reached the repeat-offender threshold with it: the
    highest count among the message's strikes, walked back from the strikes to the
    message that made them."""
    reached = max((counts.get(v.event_id, 0) for v in judged.violations), default=0)
    return bool(judged.violations) and reached >= policy.repeat_offender_threshold


def allowed_notices(notices: Sequence[Notice], allowed: Sequence[bool]) -> dict[str, bool]:
    """Throttling's answer for each warning, by event id (a warning not asked about
    is allowed)."""
    return dict(zip((n.event_id for n in notices), allowed, strict=True))


def batch_outputs(
    batch: Batch,
    strike_counts: Sequence[int] | None,
    notices_allowed: Sequence[bool],
    policy: Policy,
) -> list[Output]:
    """The events to produce for a batch, given what Redis said, in the batch's order.

    ``strike_counts`` has a count for each of ``batch.strikes`` (None: Redis was
    unavailable, no escalation); a message whose strikes reach the threshold also gets
    a ``repeat_offender``.  ``notices_allowed`` has a flag for each of
    ``batch.notices``; a held-back warning is dropped.
    """
    counts = strike_counts_by_event(batch.strikes, strike_counts)
    allowed = allowed_notices(batch.notices, notices_allowed)
    outputs: list[Output] = []
    for judged in batch.judged:
        outputs += (
            Output(judged.key, e, judged.sent_at)
            for e in judged.events
            if allowed.get(e.event_id, True)
        )
        if escalates(judged, counts, policy):
            event = repeat_offender(judged.violations[0], policy)
            outputs.append(Output(judged.key, event, judged.sent_at))
    return outputs


# --- one step per record ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ConversationState:
    """What a step reads of its conversation: the values of the three tables."""

    timeline: Timeline = field(default_factory=Timeline)
    #: recent fragments per sender and the participants (``conversation_state``)
    conversation: dict[str, Any] = field(default_factory=lambda: conversation_state(None))
    #: recently emitted retractable events (``flagged_entry``)
    flagged: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def from_tables(cls, contract: Any, conversation: Any, flagged: Any) -> ConversationState:
        """From the tables' values (None for a key not yet written)."""
        return cls(from_record(contract), conversation_state(conversation), list(flagged or []))


@dataclass(frozen=True, slots=True)
class StateChanges:
    """The new table values a step wrote (None: that table is left as it was)."""

    contract: dict[str, Any] | None = None
    conversation: dict[str, Any] | None = None
    flagged: list[dict[str, Any]] | None = None


@dataclass(frozen=True, slots=True)
class MessageStep:
    changes: StateChanges
    #: The message's events, waiting for the batch's Redis step (None: it has none).
    judged: Judged | None
    phase: str
    decision: str


@dataclass(frozen=True, slots=True)
class ContractStep:
    changes: StateChanges
    #: Retractions of events the contract event shows were sent under a contract.
    events: list[RetractionEvent]


def message_step(
    record: dict[str, Any],
    state: ConversationState,
    policy: Policy,
    *,
    key: bytes,
    detected_at: float,
    record_key: bytes,
) -> MessageStep:
    """One validated message: its judgement, its conversation's new state, its events.
    ``key`` is the fingerprints' HMAC key, ``record_key`` the input record's Kafka key
    (the output events' key).  ``state`` is not modified."""
    conversation = state.conversation
    outcome = judge_message(
        record, state.timeline, conversation, policy, key=key, detected_at=detected_at
    )
    people = with_participant(conversation["participants"], record)
    fragments = conversation["fragments"]
    if outcome.fragments is not None:
        fragments = dict(fragments)
        if outcome.fragments:
            fragments[record["sender_id"]] = outcome.fragments
        else:
            fragments.pop(record["sender_id"], None)
    changed = people is not None or outcome.fragments is not None
    changes = StateChanges(
        conversation={
            "fragments": fragments,
            "participants": people if people is not None else conversation["participants"],
        }
        if changed
        else None,
        flagged=remember_flagged(state.flagged, outcome.flagged) if outcome.flagged else None,
    )
    judged = (
        Judged(record_key, record["_epoch"], outcome.events, outcome.violations)
        if outcome.events
        else None
    )
    return MessageStep(changes, judged, outcome.phase, outcome.decision)


def contract_step(
    record: dict[str, Any], state: ConversationState, policy: Policy, *, detected_at: float
) -> ContractStep:
    """One validated contract event: the conversation's new timeline and what it
    retracts.  A redelivered event changes nothing.  ``state`` is not modified."""
    updated, retractions, remaining = apply_contract_event(
        state.timeline, state.flagged, contract_event(record), policy, detected_at=detected_at
    )
    if updated is state.timeline:
        return ContractStep(StateChanges(), [])
    changes = StateChanges(
        contract=to_record(updated),
        flagged=remaining if len(remaining) != len(state.flagged) else None,
    )
    return ContractStep(changes, retractions)

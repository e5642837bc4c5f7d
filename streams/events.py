"""Output events built from a judgement (pure: the clock and the key come in as arguments).

One event per (message, rule) with a deterministic ``event_id``, so a consumer can drop
duplicates of a redelivered message; the events are the typed values of
``streams.models``.  Events never carry a raw contact detail: each
finding has a ``redacted`` form and a keyed ``fingerprint`` (HMAC-SHA256) that lets
trust-and-safety correlate the same phone or e-mail across accounts without seeing it.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from streams.detection.findings import INTENT_KINDS, Finding
from streams.detection.redact import redact
from streams.judge import Judgement, RuleHit
from streams.models import EventFinding, MessageEvent, RetractionEvent, ViolationEvent, WarningEvent
from streams.policy.model import Policy

#: Who a warning goes to: the other party of the conversation.
OTHER_ROLE = {"client": "freelancer", "freelancer": "client"}
SCAM_NOTICE = "possible_scam_keep_on_platform"
DEFAULT_NOTICE = "keep_communication_on_platform"


@dataclass(frozen=True, slots=True)
class MessageContext:
    """What an event says about the message it is about."""

    message_id: str
    conversation_id: str
    sender_id: str
    sender_role: str
    sent_at: str  # ISO 8601, as received
    contract_phase: str
    related_message_ids: tuple[str, ...] = ()
    recipient_id: str | None = None  # the other party, when the conversation has shown it


def event_id(*parts: str) -> str:
    """A deterministic id: the same message and rule always give the same id."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def fingerprint(key: bytes, finding: Finding) -> str | None:
    """Keyed hash of a contact or payment detail; None for intents (no personal data)."""
    if finding.kind in INTENT_KINDS:
        return None
    message = f"{finding.kind}:{finding.value}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]


#: An event lists at most this many findings (``findings_omitted`` counts the rest) and
#: keeps at most this many characters of each redacted detail, so that an event of any
#: message fits in ``MAX_EVENT_BYTES`` (``tests/test_limits.py``).
MAX_FINDINGS_PER_EVENT = 50
MAX_REDACTED_CHARS = 128
#: The largest encoded output event (checked against the producer's and the topics'
#: limits at start-up: ``streams.limits``).
MAX_EVENT_BYTES = 64 * 1024


#: The findings an event lists, and how many more it leaves out.
Details = tuple[tuple[EventFinding, ...], int]


def _detail(key: bytes, finding: Finding) -> EventFinding:
    return EventFinding(
        kind=finding.kind,
        start=finding.start,
        end=finding.end,
        redacted=redact(finding.kind, finding.value)[:MAX_REDACTED_CHARS],
        fingerprint=fingerprint(key, finding),
    )


def _details(key: bytes, findings: Iterable[Finding]) -> Details:
    listed = list(findings)
    kept = tuple(_detail(key, f) for f in listed[:MAX_FINDINGS_PER_EVENT])
    return kept, len(listed) - len(kept)


def _violation(
    hit: RuleHit, ctx: MessageContext, policy: Policy, detected_at: str, details: Details
) -> ViolationEvent:
    findings, omitted = details
    return ViolationEvent(
        conversation_id=ctx.conversation_id,
        message_id=ctx.message_id,
        sender_id=ctx.sender_id,
        sender_role=ctx.sender_role,
        contract_phase=ctx.contract_phase,
        message_sent_at=ctx.sent_at,
        detected_at=detected_at,
        policy_version=policy.version,
        related_message_ids=ctx.related_message_ids,
        event_id=event_id(ctx.message_id, hit.rule),
        rule=hit.rule,
        severity=hit.severity,
        findings=findings,
        findings_omitted=omitted,
    )


def _warning(
    hit: RuleHit,
    ctx: MessageContext,
    policy: Policy,
    detected_at: str,
    details: Details,
    *,
    to_sender: bool,
) -> WarningEvent:
    if to_sender:  # a solicitation warning reminds the sender to keep it on the platform
        parts: tuple[str, ...] = ()
        recipient: str | None = ctx.sender_id
        role: str | None = ctx.sender_role
        notice = policy.notice(hit.rule) or DEFAULT_NOTICE
    else:  # a scam's warns the person being scammed, the other party
        parts = ("recipient",)
        recipient, role = ctx.recipient_id, OTHER_ROLE.get(ctx.sender_role)
        notice = SCAM_NOTICE
    findings, omitted = details
    return WarningEvent(
        conversation_id=ctx.conversation_id,
        message_id=ctx.message_id,
        sender_id=ctx.sender_id,
        sender_role=ctx.sender_role,
        contract_phase=ctx.contract_phase,
        message_sent_at=ctx.sent_at,
        detected_at=detected_at,
        policy_version=policy.version,
        related_message_ids=ctx.related_message_ids,
        event_id=event_id(ctx.message_id, hit.rule, *parts),
        rule=hit.rule,
        severity=hit.severity,
        findings=findings,
        findings_omitted=omitted,
        recipient_id=recipient,
        recipient_role=role,
        notice=notice,
    )


def build_events(
    judgement: Judgement,
    ctx: MessageContext,
    policy: Policy,
    *,
    key: bytes,
    detected_at: str,
) -> list[MessageEvent]:
    """The events for one judged message: one per rule, plus the scam victim's warning."""
    events: list[MessageEvent] = []
    for hit in judgement.rules:
        details = _details(key, hit.findings)
        if hit.decision == "warning":
            events.append(_warning(hit, ctx, policy, detected_at, details, to_sender=True))
        else:
            events.append(_violation(hit, ctx, policy, detected_at, details))
        if hit.rule == "scam_pattern":
            events.append(_warning(hit, ctx, policy, detected_at, details, to_sender=False))
    return events


def repeat_offender(violation: ViolationEvent, policy: Policy) -> ViolationEvent:
    """The ``repeat_offender`` violation for a message whose sender crossed the threshold."""
    return replace(
        violation,
        event_id=event_id(violation.message_id, "repeat_offender"),
        rule="repeat_offender",
        severity=policy.severity("repeat_offender"),
        findings=(),
        findings_omitted=0,
    )


def retraction(flagged: dict[str, Any], phase: str, detected_at: str) -> RetractionEvent:
    """Retract an event: a late contract event shows its message was sent under a contract."""
    return RetractionEvent(
        rule=flagged["rule"],
        severity=flagged["severity"],
        conversation_id=flagged["conversation_id"],
        message_id=flagged["message_id"],
        sender_id=flagged["sender_id"],
        sender_role=flagged["sender_role"],
        message_sent_at=flagged["message_sent_at"],
        policy_version=flagged["policy_version"],
        related_message_ids=tuple(flagged["related_message_ids"]),
        event_id=event_id(flagged["event_id"], "retraction"),
        retracts=flagged["event_id"],
        contract_phase=phase,
        detected_at=detected_at,
        reason=f"the message was sent while the contract was {phase}",
    )


#: What the worker remembers of a retractable event (the ``flagged`` table), to retract
#: it later: what a retraction repeats of it.
RETRACTION_COPIED = (
    "rule",
    "severity",
    "conversation_id",
    "message_id",
    "sender_id",
    "sender_role",
    "message_sent_at",
    "policy_version",
    "related_message_ids",
)
#: Rules that depend on the contract phase, so a late contract event can retract them.
RETRACTABLE_RULES = frozenset(
    {"contact_before_contract", "solicitation_before_contract", "scam_pattern"}
)


def flagged_entry(event: MessageEvent, sent_at: float) -> dict[str, Any]:
    """What the worker remembers of an emitted event (a table value: plain JSON)."""
    entry: dict[str, Any] = {key: getattr(event, key) for key in RETRACTION_COPIED}
    entry.update(
        related_message_ids=list(event.related_message_ids),
        event_id=event.event_id,
        sent_at_epoch=sent_at,
    )
    return entry

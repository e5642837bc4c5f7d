"""Output events built from a judgement (pure: the clock and the key come in as arguments).

One event per (message, rule) with a deterministic ``event_id``, so a consumer can drop
duplicates of a redelivered message.  Events never carry a raw contact detail: each
finding has a ``redacted`` form and a keyed ``fingerprint`` (HMAC-SHA256) that lets
trust-and-safety correlate the same phone or e-mail across accounts without seeing it.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

import orjson

from streams.detection.findings import INTENT_KINDS, Finding
from streams.detection.redact import redact
from streams.judge import Judgement
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


def encode(value: dict[str, Any]) -> bytes:
    """An output record's value (an event or a dead letter) as UTF-8 JSON."""
    return orjson.dumps(value)


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


def finding_record(key: bytes, finding: Finding) -> dict[str, Any]:
    return {
        "kind": finding.kind,
        "start": finding.start,
        "end": finding.end,
        "redacted": redact(finding.kind, finding.value)[:MAX_REDACTED_CHARS],
        "fingerprint": fingerprint(key, finding),
    }


def _findings(key: bytes, findings: Any) -> tuple[list[dict[str, Any]], int]:
    listed = list(findings)
    kept = [finding_record(key, f) for f in listed[:MAX_FINDINGS_PER_EVENT]]
    return kept, len(listed) - len(kept)


def _base(ctx: MessageContext, policy: Policy, detected_at: str) -> dict[str, Any]:
    event: dict[str, Any] = {
        "conversation_id": ctx.conversation_id,
        "message_id": ctx.message_id,
        "sender_id": ctx.sender_id,
        "sender_role": ctx.sender_role,
        "contract_phase": ctx.contract_phase,
        "message_sent_at": ctx.sent_at,
        "detected_at": detected_at,
        "policy_version": policy.version,
        "related_message_ids": list(ctx.related_message_ids),
    }
    return event


def build_events(
    judgement: Judgement,
    ctx: MessageContext,
    policy: Policy,
    *,
    key: bytes,
    detected_at: str,
) -> list[dict[str, Any]]:
    """The events for one judged message: one per rule, plus the scam victim's warning."""
    events: list[dict[str, Any]] = []
    for hit in judgement.rules:
        findings, omitted = _findings(key, hit.findings)
        event = _base(ctx, policy, detected_at)
        event.update(
            event_id=event_id(ctx.message_id, hit.rule),
            type=hit.decision,
            rule=hit.rule,
            severity=hit.severity,
            findings=findings,
        )
        if omitted:
            event["findings_omitted"] = omitted
        if hit.decision == "warning":
            # A solicitation warning reminds the sender to keep it on the platform.
            event.update(
                recipient_id=ctx.sender_id,
                recipient_role=ctx.sender_role,
                notice=policy.notice(hit.rule) or DEFAULT_NOTICE,
            )
        events.append(event)
        if hit.rule == "scam_pattern":
            # The person being scammed is warned too.
            warning = _base(ctx, policy, detected_at)
            warning.update(
                event_id=event_id(ctx.message_id, hit.rule, "recipient"),
                type="warning",
                rule=hit.rule,
                severity=hit.severity,
                findings=findings,
                **({"findings_omitted": omitted} if omitted else {}),
                recipient_id=ctx.recipient_id,
                recipient_role=OTHER_ROLE.get(ctx.sender_role),
                notice=SCAM_NOTICE,
            )
            events.append(warning)
    return events


def retraction(flagged: dict[str, Any], phase: str, detected_at: str) -> dict[str, Any]:
    """Retract an event: a late contract event shows its message was sent under a contract."""
    event = {key: flagged[key] for key in RETRACTION_COPIED if key in flagged}
    event.update(
        event_id=event_id(flagged["event_id"], "retraction"),
        type="retraction",
        retracts=flagged["event_id"],
        contract_phase=phase,
        detected_at=detected_at,
        reason=f"the message was sent while the contract was {phase}",
        findings=[],
    )
    return event


#: What a retraction repeats of the event it retracts.
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


def flagged_entry(event: dict[str, Any], sent_at: float) -> dict[str, Any]:
    """What the worker remembers of an emitted event, to retract it later if needed."""
    entry = {key: event[key] for key in RETRACTION_COPIED}
    entry.update(event_id=event["event_id"], sent_at_epoch=sent_at)
    return entry

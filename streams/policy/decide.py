"""Findings plus the contract phase become rules and a decision (docs/POLICY.md)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from streams.detection.findings import CONTACT_KINDS, Finding
from streams.policy.model import Policy

PHASES = ("none", "offered", "active", "paused", "ended")
BEFORE_CONTRACT = frozenset({"none", "offered"})
DECISIONS = ("allow", "warning", "violation")  # least to most severe


@dataclass(frozen=True, slots=True)
class RuleHit:
    """One rule that fired, with the findings that made it fire."""

    rule: str
    decision: str  # "violation" | "warning"
    severity: str
    findings: tuple[Finding, ...]


def decide(findings: Sequence[Finding], phase: str, policy: Policy) -> tuple[RuleHit, ...]:
    """The rules ``findings`` fire in ``phase`` (``repeat_offender`` is the streaming
    layer's: it needs counts across conversations)."""
    if phase not in PHASES:
        raise ValueError(f"unknown contract phase {phase!r}; expected one of {', '.join(PHASES)}")
    before = phase in BEFORE_CONTRACT
    contact = tuple(f for f in findings if f.kind in CONTACT_KINDS)
    solicitation = tuple(
        f for f in findings if f.kind in ("contact_request", "off_platform_intent")
    )
    payment = tuple(f for f in findings if f.kind in ("off_platform_payment", "payment_account"))
    personal = tuple(f for f in findings if f.kind == "personal_info_request")
    paying = tuple(f for f in findings if f.kind == "off_platform_payment")

    def hit(rule: str, decision: str, why: tuple[Finding, ...]) -> RuleHit:
        return RuleHit(rule, decision, policy.severity(rule), why)

    hits: list[RuleHit] = []
    if before and contact:
        hits.append(hit("contact_before_contract", "violation", contact))
    if before and not contact and solicitation:
        hits.append(hit("solicitation_before_contract", "warning", solicitation))
    if payment:
        hits.append(hit("off_platform_payment", "violation", payment))
    if before and (contact or solicitation) and (personal or paying):
        hits.append(hit("scam_pattern", "violation", contact + solicitation + personal + paying))
    return tuple(hits)


def decision_of(hits: Sequence[RuleHit]) -> str:
    """The most severe decision among ``hits``: violation > warning > allow."""
    return max((h.decision for h in hits), key=DECISIONS.index, default="allow")
